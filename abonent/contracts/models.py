"""Products (tariffs), contracts with their lines, and discounts attached to nodes of a discount structure."""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from abonent.customers.models import Node, Party, label_in

CURRENCY_CHOICES = [(code, code) for code in settings.CURRENCIES]
MONEY = {"max_digits": 12, "decimal_places": 2}
PERCENT = {"max_digits": 5, "decimal_places": 2}


class BillingPeriod(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    YEARLY = "yearly", _("Yearly")
    ONE_OFF = "one_off", _("One-off")


# How many months one period lasts; a one-off charge has no period.
PERIOD_MONTHS = {BillingPeriod.MONTHLY: 1, BillingPeriod.QUARTERLY: 3, BillingPeriod.YEARLY: 12,
                 BillingPeriod.ONE_OFF: 0}
RECURRING_PERIODS = [(k, v) for k, v in BillingPeriod.choices if k != BillingPeriod.ONE_OFF]


class Product(models.Model):
    """A tariff or a one-off charge: "Fibre 300" at 499 CZK a month, VAT included."""

    # The code names the product in imports, the API and the audit log: it never changes.
    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.JSONField(_("name"), default=dict, help_text=_("One name per language code."))
    # Prices are what the customer pays, VAT included; vat_rate tells how much of it is VAT.
    price = models.DecimalField(_("price"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES)
    billing_period = models.CharField(_("billing period"), max_length=10, choices=BillingPeriod.choices,
                                      default=BillingPeriod.MONTHLY)
    vat_rate = models.DecimalField(_("VAT rate (%)"), default=Decimal("21.00"), **PERCENT)
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["order", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(price__gte=0), name="product_price_not_negative"),
            models.CheckConstraint(condition=Q(vat_rate__gte=0, vat_rate__lte=100), name="product_vat_rate_range"),
        ]

    def __str__(self) -> str:
        return self.name_in("en")

    def name_in(self, language: str) -> str:
        return label_in(self.name, (language or "en")[:2], self.code)


class ContractStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    TERMINATED = "terminated", _("Terminated")


class DueRule(models.TextChoices):
    ADVANCE = "advance", _("In advance: the first payment day on or after the period starts")
    ARREARS = "arrears", _("In arrears: the first payment day after the period ends")


class ContractQuerySet(models.QuerySet):
    def billable(self) -> ContractQuerySet:
        """Contracts that have a payment schedule: active, suspended, or terminated (until their end)."""
        return self.exclude(status=ContractStatus.DRAFT)

    def past_their_end(self, on: dt.date) -> ContractQuerySet:
        """Running contracts (active or suspended) whose end date (exclusive) has come by day `on`."""
        return self.filter(status__in=(ContractStatus.ACTIVE, ContractStatus.SUSPENDED), end_date__lte=on)


class Contract(models.Model):
    """What a customer agreed to buy: lines of products, from a start date, billed every period.

    The number comes from the "contract" document series when the contract is activated, inside that
    transaction, so the series stays gapless and drafts have no number. `end_date` is exclusive, like every
    period in Abonent: the first day the contract no longer runs.
    """

    number = models.CharField(_("number"), max_length=40, blank=True)
    party = models.ForeignKey(Party, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="contracts")
    # The node of a billing structure responsible for paying (a head office paying for its branches).
    payer = models.ForeignKey(Node, verbose_name=_("payer"), null=True, blank=True, on_delete=models.PROTECT,
                              related_name="paid_contracts")
    sales_rep = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("sales rep"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="contracts")
    # The product of the first recurring line still running, kept by the line services: the list's "product".
    main_product = models.ForeignKey(Product, verbose_name=_("main product"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES)
    billing_period = models.CharField(_("billed"), max_length=10, choices=RECURRING_PERIODS,
                                      default=BillingPeriod.MONTHLY)
    start_date = models.DateField(_("start"))
    minimum_term_months = models.PositiveSmallIntegerField(_("minimum term (months)"), default=0)
    end_date = models.DateField(_("until (exclusive)"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ContractStatus.choices,
                              default=ContractStatus.DRAFT)
    payment_day = models.PositiveSmallIntegerField(
        _("payment day"), default=15, help_text=_("Day of the month payments are due (31 means the last day).")
    )
    due_rule = models.CharField(_("due"), max_length=10, choices=DueRule.choices, default=DueRule.ADVANCE)
    # Payment references, set with the number: digits for Czech and Slovak banks, ISO 11649 for SEPA.
    variable_symbol = models.CharField(_("variable symbol"), max_length=10, blank=True)
    creditor_reference = models.CharField(_("creditor reference"), max_length=25, blank=True)
    termination_reason = models.CharField(_("termination reason"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"))
    activated_at = models.DateTimeField(_("activated"), null=True, blank=True)
    terminated_at = models.DateTimeField(_("terminated"), null=True, blank=True)

    objects = ContractQuerySet.as_manager()

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        constraints = [
            models.UniqueConstraint(fields=["number"], condition=~Q(number=""), name="contract_number_unique"),
            models.UniqueConstraint(fields=["variable_symbol"], condition=~Q(variable_symbol=""),
                                    name="contract_variable_symbol_unique"),
            models.UniqueConstraint(fields=["creditor_reference"], condition=~Q(creditor_reference=""),
                                    name="contract_creditor_reference_unique"),
            # A contract terminated on its first day never ran: its end may equal its start.
            models.CheckConstraint(condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                                   name="contract_period_not_empty"),
            models.CheckConstraint(condition=Q(payment_day__gte=1, payment_day__lte=31),
                                   name="contract_payment_day_range"),
            models.CheckConstraint(condition=Q(activated_at__isnull=True) | ~Q(number=""),
                                   name="contract_numbered_once_active"),
        ]
        indexes = [
            # Keyset pages of the contracts list, and its filters and groups.
            models.Index(fields=["start_date", "id"], name="contract_start_keyset"),
            models.Index(fields=["number", "id"], name="contract_number_keyset"),
            models.Index(fields=["status", "start_date", "id"], name="contract_status_keyset"),
            models.Index(fields=["currency"], name="contract_currency_idx"),
            models.Index(fields=["sales_rep"], name="contract_rep_idx"),
        ]

    def __str__(self) -> str:
        return self.number or _("Draft contract #%(id)s") % {"id": self.pk}

    @property
    def minimum_term_end(self) -> dt.date | None:
        """The first day the customer may leave without breaking the minimum term (None: no minimum)."""
        if not self.minimum_term_months:
            return None
        index = self.start_date.year * 12 + self.start_date.month - 1 + self.minimum_term_months
        year, month = divmod(index, 12)
        last = calendar.monthrange(year, month + 1)[1]
        return dt.date(year, month + 1, min(self.start_date.day, last))

    @property
    def is_draft(self) -> bool:
        return self.status == ContractStatus.DRAFT

    @property
    def is_terminated(self) -> bool:
        return self.status == ContractStatus.TERMINATED


class ContractLine(models.Model):
    """A product on a contract during [active_from, active_to): quantity, unit price and its own discount.

    A price or quantity change from a day on ends the line the day before and starts a new one, so the
    schedule can bill each part of a period at the price in force then.
    """

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="lines")
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=2, default=Decimal("1"))
    unit_price = models.DecimalField(_("unit price"), **MONEY)
    discount_percent = models.DecimalField(_("discount (%)"), default=Decimal("0"), **PERCENT)
    active_from = models.DateField(_("from"))
    active_to = models.DateField(_("until (exclusive)"), null=True, blank=True)

    class Meta:
        verbose_name = _("contract line")
        verbose_name_plural = _("contract lines")
        ordering = ["contract", "active_from", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="contract_line_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="contract_line_price_not_negative"),
            models.CheckConstraint(condition=Q(discount_percent__gte=0, discount_percent__lte=100),
                                   name="contract_line_discount_range"),
            models.CheckConstraint(condition=Q(active_to__isnull=True) | Q(active_to__gt=models.F("active_from")),
                                   name="contract_line_period_not_empty"),
        ]
        indexes = [models.Index(fields=["product", "contract"], name="contract_line_product_idx")]

    def __str__(self) -> str:
        return f"{self.product.code} × {self.quantity}"


class Discount(models.Model):
    """A percentage off for every customer placed at a node of a discount structure, or anywhere below it.

    Optionally for one product only; in force during [active_from, active_to).
    """

    node = models.ForeignKey(Node, verbose_name=_("node"), on_delete=models.PROTECT, related_name="discounts")
    name = models.CharField(_("name"), max_length=120)
    percent = models.DecimalField(_("discount (%)"), **PERCENT)
    product = models.ForeignKey(Product, verbose_name=_("product"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="discounts",
                                help_text=_("Empty: every product."))
    active_from = models.DateField(_("from"))
    active_to = models.DateField(_("until (exclusive)"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"))

    class Meta:
        verbose_name = _("discount")
        verbose_name_plural = _("discounts")
        ordering = ["node", "active_from", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(percent__gt=0, percent__lte=100), name="discount_percent_range"),
            models.CheckConstraint(condition=Q(active_to__isnull=True) | Q(active_to__gt=models.F("active_from")),
                                   name="discount_period_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.percent} %)"
