"""TOTP two-factor sign-in: set-up, the code at each sign-in, the administrators' obligation."""

import base64
import datetime as dt

import pytest
from django.test import override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from abonent.accounts.tests.factories import PASSWORD, totp_code, totp_device
from abonent.core.models import AuditEntry
from abonent.core.roles import Role

VERIFY = "/accounts/two-factor/verify/"
SETUP = "/accounts/two-factor/setup/"


@pytest.fixture
def clock(time_machine):
    """Stand still, so the throttle after a wrong code and the one-use-per-step rule are deterministic."""
    time_machine.move_to(dt.datetime(2026, 3, 2, 9, 0, 5, tzinfo=dt.UTC), tick=False)
    return time_machine


def _sign_in(client, user):
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return response


def test_the_setup_page_shows_a_qr_code_and_the_secret(client_as):
    client = client_as(Role.AGENT)

    response = client.get(SETUP)

    device = TOTPDevice.objects.get(user=client.user, confirmed=False)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in page
    secret = response.context["secret"]
    assert f'<code id="totp-secret">{secret}</code>' in page
    assert base64.b32decode(secret + "=" * (-len(secret) % 8)) == device.bin_key


def test_reloading_the_setup_page_keeps_the_same_secret(client_as):
    client = client_as(Role.AGENT)

    first, second = client.get(SETUP).context["secret"], client.get(SETUP).context["secret"]

    assert first == second
    assert TOTPDevice.objects.filter(user=client.user).count() == 1


def test_confirming_with_the_right_code_turns_two_factor_on(client_as, clock):
    client = client_as(Role.AGENT)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=client.user)

    response = client.post(SETUP, {"code": totp_code(device)})

    assert response["Location"] == "/"
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEntry.objects.filter(action="abonent.accounts.two_factor.enabled", actor=client.user).exists()
    assert client.get("/").status_code == 200
    assert "On: you are asked for a code" in client.get("/accounts/profile/").content.decode()


def test_a_wrong_code_at_setup_leaves_two_factor_off(client_as, clock):
    client = client_as(Role.AGENT)
    client.get(SETUP)

    response = client.post(SETUP, {"code": "000000"})

    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=client.user, confirmed=True).exists()


def test_after_setup_a_fresh_sign_in_asks_for_the_code_until_the_right_one_is_given(client, make_user, clock):
    user = make_user(Role.MANAGER)
    client.force_login(user)
    client.get(SETUP)
    client.post(SETUP, {"code": totp_code(TOTPDevice.objects.get(user=user))})
    client.post("/accounts/logout/")
    clock.shift(dt.timedelta(seconds=30))  # a code works once; the app shows the next one

    _sign_in(client, user)

    assert client.get("/")["Location"].startswith(VERIFY)
    assert client.get("/accounts/users/")["Location"].startswith(VERIFY)
    wrong = client.post(VERIFY, {"code": "123456"})
    assert wrong.status_code == 200
    assert "That code is not right" in wrong.content.decode()
    assert client.get("/")["Location"].startswith(VERIFY)

    clock.shift(dt.timedelta(seconds=5))  # past the throttle that follows a wrong code
    right = client.post(VERIFY, {"code": totp_code(TOTPDevice.objects.get(user=user))})

    assert right["Location"] == "/"
    assert client.get("/").status_code == 200
    assert client.get("/accounts/users/").status_code == 200


def test_a_code_that_is_not_six_digits_is_explained(client, make_user):
    user = make_user(Role.AGENT)
    totp_device(user)
    _sign_in(client, user)

    response = client.post(VERIFY, {"code": "12ab"})

    assert "Enter the six digits your authenticator app shows." in response.content.decode()


def test_a_used_code_cannot_be_used_again(client, make_user, clock):
    user = make_user(Role.AGENT)
    device = totp_device(user)
    _sign_in(client, user)
    code = totp_code(device)
    client.post(VERIFY, {"code": code})
    client.post("/accounts/logout/")
    clock.shift(dt.timedelta(seconds=5))

    _sign_in(client, user)
    response = client.post(VERIFY, {"code": code})

    assert response.status_code == 200
    assert client.get("/")["Location"].startswith(VERIFY)


def test_a_user_without_an_authenticator_is_not_asked_for_a_code(client, make_user):
    user = make_user(Role.ADMINISTRATOR)
    _sign_in(client, user)

    assert client.get("/").status_code == 200
    assert client.get(VERIFY)["Location"] == "/"


@override_settings(ABONENT_REQUIRE_2FA=True)
@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.SUPERADMIN])
def test_when_required_an_administrator_without_an_authenticator_is_sent_to_setup(client, make_user, role):
    _sign_in(client, make_user(role))

    assert client.get("/")["Location"] == SETUP
    assert client.get("/accounts/users/")["Location"] == SETUP
    assert "Administrators must use two-factor sign-in" in client.get(SETUP).content.decode()


@override_settings(ABONENT_REQUIRE_2FA=True)
@pytest.mark.parametrize("role", [Role.AGENT, Role.SALES_REP, Role.MANAGER])
def test_when_required_other_staff_may_still_work_without_an_authenticator(client, make_user, role):
    _sign_in(client, make_user(role))

    assert client.get("/").status_code == 200


@override_settings(ABONENT_REQUIRE_2FA=True)
def test_when_required_an_administrator_cannot_turn_two_factor_off(client, make_user, clock):
    admin = make_user(Role.ADMINISTRATOR)
    device = totp_device(admin)
    _sign_in(client, admin)
    client.post(VERIFY, {"code": totp_code(device)})

    response = client.post("/accounts/two-factor/disable/", follow=True)

    assert "Administrators must keep two-factor sign-in on." in response.content.decode()
    assert TOTPDevice.objects.filter(user=admin, confirmed=True).exists()


def test_a_verified_user_may_turn_two_factor_off(client, make_user, clock):
    agent = make_user(Role.AGENT)
    device = totp_device(agent)
    _sign_in(client, agent)
    client.post(VERIFY, {"code": totp_code(device)})

    response = client.post("/accounts/two-factor/disable/", follow=True)

    assert "Two-factor sign-in is off." in response.content.decode()
    assert not TOTPDevice.objects.filter(user=agent).exists()
    assert AuditEntry.objects.filter(action="abonent.accounts.two_factor.disabled", actor=agent).exists()


def test_a_password_alone_cannot_turn_two_factor_off(client, make_user):
    agent = make_user(Role.AGENT)
    totp_device(agent)
    _sign_in(client, agent)

    client.post("/accounts/two-factor/disable/")

    assert TOTPDevice.objects.filter(user=agent, confirmed=True).exists()
    assert client.get("/")["Location"].startswith(VERIFY)


def test_a_password_alone_cannot_enrol_a_second_authenticator(client, make_user):
    agent = make_user(Role.AGENT)
    totp_device(agent)
    _sign_in(client, agent)

    client.get(SETUP)

    assert TOTPDevice.objects.filter(user=agent).count() == 1
    assert client.get("/")["Location"].startswith(VERIFY)


def test_the_language_can_be_switched_on_the_code_page(client, make_user):
    agent = make_user(Role.AGENT)
    totp_device(agent)
    _sign_in(client, agent)

    response = client.post("/accounts/language/", {"language": "cs", "next": VERIFY})

    assert response["Location"] == VERIFY
    agent.refresh_from_db()
    assert agent.language == "cs"
    assert client.get(VERIFY).headers["Content-Language"] == "cs"


def test_after_the_code_the_user_lands_on_the_page_they_asked_for(client, make_user, clock):
    manager = make_user(Role.MANAGER)
    device = totp_device(manager)
    client.post("/accounts/login/", {"username": manager.username, "password": PASSWORD,
                                     "next": "/accounts/users/?role=agent"})

    asked = client.get("/accounts/users/?role=agent")
    response = client.post(asked["Location"], {"code": totp_code(device)})

    assert asked["Location"] == f"{VERIFY}?next=%2Faccounts%2Fusers%2F%3Frole%3Dagent"
    assert response["Location"] == "/accounts/users/?role=agent"


def test_the_code_page_ignores_a_next_page_on_another_site(client, make_user, clock):
    agent = make_user(Role.AGENT)
    device = totp_device(agent)
    _sign_in(client, agent)

    response = client.post(f"{VERIFY}?next=http://evil.example/", {"code": totp_code(device)})

    assert response["Location"] == "/"


def test_django_admin_also_waits_for_the_second_factor(client, make_user):
    boss = make_user(Role.SUPERADMIN)
    totp_device(boss)
    _sign_in(client, boss)

    assert client.get("/django-admin/")["Location"].startswith(VERIFY)
