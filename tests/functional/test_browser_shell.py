"""Journeys through the back-office shell in a real Chromium: sign in, language, sign out, keyboard, rights."""

import re

import pytest
from playwright.sync_api import expect

from abonent.accounts.tests.factories import PASSWORD, UserFactory
from abonent.core.roles import Role

pytestmark = pytest.mark.browser


def sign_in(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


@pytest.fixture
def administrator(transactional_db):
    return UserFactory(role=Role.ADMINISTRATOR, username="admin", first_name="Alena", last_name="Nováková")


def test_an_administrator_signs_in_and_sees_the_home_page(page, shot, administrator):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    shot("sign-in-page")

    sign_in(page, "admin")

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("h1")).to_have_text("Good to see you, Alena")
    menu = page.get_by_role("navigation", name="Main menu")
    expect(menu.get_by_role("link", name=re.compile(r"\bCustomers$"))).to_be_visible()
    expect(page.locator("#user-menu")).to_contain_text("Alena")
    shot("home")


def test_the_language_menu_switches_the_interface_to_czech(page, shot, administrator):
    sign_in(page, "admin")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    shot("english")

    page.locator("#language-select").select_option("cs")

    expect(page.locator("html")).to_have_attribute("lang", "cs")
    nav = page.locator("nav.shell-nav")
    expect(nav.get_by_role("link", name="Zákazníci")).to_be_visible()
    expect(page.locator("#logout")).to_have_text("Odhlásit se")
    shot("czech")

    # The choice is the user's: it holds on the next page and in a new session.
    administrator.refresh_from_db()
    assert administrator.language == "cs"
    page.goto("/customers/")
    expect(page.locator("html")).to_have_attribute("lang", "cs")


def test_signing_out_through_the_user_menu_lands_on_the_sign_in_page(page, shot, administrator):
    sign_in(page, "admin")
    expect(page.locator("h1")).to_have_text("Good to see you, Alena")

    page.locator("#user-menu").click()
    expect(page.locator("#logout")).to_be_visible()
    shot("user-menu-open")
    page.locator("#logout").click()

    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    shot("signed-out")

    # Really signed out: the home page asks to sign in again.
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))


def test_tab_moves_from_user_name_to_password_to_the_sign_in_button(page, shot):
    page.goto("/accounts/login/")

    expect(page.get_by_label("User name")).to_be_focused()
    shot("focus-user-name")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password")).to_be_focused()
    shot("focus-password")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Sign in")).to_be_focused()
    shot("focus-sign-in")


def test_an_agent_opening_the_user_list_sees_the_403_page(page, shot, transactional_db):
    UserFactory(role=Role.AGENT, username="agent", first_name="Petr")
    sign_in(page, "agent")
    expect(page.locator("h1")).to_have_text("Good to see you, Petr")
    expect(page.get_by_role("link", name="Users and roles")).to_have_count(0)

    response = page.goto("/accounts/users/")

    assert response is not None
    assert response.status == 403
    expect(page.get_by_role("heading", name="You cannot open this page")).to_be_visible()
    shot("forbidden")
