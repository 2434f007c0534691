"""ISO 20022 camt.053 (statement), camt.052 (intraday report) and camt.054 (notification), versions .001.02-.08.

Every file is read with defusedxml: a document type declaration or entity is refused, nothing is fetched
or expanded. Each booked entry (<Ntry>) is one line; an entry that carries several transactions
(<TxDtls>) each with its own amount adding up to the entry's is split into one line per transaction, so
that each can be matched to its payer. Entries not yet booked (pending, information only) are left out.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser
from django.utils.translation import gettext as _

from abonent.banking.parsing.base import (
    ParsedAccount,
    ParsedFile,
    ParsedLine,
    ParsedStatement,
    StatementFormatError,
    balances_check,
    balances_verified,
    compact,
    czech_symbols,
    decimal_from,
    one_line,
    symbol,
)

NAMESPACE = re.compile(r"urn:iso:std:iso:20022:tech:xsd:(camt\.05[234])\.001\.(\d\d)")
ROOTS = {"BkToCstmrStmt": ("camt053", "Stmt"), "BkToCstmrAcctRpt": ("camt052", "Rpt"),
         "BkToCstmrDbtCdtNtfctn": ("camt054", "Ntfctn")}
SUPPORTED_VERSIONS = range(2, 9)  # .001.02 to .001.08
OPENING_CODES = ("OPBD", "PRCD", "ITBD")
CLOSING_CODES = ("CLBD", "ITBD")
BOOKED_OPENING_CODES = ("OPBD", "PRCD")
NOT_PROVIDED = {"NOTPROVIDED", "NOT PROVIDED", "NONREF"}


def _tree(data: bytes) -> Element:
    """Parse through defusedxml: a document type declaration, an entity or an external reference is refused.

    defusedxml's parser is ElementTree's pure-Python one, which names every element ("{ns}Ntry") and copies
    its attributes in Python: twice the time of ElementTree's C parser on a 10,000-entry statement. So its
    expat parser, defusedxml's refusals set on it, hands each element straight to the C tree builder: the
    tags stay as expat gives them ("ns}Ntry", which _local reads the same), attributes come as a dict.
    """
    builder = TreeBuilder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    expat = parser.parser
    expat.ordered_attributes = False
    expat.StartElementHandler, expat.EndElementHandler = builder.start, builder.end
    parser.feed(data)
    return parser.close()


def parse(data: bytes, *, strict_balances: bool = True) -> ParsedFile:
    """Read the document's statements; a statement with both its opening (OPBD, or PRCD) and closing (CLBD)
    booked balance must have the entries that take the one to the other (else refused when
    `strict_balances`, or warned of)."""
    try:
        root = _tree(data)
    except DefusedXmlException:
        raise StatementFormatError(
            _("The XML file declares a document type or entities, which Abonent refuses to read.")
        ) from None
    except ParseError as error:
        line, column = error.position
        raise StatementFormatError(
            _("line %(line)s, column %(column)s: the XML is not well-formed") % {"line": line, "column": column}
        ) from None
    namespace = root.tag.rpartition("}")[0].lstrip("{")
    version = NAMESPACE.match(namespace)
    if version and int(version.group(2)) not in SUPPORTED_VERSIONS:
        raise StatementFormatError(
            _("%(namespace)s: this version of camt is not supported (versions .001.02 to .001.08 are)")
            % {"namespace": namespace}
        )
    _strip_namespaces(root)
    message = next((child for child in root if child.tag in ROOTS), None)
    if message is None:
        raise StatementFormatError(
            _("<%(root)s>: no BkToCstmrStmt, BkToCstmrAcctRpt or BkToCstmrDbtCdtNtfctn element: not a camt "
              "statement") % {"root": root.tag}
        )
    fmt, statement_tag = ROOTS[message.tag]
    statements = [
        _statement(element, where=f"{statement_tag} {index}", strict_balances=strict_balances)
        for index, element in enumerate(message.findall(statement_tag), start=1)
    ]
    return ParsedFile(format=fmt, statements=statements)


def _text(element: Element | None, path: str = "") -> str:
    if element is None:
        return ""
    found = element.find(path) if path else element
    return (found.text or "").strip() if found is not None and found.text else ""


def _date(element: Element | Paths | None, path: str, *, where: str) -> dt.date | None:
    if element is None:
        return None
    if isinstance(element, Paths):
        raw = (element.text(f"{path}/Dt") or element.text(f"{path}/DtTm") or element.text(f"{path}/FrDtTm")
               or element.text(path))
    else:
        node = element.find(path)
        if node is None:
            return None
        raw = _text(node, "Dt") or _text(node, "DtTm") or _text(node, "FrDtTm") or _text(node)
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw[:10])
    except ValueError:
        raise StatementFormatError(
            _("%(where)s: <%(element)s> '%(value)s' is not a date") % {"where": where, "element": path, "value": raw}
        ) from None


def _signed(amount_element: Element | None, indicator: str, *, where: str) -> tuple[Decimal, str]:
    if amount_element is None:
        raise StatementFormatError(_("%(where)s: <Amt> is missing") % {"where": where})
    amount = decimal_from(amount_element.text or "", where=where, what="<Amt>")
    if indicator not in ("CRDT", "DBIT"):
        raise StatementFormatError(
            _("%(where)s: <CdtDbtInd> '%(value)s' is neither CRDT nor DBIT") % {"where": where, "value": indicator}
        )
    return (amount if indicator == "CRDT" else -amount), amount_element.get("Ccy", "")


def _account(element: Element | None) -> tuple[str, str]:
    """(IBAN, other identifier) of an <Acct>/<DbtrAcct>/<CdtrAcct>."""
    if element is None:
        return "", ""
    return compact(_text(element, "Id/IBAN")), "".join(_text(element, "Id/Othr/Id").split())


def _statement(element: Element, *, where: str, strict_balances: bool) -> ParsedStatement:
    acct = element.find("Acct")
    iban, other = _account(acct)
    agent = acct.find("Svcr/FinInstnId") if acct is not None else None
    account = ParsedAccount(
        iban=iban,
        account_number="" if iban else other,
        bank_code=_text(agent, "Othr/Id") if not iban else "",
        bic=_text(agent, "BIC") or _text(agent, "BICFI"),
        currency=_text(acct, "Ccy"),
        name=_text(acct, "Nm") or _text(acct, "Ownr/Nm"),
    )
    statement = ParsedStatement(
        account=account,
        number=_text(element, "Id") or _text(element, "LglSeqNb") or _text(element, "ElctrncSeqNb"),
        period_from=_date(element, "FrToDt/FrDtTm", where=where),
        period_to=_date(element, "FrToDt/ToDtTm", where=where),
        currency=account.currency,
    )
    balances = {}
    for number, balance in enumerate(element.findall("Bal"), start=1):
        code = _text(balance, "Tp/CdOrPrtry/Cd") or _text(balance, "Tp/CdOrPrtry/Prtry")
        amount, currency = _signed(balance.find("Amt"), _text(balance, "CdtDbtInd"), where=f"{where}, Bal {number}")
        balances.setdefault(code, (amount, _date(balance, "Dt", where=f"{where}, Bal {number}"), currency))
    opening_code = next((c for c in OPENING_CODES if c in balances), None)
    closing = next((balances[c] for c in CLOSING_CODES if c in balances and c != "ITBD"), None)
    if opening_code:
        statement.opening_balance, day, currency = balances[opening_code]
        statement.period_from = statement.period_from or day
        statement.currency = statement.currency or currency
    if closing:
        statement.closing_balance = closing[0]
        statement.period_to = statement.period_to or closing[1]
    own = {iban, other} - {""}
    for number, entry in enumerate(element.findall("Ntry"), start=1):
        statement.lines.extend(_entry_lines(entry, own=own, default_currency=statement.currency,
                                            where=f"{where}, Ntry {number}"))
    # An intraday report's interim balance (ITBD) is not booked: only booked balances must add up.
    if opening_code in BOOKED_OPENING_CODES and closing:
        with balances_verified(statement, strict=strict_balances):
            balances_check(statement, where=where)
    return statement


def _local(tag: str) -> str:
    """"urn:...}Ntry" → "Ntry"; remembered, since a statement has a few dozen tags a million times."""
    name = _LOCAL_NAMES.get(tag)
    if name is None:
        name = _LOCAL_NAMES[tag] = tag.rsplit("}", 1)[-1]
    return name


_LOCAL_NAMES: dict[str, str] = {}


def _strip_namespaces(root: Element) -> None:
    """Give the elements their local names, except inside the entries, which Paths reads by local name."""
    root.tag = _local(root.tag)
    stack = [root]
    while stack:
        for child in stack.pop():
            if isinstance(child.tag, str):
                child.tag = _local(child.tag)
                if child.tag != "Ntry":
                    stack.append(child)


class Paths:
    """An element's descendants by their local path ("RltdPties/Dbtr/Nm"), indexed in one walk.

    ElementTree's find() parses and walks the path on every call; an entry is asked some forty paths.
    `under` reads a part of the same index (the one transaction of most entries) without walking it again.
    """

    __slots__ = ("_found", "_prefix")

    def __init__(self, element: Element | None = None, *, found: dict[str, list[Element]] | None = None,
                 prefix: str = "") -> None:
        self._prefix = prefix
        if found is not None:
            self._found = found
            return
        self._found = found = {}

        names, found_get = _LOCAL_NAMES.get, found.get

        def walk(node: Element, path: str) -> None:
            for child in node:  # depth first: the elements of one path come in document order
                tag = child.tag  # always a name: the parser keeps no comments or processing instructions
                here = path + (names(tag) or _local(tag))
                bucket = found_get(here)
                if bucket is None:
                    found[here] = [child]
                else:
                    bucket.append(child)
                if len(child):
                    walk(child, here + "/")

        walk(element, "")

    def under(self, prefix: str) -> Paths:
        return Paths(found=self._found, prefix=self._prefix + prefix)

    def find(self, path: str) -> Element | None:
        found = self._found.get(self._prefix + path)
        return found[0] if found else None

    def findall(self, path: str) -> list[Element]:
        return self._found.get(self._prefix + path, [])

    def text(self, path: str) -> str:
        found = self._found.get(self._prefix + path)
        return (found[0].text or "").strip() if found else ""


def _entry_lines(entry: Element, *, own: set[str], default_currency: str, where: str) -> list[ParsedLine]:
    paths = Paths(entry)
    status = paths.text("Sts/Cd") or paths.text("Sts")
    if status and status != "BOOK":
        return []
    amount, currency = _signed(paths.find("Amt"), paths.text("CdtDbtInd"), where=where)
    booked = _date(paths, "BookgDt", where=where) or _date(paths, "ValDt", where=where)
    if booked is None:
        raise StatementFormatError(_("%(where)s: <BookgDt> is missing") % {"where": where})
    common = {
        "booking_date": booked,
        "value_date": _date(paths, "ValDt", where=where),
        "currency": currency or default_currency,
        "bank_transaction_id": paths.text("AcctSvcrRef") or paths.text("NtryRef"),
    }
    nodes = paths.findall("NtryDtls/TxDtls")
    details = [paths.under("NtryDtls/TxDtls/")] if len(nodes) == 1 else [Paths(node) for node in nodes]
    entry_info = paths.text("AddtlNtryInf")
    split = _split_amounts(details, amount, where=where)
    if split is None:
        line = ParsedLine(amount=amount, **common)
        _fill(line, details[0] if details else None, credit=amount > 0, own=own, extra_text=entry_info,
              more=details[1:])
        return [line]
    lines = []
    for detail, part in zip(details, split, strict=True):
        line = ParsedLine(amount=part, **common)
        _fill(line, detail, credit=part > 0, own=own, extra_text=entry_info)
        lines.append(line)
    return lines


def _split_amounts(details: list[Paths], amount: Decimal, *, where: str) -> list[Decimal] | None:
    """Each transaction's signed amount when the entry should be split, else None."""
    if len(details) < 2:
        return None
    parts = []
    for number, detail in enumerate(details, start=1):
        node = detail.find("Amt")
        if node is None:
            node = detail.find("AmtDtls/TxAmt/Amt")
        if node is None:
            return None
        value = decimal_from(node.text or "", where=f"{where}, TxDtls {number}", what="<Amt>")
        indicator = detail.text("CdtDbtInd")
        negative = indicator == "DBIT" or (not indicator and amount < 0)
        parts.append(-value if negative else value)
    return parts if sum(parts) == amount else None


def _party(detail: Paths, role: str) -> tuple[str, str, str]:
    """(name, account, bank code or BIC) of the debtor or the creditor of a transaction."""
    name = (detail.text(f"RltdPties/{role}/Nm") or detail.text(f"RltdPties/{role}/Pty/Nm")
            or detail.text(f"RltdPties/{role}Acct/Nm"))
    iban = compact(detail.text(f"RltdPties/{role}Acct/Id/IBAN"))
    other = "".join(detail.text(f"RltdPties/{role}Acct/Id/Othr/Id").split())
    agent = f"RltdAgts/{role}Agt/FinInstnId"
    bank = detail.text(f"{agent}/Othr/Id") or detail.text(f"{agent}/BIC") or detail.text(f"{agent}/BICFI")
    return one_line(name), iban or other, bank


def _fill(line: ParsedLine, detail: Paths | None, *, credit: bool, own: set[str], extra_text: str = "",
          more: list[Paths] | None = None) -> None:
    if detail is None:
        line.remittance = one_line(extra_text)
        return
    # Money in comes from the debtor, money out goes to the creditor; some banks fill only the other side.
    name, account, bank = _party(detail, "Dbtr" if credit else "Cdtr")
    if not account and not name:
        other_name, other_account, other_bank = _party(detail, "Cdtr" if credit else "Dbtr")
        if other_account not in own:
            name, account, bank = other_name, other_account, other_bank
    line.counterparty_name, line.counterparty_account = name[:200], account
    line.counterparty_bank_code = bank if bank.isdigit() else ""
    reference = detail.text("Refs/EndToEndId")
    line.end_to_end_id = "" if reference.upper() in NOT_PROVIDED else reference
    line.bank_transaction_id = detail.text("Refs/AcctSvcrRef") or line.bank_transaction_id
    structured = [(node.text or "").strip() for node in detail.findall("RmtInf/Strd/CdtrRefInf/Ref")]
    unstructured = [one_line(node.text or "") for node in detail.findall("RmtInf/Ustrd")]
    for other in more or ():
        unstructured += [one_line(node.text or "") for node in other.findall("RmtInf/Ustrd")]
    symbols = czech_symbols(*structured, *unstructured, line.end_to_end_id)
    line.variable_symbol = symbols.get("VS", "")
    line.specific_symbol = symbols.get("SS", "")
    line.constant_symbol = symbols.get("KS", "")
    plain = [ref for ref in structured if ref and not re.match(r"^(VS|SS|KS)\s*:", ref.upper())]
    line.structured_reference = plain[0] if plain else ""
    if not line.variable_symbol and line.structured_reference.isdigit() and len(line.structured_reference) <= 10:
        line.variable_symbol = symbol(line.structured_reference)
    text = " ".join(t for t in unstructured if t)
    line.remittance = text or one_line(detail.text("AddtlTxInf")) or one_line(extra_text)
