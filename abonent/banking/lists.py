"""The bank-lines list, the manual matching screen and the statements list, declared for the list engine."""

from __future__ import annotations

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from abonent.banking.models import BankAccount, BankStatement, BankStatementLine, MatchState, StatementFormat
from abonent.core.grid.declaration import Choice, Column, DateRange, ListSpec, NumberRange, Related, RowAction, Search

CURRENCIES = ["CZK", "EUR", "PLN", "RON", "RUB", "CHF", "HUF", "USD", "GBP"]


def accounts():
    return BankAccount.objects.order_by("name", "id")


def amount_text(amount) -> str:
    return formats.number_format(amount, 2, use_l10n=True, force_grouping=True)


def count_lines(n: int) -> str:
    shown = formats.number_format(n, use_l10n=True, force_grouping=True)
    return ngettext("%(count)s line", "%(count)s lines", n) % {"count": shown}


def count_statements(n: int) -> str:
    shown = formats.number_format(n, use_l10n=True, force_grouping=True)
    return ngettext("%(count)s statement", "%(count)s statements", n) % {"count": shown}


def digits(term: str) -> str:
    return term if term.isdigit() and len(term) <= 18 else ""


def line_link(line: BankStatementLine) -> str:
    return reverse("banking:line", args=[line.pk])


LINE_COLUMNS = [
    Column("booked", pgettext_lazy("bank line", "Booked"), field="booking_date", sortable=True, link=line_link),
    Column("amount", _("Amount"), sortable=True, display=amount_text, css="text-end text-nowrap"),
    Column("currency", _("Currency")),
    Column("counterparty", _("Counterparty"), field="counterparty_name", css="text-truncate grid-name"),
    Column("counterparty_account", _("Counterparty account"), shown=False),
    Column("vs", _("Variable symbol"), field="variable_symbol"),
    Column("reference", _("Reference"), field="structured_reference", shown=False),
    Column("remittance", _("Message"), css="text-truncate grid-wide"),
    Column("state", _("State")),
    Column("party", _("Customer"), display=lambda party: str(party) if party else "", load=("name",),
           css="text-truncate grid-name"),
    Column("confidence", _("Confidence"), display=lambda value: f"{value} %" if value else "", shown=False),
    Column("explanation", _("Explanation"), shown=False),
    Column("account", _("Account"), display=lambda account: str(account) if account else "",
           load=("name", "iban", "account_number", "bank_code", "identifier", "currency"), shown=False),
]

LINE_FILTERS = [
    Search("q", _("Counterparty, symbol or message"), lookups=(
        "counterparty_name__icontains", ("variable_symbol", digits), "remittance__icontains",
        "structured_reference__iexact", "counterparty_account__icontains",
    )),
    Choice("state", _("State"), choices=MatchState.choices),
    Related("account", _("Account"), field="account", queryset=accounts, label_of=str),
    DateRange("booked", pgettext_lazy("bank line", "Booked"), field="booking_date"),
    NumberRange("amount", _("Amount"), field="amount"),
    Choice("currency", _("Currency"), choices=[(c, c) for c in CURRENCIES]),
    Search("statement", _("Statement number"), lookups=(("statement_id", digits),), max_length=18),
]

BANK_LINES = ListSpec(
    key="bank_lines",
    title=_("Bank lines"),
    model=BankStatementLine,
    module="banking",
    url_namespace="banking",
    columns=LINE_COLUMNS,
    filters=LINE_FILTERS,
    group_by=["state", "account", "currency"],
    default_sort="-booked",
    count_label=count_lines,
    export_name="bank-lines",
    empty_text=_("No bank lines yet: import a statement."),
)

def accept_url(line: BankStatementLine) -> str | None:
    """Only a suggestion can be accepted from the list; the rest needs the line's page."""
    if line.state != MatchState.SUGGESTED or line.party_id is None:
        return None
    return reverse("banking:line_accept", args=[line.pk])


MATCHING = ListSpec(
    key="bank_matching",
    title=_("Matching"),
    model=BankStatementLine,
    # Money in that still waits for a person: suggestions first in the default view.
    queryset=lambda: BankStatementLine.objects.filter(
        amount__gt=0, state__in=(MatchState.SUGGESTED, MatchState.UNMATCHED, MatchState.PARTIAL)),
    module="banking",
    url_namespace="banking:matching",
    columns=[
        Column("booked", pgettext_lazy("bank line", "Booked"), field="booking_date", sortable=True, link=line_link),
        Column("amount", _("Amount"), sortable=True, display=amount_text, css="text-end text-nowrap"),
        Column("currency", _("Currency"), shown=False),
        Column("counterparty", _("Counterparty"), field="counterparty_name", css="text-truncate grid-name"),
        Column("vs", _("Variable symbol"), field="variable_symbol"),
        Column("remittance", _("Message"), shown=False),
        Column("state", _("State")),
        Column("party", _("Suggested customer"), display=lambda party: str(party) if party else "",
               load=("name",), css="text-truncate grid-name"),
        Column("confidence", _("Confidence"), display=lambda value: f"{value} %" if value else "",
               css="text-end"),
        Column("explanation", _("Why"), css="text-truncate grid-wide"),
    ],
    filters=[f for f in LINE_FILTERS if f.key != "state"] + [
        Choice("state", _("State"), choices=[(s.value, s.label) for s in (
            MatchState.SUGGESTED, MatchState.UNMATCHED, MatchState.PARTIAL)]),
    ],
    group_by=["state", "account"],
    default_sort="-booked",
    count_label=count_lines,
    export_name="bank-matching",
    empty_text=_("Nothing waits for matching."),
    row_action=RowAction(pgettext_lazy("a suggested match", "Accept"), url=accept_url,
                         title=lambda line: line.explanation, reads=("state", "party_id", "explanation")),
)


def statement_link(statement: BankStatement) -> str:
    return reverse("banking:statement", args=[statement.pk])


def balance_text(value) -> str:
    return "" if value is None else amount_text(value)


STATEMENTS = ListSpec(
    key="bank_statements",
    title=_("Bank statements"),
    model=BankStatement,
    module="banking",
    url_namespace="banking:statements",
    columns=[
        Column("imported", _("Imported"), field="imported_at", sortable=True, link=statement_link),
        Column("number", _("Statement")),
        Column("warning", _("Warning"), css="text-warning-emphasis",
               display=lambda warning: str(_("does not add up")) if warning else ""),
        Column("account", _("Account"), display=lambda account: str(account),
               load=("name", "iban", "account_number", "bank_code", "identifier", "currency")),
        Column("format", _("Format")),
        Column("from", _("From"), field="period_from"),
        Column("to", _("To"), field="period_to"),
        Column("lines", _("Lines"), field="line_count", css="text-end"),
        Column("closing", _("Closing balance"), field="closing_balance", display=balance_text,
               css="text-end text-nowrap"),
        Column("currency", _("Currency")),
        Column("file", _("File"), field="file_name", shown=False),
    ],
    filters=[
        Search("q", _("Statement or file"), lookups=("number__icontains", "file_name__icontains")),
        Related("account", _("Account"), field="account", queryset=accounts, label_of=str),
        Choice("format", _("Format"), choices=StatementFormat.choices),
        DateRange("imported", _("Imported"), field="imported_at"),
    ],
    group_by=["account", "format"],
    default_sort="-imported",
    count_label=count_statements,
    export_name="bank-statements",
    empty_text=_("No statements imported yet."),
)
