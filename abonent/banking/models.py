"""The company's bank accounts, the statements imported for them and their lines, and saved CSV layouts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from abonent.billing.models import ExpectedPayment, Payment
from abonent.core.models import Channel
from abonent.customers.models import Party


class StatementFormat(models.TextChoices):
    CAMT053 = "camt053", _("ISO 20022 camt.053 (statement)")
    CAMT052 = "camt052", _("ISO 20022 camt.052 (intraday report)")
    CAMT054 = "camt054", _("ISO 20022 camt.054 (notification)")
    MT940 = "mt940", _("SWIFT MT940")
    GPC = "gpc", _("ABO/GPC (Czech banks)")
    FIO_JSON = "fio-json", _("Fio banka API (JSON)")
    CSV = "csv", _("CSV")


class BankApi(models.TextChoices):
    NONE = "", _("None (statements are imported as files)")
    FIO = "fio", _("Fio banka API")


class BankAccount(models.Model):
    """One of the company's own accounts, into which customers pay."""

    name = models.CharField(_("name"), max_length=120, blank=True)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    account_number = models.CharField(_("account number"), max_length=40, blank=True)
    bank_code = models.CharField(_("bank code"), max_length=11, blank=True)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    # The account as statements name it, normalised (IBAN, "prefix-number/bank", or the bank's own form):
    # with the currency, how an imported statement finds its account. Banks give the accounts of one
    # customer in several currencies the same number (Knab's EUR and PostFinance's CHF ":25:123456789"),
    # and some one IBAN: an account is its identifier and its currency.
    identifier = models.CharField(_("identifier"), max_length=60)
    is_active = models.BooleanField(_("active"), default=True)
    api = models.CharField(_("bank API"), max_length=10, choices=BankApi.choices, blank=True, default="")
    # The bank's API token: secret, never shown back nor logged (see docs/banking.md).
    api_token = models.CharField(_("API token"), max_length=200, blank=True)
    api_synced_at = models.DateTimeField(_("last synchronised"), null=True, blank=True)
    api_last_error = models.CharField(_("last synchronisation error"), max_length=300, blank=True)
    # After a download that failed to import, where the bank's mark must go back to (the last movement stored,
    # else the day before the first movement downloaded) so that the movements come again: the next poll
    # does it (the bank takes one request per 30 seconds), the one after downloads.
    api_rewind_to_id = models.CharField(max_length=30, blank=True)
    api_rewind_to_date = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(_("registered"))

    class Meta:
        verbose_name = _("company bank account")
        verbose_name_plural = _("company bank accounts")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["identifier", "currency"], name="bank_account_once_per_currency"),
        ]

    def __str__(self) -> str:
        shown = self.iban or (f"{self.account_number}/{self.bank_code}" if self.bank_code else self.account_number)
        shown = " ".join(part for part in (shown or self.identifier, self.currency) if part)
        return f"{self.name} ({shown})" if self.name else shown


class BankStatement(models.Model):
    """One statement (or intraday report, or API download) of one account, as it was imported."""

    account = models.ForeignKey(BankAccount, verbose_name=_("account"), on_delete=models.PROTECT,
                                related_name="statements")
    format = models.CharField(_("format"), max_length=10, choices=StatementFormat.choices)
    number = models.CharField(_("statement"), max_length=80, blank=True)  # the bank's id or sequence number
    period_from = models.DateField(_("from"), null=True, blank=True)
    period_to = models.DateField(_("to"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    opening_balance = models.DecimalField(_("opening balance"), max_digits=18, decimal_places=2, null=True,
                                          blank=True)
    closing_balance = models.DecimalField(_("closing balance"), max_digits=18, decimal_places=2, null=True,
                                          blank=True)
    line_count = models.PositiveIntegerField(_("lines"), default=0)
    file_name = models.CharField(_("file"), max_length=200, blank=True)
    file_checksum = models.CharField(_("file checksum"), max_length=64)
    # The statement's own identity (its number, period, balances and lines): importing it again finds it.
    fingerprint = models.CharField(max_length=64)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("imported by"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")
    imported_at = models.DateTimeField(_("imported"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.UI)
    # Why the statement may be incomplete or altered: its balances do not add up (imported all the same).
    warning = models.TextField(_("warning"), blank=True)

    class Meta:
        verbose_name = _("bank statement")
        verbose_name_plural = _("bank statements")
        constraints = [
            models.UniqueConstraint(fields=["account", "fingerprint"], name="bank_statement_once_per_account"),
        ]
        indexes = [
            models.Index(fields=["imported_at", "id"], name="bank_statement_imported"),
            models.Index(fields=["account", "imported_at"], name="bank_statement_account"),
            models.Index(fields=["format"], name="bank_statement_format"),
        ]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"


class MatchState(models.TextChoices):
    UNMATCHED = "unmatched", _("Unmatched")
    SUGGESTED = "suggested", _("Suggested")
    MATCHED = "matched", _("Matched")
    PARTIAL = "partial", _("Partially matched")
    IGNORED = "ignored", _("Ignored")


class BankStatementLine(models.Model):
    """One movement on a company account: a payment in (positive) or out (negative)."""

    # Keys without an index of their own are the first column of one below: a statement's ten thousand lines
    # write each index once more. The account is the statement's (kept on the line for the unique checksum
    # and the lists): the statement's key is checked, the same account again for every line is not.
    account = models.ForeignKey(BankAccount, verbose_name=_("account"), on_delete=models.PROTECT,
                                related_name="lines", db_index=False, db_constraint=False)
    statement = models.ForeignKey(BankStatement, verbose_name=_("statement"), on_delete=models.PROTECT,
                                  related_name="lines", db_index=False)
    position = models.PositiveIntegerField(default=0)  # order within the statement
    booking_date = models.DateField(_("booked"))
    value_date = models.DateField(_("value date"), null=True, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    # As the bank wrote it (an IBAN, "19-2000145399/0800", a national number), and as an IBAN when it can be
    # derived (Czech and Slovak numbers with a bank code), which is what matching compares.
    counterparty_account = models.CharField(_("counterparty account"), max_length=60, blank=True)
    counterparty_iban = models.CharField(_("counterparty IBAN"), max_length=34, blank=True)
    counterparty_bank_code = models.CharField(_("counterparty bank"), max_length=11, blank=True)
    counterparty_name = models.CharField(_("counterparty"), max_length=200, blank=True)
    variable_symbol = models.CharField(_("variable symbol"), max_length=20, blank=True)
    constant_symbol = models.CharField(_("constant symbol"), max_length=10, blank=True)
    specific_symbol = models.CharField(_("specific symbol"), max_length=20, blank=True)
    end_to_end_id = models.CharField(_("end-to-end ID"), max_length=100, blank=True)
    structured_reference = models.CharField(_("structured reference"), max_length=60, blank=True)
    remittance = models.TextField(_("remittance information"), blank=True)
    bank_transaction_id = models.CharField(_("bank transaction ID"), max_length=100, blank=True)
    checksum = models.CharField(max_length=64)
    state = models.CharField(_("state"), max_length=10, choices=MatchState.choices, default=MatchState.UNMATCHED)
    explanation = models.CharField(_("explanation"), max_length=300, blank=True)
    confidence = models.PositiveSmallIntegerField(_("confidence"), default=0)  # percent
    # The customer the line was matched or is suggested for, and for a suggestion the item it would pay first.
    party = models.ForeignKey(Party, verbose_name=_("customer"), null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", db_index=False)
    expected_payment = models.ForeignKey(ExpectedPayment, verbose_name=_("expected payment"), null=True,
                                         blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("imported"))

    class Meta:
        verbose_name = _("bank statement line")
        verbose_name_plural = _("bank statement lines")
        constraints = [
            models.UniqueConstraint(fields=["account", "checksum"], name="bank_line_once_per_account"),
        ]
        indexes = [
            # Keyset pages of the bank-lines list and its filters/groups.
            models.Index(fields=["booking_date", "id"], name="bank_line_booked_keyset"),
            models.Index(fields=["amount", "id"], name="bank_line_amount_keyset"),
            models.Index(fields=["state", "booking_date", "id"], name="bank_line_state"),
            models.Index(fields=["account", "booking_date", "id"], name="bank_line_account"),
            models.Index(fields=["currency"], name="bank_line_currency"),
            models.Index(fields=["statement", "position"], name="bank_line_statement"),
            models.Index(fields=["party"], name="bank_line_party"),
        ]

    def __str__(self) -> str:
        return f"{self.booking_date} {self.amount} {self.currency} {self.counterparty_name}".strip()

    @property
    def is_credit(self) -> bool:
        return self.amount > 0


class LinePayment(models.Model):
    """A payment recorded from a bank line: one for a matched line, one per customer for a split line."""

    line = models.ForeignKey(BankStatementLine, on_delete=models.PROTECT, related_name="payments")
    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, related_name="bank_line")
    created_at = models.DateTimeField(_("matched"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        verbose_name = _("payment from a bank line")
        verbose_name_plural = _("payments from bank lines")

    def __str__(self) -> str:
        return f"{self.line_id} → {self.payment_id}"


class SignConvention(models.TextChoices):
    SIGNED = "signed", _("One amount column, negative for payments out")
    TWO_COLUMNS = "two_columns", _("Separate columns for money in and money out")
    INDICATOR = "indicator", _("An amount column and a debit/credit column")


class CsvProfile(models.Model):
    """How one bank's CSV export is laid out, saved under a name: `abonent bank import --format csv:NAME`."""

    name = models.SlugField(_("name"), max_length=60, unique=True)
    description = models.CharField(_("description"), max_length=200, blank=True)
    delimiter = models.CharField(_("delimiter"), max_length=2, default=";")
    encoding = models.CharField(_("encoding"), max_length=20, default="utf-8")
    date_format = models.CharField(_("date format"), max_length=20, default="%d.%m.%Y")
    decimal_separator = models.CharField(_("decimal separator"), max_length=1, default=",")
    skip_rows = models.PositiveSmallIntegerField(_("lines before the header"), default=0)
    # field -> the header name of its column, e.g. {"booking_date": "Datum", "amount": "Částka", ...}
    columns = models.JSONField(_("columns"), default=dict)
    sign_convention = models.CharField(_("sign"), max_length=12, choices=SignConvention.choices,
                                       default=SignConvention.SIGNED)
    debit_marker = models.CharField(_("debit marker"), max_length=20, blank=True,
                                    help_text=_("The value of the debit/credit column that marks money out."))
    currency = models.CharField(_("currency when the file has none"), max_length=3, blank=True)
    account = models.ForeignKey(BankAccount, verbose_name=_("account when the file names none"), null=True,
                                blank=True, on_delete=models.SET_NULL, related_name="csv_profiles")

    class Meta:
        verbose_name = _("CSV profile")
        verbose_name_plural = _("CSV profiles")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
