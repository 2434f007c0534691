"""Writes of what administrators set up: zones, classifications, request types, settings, absences."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from abonent.callcenter.models import Absence, Classification, CommercialZone, RequestSettings, RequestType
from abonent.callcenter.request_services import RequestError
from abonent.core.services import audit_record, changed_fields

NOUNS: dict[type[models.Model], str] = {
    CommercialZone: "zone", Classification: "classification", RequestType: "request_type",
    RequestSettings: "settings",
}


def reference_save(*, by: Any, obj: models.Model, values: Mapping[str, Any], now: dt.datetime) -> models.Model:
    """Create or change a zone, classification, request type or the settings row, and audit it."""
    values = dict(values)
    if isinstance(obj, Classification):
        _classification_place(obj, values)
    created = obj.pk is None
    changes = {f: (None, v) for f, v in values.items()} if created else changed_fields(obj, values)
    try:
        with transaction.atomic():
            for field, value in values.items():
                setattr(obj, field, value)
            obj.save()
            if changes:
                verb = "created" if created else "changed"
                audit_record(actor=by, action=f"abonent.callcenter.{NOUNS[type(obj)]}.{verb}", target=obj,
                             changes=changes, now=now)
    except IntegrityError:
        raise RequestError(_("“%(name)s” exists already.") % {"name": values.get("name", obj)}) from None
    return obj


def _classification_place(node: Classification, values: dict[str, Any]) -> None:
    parent = values.get("parent", node.parent)
    if parent is not None and parent.level >= Classification.MAX_LEVEL:
        raise RequestError(_("Classifications go three levels deep; “%(name)s” is already on the third.")
                           % {"name": parent.name})
    if node.pk is not None and parent is not None and (parent.pk == node.pk or parent.parent_id == node.pk):
        raise RequestError(_("A classification cannot be placed under itself."))
    if node.pk is not None and parent != node.parent and node.children.exists():
        raise RequestError(_("Move or remove the classifications under “%(name)s” first.") % {"name": node.name})
    values["level"] = parent.level + 1 if parent is not None else 1


def absence_set(*, by: Any, user: Any, until: dt.datetime | None, note: str = "", now: dt.datetime) -> None:
    """Mark someone absent until a moment (automatic assignment passes them over), or back (until=None)."""
    with transaction.atomic():
        old = Absence.objects.filter(user=user).first()
        if until is None or until <= now:
            if old is None:
                return
            old.delete()
            new_value = None
        else:
            Absence.objects.update_or_create(user=user, defaults={"until": until, "note": note.strip()[:200]})
            new_value = until
        audit_record(actor=by, action="abonent.callcenter.absence.changed", target=user, now=now,
                     changes={"absent_until": (old.until if old else None, new_value)})
