import os
import subprocess
import sys

from django.conf import settings
from django.test import override_settings

from abonent.accounts.tests.factories import PASSWORD
from abonent.core.roles import Role

ARGON2 = "django.contrib.auth.hashers.Argon2PasswordHasher"
MD5 = "django.contrib.auth.hashers.MD5PasswordHasher"


def _sign_in(client, username, password=PASSWORD, **extra):
    return client.post("/accounts/login/", {"username": username, "password": password, **extra})


def test_a_user_signs_in_with_the_right_password_and_lands_on_the_home_page(client, make_user):
    user = make_user(Role.AGENT, first_name="Alena")

    response = _sign_in(client, user.username)

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert "Alena" in client.get("/").content.decode()


def test_signing_in_returns_to_the_page_asked_for(client, make_user):
    user = make_user(Role.MANAGER)

    response = _sign_in(client, user.username, next="/accounts/users/")

    assert response["Location"] == "/accounts/users/"


def test_signing_in_ignores_a_next_page_on_another_site(client, make_user):
    user = make_user(Role.MANAGER)

    response = _sign_in(client, user.username, next="http://evil.example/")

    assert response["Location"] == "/"


def test_a_wrong_password_is_refused_with_a_message(client, make_user):
    user = make_user(Role.AGENT)

    response = _sign_in(client, user.username, "not-the-password")

    assert response.status_code == 200
    assert "The user name or password is not right" in response.content.decode()
    assert client.get("/").status_code == 302


def test_a_deactivated_user_cannot_sign_in(client, make_user):
    user = make_user(Role.AGENT, is_active=False)

    response = _sign_in(client, user.username)

    assert response.status_code == 200
    assert "The user name or password is not right" in response.content.decode()


def test_signing_out_takes_a_post_and_ends_the_session(client, make_user):
    client.force_login(make_user(Role.AGENT))

    assert client.get("/accounts/logout/").status_code == 405
    assert client.get("/").status_code == 200

    response = client.post("/accounts/logout/")

    assert response["Location"] == "/accounts/login/"
    assert client.get("/").status_code == 302


def test_a_signed_in_user_who_opens_the_login_page_is_sent_on(client, make_user):
    client.force_login(make_user(Role.AGENT))

    assert client.get("/accounts/login/")["Location"] == "/"


def test_repeated_failures_lock_the_account_even_against_the_right_password(client, make_user):
    user = make_user(Role.AGENT)
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _sign_in(client, user.username, "wrong-password").status_code == 200

    last_failure = _sign_in(client, user.username, "wrong-password")
    right_password = _sign_in(client, user.username)

    for response in (last_failure, right_password):
        assert response.status_code == 429
        assert "Sign-in blocked for a while" in response.content.decode()
    assert client.get("/").status_code == 302


def test_fewer_failures_than_the_limit_do_not_lock_and_a_success_resets_the_count(client, make_user):
    user = make_user(Role.AGENT)
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        _sign_in(client, user.username, "wrong-password")
    assert _sign_in(client, user.username).status_code == 302
    client.post("/accounts/logout/")

    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        _sign_in(client, user.username, "wrong-password")

    assert _sign_in(client, user.username).status_code == 302


def test_the_lockout_of_one_user_does_not_block_another(client, make_user):
    locked, other = make_user(Role.AGENT), make_user(Role.AGENT)
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, locked.username, "wrong-password")

    assert _sign_in(client, other.username).status_code == 302


def test_the_lockout_limit_defaults_to_five():
    assert "ABONENT_LOCKOUT_FAILURES" in os.environ or settings.AXES_FAILURE_LIMIT == 5


def test_argon2_is_the_first_hasher_apart_from_the_test_only_md5():
    real_hashers = [h for h in settings.PASSWORD_HASHERS if h != MD5]

    assert real_hashers[0] == ARGON2


def test_argon2_hashes_passwords_outside_tests(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"ABONENT_TESTING", "DATABASE_URL"}}
    env.update(DJANGO_SETTINGS_MODULE="abonent.settings", ABONENT_DATA_DIR=str(tmp_path))
    script = "from django.conf import settings; print(settings.PASSWORD_HASHERS[0])"

    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)

    assert result.stdout.strip() == ARGON2


@override_settings(PASSWORD_HASHERS=[ARGON2])
def test_a_password_stored_with_argon2_lets_the_user_sign_in(client, make_user):
    user = make_user(Role.AGENT)
    user.set_password("a-long-argon2-password")
    user.save(update_fields=["password"])

    assert user.password.startswith("argon2$")
    assert _sign_in(client, user.username, "a-long-argon2-password").status_code == 302
