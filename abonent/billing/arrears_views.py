"""The arrears report: open amounts by age, in total and per customer, on screen and as CSV, XLSX or PDF."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from abonent.billing.downloads import TABLE_FORMATS, pdf_response, table_response
from abonent.billing.selectors import BUCKETS, Aging, aging, aging_by_party
from abonent.contracts.lists import payer_label, payers
from abonent.core.models import Channel
from abonent.core.permissions import module_required
from abonent.core.roles import Access
from abonent.core.services import audit_record
from abonent.customers.models import Node

PAGE = 50
EXPORT_LIMIT = 200_000
# WeasyPrint lays out some 30–40 rows of this table a second on two cores: 2,000 rows keep a worker busy for a
# minute. Past that the PDF says where it stops; the spreadsheets hold every row.
PDF_LIMIT = 2_000


def bucket_labels() -> list[str]:
    return [_("Not due yet"), _("1–30 days"), _("31–60 days"), _("61–90 days"), _("Over 90 days")]


@dataclass(frozen=True)
class Chosen:
    """What the arrears are asked for: the day, a currency, customers with nothing overdue too, a payer."""

    on: dt.date
    currency: str
    with_not_due: bool
    payer: Node | None

    def query(self) -> dict[str, str]:
        """The filters as URL parameters, those left at their default out."""
        values = {"on": self.on.isoformat() if self.on != timezone.localdate() else "", "currency": self.currency,
                  "all": "1" if self.with_not_due else "", "payer": str(self.payer.pk) if self.payer else ""}
        return {k: v for k, v in values.items() if v}


def _filters(request: HttpRequest) -> Chosen:
    today = timezone.localdate()
    try:
        on = dt.date.fromisoformat(request.GET.get("on", "")) if request.GET.get("on") else today
    except ValueError:
        on = today
    currency = request.GET.get("currency", "")
    if currency not in settings.CURRENCIES:
        currency = ""
    payer_id = request.GET.get("payer", "")
    payer = payers().filter(pk=payer_id).first() if payer_id.isdigit() else None
    return Chosen(on=on, currency=currency, with_not_due=request.GET.get("all") == "1", payer=payer)


def _totals(chosen: Chosen) -> list[Aging]:
    return [t for t in aging(on=chosen.on, payer=chosen.payer) if not chosen.currency or t.currency == chosen.currency]


def _cursor(request: HttpRequest) -> tuple[str, Decimal, int] | None:
    parts = request.GET.get("after", "").split("_")
    try:
        return (parts[0], Decimal(parts[1]), int(parts[2])) if len(parts) == 3 else None
    except (InvalidOperation, ValueError):
        return None


@module_required("billing", Access.READ)
def arrears(request: HttpRequest) -> HttpResponse:
    chosen = _filters(request)
    on, currency, with_not_due = chosen.on, chosen.currency, chosen.with_not_due
    rows = aging_by_party(on=on, currency=currency or None, overdue_only=not with_not_due, limit=PAGE + 1,
                          after=_cursor(request), payer=chosen.payer)
    more = len(rows) > PAGE
    rows = rows[:PAGE]
    totals = _totals(chosen)
    base = chosen.query()
    next_query = ""
    if more:
        last = rows[-1]
        next_query = urlencode({**base, "after": f"{last.currency}_{last.extra['owed']}_{last.party.pk}"})
    return render(request, "billing/arrears.html", {
        "on": on, "currency": currency, "with_not_due": with_not_due, "rows": rows, "totals": totals,
        "labels": bucket_labels(), "buckets": BUCKETS, "currencies": settings.CURRENCIES,
        "payer": chosen.payer, "payers": [(node.pk, payer_label(node)) for node in payers()],
        "next_query": next_query, "first_query": urlencode(base), "export_query": urlencode(base),
        "first_page": _cursor(request) is None,
    })


def _table(rows: list[Aging]) -> list[list]:
    header = [_("Customer"), _("Customer number"), _("Currency"), *bucket_labels(), _("Overdue"), _("Total")]
    body = [[row.party.name if row.party else "", row.party.pk if row.party else "", row.currency,
             *(getattr(row, b) for b in BUCKETS), row.overdue, row.total] for row in rows]
    return [header, *body]


@module_required("billing", Access.READ)
def arrears_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in (*TABLE_FORMATS, "pdf"):
        raise Http404
    chosen = _filters(request)
    on, currency, with_not_due = chosen.on, chosen.currency, chosen.with_not_due
    limit = PDF_LIMIT if fmt == "pdf" else EXPORT_LIMIT
    rows = aging_by_party(on=on, currency=currency or None, overdue_only=not with_not_due, limit=limit + 1,
                          payer=chosen.payer)
    cut, rows = len(rows) > limit, rows[:limit]
    audit_record(actor=request.user, action="abonent.billing.arrears.exported", channel=Channel.UI,
                 note=f"{fmt} {len(rows)} rows, {currency or 'all currencies'}, on {on.isoformat()}"
                      + (f", paid by node {chosen.payer.pk}" if chosen.payer else ""))
    name = f"arrears-{on.isoformat()}"
    if fmt != "pdf":
        return table_response(_table(rows), fmt=fmt, filename=name, sheet=_("Arrears"))
    return pdf_response(render_to_string("billing/documents/arrears_report.html", {
        "on": on, "currency": currency, "with_not_due": with_not_due, "rows": rows, "cut": cut, "limit": limit,
        "payer": payer_label(chosen.payer) if chosen.payer else "",
        "totals": _totals(chosen), "labels": bucket_labels(),
        "payee_name": settings.BILLING_PAYEE_NAME, "printed": timezone.now(), "pdf": True,
    }, request=request), filename=name)
