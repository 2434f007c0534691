"""The payments report: payments received over a period in aggregate, on screen and as PDF, CSV or XLSX."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from abonent.billing.downloads import TABLE_FORMATS, pdf_response, table_response
from abonent.billing.models import PaymentSource
from abonent.billing.payment_summary import PaymentSummary, payment_summary
from abonent.core.forms import query_day
from abonent.core.permissions import module_required
from abonent.core.roles import Access


@dataclass(frozen=True)
class Preset:
    key: str
    label: str
    start: dt.date
    end: dt.date

    @property
    def query(self) -> str:
        return urlencode({"from": self.start.isoformat(), "to": self.end.isoformat()})


def _month_end(day: dt.date) -> dt.date:
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


def presets(today: dt.date) -> list[Preset]:
    """The periods offered with one click: this month, last month, this year."""
    last_month = today.replace(day=1) - dt.timedelta(days=1)
    return [
        Preset("this_month", _("This month"), today.replace(day=1), _month_end(today)),
        Preset("last_month", _("Last month"), last_month.replace(day=1), last_month),
        Preset("this_year", _("This year"), today.replace(month=1, day=1), today.replace(month=12, day=31)),
    ]



def _summary(request: HttpRequest) -> PaymentSummary:
    """The report the query asks for: this month's payments in every currency and from every source by default."""
    today = timezone.localdate()
    start = query_day(request.GET.get("from", ""), today.replace(day=1))
    end = query_day(request.GET.get("to", ""), _month_end(today))
    if end < start:
        start, end = end, start
    currency = request.GET.get("currency", "")
    source = request.GET.get("source", "")
    return payment_summary(start=start, end=end, currency=currency if currency in settings.CURRENCIES else "",
                           source=source if source in PaymentSource.values else "")


def _query(summary: PaymentSummary) -> str:
    return urlencode({k: v for k, v in {"from": summary.start.isoformat(), "to": summary.end.isoformat(),
                                        "currency": summary.currency, "source": summary.source}.items() if v})


@module_required("billing", Access.READ)
def summary_page(request: HttpRequest) -> HttpResponse:
    summary = _summary(request)
    return render(request, "billing/payment_summary.html", {
        "summary": summary, "presets": presets(timezone.localdate()), "currencies": settings.CURRENCIES,
        "sources": PaymentSource.choices, "query": _query(summary),
    })


def _table(summary: PaymentSummary) -> list[list]:
    header = [_("Currency"), _("Month"), _("Source"), _("Payments"), _("Amount"), _("Allocated"), _("Refunded"),
              _("Unallocated")]
    return [header, *([c.currency, f"{m.month:%Y-%m}", t.label, t.count, t.amount, t.allocated, t.refunded,
                       t.unallocated] for c in summary.currencies for m in c.months for t in m.cells if t)]


@module_required("billing", Access.READ)
def summary_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in (*TABLE_FORMATS, "pdf"):
        raise Http404
    summary = _summary(request)
    name = f"payments-{summary.start:%Y%m%d}-{summary.end:%Y%m%d}"
    if fmt != "pdf":
        return table_response(_table(summary), fmt=fmt, filename=name, sheet=_("Payments"))
    return pdf_response(render_to_string("billing/documents/payment_summary.html", {
        "summary": summary, "source_label": PaymentSource(summary.source).label if summary.source else "",
        "payee_name": settings.BILLING_PAYEE_NAME, "printed": timezone.now(), "pdf": True,
    }, request=request), filename=name)
