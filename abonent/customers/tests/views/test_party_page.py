import datetime as dt
import re

import pytest
import time_machine
from django.http import HttpResponse

from abonent.accounts.models import RoleRight
from abonent.core.roles import Access, Role
from abonent.core.tests.factories import AuditEntryFactory
from abonent.customers import tabs
from abonent.customers.activity_services import note_add
from abonent.customers.merge_services import party_merge
from abonent.customers.models import Note, Party, Stage
from abonent.customers.services import party_update
from abonent.customers.tests.factories import CallCenterStatusFactory, PartyFactory, person


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_page_shows_the_header_and_the_overview(client_as, make_user):
    rep = make_user(Role.SALES_REP, first_name="Radek", last_name="Černý")
    party = person(first_name="Jana", last_name="Nováková", stage=Stage.LEAD, sales_rep=rep,
                   call_center_status=CallCenterStatusFactory(name="Call back"), phone="601123456")

    page = text(client_as(Role.AGENT).get(f"/customers/{party.pk}/"))

    assert '<span class="fs-5 fw-semibold" id="party-name">Jana Nováková</span>' in page
    assert re.search(r'id="party-stage"[^>]*>Lead<', page)
    assert '<dd id="party-status">Call back</dd>' in page
    assert '<dd id="party-rep">Radek Černý</dd>' in page
    assert "+420 601 123 456" in page
    assert 'id="fact-balance"' in page  # billing's fact: agents may read balances
    for label in ("Overview", "Contacts", "Notes", "Tasks", "History"):
        assert f">{label}</a>" in page


def test_it_is_refused_to_portal_customers_and_roles_without_customer_rights(client_as, client):
    party = PartyFactory()
    assert client_as(Role.CUSTOMER).get(f"/customers/{party.pk}/").status_code == 403
    client.logout()
    RoleRight.objects.filter(role=Role.AGENT, module="customers").update(access=Access.NONE)

    agent = client_as(Role.AGENT)

    assert agent.get(f"/customers/{party.pk}/").status_code == 403
    assert agent.get(f"/customers/{party.pk}/tab/history/", HTTP_HX_REQUEST="true").status_code == 403
    assert agent.post(f"/customers/{party.pk}/notes/add/", {"body": "x"}).status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    party = PartyFactory()

    response = client.get(f"/customers/{party.pk}/")

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next=/customers/{party.pk}/"


def test_a_reader_sees_the_customer_without_the_buttons_to_change_it(client_as, read_only_agents):
    party = person()
    client = client_as(Role.AGENT)

    page = text(client.get(f"/customers/{party.pk}/"))
    contacts = text(client.get(f"/customers/{party.pk}/?tab=contacts"))

    assert "Merge a duplicate" not in page and f"/customers/{party.pk}/edit/" not in page
    assert 'id="stage-form"' not in page
    assert "Add a phone or e-mail" not in contacts
    assert client.post(f"/customers/{party.pk}/stage/", {"to_stage": "customer"}).status_code == 403
    assert client.get(f"/customers/{party.pk}/edit/").status_code == 403


def test_a_tab_loads_as_a_fragment_and_marks_itself_active(client_as, htmx):
    party = person()
    note_add(party=party, body="Called about fibre", by=None)

    fragment = text(client_as(Role.AGENT).get(f"/customers/{party.pk}/tab/notes/", **htmx))

    assert "<html" not in fragment
    assert "Called about fibre" in fragment
    assert 'hx-swap-oob="true"' in fragment
    assert re.search(r'class="nav-link active" id="tab-notes"', fragment)


def test_without_javascript_a_tab_link_opens_the_whole_page(client_as):
    party = person()
    note_add(party=party, body="Called about fibre", by=None)
    client = client_as(Role.AGENT)

    redirect = client.get(f"/customers/{party.pk}/tab/notes/")
    page = text(client.get(redirect["Location"]))

    assert redirect["Location"] == f"/customers/{party.pk}/?tab=notes"
    assert "<html" in page and "Called about fibre" in page
    assert f'href="/customers/{party.pk}/?tab=history"' in page


def test_an_unknown_tab_shows_the_overview(client_as):
    party = person()
    client = client_as(Role.AGENT)

    page = text(client.get(f"/customers/{party.pk}/", {"tab": "<script>"}))

    assert 'class="nav-link active" id="tab-overview"' in page
    assert client.get(f"/customers/{party.pk}/tab/nope/", HTTP_HX_REQUEST="true").status_code == 404


def test_names_and_notes_are_escaped_or_sanitised(client_as):
    party = person(first_name="<script>alert('n')</script>", last_name="<b>X</b>")
    note_add(party=party, body='<p>ok<img src=x onerror="alert(1)"><script>alert(2)</script></p>', by=None)
    client = client_as(Role.AGENT)

    page = text(client.get(f"/customers/{party.pk}/"))
    notes = text(client.get(f"/customers/{party.pk}/?tab=notes"))
    history = text(client.get(f"/customers/{party.pk}/?tab=history"))

    for html in (page, notes, history):
        assert "<script>alert" not in html
        assert "onerror" not in html
    assert "&lt;script&gt;alert(&#x27;n&#x27;)&lt;/script&gt; &lt;b&gt;X&lt;/b&gt;" in page
    assert '<div class="note-body"><p>ok</p></div>' in notes


def test_a_merged_record_leads_to_the_survivor(client_as, make_user):
    survivor, duplicate = person(first_name="Jana"), person(first_name="Jana B.")
    party_merge(survivor=survivor, merged=duplicate, by=make_user())

    response = client_as(Role.AGENT).get(f"/customers/{duplicate.pk}/", {"tab": "history"})

    assert response.status_code == 302
    assert response["Location"] == f"/customers/{survivor.pk}/?tab=history"


def test_a_module_adds_its_tab_without_touching_customers(client_as, monkeypatch):
    monkeypatch.setattr(tabs, "_tabs", dict(tabs._tabs))

    def calls_tab(request, party):
        return HttpResponse(f"<p id='calls'>3 calls with {party.pk}</p>")

    tabs.register_tab("calls", "Calls", calls_tab, order=55, module="callcenter")
    tabs.register_tab("commission", "Commission", calls_tab, order=70, module="commissions")
    party = person()

    page = text(client_as(Role.AGENT).get(f"/customers/{party.pk}/", {"tab": "calls"}))

    assert f"<p id='calls'>3 calls with {party.pk}</p>" in page
    assert ">Commission</a>" not in page  # agents have no commission rights
    labels = re.findall(r'role="tab"[^>]*>\s*([^<]+)</a>', page)
    assert [label.strip() for label in labels] == [
        "Overview", "Contacts", "Attributes", "Contracts", "Billing", "Hierarchies", "Notes", "Calls", "Tasks",
        "History",
    ]


def test_the_history_tab_shows_changes_readably(client_as, make_user):
    agent = make_user(Role.AGENT, first_name="Alena", last_name="Svobodová")
    party = person(by=agent, first_name="Jana", last_name="Nováková", stage=Stage.LEAD)
    party_update(party=party, by=agent, values={"kind": "organisation", "name": "Nováková s.r.o."})

    page = text(client_as(Role.AGENT).get(f"/customers/{party.pk}/", {"tab": "history"}))

    assert "Customer: changed" in page
    assert ('<span class="field">kind</span>: <span class="old">Person</span> → '
            '<span class="new">Organisation</span>') in page
    assert "Alena Svobodová" in page
    assert '<span class="field">stage</span>: <span class="old">∅</span> → <span class="new">Lead</span>' in page


def test_the_history_pages_by_keyset(client_as, htmx):
    party = person()
    for n in range(55):
        AuditEntryFactory(action="abonent.customers.party.changed", subject_type_id=_party_type(),
                          subject_id=str(party.pk), note=f"change {n:02d}")
    client = client_as(Role.AGENT)

    first = text(client.get(f"/customers/{party.pk}/", {"tab": "history"}))
    older = re.search(r'hx-get="([^"]+)"[^>]*>Older changes', first).group(1).replace("&amp;", "&")
    second = text(client.get(older, **htmx))

    assert "change 54" in first and "change 05" in first and "change 04" not in first
    assert "change 04" in second and "change 00" in second and "change 05" not in second
    assert "Older changes" not in second


def _party_type() -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(Party).pk


@pytest.mark.parametrize("tab", ["overview", "contacts"])
def test_the_as_of_view_is_marked_and_shows_the_old_values(client_as, make_user, tab):
    agent = make_user()
    with time_machine.travel(dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC), tick=False):
        party = person(by=agent, first_name="Jana", last_name="Nováková", phone="601123456")
    with time_machine.travel(dt.datetime(2026, 3, 5, 9, tzinfo=dt.UTC), tick=False):
        party_update(party=party, by=agent, values={"last_name": "Svobodová"})

    with time_machine.travel(dt.datetime(2026, 3, 10, 9, tzinfo=dt.UTC), tick=False):
        page = text(client_as(Role.AGENT).get(f"/customers/{party.pk}/", {"as_of": "2026-03-02", "tab": tab}))

    assert 'id="as-of-banner"' in page and "Historical view" in page
    assert "Merge a duplicate" not in page
    if tab == "overview":
        assert "Jana Nováková" in page.split('id="as-of-fields"', 1)[1]
    else:
        assert "+420601123456" in page.split('id="as-of-rows"', 1)[1]
        assert "Add a phone or e-mail" not in page


def test_a_future_or_broken_as_of_date_shows_today(client_as):
    party = person()
    client = client_as(Role.AGENT)

    for value in ("2999-01-01", "yesterday", "2026-02-30"):
        page = text(client.get(f"/customers/{party.pk}/", {"as_of": value}))
        assert 'id="as-of-banner"' not in page


def test_the_page_makes_a_bounded_number_of_queries(client_as, django_assert_max_num_queries):
    party = person(phone="601123456")
    for n in range(5):
        note_add(party=party, body=f"note {n}", by=None)
    client = client_as(Role.AGENT)
    client.get(f"/customers/{party.pk}/")  # the session and rights are loaded once

    for tab in ("overview", "contacts", "notes", "tasks", "history"):
        with django_assert_max_num_queries(20):
            text(client.get(f"/customers/{party.pk}/", {"tab": tab}))


def test_a_note_written_around_the_services_is_still_cleaned_when_shown(client_as):
    party = person()
    Note.objects.create(party=party, body='<p onclick="x()">hi</p><script>alert(1)</script>',
                        created_at=party.created_at)

    page = text(client_as(Role.AGENT).get(f"/customers/{party.pk}/", {"tab": "notes"}))

    assert "<script>alert(1)" not in page and "onclick" not in page
    assert '<div class="note-body"><p>hi</p></div>' in page


@pytest.mark.parametrize("key", ["overview", "contacts", "attributes", "hierarchy", "notes", "tasks", "history"])
def test_every_tab_opened_by_address_sits_once_inside_the_page(client_as, key):
    party = person()

    page = client_as(Role.ADMINISTRATOR).get(f"/customers/{party.pk}/", {"tab": key}).content.decode()

    assert page.count('class="shell-nav"') == 1
    assert page.count("<html") == 1
    assert 'aria-selected="true"' in page or 'class="nav-link active"' in page
