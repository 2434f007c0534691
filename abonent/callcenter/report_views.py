"""The call center's reports as HTML pages and PDF files (WeasyPrint, through billing's pdf_response)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from abonent.billing.downloads import pdf_response
from abonent.callcenter.reports import (
    ROWS_MAX,
    objects_detailed,
    objects_summary,
    period_requests,
    products_involved,
    requests_without_contract,
)
from abonent.callcenter.request_views import _request
from abonent.callcenter.selectors import request_timeline
from abonent.core.forms import query_day
from abonent.core.permissions import module_required
from abonent.core.roles import Access

PERIOD_DAYS_MAX = 366


def _respond(request: HttpRequest, template: str, context: dict, filename: str) -> HttpResponse:
    """The report as a page, or as a PDF with ?format=pdf."""
    context = {**context, "printed": timezone.now(), "user_name": str(request.user)}
    if request.GET.get("format") == "pdf":
        return pdf_response(render_to_string(template, {**context, "pdf": True}, request=request), filename=filename)
    query = request.GET.copy()
    query["format"] = "pdf"
    return render(request, template, {**context, "pdf": False, "pdf_query": query.urlencode()})



def period(request: HttpRequest) -> tuple[dt.date, dt.date]:
    """The period asked for (?from=&to=), by default this month so far; at most a year, never reversed."""
    today = timezone.localdate()
    date_to = query_day(request.GET.get("to"), today)
    date_from = query_day(request.GET.get("from"), date_to.replace(day=1))
    if date_from > date_to:
        date_from, date_to = date_to, date_from
    date_from = max(date_from, date_to - dt.timedelta(days=PERIOD_DAYS_MAX))
    return date_from, date_to


def _period_context(request: HttpRequest) -> dict:
    date_from, date_to = period(request)
    return {"date_from": date_from, "date_to": date_to}


@module_required("callcenter", Access.READ)
def reports(request: HttpRequest) -> HttpResponse:
    """The reports page: a period and the links to each report."""
    return render(request, "callcenter/reports/index.html", _period_context(request))


@module_required("callcenter", Access.READ)
def requests_report(request: HttpRequest) -> HttpResponse:
    context = _period_context(request)
    rows = list(period_requests(date_from=context["date_from"], date_to=context["date_to"])[:ROWS_MAX + 1])
    context.update(rows=rows[:ROWS_MAX], cut=len(rows) > ROWS_MAX, rows_max=ROWS_MAX)
    return _respond(request, "callcenter/reports/requests.html", context,
                    f"requests-{context['date_from']:%Y%m%d}-{context['date_to']:%Y%m%d}")


@module_required("callcenter", Access.READ)
def objects_report(request: HttpRequest) -> HttpResponse:
    context = _period_context(request)
    detailed = request.GET.get("mode") == "detailed"
    if detailed:
        groups, cut = objects_detailed(date_from=context["date_from"], date_to=context["date_to"])
    else:
        groups, cut = objects_summary(date_from=context["date_from"], date_to=context["date_to"]), False
    context.update(groups=groups, cut=cut, rows_max=ROWS_MAX, detailed=detailed,
                   total=sum(g.total for g in groups))
    return _respond(request, "callcenter/reports/objects.html", context,
                    f"request-objects-{'detailed' if detailed else 'summary'}-{context['date_from']:%Y%m%d}")


@module_required("callcenter", Access.READ)
def products_report(request: HttpRequest) -> HttpResponse:
    context = _period_context(request)
    context.update(lines=products_involved(date_from=context["date_from"], date_to=context["date_to"]),
                   without=requests_without_contract(date_from=context["date_from"], date_to=context["date_to"]))
    return _respond(request, "callcenter/reports/products.html", context,
                    f"request-products-{context['date_from']:%Y%m%d}-{context['date_to']:%Y%m%d}")


@module_required("callcenter", Access.READ)
def evolution_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """One request's whole story: its details, every status move and message, oldest first."""
    sr = _request(request, pk)
    return _respond(request, "callcenter/reports/evolution.html",
                    {"sr": sr, "timeline": request_timeline(request=sr)}, f"{sr.number}-evolution")


@module_required("callcenter", Access.READ)
def intervention_form(request: HttpRequest, pk: int) -> HttpResponse:
    """The sheet a technician takes on site: the request, where and whom, and room to write and sign."""
    sr = _request(request, pk)
    return _respond(request, "callcenter/reports/intervention.html", {"sr": sr}, f"{sr.number}-intervention")
