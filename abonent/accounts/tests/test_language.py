"""The interface language: chosen by the user, remembered on their account, else the browser's."""

import re

import pytest

from abonent.core.roles import Role


def _html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def test_a_user_who_picks_czech_gets_the_next_page_in_czech(client_as):
    client = client_as(Role.AGENT)

    response = client.post("/accounts/language/", {"language": "cs", "next": "/accounts/profile/"})

    assert response["Location"] == "/accounts/profile/"
    client.user.refresh_from_db()
    assert client.user.language == "cs"
    page = client.get("/accounts/profile/")
    assert page.headers["Content-Language"] == "cs"
    assert _html_lang(page) == "cs"


def test_the_choice_follows_the_user_to_another_browser(client, make_user):
    user = make_user(Role.AGENT)
    client.force_login(user)
    client.post("/accounts/language/", {"language": "pl", "next": "/"})

    client.cookies.clear()
    client.force_login(user)

    assert client.get("/").headers["Content-Language"] == "pl"


def test_the_users_choice_wins_over_the_browsers(client, make_user):
    client.force_login(make_user(Role.AGENT, language="ro"))

    response = client.get("/", headers={"Accept-Language": "ru"})

    assert response.headers["Content-Language"] == "ro"
    assert "Accept-Language" in response.headers["Vary"]


def test_without_a_choice_the_browsers_language_is_used(client):
    response = client.get("/accounts/login/", headers={"Accept-Language": "ru,en;q=0.5"})

    assert response.headers["Content-Language"] == "ru"
    assert _html_lang(response) == "ru"


def test_a_visitor_who_is_not_signed_in_may_switch_the_login_page(client):
    response = client.post("/accounts/language/", {"language": "cs", "next": "/accounts/login/"})

    assert response["Location"] == "/accounts/login/"
    assert client.get("/accounts/login/").headers["Content-Language"] == "cs"


@pytest.mark.parametrize("unsafe", ["http://evil.example/", "//evil.example/", "https://evil.example/accounts/"])
def test_a_next_page_on_another_site_is_ignored(client_as, unsafe):
    client = client_as(Role.AGENT)

    response = client.post("/accounts/language/", {"language": "cs", "next": unsafe})

    assert response["Location"] == "/"
    client.user.refresh_from_db()
    assert client.user.language == "cs"


def test_a_language_we_do_not_offer_changes_nothing(client_as):
    client = client_as(Role.AGENT, language="pl")

    client.post("/accounts/language/", {"language": "de", "next": "/"})

    client.user.refresh_from_db()
    assert client.user.language == "pl"
    assert client.get("/").headers["Content-Language"] == "pl"


def test_switching_the_language_takes_a_post(client_as):
    assert client_as(Role.AGENT).get("/accounts/language/?language=cs").status_code == 405


def test_the_profile_speaks_czech_when_the_czech_catalogue_is_compiled(client_as, settings):
    if not (settings.BASE_DIR / "abonent/locale/cs/LC_MESSAGES/django.mo").exists():
        pytest.skip("translations are not compiled (manage.py compiletranslations)")
    client = client_as(Role.AGENT)
    client.post("/accounts/language/", {"language": "cs", "next": "/accounts/profile/"})

    page = client.get("/accounts/profile/").content.decode()

    assert "Můj profil" in page
    assert "My profile" not in page
