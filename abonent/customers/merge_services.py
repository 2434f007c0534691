"""Merging two records of the same customer (duplicates) into one, keeping the history of both."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from abonent.core.models import Channel
from abonent.core.services import AbonentError, audit_record, changed_fields
from abonent.customers.contact_services import party_sync_primaries
from abonent.customers.models import Address, BankAccount, ContactPoint, Note, Party, StageChange, Task
from abonent.customers.services import PARTY_EDITABLE, party_clean
from abonent.customers.signals import party_merged
from abonent.customers.tracking import tracked_changes

# The fields whose winning value the user picks; the rest (contacts, notes, ...) are all kept.
MERGE_FIELDS = (
    "kind", "name", "first_name", "last_name", "country", "tax_id", "vat_id", "stage", "sales_rep",
    "call_center_status",
)
SURVIVOR, MERGED = "survivor", "merged"


class MergeRefused(AbonentError):
    pass


def _locked(survivor: Party, merged: Party) -> tuple[Party, Party]:
    rows = {p.pk: p for p in Party.objects.select_for_update().filter(pk__in=(survivor.pk, merged.pk)).order_by("pk")}
    return rows[survivor.pk], rows[merged.pk]


def party_merge(
    *, survivor: Party, merged: Party, by, picks: Mapping[str, str] | None = None, channel: str = Channel.UI,
    now: dt.datetime | None = None,
) -> Party:
    """Merge `merged` into `survivor` and return the survivor.

    `picks` names, per field of MERGE_FIELDS, whose value wins ("survivor" by default, or "merged").
    Contacts, addresses, bank accounts, notes, tasks, tags and stage history move to the survivor
    (a contact or account the survivor already has is not doubled); `merged` stays as a tombstone whose
    links lead to the survivor. Other modules move their own rows on the `party_merged` signal.
    """
    now = now or timezone.now()
    picks = dict(picks or {})
    unknown = set(picks) - set(MERGE_FIELDS)
    if unknown or set(picks.values()) - {SURVIVOR, MERGED}:
        raise ValueError(f"party_merge picks: {picks!r}")
    if survivor.pk == merged.pk:
        raise MergeRefused(_("A customer cannot be merged with itself."))
    with transaction.atomic():
        survivor, merged = _locked(survivor, merged)
        for party in (survivor, merged):
            if party.merged_into_id is not None:
                raise MergeRefused(_("“%(name)s” was already merged into another customer.") % {"name": party.name})
        chosen = {f: getattr(merged, f) for f, side in picks.items() if side == MERGED}
        stage = chosen.pop("stage", survivor.stage)
        clean = party_clean(party=survivor, values={f: v for f, v in chosen.items() if f in PARTY_EDITABLE})
        changes = changed_fields(survivor, clean)
        for field, (_old, new) in changes.items():
            setattr(survivor, field, new)
        label = f"{merged.name} (#{merged.pk})"
        if stage != survivor.stage:
            StageChange.objects.create(party=survivor, from_stage=survivor.stage, to_stage=stage, at=now,
                                       reason=_("Merged with %(name)s") % {"name": label},
                                       by=by if getattr(by, "is_authenticated", False) else None)
            changes["stage"] = (survivor.stage, stage)
            survivor.stage = stage
        if changes:
            survivor.save(update_fields=list(changes))
        moved = _move_belongings(survivor=survivor, merged=merged, by=by, channel=channel, now=now)

        old_tags = sorted(t.name for t in survivor.tags.all())
        survivor.tags.add(*merged.tags.all())
        new_tags = sorted(t.name for t in survivor.tags.all())
        if new_tags != old_tags:
            changes["tags"] = (old_tags, new_tags)

        merged.merged_into, merged.merged_at = survivor, now
        merged.save(update_fields=["merged_into", "merged_at"])
        # Earlier duplicates of the merged record now lead straight to the survivor.
        Party.objects.filter(merged_into=merged).update(merged_into=survivor)
        party_sync_primaries(survivor)

        note = _("Merged %(merged)s into %(survivor)s; moved %(moved)s.") % {
            "merged": label, "survivor": f"{survivor.name} (#{survivor.pk})",
            "moved": ", ".join(f"{what}: {n}" for what, n in moved.items() if n) or "—",
        }
        audit_record(actor=by, action="abonent.customers.party.merged", target=survivor, subject=survivor,
                     changes={**tracked_changes("party", changes), "merged": (None, label)}, channel=channel, now=now,
                     note=note)
        audit_record(actor=by, action="abonent.customers.party.merged_into", target=merged, subject=merged,
                     changes={"merged_into": (None, f"{survivor.name} (#{survivor.pk})")}, channel=channel, now=now,
                     note=note)
        party_merged.send(sender=Party, survivor=survivor, merged=merged, by=by, channel=channel, now=now)
    return survivor


def _move_belongings(*, survivor: Party, merged: Party, by, channel: str, now: dt.datetime) -> dict[str, int]:
    """Move what the merged record owns to the survivor; return how many of each were moved."""
    moved = {}
    for model, noun, same in (
        (ContactPoint, "contact", lambda row: {"kind": row.kind, "value": row.value}),
        (Address, "address", lambda row: {"kind": row.kind, "street": row.street, "city": row.city,
                                          "postal_code": row.postal_code, "country": row.country}),
        (BankAccount, "bank_account", lambda row: {"iban": row.iban, "account_number": row.account_number}),
    ):
        count = 0
        for row in model.objects.filter(party=merged).order_by("id"):
            kept = model.objects.filter(party=survivor, **same(row))
            if kept.exists():
                # The survivor has it already: the duplicate goes, recorded in the merged record's history.
                audit_record(actor=by, action=f"abonent.customers.{noun}.removed", target=row, subject=merged,
                             changes={"party": (merged.name, None)}, channel=channel, now=now,
                             note=_("The same as the survivor's"))
                row.delete()
                continue
            siblings = model.objects.filter(party=survivor, is_primary=True)
            if isinstance(row, ContactPoint):
                siblings = siblings.filter(kind=row.kind)
            was_primary, row.is_primary = row.is_primary, row.is_primary and not siblings.exists()
            row.party = survivor
            row.save(update_fields=["party", "is_primary"])
            changes = {"party": (merged.name, survivor.name)}
            if was_primary != row.is_primary:
                changes["is_primary"] = (was_primary, row.is_primary)
            audit_record(actor=by, action=f"abonent.customers.{noun}.moved", target=row, subject=survivor,
                         changes=changes, channel=channel, now=now)
            count += 1
        moved[str(model._meta.verbose_name_plural)] = count
    for model in (Note, Task, StageChange):
        moved[str(model._meta.verbose_name_plural)] = model.objects.filter(party=merged).update(party=survivor)
    return moved
