"""Matching bank lines to the payments Abonent expects: a state, an explanation and a confidence per line.

In order, for each line of money in:
  (a) its payment reference (variable symbol, ISO 11649 creditor reference) names a contract: that
      contract's customer (100 %; 50 % and only a suggestion when the paying account is another customer's);
  (b) the paying account (IBAN, or a Czech/Slovak number turned into one) is one customer's (90 %);
  (c) exactly one open expected payment has this amount, due within 30 days of the booking (65 %);
  (d) among the customers owing this amount, one has a name like the payer's (up to 70 %).
At or above AUTO_CONFIDENCE the payment is recorded for the customer and allocated (billing's
bank_payments_record); below it the line is "suggested" and waits on the manual matching screen.
Everything is looked up for all lines at once: a few queries per statement, never one per line.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, DecimalField, ExpressionWrapper, F, Min
from django.utils.translation import gettext as _

from abonent.banking.models import BankStatementLine, LinePayment, MatchState
from abonent.banking.parsing.base import compact, looks_like_iban
from abonent.billing.bank_payments import BankPaymentEntry, bank_payments_record, rows_insert, rows_update
from abonent.billing.models import ExpectedPayment
from abonent.contracts.models import Contract
from abonent.contracts.references import creditor_reference_normalise, variable_symbol_normalise
from abonent.core.bulk import Writer, quoted_table, rows_where
from abonent.core.services import PeriodClosedError, period_assert_open
from abonent.customers.models import BankAccount as CustomerBankAccount
from abonent.customers.models import Party

AUTO_CONFIDENCE = 80
DATE_WINDOW = dt.timedelta(days=30)
NAME_SIMILARITY = 0.8
NAME_CANDIDATES = 50  # customers owing the same amount compared by name similarity, at most
NAME_KEY_CANDIDATES = 5000  # ... and compared by the exact name (accents, case, word order aside), at most
CHUNK = 2000
RF_IN_TEXT = re.compile(r"RF\d{2}(?:\s?[A-Z0-9]){1,21}")


@dataclass
class MatchOutcome:
    matched: int = 0
    suggested: int = 0
    unmatched: int = 0
    ignored: int = 0


@dataclass
class Decision:
    party_id: int
    confidence: int
    explanation: str
    contract_id: int | None = None
    item_id: int | None = None
    references: tuple[set[str], set[str]] | None = None  # the line's (line_references), read once


def _chunks(values: Sequence) -> list[list]:
    ordered = sorted(set(values))
    return [ordered[i:i + CHUNK] for i in range(0, len(ordered), CHUNK)]


def line_references(line: BankStatementLine) -> tuple[set[str], set[str]]:
    """(variable symbols, creditor references) the line quotes, normalised as contracts store them."""
    symbols, creditor = set(), set()
    if line.variable_symbol:
        symbols.add(variable_symbol_normalise(line.variable_symbol))
    reference = line.structured_reference.strip()
    if reference[:2].upper() == "RF":
        creditor.add(creditor_reference_normalise(reference))
    elif reference.isdigit():
        symbols.add(variable_symbol_normalise(reference))
    for text in (line.remittance, line.end_to_end_id):
        for found in RF_IN_TEXT.findall((text or "").upper()):
            creditor.add(creditor_reference_normalise(found))
    return symbols - {""}, creditor - {""}


def line_iban(line: BankStatementLine) -> str:
    if line.counterparty_iban:
        return line.counterparty_iban
    return compact(line.counterparty_account) if looks_like_iban(line.counterparty_account) else ""


def name_key(name: str) -> str:
    """A name compared without accents, case, punctuation or word order: "NOVÁK, Jan" ~ "Jan Novák"."""
    plain = unicodedata.normalize("NFKD", name or "")
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch)).casefold()
    words = re.findall(r"\w+", plain)
    noise = {"sro", "s", "r", "o", "as", "a", "spol", "ing", "mgr", "bc", "ltd", "gmbh", "mr", "mrs"}
    return " ".join(sorted(w for w in words if w not in noise))


def name_similarity(a: str, b: str) -> float:
    left, right = name_key(a), name_key(b)
    if not left or not right:
        return 0.0
    return difflib.SequenceMatcher(None, left, right).ratio()


# --- deciding --------------------------------------------------------------------------------------


def _contracts_by_reference(references: Sequence[tuple[set[str], set[str]]]) -> tuple[dict, dict]:
    """{variable symbol: contract}, {creditor reference: contract} of the references the lines quote."""
    symbols, creditor = set(), set()
    for s, c in references:
        symbols |= s
        creditor |= c
    by_symbol, by_creditor = {}, {}
    for column, keys, target in (("variable_symbol", symbols, by_symbol), ("creditor_reference", creditor,
                                                                            by_creditor)):
        if not keys:
            continue
        rows = rows_where(
            f"SELECT c.id, c.number, c.{column}, c.party_id, p.merged_into_id, p.name "  # noqa: S608 - our names
            f"FROM {quoted_table(Contract)} c JOIN {quoted_table(Party)} p ON p.id = c.party_id "
            f"WHERE c.{column} {{any}}",
            [sorted(keys)])
        for pk, number, key, party_id, merged_into_id, name in rows:
            target[key] = {"id": pk, "number": number, column: key, "party_id": party_id,
                           "party__merged_into_id": merged_into_id, "party__name": name}
    return by_symbol, by_creditor


def _parties_by_iban(lines: Sequence[BankStatementLine]) -> dict[str, dict[int, str]]:
    ibans = {iban for line in lines if (iban := line_iban(line))}
    owners: dict[str, dict[int, str]] = defaultdict(dict)
    if ibans:
        rows = rows_where(
            f"SELECT b.iban, b.party_id, p.merged_into_id, p.name FROM {quoted_table(CustomerBankAccount)} b "  # noqa: S608
            f"JOIN {quoted_table(Party)} p ON p.id = b.party_id WHERE b.iban {{any}}", [sorted(ibans)])
        for iban, party_id, merged_into_id, name in rows:
            owners[iban][merged_into_id or party_id] = name
    return owners


def _texts() -> dict[str, str]:
    """The explanations of the common cases, translated once per batch of lines rather than once a line."""
    return {
        "quotes_many": _("The line quotes references of %(count)s different customers' contracts."),
        "other_payer": _("Reference %(reference)s is contract %(contract)s of %(customer)s, but the paying account "
                         "belongs to %(payer)s."),
        "reference": _("Reference %(reference)s is contract %(contract)s of %(customer)s."),
        "account": _("The paying account %(account)s is %(customer)s's."),
    }


def _by_reference(line, references, by_symbol, by_creditor, owners, texts) -> Decision | None:
    symbols, creditor = references
    found = [by_symbol[s] for s in sorted(symbols) if s in by_symbol]
    found += [by_creditor[c] for c in sorted(creditor) if c in by_creditor]
    if not found:
        return None
    parties = {row["party__merged_into_id"] or row["party_id"] for row in found}
    row = found[0]
    party_id = row["party__merged_into_id"] or row["party_id"]
    quoted = row["variable_symbol"] if "variable_symbol" in row else row["creditor_reference"]
    if len(parties) > 1:
        return Decision(party_id=party_id, contract_id=row["id"], confidence=40,
                        explanation=texts["quotes_many"] % {"count": len(parties)})
    payers = owners.get(line_iban(line), {})
    if payers and party_id not in payers:
        return Decision(party_id=party_id, contract_id=row["id"], confidence=50, explanation=texts["other_payer"] % {
            "reference": quoted, "contract": row["number"], "customer": row["party__name"],
            "payer": ", ".join(sorted(payers.values()))})
    return Decision(party_id=party_id, contract_id=row["id"], confidence=100, explanation=texts["reference"] % {
        "reference": quoted, "contract": row["number"], "customer": row["party__name"]})


def _by_account(line, owners, texts) -> Decision | None:
    iban = line_iban(line)
    payers = owners.get(iban, {})
    if len(payers) == 1:
        (party_id, name), = payers.items()
        return Decision(party_id=party_id, confidence=90,
                        explanation=texts["account"] % {"account": iban, "customer": name})
    return None


def _by_amount_and_name(lines: Sequence[BankStatementLine]) -> dict[int, Decision]:
    """(c) a unique open item of the amount due near the booking; (d) a customer owing it with the payer's name."""
    if not lines:
        return {}
    decisions: dict[int, Decision] = {}
    start = min(line.booking_date for line in lines) - DATE_WINDOW
    end = max(line.booking_date for line in lines) + DATE_WINDOW
    outstanding = F("amount") - F("paid_amount")
    wanted: dict[str, set[Decimal]] = defaultdict(set)
    for line in lines:
        wanted[line.currency].add(line.amount)
    groups: dict[tuple[str, Decimal], int] = {}
    for currency, amounts in wanted.items():
        for chunk in _chunks(list(amounts)):
            rows = (ExpectedPayment.objects.open().filter(currency=currency, due_date__gte=start, due_date__lte=end)
                    .annotate(owed=models_owed(outstanding)).filter(owed__in=chunk)
                    .values("owed").annotate(n=Count("id"), first=Min("id")).order_by())
            groups.update({(currency, row["owed"]): row["n"] for row in rows})
    small = {key for key, n in groups.items() if n <= NAME_KEY_CANDIDATES}
    items: dict[tuple[str, Decimal], list[dict]] = defaultdict(list)
    for currency in {c for c, _a in small}:
        amounts = [a for c, a in small if c == currency]
        for chunk in _chunks(amounts):
            rows = (ExpectedPayment.objects.open().filter(currency=currency, due_date__gte=start, due_date__lte=end)
                    .annotate(owed=models_owed(outstanding)).filter(owed__in=chunk)
                    .values("id", "owed", "due_date", "party_id", "party__merged_into_id", "party__name",
                            "contract_id", "contract__number"))
            for row in rows:
                row["name_key"] = name_key(row["party__name"])
                items[(currency, row["owed"])].append(row)
    for line in lines:
        candidates = [row for row in items.get((line.currency, line.amount), [])
                      if abs(row["due_date"] - line.booking_date) <= DATE_WINDOW]
        if not candidates:
            continue
        if len(candidates) == 1 and groups.get((line.currency, line.amount)) == 1:
            row = candidates[0]
            decisions[line.pk] = Decision(
                party_id=row["party__merged_into_id"] or row["party_id"], contract_id=row["contract_id"],
                item_id=row["id"], confidence=65, explanation=_(
                    "The only open payment of this amount due near that day is %(customer)s's (contract "
                    "%(contract)s, due %(due)s).") % {"customer": row["party__name"],
                                                      "contract": row["contract__number"],
                                                      "due": row["due_date"].isoformat()})
            continue
        if not line.counterparty_name:
            continue
        nearest: dict[int, dict] = {}  # per customer, the item due nearest the booking
        for row in sorted(candidates, key=lambda r: (abs(r["due_date"] - line.booking_date), r["id"])):
            nearest.setdefault(row["party__merged_into_id"] or row["party_id"], row)
        if len(nearest) > NAME_CANDIDATES:  # many owe this amount: only the same name counts
            key = name_key(line.counterparty_name)
            same = [row for row in nearest.values() if row["name_key"] == key]
            scored = [(1.0, row) for row in same] + [(0.0, row) for row in nearest.values() if row not in same][:1]
        else:
            scored = sorted(((name_similarity(line.counterparty_name, row["party__name"]), row)
                             for row in nearest.values()), key=lambda pair: -pair[0])
        best, row = scored[0]
        runner_up = scored[1][0] if len(scored) > 1 else 0.0
        if best >= NAME_SIMILARITY and best - runner_up >= 0.1:
            decisions[line.pk] = Decision(
                party_id=row["party__merged_into_id"] or row["party_id"], contract_id=row["contract_id"],
                item_id=row["id"], confidence=int(best * 70), explanation=_(
                    "The payer “%(payer)s” is named like %(customer)s, who owes this amount.") % {
                    "payer": line.counterparty_name, "customer": row["party__name"]})
    return decisions


def models_owed(outstanding):
    return ExpressionWrapper(outstanding, output_field=DecimalField(max_digits=14, decimal_places=2))


def lines_decide(lines: Sequence[BankStatementLine]) -> dict[int, Decision | None]:
    """What each line of money in would be matched to, looked up for all lines at once."""
    references = [line_references(line) for line in lines]
    by_symbol, by_creditor = _contracts_by_reference(references)
    owners = _parties_by_iban(lines)
    texts = _texts()
    decisions: dict[int, Decision | None] = {}
    rest = []
    for line, quoted in zip(lines, references, strict=True):
        decision = (_by_reference(line, quoted, by_symbol, by_creditor, owners, texts)
                    or _by_account(line, owners, texts))
        decisions[line.pk] = decision
        if decision is None:
            rest.append(line)
        else:
            decision.references = quoted
    decisions.update(_by_amount_and_name(rest))
    return decisions


# --- applying --------------------------------------------------------------------------------------


def _closed_days(days: set[dt.date]) -> set[dt.date]:
    closed = set()
    for day in days:
        try:
            period_assert_open(on=day, domain="billing")
        except PeriodClosedError:
            closed.add(day)
    return closed


def payment_entry(line: BankStatementLine, *, party_id: int, amount: Decimal, contract_id: int | None = None,
                  item_id: int | None = None, note: str = "",
                  references: tuple[set[str], set[str]] | None = None) -> BankPaymentEntry:
    symbols, creditor = references or line_references(line)
    return BankPaymentEntry(
        party_id=party_id, amount=amount, currency=line.currency, received_on=line.booking_date,
        reference=(sorted(symbols) or sorted(creditor) or [""])[0],
        counterparty_account=line_iban(line) or line.counterparty_account,
        counterparty_name=line.counterparty_name, note=note, contract_id=contract_id, item_id=item_id,
    )


def lines_match(*, lines: Sequence[BankStatementLine], by: Any, channel: str, now: dt.datetime) -> MatchOutcome:
    """Match stored lines, set-based: money out is set aside, money in is matched or suggested or left."""
    assessed = lines_assess(lines)
    lines_apply(assessed, by=by, channel=channel, now=now)
    rows_update(BankStatementLine, ["state", "confidence", "explanation", "party", "expected_payment"], lines)
    return assessed.outcome


@dataclass
class Assessment:
    outcome: MatchOutcome
    auto: list[tuple[Any, Decision]]  # lines whose payment is recorded: (line, decision)


def lines_assess(lines: Sequence[Any]) -> Assessment:
    """Decide each line's state, confidence, explanation, customer and item, in memory (a statement's new
    lines are decided before they are written, so that each is written once)."""
    outcome = MatchOutcome()
    ignored = _("Money out: not a customer's payment.")
    for line in lines:
        if line.amount < 0:
            line.state, line.explanation, line.confidence = MatchState.IGNORED, ignored, 100
            line.party_id, line.expected_payment_id = None, None
    credits = [line for line in lines if line.amount > 0]
    outcome.ignored = len(lines) - len(credits)
    foreign = [line for line in credits if line.currency not in settings.CURRENCIES]
    for line in foreign:
        line.state, line.confidence, line.party_id, line.expected_payment_id = MatchState.UNMATCHED, 0, None, None
        line.explanation = _("Abonent keeps no accounts in %(currency)s.") % {"currency": line.currency}
    credits = [line for line in credits if line.currency in settings.CURRENCIES]
    decisions = lines_decide(credits)
    closed = _closed_days({line.booking_date for line in credits})
    auto, wanting_item = [], []
    nothing = _("No reference, account or amount led to a customer.")
    closed_note = " " + _("The billing period of that day is closed.")
    for line in credits:
        decision = decisions.get(line.pk)
        line.party_id, line.expected_payment_id = None, None
        if decision is None:
            line.state, line.confidence, line.explanation = MatchState.UNMATCHED, 0, nothing
        elif decision.confidence >= AUTO_CONFIDENCE and line.booking_date not in closed:
            auto.append((line, decision))
            line.state, line.party_id = MatchState.MATCHED, decision.party_id
            line.confidence, line.explanation = decision.confidence, decision.explanation
        else:
            line.state, line.party_id, line.expected_payment_id = MatchState.SUGGESTED, decision.party_id, (
                decision.item_id)
            if not decision.item_id and decision.contract_id:
                wanting_item.append((line, decision.contract_id))
            line.confidence, line.explanation = decision.confidence, decision.explanation
            if line.booking_date in closed:
                line.explanation += closed_note
    firsts = _first_items({contract for _line, contract in wanting_item})
    for line, contract in wanting_item:
        line.expected_payment_id = firsts.get(contract)
    outcome.matched = len(auto)
    outcome.suggested = sum(1 for line in credits if line.state == MatchState.SUGGESTED)
    outcome.unmatched = len(credits) + len(foreign) - outcome.matched - outcome.suggested
    return Assessment(outcome=outcome, auto=auto)


def lines_apply(assessed: Assessment, *, by: Any, channel: str, now: dt.datetime,
                writer: Writer | None = None) -> None:
    """Record and allocate the payments of the lines matched automatically, each linked to its line.

    With a `writer` (see bank_payments_record), the rows go through it and the caller leaves it.
    """
    if not assessed.auto:
        return
    note = _("Bank statement %(statement)s")
    payment_ids = bank_payments_record(
        entries=[payment_entry(line, party_id=d.party_id, amount=line.amount, contract_id=d.contract_id,
                               note=note % {"statement": line.statement_id}, references=d.references)
                 for line, d in assessed.auto], by=by, channel=channel, now=now, writer=writer)
    actor = by.pk if getattr(by, "is_authenticated", False) else None
    rows_insert(LinePayment, ["line", "payment", "created_at", "created_by"],
                [[line.pk, payment_id, now, actor] for (line, _d), payment_id in zip(assessed.auto, payment_ids,
                                                                                     strict=True)], writer=writer)


def _first_items(contract_ids: set[int]) -> dict[int, int]:
    """The oldest open item of each contract: the one a suggestion would pay first."""
    firsts: dict[int, int] = {}
    for chunk in _chunks(list(contract_ids)):
        rows = (ExpectedPayment.objects.open().filter(contract_id__in=chunk)
                .order_by("contract_id", "due_date", "id").values_list("contract_id", "id"))
        for contract_id, item_id in rows:
            firsts.setdefault(contract_id, item_id)
    return firsts
