import socket
from datetime import UTC, datetime, timedelta

import pytest
from django.test import override_settings

from abonent.notifications.models import EmailStatus, OutboundEmail
from abonent.notifications.services import EmailAttachment, email_deliver, email_queue, outbox_flush

NOW = datetime(2026, 11, 22, 7, 0, tzinfo=UTC)
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def queue(**kwargs):
    defaults = {"to": "rep@example.com", "template": "notifications/email/notification", "language": "en",
                "context": {"title": "Import 7 finished", "body": "120 created", "url": "http://x/imports/7"},
                "now": NOW}
    return email_queue(**(defaults | kwargs))


def test_a_queued_email_is_rendered_stored_and_sent_to_the_smtp_server(db, smtp_mailbox, make_user):
    email = queue(context={"name": "Radek", "title": "Import 7 finished",
                           "body": "120 created & 3 rejected", "url": "http://x/imports/7"})

    assert email.status == EmailStatus.QUEUED
    assert outbox_flush(now=NOW) == 1

    email.refresh_from_db()
    assert (email.status, email.sent_at, email.attempts) == (EmailStatus.SENT, NOW, 1)
    [message] = smtp_mailbox.messages
    assert message["Subject"] == "Import 7 finished"
    assert smtp_mailbox.recipients == [["rep@example.com"]]
    text, html = (part.get_payload(decode=True).decode() for part in message.walk()
                  if part.get_content_type() in ("text/plain", "text/html"))
    assert "Hello Radek," in text and "120 created & 3 rejected" in text and "http://x/imports/7" in text
    assert "120 created &amp; 3 rejected" in html


def test_an_email_is_written_in_the_recipients_language(db, smtp_mailbox):
    queue(language="cs", context={"title": "Import 7 dokončen", "url": "http://x/imports/7"})
    outbox_flush(now=NOW)

    [message] = smtp_mailbox.messages
    text = next(p for p in message.walk() if p.get_content_type() == "text/plain").get_payload(decode=True).decode()
    assert "Otevřít v Abonentu:" in text


def test_an_inline_image_travels_with_its_content_id(db, smtp_mailbox):
    queue(attachments=[EmailAttachment("map.png", PNG, "image/png", cid="map-1"),
                       EmailAttachment("order.pdf", b"%PDF-1.4 test", "application/pdf")])
    outbox_flush(now=NOW)

    [message] = smtp_mailbox.messages
    image = next(p for p in message.walk() if p.get_content_type() == "image/png")
    assert image["Content-ID"] == "<map-1>"
    assert image.get_payload(decode=True) == PNG
    pdf = next(p for p in message.walk() if p.get_content_type() == "application/pdf")
    assert pdf.get_filename() == "order.pdf"


def test_an_email_claimed_by_one_sender_is_not_sent_again_by_another(db, smtp_mailbox):
    email = queue()

    assert email_deliver(email_id=email.pk, now=NOW) is True
    assert email_deliver(email_id=email.pk, now=NOW) is False
    assert outbox_flush(now=NOW + timedelta(hours=1)) == 0
    assert len(smtp_mailbox.messages) == 1


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_failed_delivery_is_retried_later_and_finally_marked_failed(db):
    email = queue()
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="127.0.0.1",
                           EMAIL_PORT=_closed_port(), EMAIL_USE_TLS=False, EMAIL_TIMEOUT=2):
        assert outbox_flush(now=NOW) == 0
        email.refresh_from_db()
        assert (email.status, email.attempts) == (EmailStatus.QUEUED, 1)
        assert email.next_attempt_at == NOW + timedelta(minutes=1)
        assert "ConnectionRefusedError" in email.last_error

        assert outbox_flush(now=NOW + timedelta(seconds=30)) == 0  # not due yet: nothing is tried
        email.refresh_from_db()
        assert email.attempts == 1

        when = NOW
        for _ in range(5):
            when += timedelta(hours=5)
            outbox_flush(now=when)
    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.FAILED, 6)


def test_the_worker_sends_the_email_once_the_transaction_commits(db, smtp_mailbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = queue(now=datetime.now(UTC))

    email.refresh_from_db()
    assert email.status == EmailStatus.SENT
    assert len(smtp_mailbox.messages) == 1


def test_a_subject_cannot_carry_extra_header_lines(db):
    email = queue(context={"title": "Hello\nBcc: victim@example.com"})

    assert "\n" not in email.subject
    assert OutboundEmail.objects.get().subject == "Hello Bcc: victim@example.com"


@pytest.mark.parametrize("to", [["a@example.com", "", "b@example.com"]])
def test_empty_addresses_are_dropped(db, to):
    assert queue(to=to).to == ["a@example.com", "b@example.com"]
