"""Reminder e-mails for overdue items: when, to whom, in which language, and never twice per level."""

import datetime as dt
from email.header import decode_header, make_header

import pytest

from abonent.billing.models import PaymentReminder
from abonent.billing.reminders import reminders_send
from abonent.billing.tests.factories import paid
from abonent.contracts.tests.factories import active_contract
from abonent.customers.tests.factories import PartyFactory
from abonent.notifications.models import OutboundEmail
from abonent.notifications.services import outbox_flush

pytestmark = pytest.mark.django_db


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9, 0), tzinfo=dt.UTC)


def test_a_first_reminder_goes_a_week_after_the_due_date_in_the_customers_language(smtp_mailbox):
    party = PartyFactory(country="CZ", email="jana@example.cz")
    active_contract(party=party, start=dt.date(2026, 1, 1), payment_day=15)

    assert reminders_send(now=at(dt.date(2026, 1, 21))) == 0
    assert reminders_send(now=at(dt.date(2026, 1, 22))) == 1
    outbox_flush(now=at(dt.date(2026, 1, 22)))

    [message] = smtp_mailbox.messages
    assert message["To"] == "jana@example.cz"
    assert str(make_header(decode_header(message["Subject"]))).startswith("Upomínka")  # Czech: the customer's country
    assert OutboundEmail.objects.get().language == "cs"
    parts = {part.get_content_type(): part for part in message.walk()}
    assert "cid:qr-payment" in parts["text/html"].get_payload(decode=True).decode()
    assert parts["image/png"]["Content-ID"] == "<qr-payment>"
    assert "2026000001" in parts["text/plain"].get_payload(decode=True).decode()  # the variable symbol


def test_a_reminder_level_is_never_sent_twice_for_an_item(smtp_mailbox):
    party = PartyFactory(email="jana@example.cz")
    active_contract(party=party, start=dt.date(2026, 1, 1), payment_day=15)

    reminders_send(now=at(dt.date(2026, 1, 22)))
    assert reminders_send(now=at(dt.date(2026, 1, 23))) == 0
    # the second reminder for January, and the first for February, go in one e-mail
    assert reminders_send(now=at(dt.date(2026, 2, 22))) == 1

    levels = sorted(PaymentReminder.objects.values_list("expected_payment__period_from", "level"))
    assert levels == [(dt.date(2026, 1, 1), 1), (dt.date(2026, 1, 1), 2), (dt.date(2026, 2, 1), 1)]


def test_an_item_first_seen_long_overdue_gets_the_final_reminder_only():
    party = PartyFactory(email="jana@example.cz")
    active_contract(party=party, start=dt.date(2026, 1, 1), payment_day=15)

    reminders_send(now=at(dt.date(2026, 3, 5)))  # January is 49 days overdue

    january = PaymentReminder.objects.filter(expected_payment__period_from=dt.date(2026, 1, 1))
    assert sorted(january.values_list("level", flat=True)) == [1, 2, 3]
    assert reminders_send(now=at(dt.date(2026, 3, 6))) == 0


def test_paid_items_and_customers_without_e_mail_get_no_reminder():
    payer = PartyFactory(email="payer@example.cz")
    active_contract(party=payer, start=dt.date(2026, 1, 1))
    paid(payer, "310.00")
    active_contract(party=PartyFactory(email=""), start=dt.date(2026, 1, 1))

    assert reminders_send(now=at(dt.date(2026, 1, 25))) == 0
