"""Reads about customers: the record for its page, its history, and the record as it was on a past day."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from abonent.accounts.models import User
from abonent.core.models import AuditEntry
from abonent.core.roles import Role
from abonent.customers.history_words import history_model
from abonent.customers.models import (
    Address,
    BankAccount,
    CallCenterStatus,
    ContactPoint,
    Note,
    Party,
    StageChange,
    Task,
)
from abonent.customers.templatetags.customers import country_name
from abonent.customers.tracking import (
    ADDRESS_FIELDS,
    BANK_ACCOUNT_FIELDS,
    CONTACT_FIELDS,
    PARTY_FIELDS,
    untracked_fields,
)

HISTORY_PAGE = 50

# The model behind each audit noun ("abonent.customers.<noun>.<verb>"), for field labels and choice names.
NOUN_MODELS: dict[str, type[models.Model]] = {
    "party": Party, "contact": ContactPoint, "address": Address, "bank_account": BankAccount, "note": Note,
    "task": Task,
}
EXTRA_LABELS = {
    "merged": gettext_lazy("merged with"), "merged_into": gettext_lazy("merged into"),
    "party": gettext_lazy("customer"),
}


# --- the record ------------------------------------------------------------------------------------


def party_get(*, pk: int) -> Party:
    """The party with what its page header shows; raises Party.DoesNotExist."""
    return Party.objects.select_related("sales_rep", "call_center_status").get(pk=pk)


def party_survivor(party: Party) -> Party:
    """Where a merged party's links lead: the record it was merged into (merges never chain)."""
    return party.merged_into if party.merged_into_id else party


def sales_reps() -> QuerySet[User]:
    return User.objects.filter(is_active=True, role__in=(Role.SALES_REP, Role.MANAGER)).order_by(
        "last_name", "first_name"
    )


def call_center_statuses(*, including: CallCenterStatus | None = None) -> QuerySet[CallCenterStatus]:
    """The active statuses, and the party's current one even when it was retired."""
    statuses = CallCenterStatus.objects.filter(active=True)
    if including is not None:
        statuses = CallCenterStatus.objects.filter(models.Q(active=True) | models.Q(pk=including.pk))
    return statuses


def party_contacts(*, party: Party) -> dict[str, list]:
    return {
        # Phones before e-mails: the agent's first use of the tab is to call.
        "contacts": list(ContactPoint.objects.filter(party=party).order_by("-kind", "-is_primary", "id")),
        "addresses": list(Address.objects.filter(party=party)),
        "bank_accounts": list(BankAccount.objects.filter(party=party)),
    }


def party_notes(*, party: Party) -> QuerySet[Note]:
    return Note.objects.filter(party=party).select_related("author")


def party_tasks(*, party: Party) -> QuerySet[Task]:
    """Open tasks first, by due day; then the done ones, latest first."""
    return Task.objects.filter(party=party).select_related("owner").order_by(
        models.F("done_at").desc(nulls_first=True), models.F("due_on").asc(nulls_last=True), "id"
    )


def party_stage_changes(*, party: Party) -> QuerySet[StageChange]:
    return StageChange.objects.filter(party=party).select_related("by")


def party_overview(*, party: Party) -> dict[str, Any]:
    return {
        "stage_changes": list(party_stage_changes(party=party)[:10]),
        "open_tasks": list(party_tasks(party=party).filter(done_at__isnull=True)[:5]),
        "latest_note": party_notes(party=party).first(),
        "tags": list(party.tags.all()),
        "merged_parties": list(party.merged_parties.order_by("-merged_at")),
    }


def merge_candidates(*, party: Party, query: str, limit: int = 20) -> list[Party]:
    """Other active customers whose name, phone, e-mail or tax ID matches: the likely duplicates."""
    query = query.strip()
    if len(query) < 2:
        return []
    matches = Party.objects.active().exclude(pk=party.pk).filter(
        models.Q(name__icontains=query) | models.Q(phone__contains=query) | models.Q(email__icontains=query)
        | models.Q(tax_id__startswith=query)
    )
    return list(matches.order_by("name", "id")[:limit])


# --- history ---------------------------------------------------------------------------------------


def party_history(*, party: Party, before_id: int | None = None) -> QuerySet[AuditEntry]:
    """Changes to the party and what belongs to it, newest first, with those of records merged into it."""
    ids = [str(party.pk), *(str(pk) for pk in party.merged_parties.values_list("pk", flat=True))]
    entries = AuditEntry.objects.filter(
        subject_type=ContentType.objects.get_for_model(Party), subject_id__in=ids
    ).select_related("target_type").order_by("-id")
    if before_id:
        entries = entries.filter(id__lt=before_id)
    return entries


@dataclass(frozen=True)
class ChangeLine:
    label: str
    old: str
    new: str


def _noun(action: str) -> str:
    parts = action.split(".")
    if len(parts) >= 4 and parts[1] == "customers":
        return parts[2]
    return action if history_model(action) is not None else ""


def _own_fields(noun: str) -> dict[str, models.Field]:
    # A customers noun ("address"), or another app's whole action code when that app registered its model.
    model = NOUN_MODELS.get(noun) or history_model(noun)
    if model is None:
        return {}
    return {f.name: f for f in (*model._meta.fields, *model._meta.many_to_many)}


def field_label(noun: str, name: str) -> str:
    own = _own_fields(noun)
    if name in own:
        return str(own[name].verbose_name)
    if name in EXTRA_LABELS:
        return str(EXTRA_LABELS[name])
    party_field = next((f for f in Party._meta.fields if f.name == name), None)
    return str(party_field.verbose_name) if party_field else name


def value_display(noun: str, name: str, value: Any) -> str:
    """A stored (JSON) value as a person reads it: choice names, yes/no, lists joined, ∅ for nothing."""
    if value is None or value == "":
        return "∅"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "∅"
    if name == "country" and isinstance(value, str):
        return country_name(value)
    own = _own_fields(noun)
    if name in own:
        choices = dict(own[name].flatchoices or [])
        if value in choices:
            return str(choices[value])
        if isinstance(value, str):
            return _date_display(own[name], value)
    return str(value)


def _date_display(model_field: models.Field, value: str) -> str:
    """Dates and times stored as ISO text, shown in the user's format (and time zone)."""
    try:
        if isinstance(model_field, models.DateTimeField):
            return date_format(timezone.localtime(dt.datetime.fromisoformat(value)), "SHORT_DATETIME_FORMAT")
        if isinstance(model_field, models.DateField):
            return date_format(dt.date.fromisoformat(value), "SHORT_DATE_FORMAT")
    except ValueError:
        pass
    return value


def change_lines(entry: AuditEntry) -> list[ChangeLine]:
    noun = _noun(entry.action)
    return [
        ChangeLine(field_label(noun, name), value_display(noun, name, pair[0]), value_display(noun, name, pair[1]))
        for name, pair in (entry.changes or {}).items()
    ]


# --- as of a past day ------------------------------------------------------------------------------


def _stored(value: Any) -> Any:
    """A current value in the form the audit log stores it, so both can be compared and shown alike."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Decimal | dt.date | dt.datetime):
        return str(value)
    return str(value)


@dataclass
class Snapshot:
    """A party as it was at the end of a day, rebuilt by undoing the recorded changes made since."""

    day: dt.date
    existed: bool
    fields: list[ChangeLine] = field(default_factory=list)  # label, value ("new" unused)
    rows: dict[str, list[list[tuple[str, str]]]] = field(default_factory=dict)
    untracked: list[str] = field(default_factory=list)


def _day_end(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


ROW_NOUNS = {"contact": (ContactPoint, CONTACT_FIELDS), "address": (Address, ADDRESS_FIELDS),
             "bank_account": (BankAccount, BANK_ACCOUNT_FIELDS)}


def party_as_of(*, party: Party, day: dt.date) -> Snapshot:
    """The party's fields, contacts, addresses and bank accounts as they were at the end of `day`.

    Changes to fields outside the tracking scope were never recorded, so those show today's value and are
    named in `untracked`.
    """
    end = _day_end(day)
    if party.created_at >= end:
        return Snapshot(day=day, existed=False)
    values = {f: _stored(getattr(party, f)) for f in PARTY_FIELDS if f not in ("tags",)}
    values["tags"] = sorted(t.name for t in party.tags.all())
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for noun, (model, names) in ROW_NOUNS.items():
        for row in model.objects.filter(party=party).order_by("id"):
            rows[(noun, str(row.pk))] = {f: _stored(getattr(row, f)) for f in names}
    party_type = ContentType.objects.get_for_model(Party)
    later = AuditEntry.objects.filter(subject_type=party_type, subject_id=str(party.pk), at__gte=end).order_by("-id")
    for entry in later.iterator():
        noun, verb = _noun(entry.action), entry.action.rsplit(".", 1)[-1]
        changes = entry.changes or {}
        if noun == "party" and entry.target_type_id == party_type.pk and entry.target_id == str(party.pk):
            for name, (old, _new) in changes.items():
                if name in values:
                    values[name] = old
        elif noun in ROW_NOUNS:
            key = (noun, entry.target_id)
            if verb in ("added", "moved"):
                rows.pop(key, None)
            elif verb == "removed":
                if entry.subject_id == str(party.pk) and "party" not in changes:
                    rows[key] = {name: old for name, (old, _new) in changes.items()}
            elif key in rows:
                rows[key].update({name: old for name, (old, _new) in changes.items()
                                  if name in ROW_NOUNS[noun][1]})
    # The stage history is kept whatever the tracking scope says.
    last_move = StageChange.objects.filter(party=party, at__lt=end).order_by("-at", "-id").first()
    if last_move is not None:
        values["stage"] = last_move.to_stage
    untracked = untracked_fields("party") - {"stage"}
    shown = [f for f in PARTY_FIELDS if f not in untracked]
    snapshot = Snapshot(
        day=day, existed=True,
        fields=[ChangeLine(field_label("party", f), value_display("party", f, values[f]), "") for f in shown],
        untracked=[field_label("party", f) for f in PARTY_FIELDS if f in untracked],
    )
    for noun, (_model, names) in ROW_NOUNS.items():
        snapshot.rows[noun] = [
            [(field_label(noun, f), value_display(noun, f, stored.get(f))) for f in names
             if stored.get(f) not in (None, "", False)]
            for (row_noun, _pk), stored in sorted(rows.items(), key=lambda item: int(item[0][1]))
            if row_noun == noun
        ]
    return snapshot
