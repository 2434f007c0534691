"""Reads behind the call center's printable reports: requests of a period, their objects and products."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils.translation import get_language

from abonent.callcenter.models import OPEN_STATUSES, RequestStatus, ServiceRequest
from abonent.contracts.models import Product

ROWS_MAX = 5000  # a report longer than this is cut, and says so: a list export serves bigger needs


def period_requests(*, date_from: dt.date, date_to: dt.date) -> QuerySet[ServiceRequest]:
    """Requests dated from date_from to date_to (both included), in number order."""
    return (ServiceRequest.objects.filter(document_date__gte=date_from, document_date__lte=date_to)
            .select_related("party", "request_type", "taken_by", "team", "zone", "contract__main_product")
            .order_by("document_date", "number"))


@dataclass
class ObjectGroup:
    name: str
    requests: list[ServiceRequest] = field(default_factory=list)
    total: int = 0
    open: int = 0
    finalised: int = 0
    cancelled: int = 0


def _tally(group: ObjectGroup, row: dict) -> None:
    group.total += row["n"]
    group.open += row["open"]
    group.finalised += row["finalised"]
    group.cancelled += row["cancelled"]


COUNTS = {
    "n": Count("pk"),
    "open": Count("pk", filter=Q(status__in=OPEN_STATUSES)),
    "finalised": Count("pk", filter=Q(status=RequestStatus.FINALISED)),
    "cancelled": Count("pk", filter=Q(status=RequestStatus.CANCELLED)),
}


def objects_summary(*, date_from: dt.date, date_to: dt.date) -> list[ObjectGroup]:
    """Each object requests were about in the period, with how many are open, finalised and cancelled."""
    rows = (ServiceRequest.objects.filter(document_date__gte=date_from, document_date__lte=date_to)
            .values("service_object").annotate(**COUNTS).order_by("-n", "service_object"))
    groups = []
    for row in rows:
        group = ObjectGroup(name=row["service_object"])
        _tally(group, row)
        groups.append(group)
    return groups


def objects_detailed(*, date_from: dt.date, date_to: dt.date) -> tuple[list[ObjectGroup], bool]:
    """The period's requests under their object (objects by name); True when cut at ROWS_MAX."""
    rows = list(period_requests(date_from=date_from, date_to=date_to)
                .order_by("service_object", "document_date", "number")[:ROWS_MAX + 1])
    groups: dict[str, ObjectGroup] = {}
    for request in rows[:ROWS_MAX]:
        group = groups.setdefault(request.service_object, ObjectGroup(name=request.service_object))
        group.requests.append(request)
        group.total += 1
        group.open += request.is_open
        group.finalised += request.status == RequestStatus.FINALISED
        group.cancelled += request.status == RequestStatus.CANCELLED
    return list(groups.values()), len(rows) > ROWS_MAX


@dataclass
class ProductLine:
    name: str
    code: str
    requests: int
    customers: int
    open: int


def products_involved(*, date_from: dt.date, date_to: dt.date) -> list[ProductLine]:
    """The products of the contracts the period's requests were about, with requests and customers."""
    rows = (ServiceRequest.objects.filter(document_date__gte=date_from, document_date__lte=date_to,
                                          contract__main_product__isnull=False)
            .values("contract__main_product")
            .annotate(requests=Count("pk"), customers=Count("party", distinct=True),
                      open=Count("pk", filter=Q(status__in=OPEN_STATUSES)))
            .order_by("-requests"))
    products = Product.objects.in_bulk([r["contract__main_product"] for r in rows])
    language = get_language() or "en"
    return [ProductLine(name=products[r["contract__main_product"]].name_in(language),
                        code=products[r["contract__main_product"]].code, requests=r["requests"],
                        customers=r["customers"], open=r["open"]) for r in rows]


def requests_without_contract(*, date_from: dt.date, date_to: dt.date) -> int:
    return ServiceRequest.objects.filter(document_date__gte=date_from, document_date__lte=date_to,
                                         contract__isnull=True).count()
