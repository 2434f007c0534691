"""Writes for notifications: queue an e-mail, deliver the outbox, notify a user, mark notifications read."""

from __future__ import annotations

import html
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.mime.base import MIMEBase
from email.mime.image import MIMEImage

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.functional import Promise

from abonent.accounts.models import User
from abonent.core.models import Channel
from abonent.core.services import audit_record
from abonent.notifications.models import EmailStatus, Notification, OutboundAttachment, OutboundEmail

log = logging.getLogger(__name__)

# Wait before each retry; after the last one the e-mail is marked failed and shown in the outbox.
RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15), timedelta(hours=1),
                timedelta(hours=4))
# A claimed e-mail whose sender died is tried again after this long (it may then arrive twice, never zero times).
SENDING_LEASE = timedelta(minutes=10)
GENERIC_TEMPLATE = "notifications/email/notification"


@dataclass(frozen=True)
class EmailAttachment:
    filename: str
    content: bytes
    mimetype: str
    cid: str | None = None  # an inline image the HTML shows as <img src="cid:...">


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


def email_render(*, template: str, context: dict, language: str) -> RenderedEmail:
    """Render `<template>_subject.txt`, `<template>.txt` and the optional `<template>.html` in a language."""
    with translation.override(language):
        subject = html.unescape(render_to_string(f"{template}_subject.txt", context))
        text = html.unescape(render_to_string(f"{template}.txt", context))
        try:
            body_html = render_to_string(f"{template}.html", context)
        except TemplateDoesNotExist:
            body_html = ""
    return RenderedEmail(subject=" ".join(subject.split())[:300], text=text.strip() + "\n", html=body_html)


def email_queue(
    *, to: str | Sequence[str], template: str, context: dict, language: str,
    attachments: Sequence[EmailAttachment] = (), now: datetime,
) -> OutboundEmail:
    """Store an e-mail in the outbox; the worker sends it once the caller's transaction commits."""
    recipients = [to] if isinstance(to, str) else [address for address in to if address]
    rendered = email_render(template=template, context={"site_url": settings.SITE_URL, **context}, language=language)
    email = OutboundEmail.objects.create(
        to=recipients, language=language, template=template, subject=rendered.subject, body_text=rendered.text,
        body_html=rendered.html, next_attempt_at=now, created_at=now,
    )
    OutboundAttachment.objects.bulk_create(
        OutboundAttachment(email=email, filename=a.filename, mimetype=a.mimetype, content=a.content, cid=a.cid or "")
        for a in attachments
    )
    from abonent.notifications.tasks import email_deliver_task

    transaction.on_commit(lambda: email_deliver_task(email.pk))
    return email


def _message(email: OutboundEmail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(email.subject, email.body_text, settings.DEFAULT_FROM_EMAIL, email.to)
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    for attachment in email.attachments.all():
        content = bytes(attachment.content)
        if not attachment.cid:
            message.attach(attachment.filename, content, attachment.mimetype)
            continue
        maintype, _, subtype = attachment.mimetype.partition("/")
        part = MIMEImage(content, _subtype=subtype) if maintype == "image" else MIMEBase(maintype, subtype)
        if maintype != "image":
            part.set_payload(content)
        part.add_header("Content-ID", f"<{attachment.cid}>")
        part.add_header("Content-Disposition", "inline", filename=attachment.filename)
        message.attach(part)
        message.mixed_subtype = "related"
    return message


def email_deliver(*, email_id: int, now: datetime) -> bool:
    """Send one queued e-mail if it is due and nobody else is sending it; return whether it went out."""
    claimed = OutboundEmail.objects.filter(
        pk=email_id, status=EmailStatus.QUEUED, next_attempt_at__lte=now,
    ).update(next_attempt_at=now + SENDING_LEASE)
    if not claimed:
        return False
    email = OutboundEmail.objects.get(pk=email_id)
    try:
        with get_connection() as connection:
            connection.send_messages([_message(email)])
    except Exception as error:  # noqa: BLE001 - any delivery failure is retried and shown in the outbox
        email.attempts += 1
        email.last_error = f"{error.__class__.__name__}: {error}"[:500]
        if email.attempts > len(RETRY_DELAYS):
            email.status = EmailStatus.FAILED
        else:
            email.next_attempt_at = now + RETRY_DELAYS[email.attempts - 1]
        email.save(update_fields=("attempts", "last_error", "status", "next_attempt_at"))
        log.warning("E-mail %s not sent (attempt %s): %s", email.pk, email.attempts, email.last_error)
        return False
    email.attempts += 1
    email.status = EmailStatus.SENT
    email.sent_at = now
    email.last_error = ""
    email.save(update_fields=("attempts", "status", "sent_at", "last_error"))
    return True


def outbox_flush(*, now: datetime, limit: int = 200) -> int:
    """Send every due e-mail in the outbox, oldest first; return how many went out."""
    due = OutboundEmail.objects.filter(status=EmailStatus.QUEUED, next_attempt_at__lte=now)
    ids = list(due.order_by("next_attempt_at", "id").values_list("id", flat=True)[:limit])
    return sum(email_deliver(email_id=pk, now=now) for pk in ids)


def email_retry(*, email: OutboundEmail, by: User, now: datetime) -> None:
    """Put a failed e-mail back in the queue (after the mail server is fixed, say)."""
    OutboundEmail.objects.filter(pk=email.pk, status=EmailStatus.FAILED).update(
        status=EmailStatus.QUEUED, attempts=0, next_attempt_at=now,
    )
    audit_record(actor=by, action="abonent.notifications.email.retried", target=email, channel=Channel.UI, now=now)
    transaction.on_commit(lambda: _deliver_later(email.pk))


def _deliver_later(email_id: int) -> None:
    from abonent.notifications.tasks import email_deliver_task

    email_deliver_task(email_id)


def notify(
    *, user: User, title: str | Promise, body: str | Promise = "", url: str = "",
    email_template: str | None = None, context: dict | None = None, now: datetime,
) -> Notification:
    """Tell a user something in their own language, under the bell and, with a template, by e-mail too."""
    language = user.language or settings.LANGUAGE_CODE
    with translation.override(language):
        title, body = str(title), str(body)
    notification = Notification.objects.create(
        user=user, title=title[:300], body=body, url=url, created_at=now,
    )
    if email_template and user.email:
        link = f"{settings.SITE_URL}{url}" if url.startswith("/") else url
        name = user.get_short_name() or user.get_username()
        email_queue(
            to=user.email, template=email_template, language=language, now=now,
            context={"user": user, "name": name, "title": title, "body": body, "url": link, **(context or {})},
        )
    return notification


def notifications_mark_read(*, user: User, now: datetime, ids: Sequence[int] | None = None) -> int:
    """Mark the user's notifications read (all of them when no ids are given); return how many changed."""
    unread = Notification.objects.unread().filter(user=user)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=now)
