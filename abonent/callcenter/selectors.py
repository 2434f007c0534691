"""Reads of the call center: a customer's calls, queues, a request with its timeline, warnings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, Q, QuerySet, Value, When
from django.db.models import CharField as CharOutput
from django.utils.translation import get_language

from abonent.accounts.models import Team
from abonent.callcenter.models import (
    OPEN_STATUSES,
    Call,
    CallOutcome,
    Campaign,
    Priority,
    RequestMessage,
    RequestSettings,
    ServiceRequest,
    StatusChange,
)
from abonent.contracts.models import Contract
from abonent.core.permissions import has_access
from abonent.core.roles import Access
from abonent.customers.models import Party

QUEUE_LIMIT = 200


def request_visible_to(*, user: Any, request: ServiceRequest) -> bool:
    """Whether the user may see the request, its timeline and its files: the one rule, kept here."""
    return has_access(user, "callcenter", Access.READ)


def outcomes_offered() -> QuerySet[CallOutcome]:
    return CallOutcome.objects.filter(active=True).select_related("sets_status").order_by("order", "code")


def campaigns_open(*, today: dt.date) -> QuerySet[Campaign]:
    return Campaign.objects.filter(active=True).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))


def party_calls(*, party: Party, limit: int = 20) -> list[Call]:
    return list(Call.objects.filter(party=party).select_related("agent", "outcome", "campaign", "meeting")
                .order_by("-started_at", "-id")[:limit])


def party_requests(*, party: Party, limit: int = 20) -> list[ServiceRequest]:
    return list(ServiceRequest.objects.filter(party=party).select_related("request_type")
                .order_by("-document_date", "-id")[:limit])


def party_contracts(*, party: Party) -> list[Contract]:
    """The customer's contracts a request can be about, newest first (drafts too: an installation may come first)."""
    return list(Contract.objects.filter(party=party).select_related("main_product").order_by("-start_date", "-id"))


def contract_label(contract: Contract) -> str:
    """"C2026-000012 · Fibre 500 · active": how a contract is offered on a request's form."""
    product = contract.main_product.name_in(get_language() or "en") if contract.main_product else ""
    return " · ".join(filter(None, [str(contract), product, contract.get_status_display().lower()]))


def request_queue(*, team: Team) -> QuerySet[ServiceRequest]:
    """The team's open requests, the most urgent first: priority, then the oldest."""
    return (ServiceRequest.objects.filter(team=team, status__in=OPEN_STATUSES)
            .select_related("party", "request_type", "taken_by").order_by("-priority", "created_at", "id"))


def team_load(*, team: Team, now: dt.datetime) -> list[Any]:
    """The team's members with their open requests and absence, for the queue page."""
    return list(
        team.members.filter(is_active=True)
        .annotate(load=Count("taken_requests", filter=Q(taken_requests__status__in=OPEN_STATUSES)))
        .select_related("absence").order_by("first_name", "last_name", "username")
    )


def request_get(*, pk: int) -> ServiceRequest:
    return ServiceRequest.objects.select_related(
        "party", "request_type", "class_1", "class_2", "class_3", "team", "taken_by", "verifier", "zone",
        "created_by", "contract",
    ).get(pk=pk)


@dataclass
class TimelineEntry:
    at: dt.datetime
    kind: str  # "message" or "move"
    item: Any


def request_timeline(*, request: ServiceRequest) -> list[TimelineEntry]:
    """Messages (with their files) and status moves, oldest first."""
    messages = RequestMessage.objects.filter(request=request).select_related("author").prefetch_related(
        "attachments")
    moves = StatusChange.objects.filter(request=request).select_related("by")
    entries = [TimelineEntry(m.at, "message", m) for m in messages] + [TimelineEntry(c.at, "move", c) for c in moves]
    return sorted(entries, key=lambda e: (e.at, e.kind != "move"))


# --- warnings ----------------------------------------------------------------------------------------

OVERDUE, UNTOUCHED = "overdue", "untouched"


def warning_annotation(*, now: dt.datetime, settings: RequestSettings) -> Case:
    """An SQL expression naming a request's warning: overdue (planned finish passed) or untouched (high
    priority not changed, moved or written on for the hours set), or ""."""
    whens = []
    if settings.warn_finish_passed:
        whens.append(When(status__in=OPEN_STATUSES, planned_finish__lt=now, then=Value(OVERDUE)))
    if settings.warn_untouched_hours:
        whens.append(When(status__in=OPEN_STATUSES, priority=Priority.HIGH,
                          touched_at__lt=now - dt.timedelta(hours=settings.warn_untouched_hours),
                          then=Value(UNTOUCHED)))
    return Case(*whens, default=Value(""), output_field=CharOutput())


def request_warning(*, request: ServiceRequest, now: dt.datetime, settings: RequestSettings) -> str:
    """The same rule as warning_annotation, for one request in memory."""
    if not request.is_open:
        return ""
    if settings.warn_finish_passed and request.planned_finish and request.planned_finish < now:
        return OVERDUE
    hours = settings.warn_untouched_hours
    if hours and request.priority == Priority.HIGH and request.touched_at < now - dt.timedelta(hours=hours):
        return UNTOUCHED
    return ""


def requests_warned(*, now: dt.datetime) -> QuerySet[ServiceRequest]:
    """Open requests with a warning now (for the job that tells team leads)."""
    settings = RequestSettings.load()
    return (ServiceRequest.objects.filter(status__in=OPEN_STATUSES)
            .annotate(warning=warning_annotation(now=now, settings=settings)).exclude(warning=""))
