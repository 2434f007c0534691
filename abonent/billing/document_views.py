"""A customer's documents as HTML pages and PDF files: payment order with QR, statement, arrears statement."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from abonent.billing.documents import DocumentError, NothingDue, payment_order
from abonent.billing.downloads import pdf_response
from abonent.billing.forms import AmountForm
from abonent.billing.statements import party_arrears, party_currencies, party_statement
from abonent.billing.views import COUNTRY_CURRENCY
from abonent.core.forms import query_day
from abonent.core.permissions import module_required
from abonent.core.roles import Access
from abonent.customers.models import Party


def _party(pk: int) -> Party:
    party = Party.objects.filter(pk=pk).first()
    if party is None:
        raise Http404
    return party.merged_into or party


def _respond(request: HttpRequest, template: str, context: dict, filename: str) -> HttpResponse:
    context = {**context, "payee_name": settings.BILLING_PAYEE_NAME, "printed": timezone.now()}
    if request.GET.get("format") == "pdf":
        return pdf_response(render_to_string(template, {**context, "pdf": True}, request=request), filename=filename)
    query = request.GET.copy()
    query["format"] = "pdf"
    return render(request, template, {**context, "pdf": False, "pdf_query": query.urlencode()})



@module_required("billing", Access.READ)
def order(request: HttpRequest, pk: int) -> HttpResponse:
    party = _party(pk)
    form = AmountForm(request.GET or None)
    amount = currency = None
    if form.is_valid():
        amount, currency = form.cleaned_data["amount"], form.cleaned_data["currency"] or None
    try:
        document = payment_order(party=party, currency=currency, amount=amount, on=timezone.localdate())
    except DocumentError as error:
        ask = AmountForm(initial={"currency": error.currency}) if isinstance(error, NothingDue) else None
        return render(request, "billing/documents/unavailable.html", {"party": party, "message": str(error),
                                                                       "ask": ask}, status=400)
    return _respond(request, "billing/documents/payment_order.html",
                    {"order": document, "party": party, "form": form},
                    f"payment-order-{party.pk}-{timezone.localdate():%Y%m%d}")


@module_required("billing", Access.READ)
def statement(request: HttpRequest, pk: int) -> HttpResponse:
    party = _party(pk)
    today = timezone.localdate()
    # A customer never billed nor paid gets an empty statement in their country's currency: nothing owed.
    currencies = party_currencies(party) or [COUNTRY_CURRENCY.get(party.country, "EUR")]
    currency = request.GET.get("currency") or currencies[0]
    if currency not in settings.CURRENCIES:
        raise Http404
    start = query_day(request.GET.get("from", ""), today.replace(month=1, day=1))
    last = query_day(request.GET.get("to", ""), today)
    if last < start:
        start, last = last, start
    document = party_statement(party=party, currency=currency, start=start, end=last + dt.timedelta(days=1))
    return _respond(request, "billing/documents/statement.html",
                    {"statement": document, "party": party, "currencies": currencies, "last": last},
                    f"statement-{party.pk}-{start:%Y%m%d}-{last:%Y%m%d}")


@module_required("billing", Access.READ)
def arrears_statement(request: HttpRequest, pk: int) -> HttpResponse:
    party = _party(pk)
    on = query_day(request.GET.get("on", ""), timezone.localdate())
    lines = party_arrears(party=party, on=on)
    totals: dict[str, object] = {}
    for line in lines:
        totals[line.item.currency] = totals.get(line.item.currency, 0) + line.item.outstanding
    return _respond(request, "billing/documents/arrears_statement.html",
                    {"lines": lines, "party": party, "on": on, "totals": sorted(totals.items()),
                     "title": _("Statement of arrears")},
                    f"arrears-{party.pk}-{on:%Y%m%d}")
