"""Password reset by e-mail through a real SMTP server, and password change."""

import re

from abonent.accounts.services import user_create
from abonent.accounts.tests.factories import PASSWORD
from abonent.core.roles import Role

NEW_PASSWORD = "a-brand-new-passphrase-42"
LINK = re.compile(r"http://testserver(/accounts/password/reset/[^/\s]+/[^/\s]+/)")


def _reset_link(message) -> str:
    match = LINK.search(message.get_payload(decode=True).decode())
    assert match, message.get_payload()
    return match.group(1)


def _sign_in(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_a_user_resets_a_forgotten_password_through_the_emailed_link(client, make_user, smtp_mailbox):
    user = make_user(Role.AGENT, email="alena@abonent.test")

    response = client.post("/accounts/password/reset/", {"email": "alena@abonent.test"})

    assert response["Location"] == "/accounts/password/reset/sent/"
    assert smtp_mailbox.recipients == [["alena@abonent.test"]]
    message = smtp_mailbox.messages[0]
    assert message["Subject"] == "Abonent: choose a new password"
    assert user.username in message.get_payload(decode=True).decode()

    form_page = client.get(_reset_link(message), follow=True)
    assert form_page.context["validlink"] is True
    saved = client.post(form_page.redirect_chain[-1][0],
                        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert saved["Location"] == "/accounts/password/reset/complete/"
    assert _sign_in(client, user.username, PASSWORD).status_code == 200
    assert _sign_in(client, user.username, NEW_PASSWORD)["Location"] == "/"


def test_a_reset_link_works_only_once(client, make_user, smtp_mailbox):
    make_user(Role.AGENT, email="once@abonent.test")
    client.post("/accounts/password/reset/", {"email": "once@abonent.test"})
    link = _reset_link(smtp_mailbox.messages[0])
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    again = client.get(link, follow=True)

    assert again.context["validlink"] is False
    assert "This link has been used already" in again.content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_email(client, smtp_mailbox):
    response = client.post("/accounts/password/reset/", {"email": "nobody@abonent.test"})

    assert response["Location"] == "/accounts/password/reset/sent/"
    assert smtp_mailbox.messages == []


def test_a_deactivated_user_gets_no_reset_email(client, make_user, smtp_mailbox):
    make_user(Role.AGENT, email="gone@abonent.test", is_active=False)

    client.post("/accounts/password/reset/", {"email": "gone@abonent.test"})

    assert smtp_mailbox.messages == []


def test_a_user_created_without_a_password_sets_one_through_the_reset_email(client, make_user, smtp_mailbox):
    admin = make_user(Role.ADMINISTRATOR)
    newcomer = user_create(by=admin, username="newcomer", password=None, role=Role.AGENT,
                           email="newcomer@abonent.test")

    client.post("/accounts/password/reset/", {"email": "newcomer@abonent.test"})

    assert smtp_mailbox.recipients == [["newcomer@abonent.test"]]
    form_url = client.get(_reset_link(smtp_mailbox.messages[0]), follow=True).redirect_chain[-1][0]
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert _sign_in(client, newcomer.username, NEW_PASSWORD)["Location"] == "/"


def test_a_weak_new_password_is_refused(client, make_user, smtp_mailbox):
    user = make_user(Role.AGENT, email="weak@abonent.test")
    client.post("/accounts/password/reset/", {"email": "weak@abonent.test"})
    form_url = client.get(_reset_link(smtp_mailbox.messages[0]), follow=True).redirect_chain[-1][0]

    response = client.post(form_url, {"new_password1": "12345678", "new_password2": "12345678"})

    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_a_signed_in_user_changes_their_password(client, make_user):
    user = make_user(Role.AGENT)
    client.force_login(user)

    response = client.post("/accounts/password/", {
        "old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD,
    })

    assert response["Location"] == "/accounts/password/changed/"
    assert client.get("/accounts/password/changed/").status_code == 200
    client.post("/accounts/logout/")
    assert _sign_in(client, user.username, NEW_PASSWORD)["Location"] == "/"


def test_changing_the_password_needs_the_old_one(client, make_user):
    user = make_user(Role.AGENT)
    client.force_login(user)

    response = client.post("/accounts/password/", {
        "old_password": "not-the-old-one", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD,
    })

    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
