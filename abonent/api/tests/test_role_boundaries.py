"""Who may call which API endpoint: the same module rights as the back office."""

from __future__ import annotations

import pytest

from abonent.accounts.rights import DEFAULT_RIGHTS
from abonent.accounts.services import right_set
from abonent.core.roles import Access, Role

ANONYMOUS = "anonymous"
ROLES = [Role.CUSTOMER, Role.AGENT, Role.SALES_REP, Role.MANAGER, Role.ADMINISTRATOR, Role.SUPERADMIN]

# path → the module read right it needs; None: any signed-in caller (it describes only the caller).
# Paths with parameters, and the writes, are in their own module's table (test_customers_api.CALLS).
ENDPOINTS = {"/api/me": None, "/api/users": "accounts", "/api/audit": "audit", "/api/customers": "customers"}


def expected_status(module: str | None, role: str) -> int:
    if role == ANONYMOUS:
        return 401
    if module is None or role == Role.SUPERADMIN:
        return 200
    return 200 if DEFAULT_RIGHTS[role].get(module, Access.NONE) >= Access.READ else 403


TABLE = [
    pytest.param(path, role, expected_status(module, role), id=f"{path} {role}")
    for path, module in ENDPOINTS.items()
    for role in [*ROLES, ANONYMOUS]
]


def test_the_table_names_every_role_and_every_endpoint(client):
    schema = client.get("/api/openapi.json").json()

    assert set(ROLES) == set(Role.values)
    assert {path for path in schema["paths"] if "{" not in path} == set(ENDPOINTS)


@pytest.mark.parametrize(("path", "role", "status"), TABLE)
def test_a_token_gets_what_the_default_rights_of_its_role_allow(client, bearer, path, role, status):
    headers = {} if role == ANONYMOUS else bearer(role)[1]

    response = client.get(path, headers=headers)

    assert response.status_code == status


@pytest.mark.parametrize(("path", "role", "status"), TABLE)
def test_a_browser_session_gets_the_same_answers_as_a_token(client, make_user, path, role, status):
    if role != ANONYMOUS:
        client.force_login(make_user(role))

    response = client.get(path)

    assert response.status_code == status


def test_an_agent_token_is_refused_the_user_list(client, bearer):
    _agent, headers = bearer(Role.AGENT)

    response = client.get("/api/users", headers=headers)

    assert response.status_code == 403
    assert response.json() == {"detail": "You do not have the right to do this."}


def test_a_manager_token_may_read_users_and_the_audit_log(client, bearer):
    _manager, headers = bearer(Role.MANAGER)

    assert client.get("/api/users", headers=headers).status_code == 200
    assert client.get("/api/audit", headers=headers).status_code == 200


def test_a_call_without_credentials_is_unauthorised(client):
    response = client.get("/api/users")

    assert response.status_code == 401


def test_a_right_granted_on_the_roles_page_opens_the_endpoint(client, bearer, make_user):
    _agent, headers = bearer(Role.AGENT)
    assert client.get("/api/audit", headers=headers).status_code == 403

    right_set(by=make_user(Role.SUPERADMIN), role=Role.AGENT, module="audit", access=Access.READ)

    assert client.get("/api/audit", headers=headers).status_code == 200
