import re
from html import unescape

from abonent.core.roles import Role
from abonent.customers.lists import CUSTOMERS
from abonent.customers.models import Stage
from abonent.customers.tests.factories import PartyFactory
from abonent.customers.tests.lists.pages import names_on


def tree(response) -> list[tuple[str, str, str]]:
    """(label, count, address) of each link in the group tree, top to bottom."""
    page = response.content.decode()
    assert 'class="grid-tree"' in page
    area = page.split('class="grid-tree"', 1)[1].split("</nav>", 1)[0]
    return [
        (unescape(label), count, unescape(href))
        for href, label, count in re.findall(
            r'<a href="([^"]*)"[^>]*><span>([^<]*)</span><span class="count">(\d+)</span></a>', area)
    ]


def test_grouping_by_stage_shows_each_stage_with_its_count(client_as):
    PartyFactory.create_batch(2, stage=Stage.LEAD)
    PartyFactory(stage=Stage.FORMER)

    response = client_as(Role.AGENT).get("/customers/?group=stage")

    assert [(label, count) for label, count, _href in tree(response)] == [
        ("All", "3"), ("Lead", "2"), ("Former customer", "1")]


def test_clicking_a_group_filters_the_list_to_it_and_keeps_the_tree(client_as):
    PartyFactory(name="A lead", stage=Stage.LEAD)
    PartyFactory(name="A customer", stage=Stage.CUSTOMER)
    client = client_as(Role.AGENT)
    lead = next(href for label, _count, href in tree(client.get("/customers/?group=stage")) if label == "Lead")

    response = client.get(lead)

    assert lead == "/customers/?stage=lead&group=stage"
    assert names_on(response) == ["A lead"]
    assert [label for label, _count, _href in tree(response)] == ["All", "Lead", "Customer"]
    assert 'class="active" aria-current="true"><span>Lead</span>' in response.content.decode()


def test_grouping_by_stage_then_sales_rep_nests_the_reps(client_as, make_user):
    radek = make_user(Role.SALES_REP, first_name="Radek", last_name="Černý")
    PartyFactory.create_batch(2, stage=Stage.CUSTOMER, sales_rep=radek)
    PartyFactory(stage=Stage.CUSTOMER, sales_rep=None)
    PartyFactory(stage=Stage.LEAD, sales_rep=radek)
    client = client_as(Role.AGENT)

    response = client.get("/customers/?group=stage&group=rep")

    assert tree(response) == [
        ("All", "4", "/customers/?group=stage&group=rep"),
        ("Lead", "1", "/customers/?stage=lead&group=stage&group=rep"),
        ("Radek Černý", "1", f"/customers/?stage=lead&rep={radek.pk}&group=stage&group=rep"),
        ("Customer", "3", "/customers/?stage=customer&group=stage&group=rep"),
        ("Radek Černý", "2", f"/customers/?stage=customer&rep={radek.pk}&group=stage&group=rep"),
        ("No sales rep", "1", "/customers/?stage=customer&rep=none&group=stage&group=rep"),
    ]
    assert len(names_on(client.get("/customers/?stage=customer&rep=none&group=stage&group=rep"))) == 1


def test_countries_are_named_in_the_users_language_in_dictionary_order(client_as):
    for country in ("RU", "CZ", "PL"):
        PartyFactory(country=country)
    client = client_as(Role.AGENT, language="cs")

    assert [label for label, _c, _h in tree(client.get("/customers/?group=country"))][1:] == [
        "Česko", "Polsko", "Rusko"]


def test_a_group_by_field_that_is_not_declared_is_ignored_with_a_notice(client_as):
    PartyFactory()

    page = client_as(Role.AGENT).get("/customers/?group=email").content.decode()

    assert "The list cannot be grouped by “email”." in page
    assert 'class="grid-tree"' not in page


def test_a_big_tree_says_its_counts_are_estimates_and_offers_exact_ones(client_as, monkeypatch):
    # A tiny limit and sample stand for the real 100,000 and 50,000 rows.
    monkeypatch.setattr(CUSTOMERS, "group_exact_limit", 10)
    monkeypatch.setattr(CUSTOMERS, "group_sample", 20)
    PartyFactory.create_batch(30, stage=Stage.CUSTOMER)
    PartyFactory.create_batch(10, stage=Stage.LEAD)
    client = client_as(Role.AGENT)

    estimated = client.get("/customers/?group=stage").content.decode()
    exact = client.get("/customers/?group=stage&count=exact")

    assert 'class="grid-tree-estimate' in estimated and "≈" in estimated
    assert 'href="/customers/?group=stage&amp;count=exact"' in estimated
    assert [(label, count) for label, count, _href in tree(exact)] == [("All", "40"), ("Lead", "10"),
                                                                        ("Customer", "30")]
