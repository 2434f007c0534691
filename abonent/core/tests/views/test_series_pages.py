import datetime as dt

import time_machine

from abonent.core.models import AuditEntry, DocumentSeries
from abonent.core.roles import Role
from abonent.core.services import series_next_number
from abonent.core.tests.factories import DocumentSeriesFactory

NEW_SERIES = {
    "code": "sr", "document_type": "service_request", "name": "Service requests", "prefix": "SR{yyyy}-",
    "padding": "6", "is_default": "on", "active": "on",
}


@time_machine.travel(dt.datetime(2026, 3, 15, 10, 0, tzinfo=dt.UTC), tick=False)
def test_the_list_shows_each_series_with_the_number_it_gives_next(client_as):
    series = DocumentSeriesFactory(name="Service requests", prefix="SR{yyyy}-", padding=6)
    DocumentSeriesFactory(name="Invoices", prefix="F{yy}", padding=4)
    series_next_number(series=series, on=dt.date(2026, 3, 1))

    response = client_as(Role.ADMINISTRATOR).get("/settings/series/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Service requests" in page
    assert "<code>SR2026-000002</code>" in page
    assert "<code>F260001</code>" in page


def test_an_administrator_creates_a_series_and_it_is_audited(client_as):
    client = client_as(Role.ADMINISTRATOR)

    response = client.post("/settings/series/new/", NEW_SERIES)

    assert response.status_code == 302
    assert response["Location"] == "/settings/series/"
    series = DocumentSeries.objects.get(code="sr")
    assert (series.name, series.prefix, series.padding, series.is_default) == ("Service requests", "SR{yyyy}-", 6, True)
    entry = AuditEntry.objects.get(action="abonent.core.series.created")
    assert entry.actor == client.user
    assert entry.changes["prefix"] == [None, "SR{yyyy}-"]


def test_an_administrator_changes_a_series(client_as):
    client = client_as(Role.ADMINISTRATOR)
    series = DocumentSeriesFactory(code="sr", document_type="service_request", name="Tickets", padding=6)

    response = client.post(f"/settings/series/{series.pk}/", {**NEW_SERIES, "padding": "8"})

    assert response.status_code == 302
    series.refresh_from_db()
    assert (series.name, series.padding) == ("Service requests", 8)
    assert AuditEntry.objects.get(action="abonent.core.series.changed").changes["padding"] == [6, 8]


def test_a_second_default_series_for_a_document_type_is_a_form_error(client_as):
    # given a default series for service requests
    client = client_as(Role.ADMINISTRATOR)
    DocumentSeriesFactory(code="sr-old", document_type="service_request", is_default=True)

    # when another one is saved as the default
    response = client.post("/settings/series/new/", NEW_SERIES)

    # then the form says why, and nothing is saved
    assert response.status_code == 200
    assert "Another series is already the default for this document type." in response.content.decode()
    assert not DocumentSeries.objects.filter(code="sr").exists()


def test_a_non_default_series_may_join_a_document_type_that_has_a_default(client_as):
    client = client_as(Role.ADMINISTRATOR)
    DocumentSeriesFactory(code="sr-old", document_type="service_request", is_default=True)

    response = client.post("/settings/series/new/", {k: v for k, v in NEW_SERIES.items() if k != "is_default"})

    assert response.status_code == 302
    assert DocumentSeries.objects.filter(document_type="service_request").count() == 2


def test_the_default_series_can_be_saved_again_as_the_default(client_as):
    client = client_as(Role.ADMINISTRATOR)
    series = DocumentSeriesFactory(code="sr", document_type="service_request", is_default=True)

    response = client.post(f"/settings/series/{series.pk}/", NEW_SERIES)

    assert response.status_code == 302


def test_the_new_series_page_shows_an_empty_form(client_as):
    response = client_as(Role.ADMINISTRATOR).get("/settings/series/new/")

    assert response.status_code == 200
    assert 'name="prefix"' in response.content.decode()


def test_the_series_pages_are_forbidden_to_an_agent(client_as):
    client = client_as(Role.AGENT)
    series = DocumentSeriesFactory()

    assert client.get("/settings/series/").status_code == 403
    assert client.get("/settings/series/new/").status_code == 403
    assert client.post("/settings/series/new/", NEW_SERIES).status_code == 403
    assert client.get(f"/settings/series/{series.pk}/").status_code == 403
    assert not DocumentSeries.objects.filter(code="sr").exists()


def test_a_code_already_in_use_is_a_form_error(client_as):
    client = client_as(Role.ADMINISTRATOR)
    DocumentSeriesFactory(code="sr", document_type="invoice")

    response = client.post("/settings/series/new/", {k: v for k, v in NEW_SERIES.items() if k != "is_default"})

    assert response.status_code == 200
    assert "Document series with this Code already exists." in response.content.decode()
    assert DocumentSeries.objects.filter(code="sr").count() == 1
