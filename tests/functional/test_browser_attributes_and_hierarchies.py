"""The Attributes and Hierarchy tabs and the tree, in a real Chromium, driven from the keyboard."""


import pytest
from django.utils import timezone
from playwright.sync_api import expect

from abonent.accounts.tests.factories import UserFactory
from abonent.core.roles import Role
from abonent.customers.models import AttributeValue, NodeMembership
from abonent.customers.tests.attributes.factories import AttributeChoiceFactory, AttributeDefinitionFactory
from abonent.customers.tests.factories import PartyFactory
from abonent.customers.tests.hierarchies.factories import StructureFactory, tree
from tests.functional.signing import sign_in

pytestmark = pytest.mark.browser


def test_an_agent_changes_a_value_from_the_keyboard_and_sees_it_in_the_history(page, shot, transactional_db):
    UserFactory(role=Role.AGENT, username="agent")
    segment = AttributeDefinitionFactory(code="segment", type="choice", label={"en": "Segment"})
    AttributeChoiceFactory(definition=segment, code="retail", label={"en": "Retail"})
    AttributeChoiceFactory(definition=segment, code="vip", label={"en": "VIP"})
    party = PartyFactory(name="Eva Klávesová")
    sign_in(page, "agent")
    page.goto(f"/customers/{party.pk}/attributes/")

    page.get_by_role("link", name="Change Segment").focus()
    page.keyboard.press("Enter")
    value = page.locator("#attributes-tab select[name=value]")
    expect(value).to_be_focused()
    value.select_option("vip")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # Save

    expect(page.locator("#attributes-tab .alert-success")).to_contain_text("“Segment” is saved")
    expect(page.locator("#attribute-values")).to_contain_text("VIP")
    shot("saved")
    assert AttributeValue.objects.get(party=party).active_from == timezone.localdate()


def test_an_administrator_opens_the_tree_lazily_and_finds_a_node(page, shot, transactional_db):
    UserFactory(role=Role.ADMINISTRATOR, username="admin")
    structure = StructureFactory(name="Organisation")
    tree(structure, {"Prague": {"Sales": {"Team A": {}}}, "Brno": {}})
    sign_in(page, "admin")
    page.goto(f"/customers/structures/{structure.pk}/")
    expect(page.get_by_role("link", name="Sales")).to_have_count(0)

    page.locator("summary", has_text="Prague").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Sales")).to_be_visible()
    page.get_by_role("link", name="Sales").click()
    expect(page.locator("#node-panel-title")).to_have_text("Sales")
    shot("branch-open")

    page.get_by_label("Find a node by name").fill("team")
    expect(page.locator("#tree-search-results")).to_contain_text("in Prague › Sales")
    shot("search")


def test_an_agent_places_a_customer_by_searching_for_the_node(page, shot, transactional_db):
    UserFactory(role=Role.AGENT, username="agent")
    structure = StructureFactory(name="Billing")
    nodes = tree(structure, {"Head office pays": {}, "Branch pays": {}})
    party = PartyFactory(name="Firma s.r.o.")
    sign_in(page, "agent")
    page.goto(f"/customers/{party.pk}/hierarchy/")

    page.get_by_role("link", name="Place (Billing)").click()
    page.get_by_label("Find a node of Billing").fill("head")
    page.get_by_label("Head office pays").check()
    shot("choosing")
    page.get_by_role("button", name="Save").click()

    expect(page.locator("#hierarchy-tab .alert-success")).to_have_text("Placed in “Head office pays” from "
                                                                   + timezone.localdate().strftime("%d/%m/%Y") + ".")
    membership = NodeMembership.objects.get(party=party)
    assert membership.node == nodes["Head office pays"]
    assert membership.active_from == timezone.localdate()
