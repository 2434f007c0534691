"""Writes of banking: company accounts, CSV profiles, statement import (then matching)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from operator import attrgetter
from types import SimpleNamespace
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from abonent.banking.models import BankAccount, BankStatement, BankStatementLine, CsvProfile, MatchState
from abonent.banking.parsing import (
    CsvLayout,
    ParsedAccount,
    ParsedLine,
    ParsedStatement,
    StatementFormatError,
    statement_parse,
)
from abonent.banking.parsing.base import account_identifier, compact, counterparty_iban, looks_like_iban
from abonent.core import bulk
from abonent.core.models import Channel
from abonent.core.runtime import gc_paused
from abonent.core.services import AbonentError, audit_record, changed_fields

CENT = Decimal("0.01")
LINE_COLUMNS = (
    "account_id", "statement_id", "position", "booking_date", "value_date", "amount", "currency",
    "counterparty_account", "counterparty_iban", "counterparty_bank_code", "counterparty_name", "variable_symbol",
    "constant_symbol", "specific_symbol", "end_to_end_id", "structured_reference", "remittance",
    "bank_transaction_id", "checksum", "created_at", "state", "explanation", "confidence", "party_id",
    "expected_payment_id",
)


class BankingError(AbonentError):
    pass


# --- company accounts ------------------------------------------------------------------------------


def _cz_parts(iban: str) -> tuple[str, str]:
    """("prefix-number", bank code) of a Czech or Slovak IBAN; ("", "") for others."""
    if iban[:2] not in ("CZ", "SK") or len(iban) != 24:
        return "", ""
    bank, prefix, number = iban[4:8], iban[8:14].lstrip("0"), iban[14:].lstrip("0")
    return (f"{prefix}-{number}" if prefix else number), bank


def account_find(parsed: ParsedAccount) -> BankAccount | None:
    """The company account a statement names, by IBAN, by "number/bank" or by its number alone, in its currency.

    One number (or IBAN) can be accounts in several currencies: an account in another currency than
    `parsed.currency` is never the one; one registered without a currency is, when none has that currency.
    """
    keys = {parsed.identifier}
    condition = Q(identifier__in=keys - {""})
    if parsed.iban:
        condition |= Q(iban=compact(parsed.iban))
        number, bank = _cz_parts(compact(parsed.iban))
        if number:
            condition |= Q(account_number=number, bank_code=bank)
    if parsed.account_number:
        condition |= Q(account_number=parsed.account_number, bank_code__in={parsed.bank_code, ""})
        if not parsed.bank_code:
            condition |= Q(account_number=parsed.account_number)
    found = BankAccount.objects.filter(condition)
    if parsed.currency:
        found = found.filter(currency__in=(parsed.currency, ""))
    found = sorted(found, key=lambda account: (account.currency != parsed.currency, account.pk))
    if not parsed.currency and len({account.currency for account in found}) > 1:
        raise BankingError(
            _("The statement names the account %(account)s but not its currency, and that account is registered "
              "in several currencies: choose the account to import into.") % {"account": found[0].identifier}
        )
    return found[0] if found else None


def account_currency_adopt(*, account: BankAccount, currency: str, by: Any, channel: str,
                           now: dt.datetime) -> None:
    """Give an account registered without a currency the currency of the first statement imported into it.

    From then on a statement of the same number in another currency registers an account of its own.
    """
    if account.currency or not currency:
        return
    if BankAccount.objects.filter(identifier=account.identifier, currency=currency).exists():
        return  # the account in that currency exists: this one, chosen by hand, stays as it is
    account.currency = currency
    account.save(update_fields=["currency"])
    audit_record(actor=by, action="abonent.banking.account.changed", target=account, channel=channel, now=now,
                 changes={"currency": ("", currency)})


def account_register(*, parsed: ParsedAccount, by: Any, channel: str, now: dt.datetime) -> BankAccount:
    """Register a company account met for the first time in a statement (or typed on the command line)."""
    iban = compact(parsed.iban) if parsed.iban else ""
    number, bank = _cz_parts(iban) if iban else (parsed.account_number, parsed.bank_code)
    account = BankAccount.objects.create(
        name=parsed.name[:120], iban=iban if looks_like_iban(iban) else "", account_number=number or "",
        bank_code=bank or "", bic=parsed.bic[:11], currency=parsed.currency[:3],
        identifier=parsed.identifier or iban, created_at=now,
    )
    if not account.iban and iban:  # the file's IBAN is not one ("XXX-IBAN"): keep it as the number
        account.account_number = iban[:40]
        account.save(update_fields=["account_number"])
    audit_record(actor=by, action="abonent.banking.account.registered", target=account, channel=channel, now=now,
                 changes={"identifier": (None, account.identifier), "currency": (None, account.currency)})
    return account


def _account_typed(text: str, *, currency: str) -> ParsedAccount:
    """An account typed by hand: an IBAN, or a number with or without its "/bank code"."""
    raw = compact(text)
    parsed = ParsedAccount(iban=raw, currency=currency) if looks_like_iban(raw) else ParsedAccount(
        account_number=text.strip(), currency=currency)
    if "/" in parsed.account_number:
        parsed.account_number, _slash, parsed.bank_code = parsed.account_number.partition("/")
    return parsed


ACCOUNT_FIELDS = ("name", "iban", "account_number", "bank_code", "bic", "currency", "is_active", "api")


def account_save(*, account: BankAccount, values: dict[str, Any], token: str | None, by: Any,
                 now: dt.datetime) -> BankAccount:
    """Create or change a company account; `token` None keeps the stored API token, "" removes it."""
    created = account.pk is None
    changes = {} if created else changed_fields(account, {k: v for k, v in values.items() if k in ACCOUNT_FIELDS})
    for name, value in values.items():
        setattr(account, name, value)
    account.iban = compact(account.iban)
    account.identifier = account_identifier(iban=account.iban, number=account.account_number,
                                            bank_code=account.bank_code)
    if not account.identifier:
        raise BankingError(_("Give the account's IBAN or its number."))
    clash = (BankAccount.objects.filter(identifier=account.identifier, currency=account.currency)
             .exclude(pk=account.pk).first())
    if clash is not None:
        raise BankingError(_("The account %(account)s is already registered.") % {"account": clash})
    if token is not None and token != account.api_token:
        account.api_token = token
        changes["api_token"] = ("…", "…" if token else "")  # that it changed, never the secret itself
    if created:
        account.created_at = now
        changes = {name: (None, getattr(account, name)) for name in ACCOUNT_FIELDS}
    with transaction.atomic():
        account.save()
        audit_record(actor=by, action="abonent.banking.account." + ("created" if created else "changed"),
                     target=account, changes=changes, now=now)
    return account


# --- CSV profiles ----------------------------------------------------------------------------------


def csv_layout(profile: CsvProfile) -> CsvLayout:
    return CsvLayout(
        columns={k: v for k, v in (profile.columns or {}).items() if v}, delimiter=profile.delimiter,
        encoding=profile.encoding, date_format=profile.date_format, decimal_separator=profile.decimal_separator,
        skip_rows=profile.skip_rows, sign_convention=profile.sign_convention, debit_marker=profile.debit_marker,
        currency=profile.currency,
    )


def csv_profile_save(*, profile: CsvProfile, by: Any, now: dt.datetime) -> CsvProfile:
    created = profile.pk is None
    stored = None if created else CsvProfile.objects.get(pk=profile.pk)
    fields = ("name", "delimiter", "encoding", "date_format", "decimal_separator", "skip_rows", "columns",
              "sign_convention", "debit_marker", "currency", "account_id")
    with transaction.atomic():
        profile.save()
        audit_record(actor=by, action="abonent.banking.csv_profile." + ("created" if created else "changed"),
                     target=profile, now=now,
                     changes={f: (getattr(stored, f) if stored else None, getattr(profile, f)) for f in fields
                              if stored is None or getattr(stored, f) != getattr(profile, f)})
    return profile


# --- statement import ------------------------------------------------------------------------------


@dataclass
class ImportResult:
    format: str
    statements: int = 0  # statements created
    lines: int = 0  # lines created
    duplicates: int = 0  # lines already imported before, skipped
    credit_total: dict[str, Decimal] = field(default_factory=dict)  # of every line in the file
    debit_total: dict[str, Decimal] = field(default_factory=dict)  # absolute values
    matched: int = 0
    suggested: int = 0
    unmatched: int = 0
    statement_ids: list[int] = field(default_factory=list)
    accounts_registered: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # statements imported although they do not add up

    def as_json(self) -> dict[str, Any]:
        """The command line's one JSON line (totals as decimal strings of absolute values)."""
        return {
            "format": self.format, "statements": self.statements, "lines": self.lines,
            "credit_total": {c: str(v.quantize(CENT)) for c, v in sorted(self.credit_total.items())},
            "debit_total": {c: str(v.quantize(CENT)) for c, v in sorted(self.debit_total.items())},
            "duplicates": self.duplicates, "matched": self.matched, "suggested": self.suggested,
            "unmatched": self.unmatched, "warnings": self.warnings,
        }


def _digest(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()


def line_checksums(account: BankAccount, lines: Iterable[ParsedLine]) -> list[str]:
    """A checksum per line, the same each time the same line is read: what makes a second import a no-op.

    Two identical lines in one file (two equal payments the same day with no reference) stay two: the
    n-th occurrence of the same content gets n in its checksum.
    """
    seen: Counter[str] = Counter()
    checksums = []
    for line in lines:
        content = _digest(
            account.identifier, line.booking_date, line.value_date, line.amount.normalize(), line.currency,
            line.counterparty_account, line.counterparty_bank_code, line.variable_symbol, line.constant_symbol,
            line.specific_symbol, line.end_to_end_id, line.structured_reference, line.remittance,
            line.bank_transaction_id,
        )
        seen[content] += 1
        checksums.append(_digest(content, seen[content]))
    return checksums


def _fingerprint(account: BankAccount, statement: ParsedStatement, checksums: list[str]) -> str:
    return _digest(account.identifier, statement.number, statement.period_from, statement.period_to,
                   statement.opening_balance, statement.closing_balance, *sorted(checksums))


def _existing(account: BankAccount, checksums: list[str]) -> set[str]:
    return {checksum for (checksum,) in bulk.rows_where(
        f"SELECT t.checksum FROM {bulk.quoted_table(BankStatementLine)} t "  # noqa: S608
        "WHERE t.account_id = %s AND t.checksum {any}",
        [account.pk, checksums])}


def _country(account: BankAccount) -> str:
    return account.iban[:2] if account.iban else "CZ"


def statement_import(
    *, data: bytes, filename: str = "", account: BankAccount | None = None, account_typed: str = "",
    format: str = "auto", by: Any = None, channel: str = Channel.UI, now: dt.datetime,  # noqa: A002
    keep_empty: bool = True, match: bool = True, strict_balances: bool = False,
) -> ImportResult:
    """Read a statement file, store its new lines (a line seen before is skipped) and match them.

    `format` is "auto", one of parsing.FORMATS, or "csv:PROFILE". A statement for a company account not
    yet known registers the account. `account_typed` (an IBAN or "number/bank code" typed by hand) imports
    into that account, registered when new, in the file's currency, once the file has been read and with
    the lines (a failed import leaves no account behind). `keep_empty` False skips statements without new
    lines (API polls). A statement whose opening balance plus its lines does not make its closing balance
    is imported with that warning (kept on the statement, audited, in the result); `strict_balances` refuses
    it instead. A file cut off is refused either way (statement_parse).
    """
    with gc_paused():
        return _statement_import(data=data, filename=filename, account=account, account_typed=account_typed,
                                 format=format, by=by, channel=channel, now=now, keep_empty=keep_empty,
                                 match=match, strict_balances=strict_balances)


def _statement_import(*, data: bytes, filename: str, account: BankAccount | None, account_typed: str,
                      format: str, by: Any, channel: str, now: dt.datetime, keep_empty: bool,  # noqa: A002
                      match: bool, strict_balances: bool) -> ImportResult:
    layout = None
    if format.startswith("csv:"):
        profile = CsvProfile.objects.filter(name=format[4:]).first()
        if profile is None:
            raise StatementFormatError(_("There is no CSV profile “%(name)s”.") % {"name": format[4:]})
        layout, format = csv_layout(profile), "csv"
        account = account or profile.account
    parsed = statement_parse(data=data, format=format, csv=layout, strict_balances=strict_balances)
    result = ImportResult(format=parsed.format)
    credit, debit = defaultdict(Decimal), defaultdict(Decimal)
    for line in parsed.lines:
        if line.amount >= 0:
            credit[line.currency] += line.amount
        else:
            debit[line.currency] -= line.amount
    result.credit_total, result.debit_total = dict(credit), dict(debit)
    file_checksum = hashlib.sha256(data).hexdigest()
    with transaction.atomic():
        if account is None and account_typed:
            typed = _account_typed(account_typed, currency=_statement_currency(parsed.statements[0])
                                   if parsed.statements else "")
            account = account_find(typed)
            if account is None:
                account = account_register(parsed=typed, by=by, channel=channel, now=now)
                result.accounts_registered.append(account.identifier)
        created_lines: list[SimpleNamespace] = []
        for statement in parsed.statements:
            statement.account.currency = _statement_currency(statement)
            target = account or account_find(statement.account)
            if target is None:
                target = account_register(parsed=statement.account, by=by, channel=channel, now=now)
                result.accounts_registered.append(target.identifier)
            # One import at a time per account: the check for known lines and the insert stay together.
            target = BankAccount.objects.select_for_update().get(pk=target.pk)
            account_currency_adopt(account=target, currency=statement.account.currency, by=by, channel=channel,
                                   now=now)
            created_lines += _statement_store(target, statement, parsed.format, filename=filename,
                                              file_checksum=file_checksum, by=by, channel=channel, now=now,
                                              keep_empty=keep_empty, strict_balances=strict_balances,
                                              result=result)
        if not created_lines:
            return result
        for line, pk in zip(created_lines, bulk.ids_reserve(BankStatementLine, len(created_lines)), strict=True):
            line.pk = line.id = pk
        # The new lines are matched before they are written, so each is written once, with its outcome.
        from abonent.banking.matching import lines_apply, lines_assess

        assessed = lines_assess(created_lines) if match else None
        row = attrgetter("pk", *LINE_COLUMNS)
        # On PostgreSQL the lines are written, and their keys checked, while the payments they bring are
        # shared out; then the payments are written while their audit entries are built (core.bulk.Writer).
        with bulk.Writer() as writer:
            writer.insert(BankStatementLine, ("id", *LINE_COLUMNS), [row(line) for line in created_lines])
            writer.check_keys()
            if assessed is not None:
                lines_apply(assessed, by=by, channel=channel, now=now, writer=writer)
        if assessed is not None:
            result.matched, result.suggested = assessed.outcome.matched, assessed.outcome.suggested
            result.unmatched = assessed.outcome.unmatched
    return result


def _statement_currency(statement: ParsedStatement) -> str:
    """The currency of the account a statement is for: as the file names it, else its balances', else its lines'
    when they all have one."""
    if statement.account.currency or statement.currency:
        return statement.account.currency or statement.currency
    currencies = {line.currency for line in statement.lines} - {""}
    return currencies.pop() if len(currencies) == 1 else ""


def _statement_store(
    account: BankAccount, parsed: ParsedStatement, fmt: str, *, filename: str, file_checksum: str, by: Any,
    channel: str, now: dt.datetime, keep_empty: bool, strict_balances: bool, result: ImportResult,
) -> list[SimpleNamespace]:
    """Create the statement and return its new lines, not yet written and without ids."""
    checksums = line_checksums(account, parsed.lines)
    fingerprint = _fingerprint(account, parsed, checksums)
    if BankStatement.objects.filter(account=account, fingerprint=fingerprint).exists():
        result.duplicates += len(parsed.lines)
        return []
    known = _existing(account, checksums)
    fresh = [(line, checksum) for line, checksum in zip(parsed.lines, checksums, strict=True)
             if checksum not in known]
    result.duplicates += len(parsed.lines) - len(fresh)
    if not fresh and (parsed.lines or not keep_empty):
        return []
    days = [line.booking_date for line in parsed.lines]
    statement = BankStatement.objects.create(
        account=account, format=fmt, number=parsed.number[:80],
        period_from=parsed.period_from or (min(days) if days else None),
        period_to=parsed.period_to or (max(days) if days else None), currency=parsed.currency or account.currency,
        opening_balance=parsed.opening_balance, closing_balance=parsed.closing_balance, line_count=len(fresh),
        file_name=filename[:200], file_checksum=file_checksum, fingerprint=fingerprint, imported_by=by,
        imported_at=now, channel=channel, warning="\n".join(parsed.warnings),
    )
    result.warnings.extend(parsed.warnings)
    country = _country(account)
    created = [
        SimpleNamespace(
            pk=None, id=None, account_id=account.pk, statement_id=statement.pk, position=position,
            booking_date=line.booking_date, value_date=line.value_date, amount=line.amount,
            currency=line.currency or statement.currency, counterparty_account=line.counterparty_account[:60],
            counterparty_iban=counterparty_iban(line.counterparty_account, line.counterparty_bank_code,
                                                country)[:34],
            counterparty_bank_code=line.counterparty_bank_code[:11], counterparty_name=line.counterparty_name[:200],
            variable_symbol=line.variable_symbol[:20], constant_symbol=line.constant_symbol[:10],
            specific_symbol=line.specific_symbol[:20], end_to_end_id=line.end_to_end_id[:100],
            structured_reference=line.structured_reference[:60], remittance=line.remittance,
            bank_transaction_id=line.bank_transaction_id[:100], checksum=checksum, created_at=now,
            state=MatchState.UNMATCHED, explanation="", confidence=0, party_id=None, expected_payment_id=None)
        for position, (line, checksum) in enumerate(fresh, start=1)
    ]
    changes = {"lines": (None, len(created)), "file": (None, filename)}
    if parsed.warnings:  # imported although its balances do not add up: who did, and why it was flagged
        changes["warning"] = (None, statement.warning)
    audit_record(actor=by, action="abonent.banking.statement.imported", target=statement, channel=channel, now=now,
                 changes=changes)
    result.statements += 1
    result.lines += len(created)
    result.statement_ids.append(statement.pk)
    return created
