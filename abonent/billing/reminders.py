"""Reminder e-mails for overdue items, sent through the notifications outbox: once per item and level.

Levels: a first reminder 7 days after the due date, a second after 21 days, a final one after 45 days. A
customer gets one e-mail per run listing everything overdue, at the highest level any item reached; every
item is marked with the levels it reached, so no level is ever sent twice for the same item (an item seen
for the first time at 50 days gets the final reminder only).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from abonent.billing.documents import DocumentError, payment_order
from abonent.billing.models import ExpectedPayment, PaymentReminder
from abonent.core.models import Channel
from abonent.core.services import audit_record
from abonent.customers.models import Party
from abonent.notifications.services import EmailAttachment, email_queue

LEVELS = ((1, 7), (2, 21), (3, 45))  # (level, days past the due date)
COUNTRY_LANGUAGE = {"CZ": "cs", "SK": "cs", "PL": "pl", "RO": "ro", "MD": "ro", "RU": "ru"}


def party_language(party: Party) -> str:
    """The language a customer is written to in: their country's, else English."""
    return COUNTRY_LANGUAGE.get(party.country.upper(), "en")


def _pending(today: dt.date) -> dict[int, dict[int, int]]:
    """{party: {item: highest level reached and not yet sent}} for customers with an e-mail address."""
    pending: dict[int, dict[int, int]] = defaultdict(dict)
    for level, days in LEVELS:
        items = (ExpectedPayment.objects.open().filter(due_date__lte=today - dt.timedelta(days=days))
                 .exclude(party__email="").exclude(reminders__level=level).values_list("party_id", "pk"))
        for party_id, item_id in items:
            pending[party_id][item_id] = level
    return pending


def reminders_send(*, now: dt.datetime) -> int:
    """Queue the reminder e-mails that are due today; return how many customers were written to."""
    today = timezone.localdate(now)
    sent = 0
    for party_id, levels in sorted(_pending(today).items()):
        with transaction.atomic():
            party = Party.objects.select_for_update().get(pk=party_id)
            if _remind(party, levels, today=today, now=now):
                sent += 1
    return sent


def _remind(party: Party, levels: dict[int, int], *, today: dt.date, now: dt.datetime) -> bool:
    overdue = list(ExpectedPayment.objects.open().filter(party=party, due_date__lt=today)
                   .select_related("contract").order_by("currency", "due_date", "id"))
    if not overdue or not party.email:
        return False
    level = max(levels.values())
    attachments, order = [], None
    with contextlib.suppress(DocumentError):  # no account set up for the currency: the e-mail goes without
        order = payment_order(party=party, currency=overdue[0].currency, on=today)
    if order is not None and order.qr_kind:
        attachments.append(EmailAttachment(filename="qr-payment.png", content=order.qr_png(), mimetype="image/png",
                                           cid="qr-payment"))
    email_queue(to=party.email, template="billing/email/reminder", language=party_language(party), now=now,
                attachments=attachments,
                context={"party": party, "items": overdue, "level": level, "order": order, "today": today,
                         "with_qr": bool(attachments), "payee_name": settings.BILLING_PAYEE_NAME})
    PaymentReminder.objects.bulk_create(
        [PaymentReminder(expected_payment_id=item_id, level=lower, sent_at=now, to=party.email)
         for item_id, reached in levels.items() for lower in range(1, reached + 1)],
        ignore_conflicts=True,
    )
    audit_record(actor=None, action="abonent.billing.reminder.sent", target=party, subject=party,
                 channel=Channel.SYSTEM, now=now, changes={"level": (None, level)},
                 note=f"{party.email}: {len(overdue)} overdue items")
    return True
