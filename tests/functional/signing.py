"""Signing in through the login page, as every browser test starts."""

import re

from playwright.sync_api import expect

from abonent.accounts.tests.factories import PASSWORD


def sign_in(page, username: str) -> None:
    """Sign in with the factories' password and wait until the login page is left behind."""
    page.goto("/accounts/login/")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
