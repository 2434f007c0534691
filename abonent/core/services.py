"""Writes of the shared kernel: audit log, document numbers, closed periods, favourites, deletion rule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from abonent.core.models import AuditEntry, Channel, ClosedPeriod, DocumentSeries, Favourite, SeriesCounter
from abonent.core.roles import Role


class AbonentError(Exception):
    """An error a user can cause; its message is shown to them as it is."""


# --- audit log -------------------------------------------------------------------------------------


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Decimal | dt.date | dt.datetime | dt.time):
        return str(value)
    if isinstance(value, models.Model | Promise):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, Iterable):
        return [_jsonable(v) for v in value]
    return str(value)


def audit_record(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    subject: models.Model | None = None,
    changes: Mapping[str, tuple[Any, Any]] | None = None,
    channel: str = Channel.UI,
    note: str = "",
    now: dt.datetime | None = None,
) -> AuditEntry:
    """Write one audit entry; `changes` maps a field to its (old, new) values.

    `subject` is the record whose history shows the change (a customer, for a change to their address);
    it defaults to the target.
    """
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    subject = subject if subject is not None else target
    return AuditEntry.objects.create(
        at=now or timezone.now(),
        actor=actor,
        actor_label=(actor.get_full_name() or actor.get_username()) if actor else _("system"),
        action=action,
        channel=channel,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:300] if target is not None else "",
        subject_type=ContentType.objects.get_for_model(subject) if subject is not None else None,
        subject_id=str(subject.pk) if subject is not None else "",
        changes={field: [_jsonable(old), _jsonable(new)] for field, (old, new) in (changes or {}).items()},
        note=note,
    )


def changed_fields(
    instance: models.Model, values: Mapping[str, Any]
) -> dict[str, tuple[Any, Any]]:
    """Return {field: (old, new)} for the values that differ from the instance's."""
    return {
        field: (getattr(instance, field), new)
        for field, new in values.items()
        if getattr(instance, field) != new
    }


# --- document series -------------------------------------------------------------------------------


class SeriesInactive(AbonentError):
    pass


def series_next_number(*, series: DocumentSeries, on: dt.date) -> str:
    """Take the next number of the series for a document dated `on`.

    Call it inside the transaction that validates the document: if that transaction rolls back, the
    number is given back, so the series stays gapless.
    """
    if not series.active:
        raise SeriesInactive(_("The document series “%(name)s” is inactive.") % {"name": series.name})
    year = on.year if series.reset_yearly else 0
    with transaction.atomic():
        counter = _locked_counter(series=series, year=year)
        number = counter.next_number
        counter.next_number = number + 1
        counter.save(update_fields=["next_number"])
    return series.format(number=number, year=on.year)


def _locked_counter(*, series: DocumentSeries, year: int) -> SeriesCounter:
    counters = SeriesCounter.objects.select_for_update()
    try:
        return counters.get(series=series, year=year)
    except SeriesCounter.DoesNotExist:
        pass
    try:
        with transaction.atomic():
            SeriesCounter.objects.create(series=series, year=year)
    except IntegrityError:
        pass  # another transaction created it first; the lock below waits for it
    return counters.get(series=series, year=year)


def series_save(*, by: Any, series: DocumentSeries, changed: Iterable[str]) -> DocumentSeries:
    """Create or change a series (its counters are untouched) and audit it."""
    created = series.pk is None
    stored = None if created else DocumentSeries.objects.filter(pk=series.pk).first()
    with transaction.atomic():
        series.save()
        audit_record(
            actor=by, action="abonent.core.series." + ("created" if created else "changed"), target=series,
            changes={
                field: (getattr(stored, field) if stored else None, getattr(series, field)) for field in changed
            },
        )
    return series


def series_for(*, document_type: str) -> DocumentSeries:
    """Return the default series of a document type."""
    try:
        return DocumentSeries.objects.get(document_type=document_type, is_default=True, active=True)
    except DocumentSeries.DoesNotExist:
        raise SeriesInactive(
            _("No active default document series is set up for “%(type)s”.") % {"type": document_type}
        ) from None


# --- closed periods --------------------------------------------------------------------------------


class PeriodClosedError(AbonentError):
    pass


def period_assert_open(*, on: dt.date, domain: str = "") -> None:
    """Refuse a document dated `on` when its period is closed for `domain` (or for every module)."""
    closed = (
        ClosedPeriod.objects.filter(active_from__lte=on, active_to__gt=on)
        .filter(models.Q(domain="") | models.Q(domain=domain))
        .first()
    )
    if closed is not None:
        raise PeriodClosedError(
            _(
                "The period from %(start)s to %(end)s is closed, so documents dated %(day)s can no longer "
                "be created or changed. Ask an administrator to reopen it."
            )
            % {
                "start": closed.active_from.isoformat(),
                "end": (closed.active_to - dt.timedelta(days=1)).isoformat(),
                "day": on.isoformat(),
            }
        )


def period_close(
    *, by: Any, active_from: dt.date, active_to: dt.date, domain: str = "", note: str = "",
    now: dt.datetime | None = None,
) -> ClosedPeriod:
    """Close [active_from, active_to) for a module, or for all modules when domain is empty."""
    if active_to <= active_from:
        raise AbonentError(_("The end of the period must come after its start."))
    now = now or timezone.now()
    with transaction.atomic():
        period = ClosedPeriod.objects.create(
            active_from=active_from, active_to=active_to, domain=domain, note=note, closed_by=by, closed_at=now
        )
        audit_record(
            actor=by, action="abonent.core.period.closed", target=period, now=now,
            changes={"active_from": (None, active_from), "active_to": (None, active_to), "domain": (None, domain)},
        )
    return period


def period_reopen(*, by: Any, period: ClosedPeriod, now: dt.datetime | None = None) -> None:
    """Reopen a closed period; only a super-administrator may."""
    if getattr(by, "role", None) != Role.SUPERADMIN:
        raise AbonentError(_("Only a super-administrator may reopen a closed period."))
    with transaction.atomic():
        audit_record(
            actor=by, action="abonent.core.period.reopened", target=period, now=now,
            changes={"active_from": (period.active_from, None), "active_to": (period.active_to, None)},
        )
        period.delete()


# --- deleting approved data ------------------------------------------------------------------------


class DeletionRefused(AbonentError):
    pass


def deletion_assert_allowed(*, user: Any, obj: models.Model) -> None:
    """The one rule for deleting approved data: a super-administrator alone may."""
    if getattr(obj, "is_approved", False) and getattr(user, "role", None) != Role.SUPERADMIN:
        raise DeletionRefused(
            _("“%(object)s” is approved; only a super-administrator may delete it.") % {"object": obj}
        )


# --- favourites ------------------------------------------------------------------------------------


def favourite_toggle(*, user: Any, url: str, title: str) -> bool:
    """Pin the page to the user's favourites, or unpin it; return whether it is pinned now."""
    deleted, _rows = Favourite.objects.filter(user=user, url=url).delete()
    if deleted:
        return False
    position = Favourite.objects.filter(user=user).count()
    # A double click sends two requests; the second finds the pin made by the first.
    Favourite.objects.get_or_create(user=user, url=url, defaults={"title": title[:120] or url, "position": position})
    return True
