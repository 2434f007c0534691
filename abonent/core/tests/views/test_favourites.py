import re

import pytest
from django.test import Client

from abonent.core.models import Favourite
from abonent.core.roles import Role


def sidebar_favourites(response) -> list[tuple[str, str]]:
    """(address, title) of each link in the "my favourites" area of the page."""
    assert response.status_code == 200
    area = response.content.decode().split('id="favourites"', 1)[1].split("</ul>", 1)[0]
    return [(url, title.strip()) for url, title in re.findall(r'<a class="nav-link" href="([^"]*)">.*?</i>([^<]*)</a>',
                                                              area)]


def test_pinning_a_page_shows_it_in_the_sidebar_of_the_next_page(client_as):
    # given
    client = client_as(Role.AGENT)

    # when
    response = client.post("/favourites/", {"url": "/customers/?q=Nov", "title": "Customers"})

    # then the user goes back to the page, and every page lists the pin
    assert response.status_code == 302
    assert response["Location"] == "/customers/?q=Nov"
    assert sidebar_favourites(client.get("/")) == [("/customers/?q=Nov", "Customers")]


def test_pinning_a_pinned_page_again_unpins_it(client_as):
    client = client_as(Role.AGENT)
    client.post("/favourites/", {"url": "/customers/", "title": "Customers"})

    client.post("/favourites/", {"url": "/customers/", "title": "Customers"})

    assert not Favourite.objects.exists()
    assert sidebar_favourites(client.get("/")) == []


def test_pins_are_listed_in_the_order_they_were_made(client_as):
    client = client_as(Role.AGENT)
    client.post("/favourites/", {"url": "/customers/", "title": "Customers"})
    client.post("/favourites/", {"url": "/customers/?q=a", "title": "Customers A"})

    assert sidebar_favourites(client.get("/")) == [("/customers/", "Customers"), ("/customers/?q=a", "Customers A")]


def test_a_pin_without_a_title_is_named_by_its_address(client_as):
    client = client_as(Role.AGENT)

    client.post("/favourites/", {"url": "/customers/"})

    assert Favourite.objects.get().title == "/customers/"


def test_pins_belong_to_the_user_who_made_them(client_as, make_user):
    client = client_as(Role.AGENT)
    client.post("/favourites/", {"url": "/customers/", "title": "Customers"})

    client.force_login(make_user(Role.AGENT))

    assert sidebar_favourites(client.get("/")) == []


def test_an_htmx_request_gets_a_refresh_instead_of_a_redirect(client_as):
    client = client_as(Role.AGENT)

    response = client.post("/favourites/", {"url": "/customers/", "title": "Customers"}, headers={"HX-Request": "true"})

    assert response.status_code == 204
    assert response["HX-Refresh"] == "true"
    assert Favourite.objects.count() == 1


@pytest.mark.parametrize("url", [
    "customers/", "//evil.example/", "https://evil.example/", "/\\evil.example/", "\\\\evil.example", "",
    "javascript:alert(1)",
])
def test_an_address_outside_the_site_is_refused(client_as, url):
    client = client_as(Role.AGENT)

    response = client.post("/favourites/", {"url": url, "title": "Evil"})

    assert response.status_code == 400
    assert not Favourite.objects.exists()


def test_a_pin_needs_a_csrf_token(make_user):
    # given a browser-like client that enforces CSRF, signed in
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user(Role.AGENT))

    # when it posts without the token
    refused = client.post("/favourites/", {"url": "/customers/", "title": "Customers"})

    # then nothing is pinned; with the token from a page it works
    assert refused.status_code == 403
    assert not Favourite.objects.exists()
    client.get("/")
    token = client.cookies["csrftoken"].value
    accepted = client.post("/favourites/", {"url": "/customers/", "title": "Customers", "csrfmiddlewaretoken": token})
    assert accepted.status_code == 302
    assert Favourite.objects.count() == 1


def test_pinning_needs_a_post(client_as):
    assert client_as(Role.AGENT).get("/favourites/", {"url": "/customers/"}).status_code == 405


def test_a_portal_customer_cannot_pin_back_office_pages(client_as):
    response = client_as(Role.CUSTOMER).post("/favourites/", {"url": "/customers/", "title": "Customers"})

    assert response.status_code == 403
    assert not Favourite.objects.exists()


def test_an_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.post("/favourites/", {"url": "/customers/", "title": "Customers"})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not Favourite.objects.exists()
