import csv
import datetime as dt
import io

from django.db.models.signals import post_init
from openpyxl import load_workbook

from abonent.core.models import AuditEntry
from abonent.core.roles import Role
from abonent.customers.models import Party, Stage
from abonent.customers.tests.factories import PartyFactory


def csv_of(response) -> list[list[str]]:
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_the_csv_export_has_the_filtered_customers_in_the_columns_on_screen(client_as, make_user):
    rep = make_user(Role.SALES_REP, first_name="Radek", last_name="Černý")
    PartyFactory(name="Jana Nováková", stage=Stage.LEAD, phone="+420601123456", email="jana@example.cz",
                 sales_rep=rep, created_at=dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC))
    PartyFactory(name="Not a lead", stage=Stage.CUSTOMER)

    rows = csv_of(client_as(Role.AGENT).get("/customers/export.csv?stage=lead"))

    assert rows == [
        ["Name", "Country", "Stage", "Phone", "E-mail", "Tax ID", "Sales rep", "Created"],
        ["Jana Nováková", "CZ", "Lead", "+420601123456", "jana@example.cz", "", "Radek Černý", "2026-03-01 10:00:00"],
    ]


def test_the_xlsx_export_opens_in_a_spreadsheet(client_as):
    PartyFactory(name="Jana Nováková", created_at=dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC))

    response = client_as(Role.AGENT).get("/customers/export.xlsx?cols=name,created")

    assert response["Content-Disposition"].startswith('attachment; filename="customers-')
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["Name", "Created"], ["Jana Nováková", dt.datetime(2026, 3, 1, 10, 0)]]


def test_an_export_is_written_in_the_audit_log(client_as):
    client = client_as(Role.AGENT)

    b"".join(client.get("/customers/export.csv?stage=lead").streaming_content)

    entry = AuditEntry.objects.get(action="abonent.core.list.exported")
    assert entry.actor == client.user
    assert entry.note == "customers csv: stage=lead"


def test_an_export_with_filters_that_need_fixing_goes_back_to_the_list(client_as):
    response = client_as(Role.AGENT).get("/customers/export.csv?created_from=never")

    assert response.status_code == 302
    assert response["Location"] == "/customers/?created_from=never"


def test_an_unknown_format_is_not_found(client_as):
    assert client_as(Role.AGENT).get("/customers/export.pdf").status_code == 404


def test_a_portal_customer_cannot_export(client_as):
    assert client_as(Role.CUSTOMER).get("/customers/export.csv").status_code == 403


def test_the_export_reads_customers_in_chunks_with_their_reps_in_the_same_queries(
    client_as, make_user, django_assert_max_num_queries,
):
    # given 2,500 customers with reps
    reps = [make_user(Role.SALES_REP) for _ in range(3)]
    Party.objects.bulk_create(
        Party(name=f"Customer {n:04d}", country="CZ", stage=Stage.CUSTOMER, sales_rep=reps[n % 3],
              created_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC))
        for n in range(2500)
    )
    client = client_as(Role.AGENT)
    made = []
    post_init.connect(lambda **kwargs: made.append(1), sender=Party, weak=False, dispatch_uid="count-parties")
    try:
        with django_assert_max_num_queries(12):
            response = client.get("/customers/export.csv")
            chunks = iter(response.streaming_content)
            next(chunks), next(chunks)
            # when the first lines have left, most customers are still in the database
            assert len(made) < 2500
            rest = b"".join(chunks)
    finally:
        post_init.disconnect(sender=Party, dispatch_uid="count-parties")
    assert len(made) == 2500
    assert rest.decode().count("\n") == 2000
