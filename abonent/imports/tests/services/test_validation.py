import datetime as dt
from decimal import Decimal

from abonent.core.models import AuditEntry
from abonent.customers.models import (
    AttributeChoice,
    AttributeDefinition,
    AttributeValue,
    BankAccount,
    CallCenterStatus,
    ContactPoint,
    Party,
    StageChange,
)
from abonent.imports.tests.factories import csv_file, imported, rows_of

HEADER = ["Jméno", "Příjmení", "Firma", "E-mail", "Telefon", "IČO", "DIČ", "IBAN", "Ulice", "Město", "PSČ", "Země",
          "Fáze", "Štítky", "Obchodník", "Customer ID"]


def row(**values) -> list[str]:
    base = dict.fromkeys(HEADER, "")
    base.update({"Jméno": "Jana", "Příjmení": "Nováková", "E-mail": "jana@example.cz", "Telefon": "601 123 456",
                 "Země": "CZ"})
    base.update({k.replace("_", " "): v for k, v in values.items()})
    return [base[h] for h in HEADER]


def test_a_good_row_lands_with_everything_normalised(db, tmp_path, make_user):
    manager = make_user("manager")
    rep = make_user("sales_rep", username="pnovak", email="rep@abonent.test")
    path = csv_file(tmp_path / "c.csv", [HEADER, row(**{
        "Jméno": "", "Příjmení": "", "Firma": "Alfa Stavby s.r.o.", "E-mail": "Info@Alfa.CZ",
        "Telefon": "+420 601 123 456; 777 888 999", "IČO": "25596641", "DIČ": "CZ25596641",
        "IBAN": "19-2000145399/0800", "Ulice": "Husova 5", "Město": "Plzeň", "PSČ": "301 00", "Fáze": "Zákazník",
        "Štítky": "VIP, fibre", "Obchodník": "rep@abonent.test", "Customer ID": "A-1"})])

    job = imported(path, by=manager)

    assert (job.created, job.rejected) == (1, 0)
    party = Party.objects.get()
    assert (party.kind, party.name, party.email, party.phone, party.tax_id, party.vat_id, party.iban, party.city,
            party.stage, party.sales_rep, party.external_ref, party.country) == (
        "organisation", "Alfa Stavby s.r.o.", "info@alfa.cz", "+420601123456", "25596641", "CZ25596641",
        "CZ6508000000192000145399", "Plzeň", "customer", rep, "A-1", "CZ")
    assert sorted(ContactPoint.objects.values_list("value", "is_primary")) == [
        ("+420601123456", True), ("+420777888999", False), ("info@alfa.cz", True)]
    assert BankAccount.objects.get().is_primary
    assert sorted(party.tags.values_list("name", flat=True)) == ["VIP", "fibre"]
    assert StageChange.objects.get(party=party).to_stage == "customer"
    entry = AuditEntry.objects.get(action="abonent.customers.party.created")
    assert (entry.channel, entry.actor, entry.subject_id, entry.note) == ("import", manager, str(party.pk),
                                                                         f"import job {job.pk}, row 2")
    assert entry.changes["email"] == [None, "info@alfa.cz"]


def test_a_bad_row_is_rejected_with_every_reason_and_the_good_rows_still_land(db, tmp_path):
    path = csv_file(tmp_path / "c.csv", [HEADER, row(), row(**{
        "E-mail": "jana@@example", "Telefon": "12345", "IČO": "25596642", "IBAN": "CZ00 1234", "Země": "Atlantis",
        "Fáze": "VIP", "Obchodník": "nobody"}), row(**{"E-mail": "petr@example.cz", "Jméno": "Petr"})])

    job = imported(path)

    assert (job.created, job.rejected) == (2, 1)
    status, reasons = rows_of(job)[3]
    assert status == "rejected"
    assert reasons == [
        "Země: “Atlantis” is not a country.",
        "E-mail: “jana@@example” is not a valid e-mail address.",
        "Telefon: “12345” is not a valid phone number.",
        "IČO: “25596642” is not a valid IČO.",
        "IBAN: “CZ00 1234” is not a valid IBAN.",
        "Fáze: “VIP” is not a stage (prospect, lead, customer, former customer).",
        "Obchodník: no user “nobody”; give a user name or e-mail.",
    ]


def test_a_row_without_any_name_is_rejected(db, tmp_path):
    path = csv_file(tmp_path / "c.csv", [HEADER, row(Jméno="", Příjmení="")])

    job = imported(path)

    assert rows_of(job)[2] == ("rejected", [
        "The row has no name: map a column to the name, the first and last name or the organisation name."])


def test_values_longer_than_the_record_holds_are_rejected_not_cut(db, tmp_path):
    path = csv_file(tmp_path / "c.csv", [HEADER, row(Město="x" * 101)])

    assert rows_of(imported(path))[2] == ("rejected", ["City: longer than 100 characters."])


def test_phones_and_tax_ids_are_read_with_the_country_of_their_column_or_row(db, tmp_path):
    path = csv_file(tmp_path / "c.csv", [
        ["Name", "Phone", "Office phone", "NIP", "Country"],
        ["Jan Kowalski", "501 234 567", "601 123 456", "5260250995", "PL"],
        ["Jan Novák", "602 123 456", "601 123 457", "", ""],
    ])

    job = imported(path, country_default="CZ", column_countries={"Office phone": "CZ"})

    assert job.created == 2
    kowalski = Party.objects.get(name="Jan Kowalski")
    assert (kowalski.country, kowalski.phone, kowalski.tax_id) == ("PL", "+48501234567", "5260250995")
    assert "+420601123456" in ContactPoint.objects.filter(party=kowalski).values_list("value", flat=True)
    assert Party.objects.get(name="Jan Novák").country == "CZ"


def test_choice_values_are_checked_against_their_lists(db, tmp_path):
    CallCenterStatus.objects.create(name="Call back")
    segment = AttributeDefinition.objects.create(code="segment", type="choice", label={"en": "Segment"})
    AttributeChoice.objects.create(definition=segment, code="gold", label={"en": "Gold", "cs": "Zlatý"})
    AttributeDefinition.objects.create(code="born", type="date", label={"en": "Born"})
    AttributeDefinition.objects.create(code="score", type="number", label={"en": "Score"})
    path = csv_file(tmp_path / "c.csv", [
        ["Name", "Call-center status", "Segment", "Born", "Score", "Is a company"],
        ["Jana Nováková", "call back", "Zlatý", "1.3.1980", "1 250,5", "ne"],
        ["Petr Novák", "Maybe later", "Silver", "31.2.1980", "lots", "perhaps"],
    ])

    job = imported(path)

    assert rows_of(job)[3] == ("rejected", [
        "Is a company: “perhaps” is not yes or no.",
        "Call-center status: “Maybe later” is not a call-center status.",
        "Segment: “Silver” does not fit “segment”.",
        "Born: “31.2.1980” does not fit “born”.",
        "Score: “lots” does not fit “score”.",
    ])
    jana = Party.objects.get()
    assert jana.call_center_status.name == "Call back"
    values = {v.definition.code: v for v in AttributeValue.objects.filter(party=jana)}
    assert values["segment"].choice.code == "gold"
    assert values["born"].date == dt.date(1980, 3, 1)
    assert values["score"].number == Decimal("1250.5")
    assert values["born"].active_to is None


def test_a_formula_in_a_cell_is_stored_as_plain_text(db, tmp_path):
    path = csv_file(tmp_path / "c.csv", [["Name", "Note"], ['=HYPERLINK("http://evil.example","Click")', "@SUM(A1)"]])

    job = imported(path)

    assert job.created == 1
    party = Party.objects.get()
    assert party.name == '=HYPERLINK("http://evil.example","Click")'
    assert party.notes.get().body == "<p>@SUM(A1)</p>"


def test_an_imported_formula_leaves_the_customers_export_as_text(db, tmp_path, client_as):
    import csv
    import io

    from openpyxl import load_workbook

    imported(csv_file(tmp_path / "c.csv", [["Name", "IČO"], ['=HYPERLINK("http://evil.example")', "@x"]]),
             country_default="US")
    client = client_as("manager")

    csv_content = b"".join(client.get("/customers/export.csv?cols=name,tax_id").streaming_content)
    xlsx_content = b"".join(client.get("/customers/export.xlsx?cols=name,tax_id").streaming_content)

    assert list(csv.reader(io.StringIO(csv_content.decode("utf-8-sig"))))[1] == [
        "'=HYPERLINK(\"http://evil.example\")", "'@x"]
    sheet = load_workbook(io.BytesIO(xlsx_content)).active
    assert [c.value for c in sheet[2]] == ["'=HYPERLINK(\"http://evil.example\")", "'@x"]
