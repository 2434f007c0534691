"""The profile page: API tokens a user creates for their integrations."""

import re

from django.contrib.sessions.models import Session

from abonent.accounts.models import ApiToken
from abonent.core.models import AuditEntry
from abonent.core.roles import Role

SECRET = re.compile(r'<code id="new-token"[^>]*>(abn_[^<]+)</code>')


def _create_token(client, name="PBX"):
    response = client.post("/accounts/profile/tokens/", {"name": name}, follow=True)
    match = SECRET.search(response.content.decode())
    assert match, "the new secret is not shown"
    return match.group(1)


def test_the_profile_shows_who_the_user_is(client_as):
    client = client_as(Role.SALES_REP, first_name="Jana", last_name="Dvořáková")

    page = client.get("/accounts/profile/").content.decode()

    assert "Jana Dvořáková" in page
    assert "Sales rep" in page


def test_a_new_token_is_shown_once_and_works_as_a_bearer_token(client_as):
    client = client_as(Role.MANAGER)

    secret = _create_token(client)

    assert "abn_" not in client.get("/accounts/profile/").content.decode().replace(secret[:12], "")
    assert SECRET.search(client.get("/accounts/profile/").content.decode()) is None
    response = client.get("/api/me", headers={"Authorization": f"Bearer {secret}"})
    assert response.json()["username"] == client.user.username


def test_a_new_token_is_audited_and_listed_by_its_prefix(client_as):
    client = client_as(Role.AGENT)

    secret = _create_token(client, name="Click to call")

    token = ApiToken.objects.get(user=client.user)
    assert token.name == "Click to call"
    assert AuditEntry.objects.filter(action="abonent.accounts.api_token.created", target_id=str(token.pk)).exists()
    page = client.get("/accounts/profile/").content.decode()
    assert f"<code>{secret[:12]}…</code>" in page


def test_the_secret_is_stored_nowhere_in_the_database(client_as):
    client = client_as(Role.AGENT)

    response = client.post("/accounts/profile/tokens/", {"name": "PBX"})

    secret = SECRET.search(response.content.decode()).group(1)
    assert response["Cache-Control"] == "no-store"

    token = ApiToken.objects.get(user=client.user)
    assert token.digest == ApiToken.digest_of(secret)
    assert secret not in {str(value) for value in ApiToken.objects.values().get().values()}
    for session in Session.objects.all():
        assert secret not in str(session.get_decoded())
    assert not AuditEntry.objects.filter(changes__icontains=secret[12:]).exists()


def test_a_token_needs_a_name(client_as):
    client = client_as(Role.AGENT)

    response = client.post("/accounts/profile/tokens/", {"name": ""}, follow=True)

    assert "Give the token a name." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_a_revoked_token_stops_working_and_leaves_the_list(client_as):
    client = client_as(Role.MANAGER)
    secret = _create_token(client)
    token = ApiToken.objects.get(user=client.user)

    response = client.post(f"/accounts/profile/tokens/{token.pk}/revoke/", follow=True)

    assert "no longer works" in response.content.decode()
    assert f"<code>{secret[:12]}…</code>" not in response.content.decode()
    assert client.get("/api/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    assert AuditEntry.objects.filter(action="abonent.accounts.api_token.revoked", actor=client.user).exists()


def test_a_user_cannot_revoke_someone_elses_token(client_as, make_user):
    client = client_as(Role.ADMINISTRATOR)
    owner = make_user(Role.AGENT)
    client.force_login(owner)
    _create_token(client)
    token = ApiToken.objects.get(user=owner)
    client.force_login(make_user(Role.ADMINISTRATOR))

    response = client.post(f"/accounts/profile/tokens/{token.pk}/revoke/")

    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
