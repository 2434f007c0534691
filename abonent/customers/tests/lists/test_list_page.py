import re

from abonent.core.roles import Role
from abonent.customers.tests.factories import PartyFactory


def names_on(response) -> list[str]:
    assert response.status_code == 200
    body = response.content.decode().split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr><td>([^<]*)</td>", body)


def test_it_lists_customers_by_name(client_as):
    PartyFactory(name="Petr Svoboda")
    PartyFactory(name="Jana Nováková")

    response = client_as(Role.AGENT).get("/customers/")

    assert names_on(response) == ["Jana Nováková", "Petr Svoboda"]


def test_it_searches_by_part_of_the_name_in_any_case(client_as):
    PartyFactory(name="Petr Svoboda")
    PartyFactory(name="Jana Nováková")

    response = client_as(Role.AGENT).get("/customers/", {"q": "svob"})

    assert names_on(response) == ["Petr Svoboda"]
    assert 'value="svob"' in response.content.decode()


def test_it_searches_by_phone_e_mail_and_tax_id(client_as):
    client = client_as(Role.AGENT)
    PartyFactory(name="Petr Svoboda", phone="+420601123456", email="petr@example.cz")
    PartyFactory(name="Alfa s.r.o.", tax_id="25596641")

    assert names_on(client.get("/customers/", {"q": "601123"})) == ["Petr Svoboda"]
    assert names_on(client.get("/customers/", {"q": "petr@"})) == ["Petr Svoboda"]
    assert names_on(client.get("/customers/", {"q": "255966"})) == ["Alfa s.r.o."]


def test_it_says_when_nothing_matches(client_as):
    PartyFactory(name="Petr Svoboda")

    response = client_as(Role.AGENT).get("/customers/", {"q": "Kowalski"})

    assert names_on(response) == []
    assert "No customers match." in response.content.decode()


def test_it_pages_fifty_customers_at_a_time(client_as):
    client = client_as(Role.AGENT)
    for n in range(51):
        PartyFactory(name=f"Customer {n:02d}")

    first, second = client.get("/customers/"), client.get("/customers/", {"page": 2})

    assert len(names_on(first)) == 50
    assert names_on(second) == ["Customer 50"]


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
