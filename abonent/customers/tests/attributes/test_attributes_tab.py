import datetime as dt

import pytest
import time_machine

from abonent.accounts.models import RoleRight
from abonent.core.models import AuditEntry, Channel
from abonent.core.roles import Access, Role
from abonent.customers.attribute_services import attribute_set
from abonent.customers.attribute_views import attributes_tab
from abonent.customers.models import AttributeType, AttributeValue
from abonent.customers.tests.attributes.factories import AttributeChoiceFactory, AttributeDefinitionFactory
from abonent.customers.tests.factories import PartyFactory

TODAY = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
JAN = dt.date(2026, 1, 1)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def segment(db):
    definition = AttributeDefinitionFactory(code="segment", type=AttributeType.CHOICE, label={"en": "Segment"})
    AttributeChoiceFactory(definition=definition, code="retail", label={"en": "Retail", "cs": "Maloobchod"})
    AttributeChoiceFactory(definition=definition, code="vip", label={"en": "VIP"})
    return definition


def test_the_tab_shows_todays_values_and_their_history(client_as, make_user, segment):
    party = PartyFactory()
    attribute_set(party=party, definition=segment, value="retail", active_from=JAN, by=make_user(), now=TODAY)
    attribute_set(party=party, definition=segment, value="vip", active_from=dt.date(2026, 3, 1), by=make_user(),
                  now=TODAY)

    page = client_as(Role.AGENT).get(f"/customers/{party.pk}/attributes/").content.decode()

    values = page.split('id="attribute-values"', 1)[1].split("</table>", 1)[0]
    history = page.split('id="attribute-history"', 1)[1].split("</table>", 1)[0]
    assert "VIP" in values and "Retail" not in values
    assert history.index("VIP") < history.index("Retail")


def test_the_tab_shows_a_past_day_read_only(client_as, make_user, segment):
    party = PartyFactory()
    attribute_set(party=party, definition=segment, value="retail", active_from=JAN, by=make_user(), now=TODAY)
    attribute_set(party=party, definition=segment, value="vip", active_from=dt.date(2026, 3, 1), by=make_user(),
                  now=TODAY)

    page = client_as(Role.AGENT).get(f"/customers/{party.pk}/attributes/", {"as_of": "2026-02-15"}).content.decode()

    values = page.split('id="attribute-values"', 1)[1].split("</table>", 1)[0]
    assert "Retail" in values and "VIP" not in values
    assert "Change" not in values
    assert "15 Feb 2026" in page


def test_the_tab_speaks_the_users_language(client_as, make_user, segment):
    party = PartyFactory()
    attribute_set(party=party, definition=segment, value="retail", active_from=JAN, by=make_user(), now=TODAY)

    page = client_as(Role.AGENT, language="cs").get(f"/customers/{party.pk}/attributes/",
                                                    HTTP_ACCEPT_LANGUAGE="cs").content.decode()

    assert "Maloobchod" in page


def test_an_htmx_request_gets_the_fragment_alone(client_as, segment):
    party = PartyFactory()

    response = client_as(Role.AGENT).get(f"/customers/{party.pk}/attributes/", HTTP_HX_REQUEST="true")

    body = response.content.decode()
    assert body.lstrip().startswith('<section id="attributes-tab"')
    assert "<html" not in body


def test_the_tab_function_renders_for_a_party_it_is_given(rf, make_user, segment):
    # The customer page calls attributes_tab(request, party) for its tab.
    request = rf.get("/customers/1/", HTTP_HX_REQUEST="true")
    request.user = make_user(Role.AGENT)
    request.htmx = True
    party = PartyFactory(name="Eva Tabová")

    response = attributes_tab(request, party)

    assert response.status_code == 200
    assert "Segment" in response.content.decode()


def test_an_agent_sets_a_value_from_a_day_and_it_is_audited_as_ui(client_as, segment):
    client = client_as(Role.AGENT)
    party = PartyFactory()

    response = client.post(f"/customers/{party.pk}/attributes/segment/",
                           {"value": "vip", "active_from": "2026-04-01"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert "is saved, effective from 01/04/2026" in response.content.decode()
    row = AttributeValue.objects.get(party=party)
    assert (row.choice.code, row.active_from, row.active_to) == ("vip", dt.date(2026, 4, 1), None)
    entry = AuditEntry.objects.get(action="abonent.customers.attribute.set")
    assert (entry.actor, entry.channel, entry.changes) == (client.user, Channel.UI, {"segment": [None, "vip"]})


def test_without_htmx_a_saved_value_leads_back_to_the_tab(client_as, segment):
    party = PartyFactory()

    response = client_as(Role.AGENT).post(f"/customers/{party.pk}/attributes/segment/",
                                          {"value": "vip", "active_from": "2026-04-01"})

    assert response.status_code == 302
    assert response["Location"] == f"/customers/{party.pk}/attributes/"


def test_a_wrong_value_is_shown_beside_the_field_and_nothing_is_saved(client_as):
    AttributeDefinitionFactory(code="limit", type=AttributeType.NUMBER)
    party = PartyFactory()

    response = client_as(Role.AGENT).post(f"/customers/{party.pk}/attributes/limit/",
                                          {"value": "a lot", "active_from": "2026-04-01"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert "“a lot” is not a number." in response.content.decode()
    assert not AttributeValue.objects.exists()


def test_ending_a_value_closes_it_on_the_day(client_as, make_user, segment):
    party = PartyFactory()
    attribute_set(party=party, definition=segment, value="retail", active_from=JAN, by=make_user(), now=TODAY)

    client_as(Role.AGENT).post(f"/customers/{party.pk}/attributes/segment/",
                               {"clear": "", "active_from": "2026-03-02"})

    assert AttributeValue.objects.get(party=party).active_to == dt.date(2026, 3, 2)


def test_a_multilingual_text_is_typed_per_language(client_as):
    AttributeDefinitionFactory(code="greeting", multilingual=True)
    party = PartyFactory()

    client_as(Role.AGENT).post(f"/customers/{party.pk}/attributes/greeting/", {
        "value": "Hello", "value_cs": "Dobrý den", "value_pl": "", "active_from": "2026-03-02",
    })

    row = AttributeValue.objects.get(party=party)
    assert (row.text, row.text_translations) == ("Hello", {"cs": "Dobrý den"})


def test_values_are_escaped(client_as, make_user):
    definition = AttributeDefinitionFactory(code="note", label={"en": "<b>Note</b>"})
    party = PartyFactory()
    attribute_set(party=party, definition=definition, value="<script>alert(1)</script>", active_from=JAN,
                  by=make_user(), now=TODAY)

    page = client_as(Role.AGENT).get(f"/customers/{party.pk}/attributes/").content.decode()

    assert "<script>alert(1)" not in page and "<b>Note</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_role_with_read_only_access_sees_values_but_cannot_change_them(client_as, segment):
    RoleRight.objects.filter(role=Role.AGENT, module="customers").update(access=Access.READ)
    client = client_as(Role.AGENT)
    party = PartyFactory()

    page = client.get(f"/customers/{party.pk}/attributes/")
    refused = client.post(f"/customers/{party.pk}/attributes/segment/", {"value": "vip", "active_from": "2026-04-01"})

    assert page.status_code == 200
    assert "Change" not in page.content.decode().split('id="attribute-values"', 1)[1].split("</table>", 1)[0]
    assert refused.status_code == 403
    assert not AttributeValue.objects.exists()


def test_a_portal_customer_is_refused(client_as, segment):
    client = client_as(Role.CUSTOMER)
    party = PartyFactory()

    assert client.get(f"/customers/{party.pk}/attributes/").status_code == 403
    assert client.post(f"/customers/{party.pk}/attributes/segment/",
                       {"value": "vip", "active_from": "2026-04-01"}).status_code == 403


def test_the_tab_needs_a_fixed_number_of_queries(client_as, make_user, django_assert_max_num_queries):
    client = client_as(Role.AGENT)
    party = PartyFactory()
    for n in range(12):
        choice = AttributeChoiceFactory(code="x", definition__code=f"a{n}")
        attribute_set(party=party, definition=choice.definition, value="x", active_from=JAN, by=make_user(), now=TODAY)

    # 12, and two for the balance billing shows in the page's header (agents may read billing)
    with django_assert_max_num_queries(14):
        assert client.get(f"/customers/{party.pk}/attributes/").status_code == 200
