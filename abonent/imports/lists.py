"""The import jobs list, declared for the list engine (abonent.core.grid): who imported what, when, and how it went.

Managers and administrators see every job; anyone else given the right to import sees only their own.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django.db.models import DurationField, ExpressionWrapper, F, QuerySet
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from abonent.accounts.models import User
from abonent.core.grid.declaration import Choice, Column, DateRange, ListSpec, Related
from abonent.core.roles import ADMIN_ROLES, Role
from abonent.customers.lists import rep_name
from abonent.imports.models import ImportJob, JobStatus

# Roles that look after everyone's imports; other importers see their own jobs.
SEES_EVERY_JOB = frozenset({Role.MANAGER, *ADMIN_ROLES})

# Wide fields the list never shows: the file's first rows and headers, the mapping.
_NOT_SHOWN = ("headers", "sample", "mapping", "column_countries", "match_on", "source_query", "error")


def sees_every_job(user: Any) -> bool:
    return getattr(user, "role", None) in SEES_EVERY_JOB


def duration_text(value: dt.timedelta | None) -> str:
    """1 h 02 min, 3 min 05 s, 12 s, 0.4 s."""
    if value is None:
        return ""
    seconds = value.total_seconds()
    if seconds < 10:
        return _("%(n)s s") % {"n": formats.number_format(round(seconds, 1), decimal_pos=1, use_l10n=True)}
    whole = int(round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return _("%(h)s h %(m)02d min") % {"h": hours, "m": minutes}
    if minutes:
        return _("%(m)s min %(s)02d s") % {"m": minutes, "s": secs}
    return _("%(n)s s") % {"n": secs}


def duration_seconds(value: dt.timedelta | None) -> float | None:
    return None if value is None else round(value.total_seconds(), 1)


def importers() -> QuerySet[User]:
    """People who have imported something, for the Who filter."""
    return User.objects.filter(pk__in=ImportJob.objects.values("created_by")).order_by(
        "first_name", "last_name", "username")


def count_jobs(n: int) -> str:
    shown = formats.number_format(n, use_l10n=True, force_grouping=True)
    return ngettext("%(count)s import", "%(count)s imports", n) % {"count": shown}


def _jobs() -> QuerySet[ImportJob]:
    return ImportJob.objects.defer(*_NOT_SHOWN).annotate(
        duration=ExpressionWrapper(F("finished_at") - F("started_at"), output_field=DurationField()))


JOBS = ListSpec(
    key="imports",
    title=_("Imports"),
    model=ImportJob,
    queryset=_jobs,
    module="imports",
    url_namespace="imports",
    columns=[
        Column("id", "#", css="text-body-secondary", shown=False),
        Column("filename", _("File"), link=lambda job: reverse("imports:job", args=[job.pk])),
        Column("status", _("Status")),
        Column("kind", _("Kind"), shown=False),
        Column("created_by", _("By"), display=lambda user: rep_name(user) if user else _("command line"),
               load=("first_name", "last_name", "username", "is_active")),
        Column("uploaded", _("Uploaded"), field="created_at"),
        Column("duration", _("Duration"), display=duration_text, export=duration_seconds),
        Column("total", _("Rows"), css="text-end"),
        Column("created", _("Created"), css="text-end"),
        Column("updated", _("Updated"), css="text-end"),
        Column("skipped", _("Skipped"), css="text-end"),
        Column("rejected", _("Rejected"), css="text-end"),
    ],
    filters=[
        Choice("status", _("Status"), choices=JobStatus.choices),
        Related("by", _("By"), field="created_by", queryset=importers, label_of=rep_name,
                none_label=_("Command line")),
        DateRange("uploaded", _("Uploaded"), field="created_at"),
    ],
    group_by=["status", "by"],
    default_sort="-pk",  # newest first: ids grow with the upload time
    count_label=count_jobs,
    export_name="imports",
    empty_text=_("Nothing has been imported yet."),
)


def jobs_list_for(user: Any) -> ListSpec:
    """The jobs list as `user` may see it: every job, or only their own."""
    if sees_every_job(user):
        return JOBS
    return dataclasses.replace(JOBS, queryset=lambda: _jobs().filter(created_by=user))
