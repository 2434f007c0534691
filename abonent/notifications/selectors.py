"""Reads for notifications."""

from __future__ import annotations

from django.db.models import QuerySet

from abonent.accounts.models import User
from abonent.notifications.models import Notification, OutboundEmail

UNREAD_SHOWN_MAX = 99  # the bell says "99+" beyond this; counting further is wasted work


def notification_unread_count(user: User) -> int:
    return Notification.objects.unread().filter(user=user)[: UNREAD_SHOWN_MAX + 1].count()


def notification_list(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user)


def outbox_list(*, status: str = "") -> QuerySet[OutboundEmail]:
    emails = OutboundEmail.objects.defer("body_text", "body_html")
    return emails.filter(status=status) if status else emails
