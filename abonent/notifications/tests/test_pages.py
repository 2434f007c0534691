from datetime import UTC, datetime

from abonent.core.models import AuditEntry
from abonent.core.roles import Role
from abonent.notifications.models import EmailStatus, OutboundEmail
from abonent.notifications.services import notify

NOW = datetime(2026, 11, 22, 7, 0, tzinfo=UTC)


def test_the_bell_counts_unread_notifications_and_the_inbox_lists_them(client_as):
    client = client_as(Role.AGENT)
    notify(user=client.user, title="Import 7 finished", body="120 created", url="/customers/", now=NOW)

    page = client.get("/customers/").content.decode()
    assert 'id="bell-count">1<' in page

    inbox = client.get("/notifications/").content.decode()
    assert "Import 7 finished" in inbox and "120 created" in inbox


def test_opening_a_notification_marks_it_read_and_follows_its_link(client_as):
    client = client_as(Role.AGENT)
    notification = notify(user=client.user, title="Import 7 finished", url="/customers/", now=NOW)

    response = client.get(f"/notifications/{notification.pk}/open")

    assert response.status_code == 302 and response["Location"] == "/customers/"
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert 'id="bell-count"' not in client.get("/customers/").content.decode()


def test_a_link_off_the_site_is_not_followed(client_as):
    client = client_as(Role.AGENT)
    notification = notify(user=client.user, title="x", url="//evil.example/phish", now=NOW)

    assert client.get(f"/notifications/{notification.pk}/open")["Location"] == "/notifications/"


def test_nobody_opens_another_users_notification(client_as, make_user):
    theirs = notify(user=make_user(), title="private", now=NOW)
    client = client_as(Role.ADMINISTRATOR)

    assert client.get(f"/notifications/{theirs.pk}/open").status_code == 404
    assert "private" not in client.get("/notifications/").content.decode()


def test_mark_all_read_needs_a_post(client_as):
    client = client_as(Role.AGENT)
    notify(user=client.user, title="x", now=NOW)

    assert client.get("/notifications/read-all").status_code == 405
    client.post("/notifications/read-all")
    assert not client.user.notifications.unread().exists()


def _failed_email():
    return OutboundEmail.objects.create(to=["a@example.com"], language="en", template="t", subject="Reminder",
                                        body_text="x", status=EmailStatus.FAILED, attempts=6, next_attempt_at=NOW,
                                        created_at=NOW, last_error="SMTPRecipientsRefused")


def test_the_outbox_is_for_administrators(client_as):
    _failed_email()

    assert client_as(Role.AGENT).get("/notifications/outbox/").status_code == 403
    page = client_as(Role.ADMINISTRATOR).get("/notifications/outbox/?status=failed").content.decode()
    assert "Reminder" in page and "SMTPRecipientsRefused" in page and "Send again" in page


def test_an_administrator_sends_a_failed_email_again_and_it_is_audited(client_as):
    email = _failed_email()
    client = client_as(Role.ADMINISTRATOR)

    client.post(f"/notifications/outbox/{email.pk}/retry")

    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.QUEUED, 0)
    assert AuditEntry.objects.filter(action="abonent.notifications.email.retried", actor=client.user).exists()


def test_a_manager_may_look_at_the_outbox_but_not_resend(client_as):
    email = _failed_email()
    client = client_as(Role.MANAGER)
    if client.user.module_access("settings") == 0:
        assert client.get("/notifications/outbox/").status_code == 403
    assert client.post(f"/notifications/outbox/{email.pk}/retry").status_code == 403
    email.refresh_from_db()
    assert email.status == EmailStatus.FAILED
