"""Reads of the shared kernel."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q, QuerySet

from abonent.core.models import AuditEntry


def audit_list(
    *, actor_id: int | None = None, action: str = "", channel: str = "", target: str = "",
    since: dt.date | None = None, until: dt.date | None = None, before_id: int | None = None,
    subject: Model | None = None,
) -> QuerySet[AuditEntry]:
    """Audit entries, newest first; `before_id` continues a page (keyset, no OFFSET).

    `subject` narrows to one record's history: changes to it and to what belongs to it.
    """
    entries = AuditEntry.objects.select_related("actor", "target_type").order_by("-id")
    if subject is not None:
        entries = entries.filter(
            subject_type=ContentType.objects.get_for_model(subject), subject_id=str(subject.pk)
        )
    if actor_id:
        entries = entries.filter(actor_id=actor_id)
    if action:
        entries = entries.filter(action__startswith=action)
    if channel:
        entries = entries.filter(channel=channel)
    if target:
        entries = entries.filter(Q(target_label__icontains=target) | Q(target_id=target))
    if since:
        entries = entries.filter(at__date__gte=since)
    if until:
        entries = entries.filter(at__date__lte=until)
    if before_id:
        entries = entries.filter(id__lt=before_id)
    return entries
