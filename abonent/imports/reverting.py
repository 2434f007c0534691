"""Undo an import: remove the customers it created, give the customers it updated their old values back."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext as _

from abonent.core.bulk import rows_insert
from abonent.core.models import AuditEntry, Channel
from abonent.customers.models import (
    Address,
    AttributeValue,
    BankAccount,
    ContactPoint,
    Note,
    Party,
    StageChange,
    Tag,
)
from abonent.imports.models import ImportJob, ImportRow, RowStatus

DELETE_CHUNK = 1000
ADDED_MODELS = {"contact": ContactPoint, "address": Address, "bank_account": BankAccount, "note": Note,
                "stage_change": StageChange, "attribute_value": AttributeValue}


def rows_revert(*, job: ImportJob, by: Any, now: dt.datetime) -> dict[str, int]:
    """Revert the job's rows inside the caller's transaction; return what was done, counted."""
    actor_label = (by.get_full_name() or by.get_username()) if by else _("system")
    note = _("revert of import job %(n)s") % {"n": job.pk}
    party_type = ContentType.objects.get_for_model(Party)
    audit: list[tuple] = []
    summary = {"deleted": 0, "kept": 0, "restored": 0, "unchanged": 0}

    created = list(job.rows.filter(status=RowStatus.CREATED, party__isnull=False)
                   .values_list("party_id", flat=True).distinct())
    for start in range(0, len(created), DELETE_CHUNK):
        chunk = created[start:start + DELETE_CHUNK]
        names = dict(Party.objects.filter(id__in=chunk).values_list("id", "name"))
        try:
            with transaction.atomic():
                Party.objects.filter(id__in=chunk).delete()
            deleted = list(names)
        except (ProtectedError, RestrictedError):
            # Something now depends on some of them (a contract, a merged duplicate): those stay.
            deleted = []
            for pk in names:
                try:
                    with transaction.atomic():
                        Party.objects.filter(id=pk).delete()
                    deleted.append(pk)
                except (ProtectedError, RestrictedError):
                    summary["kept"] += 1
        summary["deleted"] += len(deleted)
        audit += [(now, by.pk if by else None, actor_label, "abonent.customers.party.deleted", Channel.UI,
                   party_type.pk, str(pk), names[pk][:300], party_type.pk, str(pk), {"name": [names[pk], None]},
                   note) for pk in deleted]

    updated = job.rows.filter(status=RowStatus.UPDATED, party__isnull=False).exclude(previous={})
    for row in updated.order_by("-number").iterator(chunk_size=2000):
        changes = _row_revert(row)
        if changes is None:
            continue
        if changes:
            summary["restored"] += 1
            name = Party.objects.filter(pk=row.party_id).values_list("name", flat=True).first() or ""
            audit.append((now, by.pk if by else None, actor_label, "abonent.customers.party.changed", Channel.UI,
                          party_type.pk, str(row.party_id), name[:300], party_type.pk, str(row.party_id),
                          changes, note))
        else:
            summary["unchanged"] += 1
    rows_insert(AuditEntry, ("at", "actor_id", "actor_label", "action", "channel", "target_type_id", "target_id",
                             "target_label", "subject_type_id", "subject_id", "changes", "note"), audit)
    return summary


def _row_revert(row: ImportRow) -> dict[str, list[Any]] | None:
    """Give back what one updated row changed; None when its customer is gone. Fields someone changed again
    since the import keep their new value."""
    party = Party.objects.select_for_update().filter(pk=row.party_id).first()
    if party is None:
        return None
    previous = row.previous
    changes: dict[str, list[Any]] = {}
    before, wrote = previous.get("party", {}), previous.get("wrote", {})
    restore = {}
    for column, old in before.items():
        field = Party._meta.get_field(column.removesuffix("_id")) if column.endswith("_id") else None
        current = getattr(party, column)
        if current == wrote.get(column):
            restore[column] = old
            changes[field.name if field else column] = [_plain(current), _plain(old)]
    added = previous.get("added", {})
    for key, model in ADDED_MODELS.items():
        ids = added.get(key, [])
        if ids:
            model.objects.filter(pk__in=ids, party_id=party.pk).delete()
            changes.setdefault(key, [len(ids), None])
    if added.get("tag"):
        names = [n.casefold() for n in added["tag"]]
        tags = [t.pk for t in Tag.objects.all() if t.name.casefold() in names]
        Party.tags.through.objects.filter(party_id=party.pk, tag_id__in=tags).delete()
        changes["tags"] = [added["tag"], None]
    for value_id, columns in previous.get("replaced", {}).items():
        AttributeValue.objects.filter(pk=int(value_id)).update(**{c: _typed(c, v) for c, v in columns.items()})
    if restore:
        Party.objects.filter(pk=party.pk).update(**restore)
    return changes


def _plain(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal | dt.date) else value


def _typed(column: str, value: Any) -> Any:
    if value is None:
        return None
    if column == "number":
        return Decimal(value)
    if column in ("date", "active_to", "active_from"):
        return dt.date.fromisoformat(value)
    return value
