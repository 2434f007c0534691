"""The jobs list: newest first, filtered by status and who, exported like any list; the customers export."""

import re

from abonent.core.roles import Role
from abonent.imports.models import JobStatus
from abonent.imports.tests.views.conftest import job_of


def files_on(page: str) -> list[str]:
    return re.findall(r'<a href="/imports/\d+/">([^<]+)</a>', page)


def test_the_newest_job_comes_first_with_its_counts(client_as):
    client = client_as(Role.MANAGER)
    job_of(client.user, filename="old.csv")
    job_of(client.user, filename="new.csv", total=120, created=100, updated=12, skipped=3, rejected=5)

    page = client.get("/imports/").content.decode()

    assert files_on(page) == ["new.csv", "old.csv"]
    assert all(f">{n}<" in page for n in (120, 100, 12, 3, 5))


def test_the_list_filters_by_status_and_by_who(client_as, make_user):
    client = client_as(Role.MANAGER)
    other = make_user(Role.ADMINISTRATOR)
    job_of(client.user, filename="done.csv")
    job_of(client.user, filename="failed.csv", status=JobStatus.FAILED)
    job_of(other, filename="theirs.csv")

    assert files_on(client.get("/imports/", {"status": "failed"}).content.decode()) == ["failed.csv"]
    assert files_on(client.get("/imports/", {"by": other.pk}).content.decode()) == ["theirs.csv"]


def test_the_list_exports_to_csv(client_as):
    client = client_as(Role.MANAGER)
    job_of(client.user, filename="march.csv", total=7, created=7)

    exported = b"".join(client.get("/imports/export.csv").streaming_content).decode("utf-8-sig")

    assert "march.csv" in exported and "Done" in exported


def test_the_imports_page_leads_to_the_customers_export(client_as):
    page = client_as(Role.MANAGER).get("/imports/").content.decode()

    assert "Export customers" in page
    assert 'href="/customers/export.xlsx"' in page and 'href="/customers/export.csv"' in page


WAITING_FOR_AN_INDEX: set[str] = set()  # a filter waiting for its index is named here until the index exists


def test_every_filter_of_the_list_has_an_index():
    from abonent.imports.lists import JOBS
    from abonent.imports.models import ImportJob

    def indexed(name: str) -> bool:
        field = ImportJob._meta.get_field(name)
        return field.db_index or field.is_relation or any(
            index.fields[0].lstrip("-") == name for index in ImportJob._meta.indexes)

    missing = {f.model_field.name for f in JOBS.filters if not indexed(f.model_field.name)}

    assert missing == WAITING_FOR_AN_INDEX


def test_the_number_of_queries_does_not_grow_with_the_jobs(client_as, make_user, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as(Role.MANAGER)
    for _ in range(3):
        job_of(make_user(Role.MANAGER))
    with CaptureQueriesContext(connection) as few:
        client.get("/imports/?group=status&group=by")
    for _ in range(60):
        job_of(make_user(Role.MANAGER))

    with django_assert_max_num_queries(len(few)):
        response = client.get("/imports/?group=status&group=by")

    assert len(files_on(response.content.decode())) == 50
