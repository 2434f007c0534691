"""How callers prove who they are: Bearer tokens, or the browser session of a signed-in user."""

import datetime as dt
import re

import pytest
from django.test import Client

from abonent.accounts.models import ApiToken
from abonent.accounts.services import api_token_authenticate, api_token_create, api_token_revoke
from abonent.accounts.tests.factories import PASSWORD, totp_device
from abonent.core.roles import Role


def test_a_bearer_token_identifies_its_user(client, bearer):
    user, headers = bearer(Role.SALES_REP, first_name="Petr", last_name="Novák", language="cs")

    response = client.get("/api/me", headers=headers)

    assert response.status_code == 200
    body = response.json()
    assert body["username"] == user.username
    assert body["full_name"] == "Petr Novák"
    assert body["role"] == "sales_rep"
    assert body["language"] == "cs"
    assert body["modules"]["customers"] == "write"
    assert body["modules"]["callcenter"] == "read"
    assert body["modules"]["audit"] == "none"


def test_a_revoked_token_is_unauthorised(client, bearer):
    user, headers = bearer(Role.MANAGER)
    api_token_revoke(by=user, token=user.api_tokens.get())

    assert client.get("/api/me", headers=headers).status_code == 401


def test_the_token_of_a_deactivated_user_is_unauthorised(client, bearer):
    user, headers = bearer(Role.MANAGER)
    user.is_active = False
    user.save(update_fields=["is_active"])

    assert client.get("/api/me", headers=headers).status_code == 401


@pytest.mark.parametrize("header", [
    "Bearer abn_not-a-real-token",
    "Bearer not-even-our-format",
    "Basic dXNlcjpwYXNz",
    "Bearer",
])
def test_a_made_up_or_malformed_credential_is_unauthorised(client, header):
    assert client.get("/api/me", headers={"Authorization": header}).status_code == 401


def test_a_token_is_stored_only_as_its_sha256_digest(make_user):
    user = make_user(Role.AGENT)

    token, secret = api_token_create(user=user, name="PBX")

    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert stored["digest"] == ApiToken.digest_of(secret)
    assert len(stored["digest"]) == 64
    assert secret not in {str(v) for v in stored.values()}
    assert secret.startswith(stored["prefix"])
    assert api_token_authenticate(secret=secret) == user


def test_a_token_remembers_when_it_was_last_used_at_minute_precision(make_user):
    user = make_user(Role.AGENT)
    token, secret = api_token_create(user=user, name="PBX")
    first = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)

    api_token_authenticate(secret=secret, now=first)
    api_token_authenticate(secret=secret, now=first + dt.timedelta(seconds=30))
    token.refresh_from_db()
    assert token.last_used_at == first

    api_token_authenticate(secret=secret, now=first + dt.timedelta(minutes=2))
    token.refresh_from_db()
    assert token.last_used_at == first + dt.timedelta(minutes=2)


def test_a_signed_in_browser_session_may_call_the_api(client, make_user):
    manager = make_user(Role.MANAGER)
    client.force_login(manager)

    response = client.get("/api/me")

    assert response.status_code == 200
    assert response.json()["username"] == manager.username


def test_a_session_that_still_owes_the_second_factor_cannot_call_the_api(client, make_user):
    manager = make_user(Role.MANAGER)
    totp_device(manager)
    client.post("/accounts/login/", {"username": manager.username, "password": PASSWORD})
    assert client.get("/")["Location"].startswith("/accounts/two-factor/verify/")

    assert client.get("/api/users").status_code == 401
    assert client.get("/api/me").status_code == 401


def test_with_two_factor_required_an_unenrolled_administrator_session_cannot_call_the_api(
    client, make_user, settings
):
    settings.ABONENT_REQUIRE_2FA = True
    admin = make_user(Role.ADMINISTRATOR)
    client.post("/accounts/login/", {"username": admin.username, "password": PASSWORD})

    assert client.get("/api/users").status_code == 401


def test_a_token_does_not_ask_for_the_second_factor(client, bearer):
    user, headers = bearer(Role.MANAGER)
    totp_device(user)

    assert client.get("/api/users", headers=headers).status_code == 200


def test_unsafe_calls_with_a_session_need_the_csrf_token(make_user):
    schema = Client().get("/api/openapi.json").json()
    unsafe = [
        (path, method) for path, operations in schema["paths"].items()
        for method in operations if method in {"post", "put", "patch", "delete"}
    ]
    if not unsafe:
        pytest.skip("the API has no unsafe endpoint yet")
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user(Role.SUPERADMIN))

    for path, method in unsafe:
        # The CSRF check comes before the record is looked up: any id will do.
        url = re.sub(r"\{\w+\}", "1", path)
        response = client.generic(method.upper(), url, "{}", content_type="application/json")
        assert response.status_code in {401, 403}, (method, path)


def test_a_revoked_token_is_refused_even_from_a_browser_with_a_session(client, bearer):
    user, headers = bearer(Role.MANAGER)
    client.force_login(user)
    api_token_revoke(by=user, token=user.api_tokens.get())

    assert client.get("/api/me", headers=headers).status_code == 401
    assert client.get("/api/me").status_code == 200
