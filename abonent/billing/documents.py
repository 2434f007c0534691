"""Payment orders (what to pay, where, with a QR payment code) and the PDF rendering of billing documents.

QR codes, by the account the customer pays into:

- SPAYD ("Short Payment Descriptor", the Czech banks' standard, also read in Slovakia) for CZK and EUR
  accounts in Czechia or Slovakia: `SPD*1.0*ACC:<IBAN>+<BIC>*AM:<amount>*CC:<currency>*X-VS:<symbol>*...`;
- EPC069-12 (the European Payments Council's "SEPA credit transfer" QR, "GiroCode") for other EUR accounts,
  with the ISO 11649 creditor reference as the structured remittance information (whatever the customer's
  country: the order then asks a Slovak customer for the RF reference too, not the variable symbol);
- the Russian banks' ST00012 (GOST R 56042-2014) for RUB accounts;
- none for PLN and RON accounts: the order shows the transfer details to type.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from abonent.billing.models import ZERO, ExpectedPayment
from abonent.billing.selectors import open_items_for
from abonent.contracts.references import reference_for_country
from abonent.core.services import AbonentError
from abonent.customers.models import Party

SPAYD_COUNTRIES = frozenset({"CZ", "SK"})
DUE_WINDOW = dt.timedelta(days=31)


class DocumentError(AbonentError):
    """A billing document that cannot be made as asked."""


class NothingDue(DocumentError):
    """Nothing is owed in the currency: the order needs an amount the customer chooses (to pay ahead)."""

    def __init__(self, message: str, *, currency: str) -> None:
        super().__init__(message)
        self.currency = currency


@dataclass(frozen=True)
class PayeeAccount:
    currency: str
    name: str
    iban: str = ""
    bic: str = ""
    account: str = ""  # a domestic account number where IBAN is not used (Russia)
    bank: str = ""
    correspondent: str = ""

    @property
    def country(self) -> str:
        return self.iban[:2].upper()

    @property
    def shown(self) -> str:
        if self.iban:
            return " ".join(self.iban[i:i + 4] for i in range(0, len(self.iban), 4))
        return self.account


def payee_account(currency: str) -> PayeeAccount:
    """The company's account for payments in `currency` (settings.BILLING_PAYEE_ACCOUNTS)."""
    account = settings.BILLING_PAYEE_ACCOUNTS.get(currency)
    if not account:
        raise DocumentError(_("No account for payments in %(currency)s is set up; ask an administrator.")
                            % {"currency": currency})
    return PayeeAccount(currency=currency, name=settings.BILLING_PAYEE_NAME,
                        **{k: v for k, v in account.items() if k in ("iban", "bic", "account", "bank",
                                                                     "correspondent")})


def _spayd_text(value: str) -> str:
    # "*" separates the fields; SPAYD allows no other escaping of it.
    return value.replace("*", " ")[:60]


def spayd(*, account: PayeeAccount, amount: Decimal, variable_symbol: str, message: str) -> str:
    """The SPAYD 1.0 text of a payment."""
    acc = f"{account.iban}+{account.bic}" if account.bic else account.iban
    fields = ["SPD", "1.0", f"ACC:{acc}", f"AM:{amount:.2f}", f"CC:{account.currency}"]
    if variable_symbol.isdigit():
        fields.append(f"X-VS:{variable_symbol}")
    fields += [f"MSG:{_spayd_text(message)}", f"RN:{_spayd_text(account.name)}"]
    return "*".join(fields)


def st00012(*, account: PayeeAccount, amount: Decimal, purpose: str) -> str:
    """The Russian payment QR text (GOST R 56042-2014, UTF-8)."""
    kopecks = int((amount * 100).to_integral_value())
    fields = {"Name": account.name, "PersonalAcc": account.account, "BankName": account.bank, "BIC": account.bic,
              "CorrespAcc": account.correspondent, "Sum": str(kopecks), "Purpose": purpose}
    return "ST00012|" + "|".join(f"{k}={v.replace('|', ' ')}" for k, v in fields.items() if v)


def epc(*, account: PayeeAccount, amount: Decimal, reference: str, message: str) -> str:
    """The EPC069-12 (version 002, UTF-8) text of a SEPA credit transfer.

    The ISO 11649 reference goes in the structured remittance line; without one the message is the
    unstructured remittance. No purpose code: it is optional and some banks refuse ones they do not know.
    """
    lines = ["BCD", "002", "1", "SCT", account.bic, _epc_text(account.name, 70), account.iban.replace(" ", ""),
             f"EUR{amount:.2f}", ""]
    if reference.upper().startswith("RF"):
        lines.append(reference.replace(" ", "").upper())
    else:
        lines += ["", _epc_text(message, 140)]
    return "\n".join(lines)


def _epc_text(value: str, length: int) -> str:
    # One field per line: a line break inside a field would shift every field after it.
    return " ".join(value.split())[:length]


@dataclass(frozen=True)
class PaymentCode:
    """The QR payment standard an account is paid with ("spayd", "epc", "st00012"; "" for none), its text,
    and the reference that text carries: the one the slip prints."""

    kind: str
    text: str
    reference: str

    def image(self) -> segno.QRCode | None:
        if not self.kind:
            return None
        # EPC069-12 asks for error correction level M exactly; the others take it too.
        return segno.make_qr(self.text.encode("utf-8"), error="m", boost_error=False)


def payment_code(*, account: PayeeAccount, amount: Decimal, party_country: str, variable_symbol: str,
                 creditor_reference: str, message: str) -> PaymentCode:
    """The QR payment text that fits the account, with the reference the customer's bank needs for it.

    A Czech or Slovak account is paid with the variable symbol (SPAYD); another EUR account through SEPA,
    where only the RF creditor reference travels in the reference field (EPC), whatever the customer's
    country: a Slovak customer paying into an Austrian EUR account quotes the RF reference.
    """
    if account.currency in ("CZK", "EUR") and account.country in SPAYD_COUNTRIES:
        return PaymentCode("spayd", spayd(account=account, amount=amount, variable_symbol=variable_symbol,
                                          message=message), variable_symbol)
    if account.currency == "EUR" and account.iban:
        return PaymentCode("epc", epc(account=account, amount=amount, reference=creditor_reference,
                                      message=message), creditor_reference)
    reference = reference_for_country(country=party_country, variable_symbol=variable_symbol,
                                      creditor_reference=creditor_reference)
    if account.currency == "RUB" and account.account:
        return PaymentCode("st00012", st00012(account=account, amount=amount, purpose=message), reference)
    return PaymentCode("", "", reference)


@dataclass
class PaymentOrder:
    """What a customer is asked to pay, where to, and with which reference."""

    party: Party
    currency: str
    amount: Decimal
    outstanding: Decimal
    reference: str
    variable_symbol: str
    account: PayeeAccount
    items: list[ExpectedPayment]
    qr_kind: str
    qr_text: str  # what the QR code says
    qr_svg: str  # a data: URI, ready for <img src>
    message: str
    qr: segno.QRCode | None = None

    def qr_png(self, *, scale: int = 5) -> bytes:
        """The QR code as a PNG (for e-mails, which show no SVG); empty when the account has no QR standard."""
        if self.qr is None:
            return b""
        buffer = io.BytesIO()
        self.qr.save(buffer, kind="png", scale=scale, border=2)
        return buffer.getvalue()


def payment_order(*, party: Party, currency: str | None = None, amount: Decimal | None = None,
                  on: dt.date) -> PaymentOrder:
    """The order for the customer's outstanding amount in a currency (items due by a month from `on`), or for
    the amount they choose."""
    # "Outstanding" is what is due now or within a month; later items are not asked for in advance.
    items = [i for i in open_items_for(party, currency=currency) if i.due_date <= on + DUE_WINDOW]
    # With nothing due, the order is for an amount chosen in the currency of the customer's latest contract.
    latest = party.contracts.exclude(variable_symbol="").order_by("-id").first()
    if currency is None:
        currency = items[0].currency if items else (latest.currency if latest else None)
    items = [i for i in items if i.currency == currency]
    if currency is None:
        raise DocumentError(_("%(party)s has nothing to pay.") % {"party": party.name})
    outstanding = sum((i.outstanding for i in items), ZERO)
    if amount is None:
        amount = outstanding
    if amount <= 0:
        raise NothingDue(_("%(party)s has nothing to pay in %(currency)s now. To let them pay ahead, give the amount "
                           "to ask for.") % {"party": party.name, "currency": currency}, currency=currency)
    contract = items[0].contract if items else latest
    if contract is None:
        raise DocumentError(_("%(party)s has no active contract to pay for.") % {"party": party.name})
    account = payee_account(currency)
    message = _("Contract %(number)s") % {"number": contract.number}
    code = payment_code(account=account, amount=amount, party_country=party.country,
                        variable_symbol=contract.variable_symbol, creditor_reference=contract.creditor_reference,
                        message=message)
    image = code.image()
    return PaymentOrder(party=party, currency=currency, amount=amount, outstanding=outstanding,
                        reference=code.reference, variable_symbol=contract.variable_symbol, account=account,
                        items=items, qr_kind=code.kind, qr_text=code.text,
                        qr_svg=image.svg_data_uri(scale=4, border=2) if image else "", message=message, qr=image)


def pdf_from_html(html: str) -> bytes:
    """Render our own HTML to PDF; only data: URIs are read (no network, no files)."""
    from weasyprint import HTML  # imported here: loading Pango takes a moment and only documents need it
    from weasyprint.urls import URLFetcher

    return HTML(string=html, base_url=None, url_fetcher=URLFetcher(allowed_protocols=("data",))).write_pdf()


def document_pdf(template: str, context: dict) -> bytes:
    return pdf_from_html(render_to_string(template, context))
