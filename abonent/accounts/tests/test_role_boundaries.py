"""Who may open which back-office page: a table derived from the default rights, plus a few hard-coded rows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from abonent.accounts.rights import DEFAULT_RIGHTS
from abonent.core.roles import STAFF_ROLES, Access, Role

ANONYMOUS = "anonymous"
ROLES = [Role.CUSTOMER, Role.AGENT, Role.SALES_REP, Role.MANAGER, Role.ADMINISTRATOR, Role.SUPERADMIN]


def may(role: str, module: str, access: Access) -> bool:
    """What DEFAULT_RIGHTS promise: a super-administrator may do everything."""
    return role == Role.SUPERADMIN or DEFAULT_RIGHTS[role].get(module, Access.NONE) >= access


def module(name: str, access: Access = Access.READ) -> Callable[[str], bool]:
    return lambda role: may(role, name, access)


def staff(role: str) -> bool:
    return role in STAFF_ROLES


def signed_in(role: str) -> bool:
    return True


@dataclass(frozen=True)
class Page:
    label: str
    method: str
    path: str  # "{other}" stands for the id of another user
    allowed: Callable[[str], bool]


PAGES = [
    Page("home", "GET", "/", staff),
    Page("profile", "GET", "/accounts/profile/", staff),
    Page("users list", "GET", "/accounts/users/", module("accounts")),
    Page("user create", "GET", "/accounts/users/new/", module("accounts", Access.WRITE)),
    Page("user edit", "GET", "/accounts/users/{other}/", module("accounts", Access.WRITE)),
    Page("roles", "GET", "/accounts/roles/", module("accounts")),
    Page("roles", "POST", "/accounts/roles/", module("accounts", Access.WRITE)),
    Page("audit", "GET", "/audit/", module("audit")),
    Page("periods", "GET", "/settings/periods/", module("settings")),
    Page("periods", "POST", "/settings/periods/", module("settings", Access.WRITE)),
    Page("series list", "GET", "/settings/series/", module("settings")),
    Page("series new", "GET", "/settings/series/new/", module("settings", Access.WRITE)),
    Page("customers list", "GET", "/customers/", module("customers")),
]


def expected_status(page: Page, role: str) -> int:
    if role == ANONYMOUS:
        return 302
    # An allowed POST with an empty form re-renders the page with its errors.
    return 200 if page.allowed(role) else 403


TABLE = [
    pytest.param(page, role, expected_status(page, role), id=f"{page.label} {page.method} {role}")
    for page in PAGES
    for role in [*ROLES, ANONYMOUS]
]


def test_the_table_names_every_role():
    assert set(ROLES) == set(Role.values)
    assert set(DEFAULT_RIGHTS) | {Role.SUPERADMIN} == set(Role.values)


@pytest.mark.parametrize(("page", "role", "status"), TABLE)
def test_each_role_gets_what_its_default_rights_allow(client, make_user, page, role, status):
    other = make_user(Role.AGENT)
    if role != ANONYMOUS:
        client.force_login(make_user(role))
    path = page.path.format(other=other.pk)

    response = client.generic(page.method, path)

    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith("/accounts/login/?next=")


def test_an_agent_cannot_open_the_users_page(client_as):
    response = client_as(Role.AGENT).get("/accounts/users/")

    assert response.status_code == 403
    assert "You cannot open this page" in response.content.decode()


def test_a_manager_can_read_users_but_cannot_save_the_roles_page(client_as):
    client = client_as(Role.MANAGER)

    assert client.get("/accounts/users/").status_code == 200
    assert client.get("/accounts/roles/").status_code == 200
    assert client.post("/accounts/roles/", {"agent__billing": Access.WRITE}).status_code == 403
    assert client.get("/accounts/users/new/").status_code == 403


def test_a_customer_cannot_open_the_home_page(client_as):
    assert client_as(Role.CUSTOMER).get("/").status_code == 403


def test_a_sales_rep_may_open_customers_but_not_the_audit_log(client_as):
    client = client_as(Role.SALES_REP)

    assert client.get("/customers/").status_code == 200
    assert client.get("/audit/").status_code == 403


def test_an_administrator_may_close_periods_but_a_manager_may_not_even_see_them(client_as, make_user):
    admin_client = client_as(Role.ADMINISTRATOR)
    assert admin_client.get("/settings/periods/").status_code == 200

    admin_client.force_login(make_user(Role.MANAGER))
    assert admin_client.get("/settings/periods/").status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in_and_back(client):
    response = client.get("/accounts/users/?role=agent")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/accounts/users/%3Frole%3Dagent"


def test_a_deactivated_user_loses_the_pages_of_their_role(client, make_user):
    admin = make_user(Role.ADMINISTRATOR)
    client.force_login(admin)
    admin.is_active = False
    admin.save(update_fields=["is_active"])

    response = client.get("/accounts/users/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_menu_shows_only_the_modules_a_role_may_open(client_as):
    agent_page = client_as(Role.AGENT).get("/").content.decode()

    assert 'href="/customers/"' in agent_page
    assert 'href="/accounts/users/"' not in agent_page
    assert 'href="/audit/"' not in agent_page
