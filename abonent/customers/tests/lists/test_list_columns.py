import re

from abonent.core.models import ListLayout
from abonent.core.roles import Role
from abonent.customers.tests.factories import PartyFactory
from abonent.customers.tests.lists.pages import text

ALL = ["name", "kind", "country", "stage", "phone", "email", "tax_id", "sales_rep", "created"]


def headings(response) -> list[str]:
    page = response.content.decode()
    head = page.split('id="grid-table"', 1)[1].split("</thead>", 1)[0]
    return [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<th scope=\"col\"[^>]*>(.*?)</th>", head)]


def test_a_user_chooses_the_columns_and_keeps_them(client_as, make_user):
    PartyFactory()
    client = client_as(Role.AGENT)

    response = client.post("/customers/columns/", {"order": ALL, "col": ["phone", "name", "stage"],
                                                   "query": "stage=customer"})

    assert response["Location"] == "/customers/?stage=customer"
    assert headings(client.get("/customers/")) == ["Name", "Stage", "Phone"]
    client.force_login(make_user(Role.AGENT))
    assert headings(client.get("/customers/")) == [
        "Name", "Country", "Stage", "Phone", "E-mail", "Tax ID", "Sales rep", "Created"]


def test_moving_a_column_up_changes_the_order(client_as):
    PartyFactory()
    client = client_as(Role.AGENT)

    client.post("/customers/columns/", {"order": ALL, "col": ["name", "stage", "phone"], "move": "phone:up"})
    client.post("/customers/columns/", {"order": ["name", "phone", "stage"], "col": ["name", "stage", "phone"],
                                        "move": "name:down"})

    assert ListLayout.objects.get().columns == ["phone", "name", "stage"]
    assert headings(client.get("/customers/")) == ["Phone", "Name", "Stage"]


def test_default_columns_come_back_on_request(client_as):
    PartyFactory()
    client = client_as(Role.AGENT)
    client.post("/customers/columns/", {"order": ALL, "col": ["name"]})

    client.post("/customers/columns/", {"reset": "1"})

    assert not ListLayout.objects.exists()
    assert len(headings(client.get("/customers/"))) == 8


def test_a_list_without_columns_is_refused(client_as):
    PartyFactory()
    client = client_as(Role.AGENT)

    response = client.post("/customers/columns/", {"order": ALL, "col": []})

    assert "Keep at least one column." in text(client.get(response["Location"]))
    assert not ListLayout.objects.exists()


def test_unknown_columns_are_ignored(client_as):
    client = client_as(Role.AGENT)

    client.post("/customers/columns/", {"order": ["password", *ALL], "col": ["password", "name"]})

    assert ListLayout.objects.get().columns == ["name"]


def test_with_htmx_the_list_is_redrawn_in_place(client_as):
    PartyFactory()
    client = client_as(Role.AGENT)

    response = client.post("/customers/columns/", {"order": ALL, "col": ["name", "email"], "query": "cols=name&q=a"},
                           headers={"HX-Request": "true", "HX-Target": "grid"})

    assert response.status_code == 200
    assert response.content.decode().startswith('<div id="grid"')
    assert response["HX-Replace-Url"] == "/customers/?q=a"
