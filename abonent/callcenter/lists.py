"""The call center's long lists for the list engine: the call queue, the calls, the service requests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from abonent.accounts.models import Team, User
from abonent.callcenter.models import (
    Call,
    CallOutcome,
    Campaign,
    CampaignTarget,
    Classification,
    CommercialZone,
    Priority,
    RequestSettings,
    RequestStatus,
    RequestType,
    ServiceRequest,
)
from abonent.callcenter.selectors import OVERDUE, UNTOUCHED, warning_annotation
from abonent.core.grid.declaration import Choice, Column, DateRange, ListSpec, Related, Search, Values
from abonent.core.request_memo import request_memo
from abonent.core.roles import Role
from abonent.customers.lists import CUSTOMERS, country_name, party_names, phone_digits, rep_name, short_date
from abonent.customers.models import CallCenterStatus, Party, label_in
from abonent.customers.templatetags.customers import phone


def _count(singular: str, plural: str):
    def label(n: int) -> str:
        shown = formats.number_format(n, use_l10n=True, force_grouping=True)
        return ngettext(singular, plural, n) % {"count": shown}

    return label


def short_datetime(value: dt.datetime | None) -> str:
    return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT") if value else ""


def day_labels(values: list[str]) -> dict[str, str]:
    """ISO days as the user writes dates."""
    shown = {}
    for value in values:
        try:
            shown[value] = formats.date_format(dt.date.fromisoformat(value), "SHORT_DATE_FORMAT")
        except ValueError:
            continue
    return shown


def staff():
    return User.objects.exclude(role=Role.CUSTOMER).order_by("first_name", "last_name", "username")


def person(user: User | None) -> str:
    return rep_name(user) if user else ""


def outcome_label(labels: dict | None) -> str:
    return label_in(labels or {}, get_language() or "en", "") if labels else ""


# --- the call queue: customers who need calling -------------------------------------------------------


def _day_bounds() -> tuple[dt.datetime, dt.datetime]:
    today = timezone.localdate()
    start = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    return start, start + dt.timedelta(days=1)


@dataclass(frozen=True)
class CallbackDue(Choice):
    """When the customer asked to be called back, relative to today."""

    def apply(self, queryset: QuerySet, data: dict[str, Any]) -> QuerySet:
        picked = set(data.get(self.key) or [])
        if not picked:
            return queryset
        start, end = _day_bounds()
        at = "call_state__next_callback_at"
        conditions = {
            "due": Q(**{f"{at}__lt": end}), "overdue": Q(**{f"{at}__lt": start}),
            "today": Q(**{f"{at}__gte": start, f"{at}__lt": end}), "later": Q(**{f"{at}__gte": end}),
        }
        condition = Q(pk__in=[])
        for key in picked:
            condition |= conditions[key]
        return queryset.filter(condition)


CALLBACK_CHOICES = [
    ("due", _("Due today or overdue")), ("overdue", _("Overdue")), ("today", _("Today")), ("later", _("Later")),
]


@dataclass(frozen=True)
class LastCalled(Choice):
    """Customers never called, or not called for a week."""

    def apply(self, queryset: QuerySet, data: dict[str, Any]) -> QuerySet:
        picked = set(data.get(self.key) or [])
        if not picked:
            return queryset
        condition = Q(pk__in=[])
        if "never" in picked:
            condition |= Q(call_state__isnull=True) | Q(call_state__last_call_at__isnull=True)
        if "week" in picked:
            week_ago = timezone.now() - dt.timedelta(days=7)
            condition |= Q(call_state__isnull=True) | Q(call_state__last_call_at__lt=week_ago)
        return queryset.filter(condition)


@dataclass(frozen=True)
class InCampaign(Related):
    """Customers still to reach in a campaign."""

    def apply(self, queryset: QuerySet, data: dict[str, Any]) -> QuerySet:
        picked = [int(v) for v in data.get(self.key) or []]
        if not picked:
            return queryset
        targets = CampaignTarget.objects.filter(campaign__in=picked, reached_at__isnull=True).values("party")
        return queryset.filter(pk__in=targets)


def queue_rows() -> QuerySet[Party]:
    return Party.objects.active().annotate(
        next_callback=F("call_state__next_callback_at"), last_call=F("call_state__last_call_at"),
        last_outcome=F("call_state__last_outcome__label"),
    )


def callback_text(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    text = short_datetime(value)
    return f"⚠ {text}" if value < timezone.now() else text


QUEUE = ListSpec(
    key="call-queue",
    title=_("Call queue"),
    model=Party,
    queryset=queue_rows,
    module="callcenter",
    url_namespace="callcenter:queue",
    columns=[
        Column("name", _("Name"), sortable=True,
               link=lambda party: reverse("customers:party", args=[party.pk]) + "?tab=calls"),
        Column("phone", _("Phone"), display=phone),
        Column("call_center_status", _("Call-center status"), display=lambda s: str(s) if s else ""),
        Column("next_callback", _("Call back at"), display=callback_text, export=lambda v: v and timezone.localtime(
            v).replace(tzinfo=None)),
        Column("last_call", _("Last call"), display=short_datetime,
               export=lambda v: v and timezone.localtime(v).replace(tzinfo=None)),
        Column("last_outcome", _("Last outcome"), display=outcome_label, export=outcome_label, shown=False),
        Column("city", _("City")),
        Column("country", _("Country"), display=country_name, shown=False),
        Column("stage", _("Stage")),
        Column("sales_rep", _("Sales rep"), display=person, load=("first_name", "last_name", "username", "is_active"),
               shown=False),
    ],
    filters=[
        CUSTOMERS.filter("q"),
        CallbackDue("callback", _("Callback"), choices=CALLBACK_CHOICES),
        InCampaign("campaign", _("Campaign"), queryset=lambda: Campaign.objects.filter(active=True)),
        Related("status", _("Call-center status"), field="call_center_status",
                queryset=lambda: CallCenterStatus.objects.all(), none_label=_("No status")),
        LastCalled("called", _("Last called"), choices=[("never", _("Never called")),
                                                        ("week", _("Not in the last 7 days"))]),
        CUSTOMERS.filter("stage"),
        CUSTOMERS.filter("country"),
        CUSTOMERS.filter("rep"),
        CUSTOMERS.filter("city"),
    ],
    group_by=["status", "stage", "country", "rep"],
    default_sort="name",
    count_label=_count("%(count)s customer to call", "%(count)s customers to call"),
    export_name="call-queue",
    empty_text=_("Nobody to call with these filters."),
)


# --- calls ---------------------------------------------------------------------------------------------


def duration_text(seconds: int | None) -> str:
    if seconds is None:
        return ""
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes}:{rest:02d}"


CALLS = ListSpec(
    key="calls",
    title=_("Calls"),
    model=Call,
    module="callcenter",
    url_namespace="callcenter:calls",
    columns=[
        Column("started", _("Started"), field="started_at", sortable=True, display=short_datetime,
               link=lambda call: reverse("callcenter:call", args=[call.pk])),
        Column("party", _("Customer"), load=("name",), display=lambda p: p.name if p else ""),
        Column("agent", _("Agent"), display=person, load=("first_name", "last_name", "username", "is_active")),
        Column("outcome", _("Outcome"), load=("code", "label")),
        Column("duration", _("Duration"), display=duration_text, css="text-end"),
        Column("note", _("Note")),
        Column("next_step", _("Next step"), shown=False),
        Column("callback_at", _("Call back at"), display=short_datetime),
        Column("campaign", _("Campaign"), load=("name",)),
        Column("status_after", _("Call-center status"), load=("name",), shown=False),
        Column("quality_score", _("Quality"), css="text-end"),
        Column("recording_url", _("Recording"), shown=False),
        Column("channel", _("Channel"), shown=False),
    ],
    filters=[
        Search("q", _("Customer or note"), lookups=("party__name__icontains", "note__icontains")),
        Related("agent", _("Agent"), queryset=staff, label_of=rep_name, none_label=_("Nobody")),
        Related("outcome", _("Outcome"), queryset=lambda: CallOutcome.objects.all()),
        DateRange("started", _("Date"), field="started_at"),
        Values("day", _("Day"), label_values=day_labels),
        Related("campaign", _("Campaign"), queryset=lambda: Campaign.objects.all(), none_label=_("No campaign")),
        Related("status", _("Call-center status"), field="status_after",
                queryset=lambda: CallCenterStatus.objects.all(), none_label=_("No status")),
    ],
    group_by=["agent", "outcome", "day", "campaign", "status"],
    default_sort="-started",
    count_label=_count("%(count)s call", "%(count)s calls"),
    export_name="calls",
    empty_text=_("No calls logged yet."),
)


# --- service requests ----------------------------------------------------------------------------------


def request_rows() -> QuerySet[ServiceRequest]:
    # The page asks for the rows three times (the page, its count, the group tree): the settings are read once.
    options = request_memo("callcenter.settings", RequestSettings.load)
    return ServiceRequest.objects.annotate(warning=warning_annotation(now=timezone.now(), settings=options))


WARNINGS = {OVERDUE: _("⚠ Planned finish passed"), UNTOUCHED: _("⚠ Untouched")}


def classification_names(values: list[str]) -> dict[str, str]:
    ids = [int(v) for v in values if v.isdigit()]
    return {str(pk): name for pk, name in Classification.objects.filter(pk__in=ids).values_list("pk", "name")}


def classification(level: int):
    return lambda: Classification.objects.filter(level=level).order_by("order", "name")


REQUESTS = ListSpec(
    key="service-requests",
    title=_("Service requests"),
    model=ServiceRequest,
    queryset=request_rows,
    module="callcenter",
    url_namespace="callcenter:requests",
    columns=[
        Column("number", _("Number"), sortable=True, link=lambda r: reverse("callcenter:request", args=[r.pk])),
        Column("document_date", _("Date"), sortable=True),
        Column("party", _("Customer"), load=("name",), display=lambda p: p.name if p else ""),
        Column("contact_person", _("Contact person"), shown=False),
        Column("request_type", _("Type"), load=("name",)),
        Column("class_1", _("Classification"), load=("name",), shown=False),
        Column("class_2", _("Sub-classification"), load=("name",), shown=False),
        Column("class_3", _("Detail classification"), load=("name",), shown=False),
        Column("service_object", _("Object")),
        Column("contract_number", _("Contract"), shown=False),
        Column("serial", _("Serial / lot"), shown=False),
        Column("priority", _("Priority")),
        Column("status", _("Status")),
        Column("warning", _("Warning"), display=lambda w: str(WARNINGS.get(w, "")), css="grid-warning"),
        Column("planned_start", _("Planned start"), display=short_datetime, shown=False),
        Column("planned_finish", _("Planned finish"), display=short_datetime),
        Column("team", _("Team"), load=("name",), shown=False),
        Column("taken_by", _("Taken by"), display=person, load=("first_name", "last_name", "username", "is_active")),
        Column("verifier", _("Verifier"), display=person, load=("first_name", "last_name", "username", "is_active"),
               shown=False),
        Column("confirmed", _("Confirmed"), shown=False),
        Column("finalised", _("Finalised"), shown=False),
        Column("valid", _("Valid"), shown=False),
        Column("address", _("Address"), shown=False),
        Column("locality", _("Locality"), shown=False),
        Column("region", _("County / region"), shown=False),
        Column("country", _("Country"), display=country_name, shown=False),
        Column("zone", _("Commercial zone"), load=("name",), shown=False),
        Column("phone", _("Phone"), display=phone, shown=False),
        Column("email", _("E-mail"), shown=False),
        Column("notes", _("Notes"), shown=False),
        Column("channel", _("Received through"), shown=False),
        Column("created", _("Created"), field="created_at", sortable=True, display=short_date, shown=False),
    ],
    filters=[
        Search("q", _("Number, object, serial or contact"), lookups=(
            "number__icontains", "service_object__icontains", "serial__icontains", "contact_person__icontains",
            ("phone__contains", phone_digits),
        )),
        Search("customer", _("Customer"), lookups=("party__name__icontains",)),
        Search("contract", _("Contract number"), lookups=("contract_number__istartswith",)),
        Choice("status", _("Status"), choices=RequestStatus.choices),
        Choice("priority", _("Priority"), choices=Priority.choices),
        Choice("warning", _("Warning"), choices=[(OVERDUE, _("Planned finish passed")),
                                                 (UNTOUCHED, _("High priority untouched"))]),
        Related("type", _("Type"), field="request_type", queryset=lambda: RequestType.objects.all()),
        Related("class1", _("Classification"), field="class_1", queryset=classification(1),
                none_label=_("Not classified")),

        Related("zone", _("Commercial zone"), queryset=lambda: CommercialZone.objects.all(),
                none_label=_("No zone")),
        Related("team", _("Team"), queryset=lambda: Team.objects.all(), none_label=_("No team")),
        Related("taker", _("Taken by"), field="taken_by", queryset=staff, label_of=rep_name,
                none_label=_("Nobody yet")),
        Related("verifier", _("Verifier"), queryset=staff, label_of=rep_name, none_label=_("No verifier")),
        DateRange("date", _("Date"), field="document_date"),
        Search("address", _("Address or locality"), lookups=(
            "address__icontains", "locality__icontains", "region__icontains")),
        # Set by the group tree only.
        Values("party", _("Customer"), label_values=party_names),
        Values("class2", _("Sub-classification"), field="class_2", label_values=classification_names,
               none_label=_("None")),
        Values("class3", _("Detail classification"), field="class_3", label_values=classification_names,
               none_label=_("None")),
        Values("day", _("Date"), field="document_date", label_values=day_labels),
        Values("object", _("Object"), field="service_object", none_label=_("No object")),
        Values("start_day", _("Planned start"), field="planned_start_on", label_values=day_labels,
               none_label=_("Not planned")),
        Values("finish_day", _("Planned finish"), field="planned_finish_on", label_values=day_labels,
               none_label=_("Not planned")),
    ],
    group_by=["status", "priority", "party", "class1", "class2", "class3", "day", "object", "zone", "start_day",
              "finish_day", "team", "taker", "type"],
    default_sort="-number",
    count_label=_count("%(count)s request", "%(count)s requests"),
    export_name="service-requests",
    empty_text=_("No service requests with these filters."),
)
