"""The payment schedule (expected payments), payments received, and the allocations linking the two."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from abonent.contracts.models import CURRENCY_CHOICES, MONEY, Contract
from abonent.core.models import Channel
from abonent.customers.models import Party

ZERO = Decimal("0.00")


class ItemStatus(models.TextChoices):
    OPEN = "open", _("Open")
    PARTLY_PAID = "partly_paid", _("Partly paid")
    PAID = "paid", _("Paid")
    CANCELLED = "cancelled", pgettext_lazy("expected payment", "Cancelled")


OPEN_STATUSES = (ItemStatus.OPEN, ItemStatus.PARTLY_PAID)


class ItemKind(models.TextChoices):
    PERIOD = "period", _("Period")
    ADJUSTMENT = "adjustment", _("Adjustment")


class ExpectedPaymentQuerySet(models.QuerySet):
    def open(self) -> ExpectedPaymentQuerySet:
        """Items still waiting for (part of) their money."""
        return self.filter(status__in=OPEN_STATUSES)

    def live(self) -> ExpectedPaymentQuerySet:
        """Items that count: everything but the cancelled."""
        return self.exclude(status=ItemStatus.CANCELLED)


class ExpectedPayment(models.Model):
    """One amount a contract expects from the customer by a due date, for the period [period_from, period_to).

    `paid_amount` is the sum of the item's allocations, kept by the billing services under a lock so that
    balances, aging and the matcher read one row instead of summing allocations.

    A period item is the contract's charge for one period. An adjustment item adds to an item that could no
    longer be changed (paid, partly paid, or in a closed period) when the contract's price for that period
    went up; `adjusts` points to it.
    """

    # Both keys lead a composite index below, which serves them too.
    contract = models.ForeignKey(Contract, verbose_name=_("contract"), on_delete=models.PROTECT,
                                 related_name="expected_payments", db_index=False)
    party = models.ForeignKey(Party, verbose_name=_("customer"), on_delete=models.PROTECT,
                              related_name="expected_payments", db_index=False)
    kind = models.CharField(_("kind"), max_length=10, choices=ItemKind.choices, default=ItemKind.PERIOD)
    adjusts = models.ForeignKey("self", verbose_name=_("adjusts"), null=True, blank=True, on_delete=models.PROTECT,
                                related_name="adjustments", db_index=False)  # expected_payment_adjusts_idx
    amount = models.DecimalField(_("amount"), **MONEY)
    paid_amount = models.DecimalField(_("paid"), default=ZERO, **MONEY)
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES)
    due_date = models.DateField(_("due"))
    period_from = models.DateField(_("period from"))
    period_to = models.DateField(_("period until (exclusive)"))
    # The contract's variable symbol for Czech and Slovak customers, its ISO 11649 reference for the others.
    reference = models.CharField(_("payment reference"), max_length=35, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ItemStatus.choices, default=ItemStatus.OPEN)
    created_at = models.DateTimeField(_("created"))
    changed_at = models.DateTimeField(_("changed"))

    objects = ExpectedPaymentQuerySet.as_manager()

    class Meta:
        verbose_name = _("expected payment")
        verbose_name_plural = _("expected payments")
        ordering = ["due_date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="expected_payment_amount_positive"),
            models.CheckConstraint(condition=Q(paid_amount__gte=0, paid_amount__lte=F("amount")),
                                   name="expected_payment_paid_within_amount"),
            models.CheckConstraint(condition=Q(period_to__gt=F("period_from")),
                                   name="expected_payment_period_not_empty"),
            models.CheckConstraint(condition=Q(kind="period", adjusts__isnull=True)
                                   | Q(kind="adjustment", adjusts__isnull=False),
                                   name="expected_payment_adjustment_names_its_item"),
            # Regenerating a schedule finds each period's item again instead of adding a second one.
            models.UniqueConstraint(fields=["contract", "period_from"],
                                    condition=Q(kind="period") & ~Q(status="cancelled"),
                                    name="expected_payment_one_item_per_period"),
        ]
        indexes = [
            models.Index(fields=["party", "status", "due_date"], name="expected_payment_party_idx"),
            models.Index(fields=["contract", "period_from"], name="expected_payment_contract_idx"),
            models.Index(fields=["status", "due_date"], name="expected_payment_aging_idx"),
            models.Index(fields=["reference", "status"], name="expected_payment_reference_idx"),
            # Only adjustments name an item: the periods' empty key needs no entry in an index.
            models.Index(fields=["adjusts"], condition=Q(adjusts__isnull=False), name="expected_payment_adjusts_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference or self.contract_id} {self.period_from:%Y-%m-%d} {self.amount} {self.currency}"

    @property
    def outstanding(self) -> Decimal:
        """What is still to be paid (nothing for a cancelled item)."""
        return ZERO if self.status == ItemStatus.CANCELLED else self.amount - self.paid_amount


class PaymentSource(models.TextChoices):
    BANK = "bank", _("Bank transfer")
    CASH = "cash", _("Cash")
    CARD = "card", _("Card")
    PORTAL = "portal", _("Customer portal")
    REFUND = "refund", _("Refund")
    # Written by the schedule when a contract change lowers what a paid period costs: the customer's credit.
    CREDIT_NOTE = "credit_note", _("Credit note")


class Payment(models.Model):
    """Money received from a customer (or, for a refund, paid back to them: a negative amount).

    What is not allocated to expected payments nor refunded is the customer's credit in that currency;
    the billing services use it for the next amounts due. `allocated_amount` and `refunded_amount` are
    kept by those services under a lock.
    """

    party = models.ForeignKey(Party, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="payments",
                              db_index=False)  # payment_party_idx leads with it
    amount = models.DecimalField(_("amount"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES)
    received_on = models.DateField(_("received"))
    source = models.CharField(_("source"), max_length=12, choices=PaymentSource.choices)
    reference = models.CharField(_("payment reference"), max_length=35, blank=True)
    counterparty_account = models.CharField(_("counterparty account"), max_length=50, blank=True)
    counterparty_name = models.CharField(_("counterparty name"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    allocated_amount = models.DecimalField(_("allocated"), default=ZERO, **MONEY)
    refunded_amount = models.DecimalField(_("refunded"), default=ZERO, **MONEY)
    refund_of = models.ForeignKey("self", verbose_name=_("refund of"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="refunds")
    credit_for = models.ForeignKey(ExpectedPayment, verbose_name=_("credit for"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="credit_notes")
    created_at = models.DateTimeField(_("recorded"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.UI)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(source="refund", amount__lt=0, refund_of__isnull=False)
                           | (~Q(source="refund") & Q(amount__gt=0, refund_of__isnull=True))),
                name="payment_sign_follows_source",
            ),
            models.CheckConstraint(condition=Q(source="credit_note") | Q(credit_for__isnull=True),
                                   name="payment_credit_for_only_credit_notes"),
            models.CheckConstraint(
                condition=Q(allocated_amount__gte=0, refunded_amount__gte=0)
                & (Q(amount__lt=0) | Q(amount__gte=F("allocated_amount") + F("refunded_amount"))),
                name="payment_never_spent_twice",
            ),
        ]
        indexes = [
            models.Index(fields=["party", "currency", "received_on"], name="payment_party_idx"),
            models.Index(fields=["received_on", "id"], name="payment_received_keyset"),
            models.Index(fields=["source"], name="payment_source_idx"),
            models.Index(fields=["currency"], name="payment_currency_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.received_on:%Y-%m-%d} {self.amount} {self.currency}"

    @property
    def unallocated(self) -> Decimal:
        """The credit this payment still gives the customer (nothing for a refund)."""
        return max(self.amount - self.allocated_amount - self.refunded_amount, ZERO)


class Allocation(models.Model):
    """Part (or all) of a payment settling part (or all) of an expected payment.

    A database trigger (migration 0002) refuses an allocation whose payment and expected payment belong to
    two customers, or are in two currencies: one payment never pays for two customers.
    """

    # Indexed by allocation_one_per_pair and allocation_item_idx.
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="allocations", db_index=False)
    expected_payment = models.ForeignKey(ExpectedPayment, on_delete=models.PROTECT, related_name="allocations",
                                         db_index=False)
    amount = models.DecimalField(_("amount"), **MONEY)
    created_at = models.DateTimeField(_("allocated"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.SYSTEM)

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="allocation_amount_positive"),
            models.UniqueConstraint(fields=["payment", "expected_payment"], name="allocation_one_per_pair"),
        ]
        indexes = [models.Index(fields=["expected_payment"], name="allocation_item_idx")]

    def __str__(self) -> str:
        return f"{self.payment_id} → {self.expected_payment_id}: {self.amount}"


class PaymentReminder(models.Model):
    """A reminder e-mail sent for an overdue item at one level (first, second, final): never twice."""

    expected_payment = models.ForeignKey(ExpectedPayment, on_delete=models.CASCADE, related_name="reminders")
    level = models.PositiveSmallIntegerField(_("level"))
    sent_at = models.DateTimeField(_("sent"))
    to = models.EmailField(_("to"), blank=True)

    class Meta:
        verbose_name = _("payment reminder")
        verbose_name_plural = _("payment reminders")
        constraints = [models.UniqueConstraint(fields=["expected_payment", "level"], name="reminder_once_per_level")]

    def __str__(self) -> str:
        return f"{self.expected_payment_id} level {self.level}"
