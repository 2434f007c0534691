import datetime as dt

import pytest

from abonent.core.roles import Role
from abonent.customers.lists import CUSTOMERS
from abonent.customers.models import PartyKind, Stage
from abonent.customers.tests.factories import PartyFactory
from abonent.customers.tests.lists.pages import link, names_on, text


def test_it_lists_customers_by_name(client_as):
    PartyFactory(name="Petr Svoboda")
    PartyFactory(name="Jana Nováková")

    response = client_as(Role.AGENT).get("/customers/")

    assert names_on(response) == ["Jana Nováková", "Petr Svoboda"]
    assert "2 customers" in text(response)


def test_it_searches_by_part_of_the_name_in_any_case(client_as):
    PartyFactory(name="Petr Svoboda")
    PartyFactory(name="Jana Nováková")

    response = client_as(Role.AGENT).get("/customers/", {"q": "svob"})

    assert names_on(response) == ["Petr Svoboda"]
    assert 'value="svob"' in response.content.decode()


@pytest.mark.parametrize("typed", ["říha", "ŘÍHA", "Říha", "jan říha"])
def test_it_finds_names_with_accented_letters_in_any_case(client_as, typed):
    PartyFactory(name="Jan Říha")
    PartyFactory(name="Jana Nováková")

    assert names_on(client_as(Role.AGENT).get("/customers/", {"q": typed})) == ["Jan Říha"]


def test_it_searches_by_phone_e_mail_and_tax_id(client_as):
    client = client_as(Role.AGENT)
    PartyFactory(name="Petr Svoboda", phone="+420601123456", email="petr@example.cz")
    PartyFactory(name="Alfa s.r.o.", tax_id="25596641", kind=PartyKind.ORGANISATION)

    assert names_on(client.get("/customers/", {"q": "601123"})) == ["Petr Svoboda"]
    assert names_on(client.get("/customers/", {"q": "601 123 456"})) == ["Petr Svoboda"]
    assert names_on(client.get("/customers/", {"q": "PETR@"})) == ["Petr Svoboda"]
    assert names_on(client.get("/customers/", {"q": "255 966"})) == ["Alfa s.r.o."]


def test_it_says_when_nothing_matches_and_offers_to_clear_the_filters(client_as):
    PartyFactory(name="Petr Svoboda")

    response = client_as(Role.AGENT).get("/customers/", {"q": "Kowalski"})

    assert names_on(response) == []
    assert "Nothing matches these filters. Clear the filters" in text(response)


def test_an_empty_list_says_there_are_no_customers_yet(client_as):
    assert "There are no customers yet." in text(client_as(Role.AGENT).get("/customers/"))


def test_it_filters_by_several_stages_kinds_and_countries(client_as):
    PartyFactory(name="Lead CZ", stage=Stage.LEAD, country="CZ")
    PartyFactory(name="Customer PL", stage=Stage.CUSTOMER, country="PL")
    PartyFactory(name="Former CZ", stage=Stage.FORMER, country="CZ")
    PartyFactory(name="Firm CZ", stage=Stage.LEAD, country="CZ", kind=PartyKind.ORGANISATION)
    client = client_as(Role.AGENT)

    assert names_on(client.get("/customers/?stage=lead&stage=customer")) == ["Customer PL", "Firm CZ", "Lead CZ"]
    assert names_on(client.get("/customers/?stage=lead&country=CZ&kind=organisation")) == ["Firm CZ"]
    assert names_on(client.get("/customers/?country=PL&country=CZ&stage=former")) == ["Former CZ"]


def test_it_filters_by_sales_rep_or_by_having_none(client_as, make_user):
    radek, roman = make_user(Role.SALES_REP, first_name="Radek"), make_user(Role.SALES_REP, first_name="Roman")
    PartyFactory(name="Of Radek", sales_rep=radek)
    PartyFactory(name="Of Roman", sales_rep=roman)
    PartyFactory(name="Of Nobody", sales_rep=None)
    client = client_as(Role.AGENT)

    assert names_on(client.get(f"/customers/?rep={radek.pk}")) == ["Of Radek"]
    assert names_on(client.get(f"/customers/?rep={roman.pk}&rep=none")) == ["Of Nobody", "Of Roman"]


def test_the_created_range_counts_whole_days_in_the_users_time_zone(client_as):
    # 23:30 UTC on 1 March is already 2 March in Prague
    PartyFactory(name="Late on the 1st UTC", created_at=dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.UTC))
    PartyFactory(name="Early on the 1st", created_at=dt.datetime(2026, 3, 1, 6, 0, tzinfo=dt.UTC))
    PartyFactory(name="On the 3rd", created_at=dt.datetime(2026, 3, 3, 12, 0, tzinfo=dt.UTC))
    client = client_as(Role.AGENT)

    assert names_on(client.get("/customers/?created_from=2026-03-02&created_to=2026-03-02")) == [
        "Late on the 1st UTC"]
    assert names_on(client.get("/customers/?created_to=2026-03-01")) == ["Early on the 1st"]
    assert names_on(client.get("/customers/?created_from=2026-03-02")) == ["Late on the 1st UTC", "On the 3rd"]


@pytest.mark.parametrize(("query", "message"), [
    ("created_from=2026-02-30", "Created from: Enter a valid date."),
    ("created_from=2026-03-05&created_to=2026-03-01", "Created to: The last day must not come before the first day."),
    ("stage=sold", "Stage: Select a valid choice. sold is not one of the available choices."),
    ("rep=abc", "Sales rep: Select a valid choice. abc is not one of the available choices."),
])
def test_a_filter_that_cannot_be_applied_is_explained_not_a_crash(client_as, query, message):
    PartyFactory(name="Petr Svoboda")

    response = client_as(Role.AGENT).get(f"/customers/?{query}")

    assert response.status_code == 200
    assert f"Check the filters: {message}" in text(response)
    assert names_on(response) == []


def test_sorting_by_a_column_heading_and_back(client_as):
    PartyFactory(name="Older", created_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    PartyFactory(name="Newer", created_at=dt.datetime(2026, 2, 1, tzinfo=dt.UTC))
    client = client_as(Role.AGENT)

    assert names_on(client.get("/customers/?sort=created")) == ["Older", "Newer"]
    assert names_on(client.get("/customers/?sort=-created")) == ["Newer", "Older"]
    assert names_on(client.get("/customers/?sort=-name")) == ["Older", "Newer"]
    page = client.get("/customers/?sort=created").content.decode()
    assert 'aria-sort="ascending"' in page and 'href="/customers/?sort=-created"' in page


def test_sorting_by_a_column_without_an_index_is_refused_politely(client_as):
    PartyFactory(name="Petr Svoboda")

    response = client_as(Role.AGENT).get("/customers/?sort=email")

    assert names_on(response) == ["Petr Svoboda"]
    assert "The list cannot be sorted by “email”; it is in its usual order." in text(response)


def test_it_pages_fifty_customers_at_a_time_with_next_and_previous_links(client_as):
    client = client_as(Role.AGENT)
    for n in range(51):
        PartyFactory(name=f"Customer {n:02d}")

    first = client.get("/customers/")
    second = client.get(link(first, "next"))
    back = client.get(link(second, "prev"))

    assert len(names_on(first)) == 50
    assert names_on(second) == ["Customer 50"]
    assert names_on(back) == names_on(first)
    assert "51 customers" in text(second)


def test_pages_keep_the_filters_and_the_sort(client_as):
    client = client_as(Role.AGENT)
    for n in range(55):
        PartyFactory(name=f"Lead {n:02d}", stage=Stage.LEAD)
    PartyFactory(name="Customer", stage=Stage.CUSTOMER)

    second = client.get(link(client.get("/customers/?stage=lead&sort=-name"), "next"))

    assert names_on(second) == ["Lead 04", "Lead 03", "Lead 02", "Lead 01", "Lead 00"]


def test_a_long_list_says_it_stopped_counting_and_offers_the_exact_count(client_as, monkeypatch):
    monkeypatch.setattr(CUSTOMERS, "count_cap", 5)
    monkeypatch.setattr(CUSTOMERS, "page_size", 2)
    PartyFactory.create_batch(7)
    client = client_as(Role.AGENT)

    capped, exact = text(client.get("/customers/")), text(client.get("/customers/?count=exact"))

    assert "More than 5 customers · counted only this far, to keep the list fast · count exactly" in capped
    assert "7 customers (exact)" in exact


def test_an_htmx_request_gets_only_the_list_and_the_address_bar_follows(client_as):
    PartyFactory(name="Petr Svoboda")
    client = client_as(Role.AGENT)

    fragment = client.get("/customers/?q=petr", headers={"HX-Request": "true", "HX-Target": "grid"})
    restore = client.get("/customers/?q=petr", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})

    assert names_on(fragment) == ["Petr Svoboda"]
    assert fragment.content.decode().startswith('<div id="grid"')
    assert 'hx-push-url="true"' in fragment.content.decode()
    # customers' data is not kept in the browser's local storage for the back button
    assert 'hx-history="false"' in fragment.content.decode()
    assert "HX-Request" in fragment["Vary"]
    assert "<html" in restore.content.decode()


def test_the_empty_fields_of_a_submitted_filter_form_are_left_out_of_the_address(client_as):
    client = client_as(Role.AGENT)

    plain = client.get("/customers/?q=&stage=lead&created_from=&created_to=&group=")
    htmx = client.get("/customers/?q=&stage=lead&group=", headers={"HX-Request": "true", "HX-Target": "grid"})

    assert plain.status_code == 302 and plain["Location"] == "/customers/?stage=lead"
    assert htmx.status_code == 200 and htmx["HX-Push-Url"] == "/customers/?stage=lead"
    assert 'data-here="/customers/?stage=lead"' in htmx.content.decode()


def test_the_filters_are_a_plain_form_that_works_without_javascript(client_as):
    page = client_as(Role.AGENT).get("/customers/").content.decode()

    assert '<form id="grid-filters" class="grid-filters" method="get" action="/customers/"' in page
    assert 'name="q"' in page and 'name="stage"' in page and 'name="created_from"' in page


def test_it_escapes_html_in_customer_names(client_as):
    PartyFactory(name="<img src=x onerror=alert(1)>")

    page = client_as(Role.AGENT).get("/customers/").content.decode()

    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_it_is_forbidden_to_a_portal_customer(client_as):
    assert client_as(Role.CUSTOMER).get("/customers/").status_code == 403


def test_it_sends_an_anonymous_visitor_to_the_login_page(client):
    response = client.get("/customers/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/customers/"
