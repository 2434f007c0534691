import re

from abonent.core.roles import Role


def menu_of(response) -> list[str]:
    assert response.status_code == 200
    nav = response.content.decode().split('class="shell-nav"', 1)[1].split("</nav>", 1)[0]
    return [label.strip() for label in re.findall(r'class="nav-link[^"]*" href="[^"]*"><i [^>]*></i>([^<]*)</a>', nav)]


def test_an_agent_sees_the_modules_of_their_role_and_no_administration(client_as):
    menu = menu_of(client_as(Role.AGENT).get("/"))

    assert "Customers" in menu
    assert "Audit log" not in menu
    assert "Document series" not in menu


def test_an_administrator_sees_the_administration_pages(client_as):
    menu = menu_of(client_as(Role.ADMINISTRATOR).get("/"))

    assert {"Customers", "Audit log", "Closed periods", "Document series"} <= set(menu)


def test_the_star_is_filled_on_a_pinned_page(client_as):
    client = client_as(Role.AGENT)
    assert "bi-star-fill" not in client.get("/customers/").content.decode().split("shell-top", 1)[1]

    client.post("/favourites/", {"url": "/customers/", "title": "Customers"})

    header = client.get("/customers/").content.decode().split("shell-top", 1)[1]
    assert "Remove from my favourites" in header
    assert "bi-star-fill" in header


def test_a_portal_customer_cannot_open_the_back_office(client_as):
    assert client_as(Role.CUSTOMER).get("/").status_code == 403


def test_an_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"
