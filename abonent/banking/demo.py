"""Demo data of banking: a company account and a camt.053 statement paying part of the demo schedule.

`camt053_document` writes a statement from plain entries; the benchmark (bench/bank_match.py) uses it too.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape

from django.utils import timezone

from abonent.banking.models import BankAccount, BankStatement
from abonent.banking.services import statement_import
from abonent.core.models import Channel

DEMO_IBAN = "CZ6508000000192000145399"


@dataclass(frozen=True)
class Entry:
    booked: dt.date
    amount: Decimal  # money in positive
    name: str = ""
    iban: str = ""
    reference: str = ""  # a variable symbol or an RF creditor reference (structured)
    message: str = ""
    entry_id: str = ""


def camt053_document(*, iban: str, currency: str, number: str, entries: Iterable[Entry],
                     created: dt.datetime) -> bytes:
    """A camt.053.001.02 statement with one <Ntry> per entry (the shape Czech banks send)."""
    entries = list(entries)
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>'
        f"<GrpHdr><MsgId>{escape(number)}</MsgId><CreDtTm>{created.isoformat()}</CreDtTm></GrpHdr>"
        f"<Stmt><Id>{escape(number)}</Id><CreDtTm>{created.isoformat()}</CreDtTm>"
        f"<Acct><Id><IBAN>{iban}</IBAN></Id><Ccy>{currency}</Ccy></Acct>"
    ]
    for index, entry in enumerate(entries, start=1):
        indicator = "CRDT" if entry.amount > 0 else "DBIT"
        reference = ""
        if entry.reference.upper().startswith("RF"):
            reference = f"<Strd><CdtrRefInf><Ref>{escape(entry.reference)}</Ref></CdtrRefInf></Strd>"
        elif entry.reference:
            reference = f"<Strd><CdtrRefInf><Ref>VS:{escape(entry.reference)}</Ref></CdtrRefInf></Strd>"
        message = f"<Ustrd>{escape(entry.message)}</Ustrd>" if entry.message else ""
        party = "Dbtr" if entry.amount > 0 else "Cdtr"
        account = f"<{party}Acct><Id><IBAN>{entry.iban}</IBAN></Id></{party}Acct>" if entry.iban else ""
        parts.append(
            f"<Ntry><NtryRef>{escape(entry.entry_id or str(index))}</NtryRef>"
            f'<Amt Ccy="{currency}">{abs(entry.amount):.2f}</Amt><CdtDbtInd>{indicator}</CdtDbtInd><Sts>BOOK</Sts>'
            f"<BookgDt><Dt>{entry.booked.isoformat()}</Dt></BookgDt><ValDt><Dt>{entry.booked.isoformat()}</Dt></ValDt>"
            f"<AcctSvcrRef>{escape(entry.entry_id or str(index))}</AcctSvcrRef>"
            f"<NtryDtls><TxDtls><RltdPties><{party}><Nm>{escape(entry.name)}</Nm></{party}>{account}</RltdPties>"
            f"<RmtInf>{message}{reference}</RmtInf></TxDtls></NtryDtls></Ntry>"
        )
    parts.append("</Stmt></BkToCstmrStmt></Document>")
    return "".join(parts).encode()


def demo_load(*, now: dt.datetime) -> str:
    """A company account, and once a statement of last month's payments for the demo contracts."""
    from abonent.billing.models import ExpectedPayment
    from abonent.customers.models import BankAccount as CustomerBankAccount

    account, _created = BankAccount.objects.get_or_create(identifier=DEMO_IBAN, currency="CZK", defaults={
        "name": "Main CZK account", "iban": DEMO_IBAN, "account_number": "19-2000145399", "bank_code": "0800",
        "bic": "GIBACZPX", "created_at": now})
    if BankStatement.objects.filter(account=account).exists():
        return "bank statement already imported"
    today = timezone.localdate(now)
    items = list(ExpectedPayment.objects.open().filter(currency="CZK", due_date__lte=today)
                 .select_related("party", "contract").order_by("due_date", "id")[:60])
    if not items:
        return "company account registered; no contracts to pay yet"
    rng = random.Random(2026)  # noqa: S311 - demo data
    ibans = dict(CustomerBankAccount.objects.filter(party__in={i.party_id for i in items}).exclude(iban="")
                 .values_list("party_id", "iban"))
    entries = []
    for index, item in enumerate(items):
        roll = rng.random()
        owed = item.amount - item.paid_amount
        booked = min(today, item.due_date + dt.timedelta(days=rng.randint(-3, 6)))
        name = item.party.name.upper()
        if roll < 0.65:
            entries.append(Entry(booked, owed, name, ibans.get(item.party_id, ""), item.reference,
                                 entry_id=f"D{index}"))
        elif roll < 0.8 and item.party_id in ibans:
            entries.append(Entry(booked, owed, name, ibans[item.party_id], message="monthly fee",
                                 entry_id=f"D{index}"))
        elif roll < 0.9:
            entries.append(Entry(booked, owed, name, message="payment", entry_id=f"D{index}"))
        else:
            entries.append(Entry(booked, Decimal(rng.randint(100, 900)), "UNKNOWN SENDER", message="?",
                                 entry_id=f"D{index}"))
    entries.append(Entry(today, Decimal("-1250.00"), "Office rent s.r.o.", message="Rent", entry_id="RENT"))
    data = camt053_document(iban=DEMO_IBAN, currency="CZK", number=f"DEMO-{today:%Y-%m}", entries=entries,
                            created=now)
    result = statement_import(data=data, filename="demo-statement.xml", account=account, by=None,
                              channel=Channel.SYSTEM, now=now)
    return (f"bank statement of {result.lines} lines: {result.matched} matched, {result.suggested} suggested, "
            f"{result.unmatched} unmatched")
