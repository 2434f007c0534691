"""The meetings list, declared for the list engine (abonent.core.grid)."""

from __future__ import annotations

import dataclasses

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from abonent.accounts.models import User
from abonent.appointments.models import Meeting, MeetingStatus
from abonent.appointments.selectors import sees_every_rep
from abonent.appointments.slots import calendar_reps
from abonent.core.grid.declaration import Choice, Column, DateRange, ListSpec, Related, Search


def _when(value) -> str:
    return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT") if value else ""


def _person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def count_meetings(n: int) -> str:
    shown = formats.number_format(n, use_l10n=True, force_grouping=True)
    return ngettext("%(count)s meeting", "%(count)s meetings", n) % {"count": shown}


MEETINGS = ListSpec(
    key="meetings",
    title=_("Meetings"),
    model=Meeting,
    module="appointments",
    url_namespace="appointments",
    columns=[
        Column("start", _("When"), sortable=True, display=_when,
               link=lambda m: reverse("appointments:meeting", args=[m.pk])),
        Column("party", _("Customer"), display=lambda p: p.name if p else "", load=("name",)),
        Column("rep", _("Sales rep"), display=_person, load=("first_name", "last_name", "username")),
        Column("purpose", _("Purpose")),
        Column("place", _("Place"), shown=False),
        Column("status", _("Status")),
        Column("created_by", _("Booked by"), display=_person, load=("first_name", "last_name", "username"),
               shown=False),
        Column("created", pgettext_lazy("meeting", "Booked"), field="created_at", display=_when, shown=False),
    ],
    filters=[
        Search("q", _("Purpose or customer"), lookups=("purpose__icontains", "party__name__icontains")),
        Choice("status", _("Status"), choices=MeetingStatus.choices),
        Related("rep", _("Sales rep"), field="rep", queryset=calendar_reps, label_of=_person),
        DateRange("start", _("Day"), field="start"),
    ],
    group_by=["status", "rep"],
    default_sort="-start",
    count_label=count_meetings,
    export_name="meetings",
    empty_text=_("There are no meetings yet."),
)


def meetings_list_for(user: User) -> ListSpec:
    """Agents and managers list every meeting; a rep lists their own."""
    if sees_every_rep(user):
        return MEETINGS
    return dataclasses.replace(MEETINGS, queryset=lambda: Meeting.objects.filter(rep=user))
