"""Writes about the customer record itself: create, change, lifecycle stage, tags.

Contacts, addresses and bank accounts are in `contact_services`, notes and tasks in `activity_services`,
merging duplicates in `merge_services`. Every write is audited with the party as the subject, except the
fields an administrator took out of the tracking scope (`tracking`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from email_validator import EmailNotValidError, validate_email

from abonent.core.models import AuditEntry, Channel
from abonent.core.services import AbonentError, audit_record, changed_fields
from abonent.customers.identifiers import (
    InvalidIdentifier,
    iban_normalise,
    phone_normalise,
    tax_id_normalise,
    vat_id_normalise,
)
from abonent.customers.models import (
    BankAccount,
    CallCenterStatus,
    ContactKind,
    ContactPoint,
    Party,
    PartyKind,
    Stage,
    StageChange,
    Tag,
    TrackingScope,
)
from abonent.customers.tracking import tracked_changes

# The fields party_update changes; the stage moves through party_change_stage, tags through party_set_tags.
PARTY_EDITABLE = (
    "kind", "name", "first_name", "last_name", "country", "tax_id", "vat_id", "sales_rep", "call_center_status",
    "external_ref",
)


class PartyMerged(AbonentError):
    pass


def audit_party_change(
    *, by: Any, action: str, party: Party, target: Any = None, entity: str, changes: Mapping[str, tuple[Any, Any]],
    channel: str, now: dt.datetime, note: str = "",
) -> AuditEntry | None:
    """Record the tracked part of a change in the party's history; nothing when no changed field is tracked."""
    tracked = tracked_changes(entity, changes)
    if not tracked:
        return None
    return audit_record(
        actor=by, action=action, target=target if target is not None else party, subject=party, changes=tracked,
        channel=channel, now=now, note=note,
    )


def assert_not_merged(party: Party) -> None:
    if party.merged_into_id is not None:
        raise PartyMerged(_("“%(name)s” was merged into another customer and can no longer be changed.")
                          % {"name": party.name})


def email_normalise(raw: str) -> str:
    """Check an e-mail address's form (no DNS look-up) and return it in lower case."""
    try:
        return validate_email(raw.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        raise InvalidIdentifier(_("“%(value)s” is not a valid e-mail address.") % {"value": raw}) from None


def party_create(
    *, by, kind: str, country: str, name: str = "", first_name: str = "", last_name: str = "",
    email: str = "", phone: str = "", tax_id: str = "", vat_id: str = "", iban: str = "",
    stage: str = Stage.PROSPECT, sales_rep=None, call_center_status: CallCenterStatus | None = None,
    external_ref: str = "", channel: str = Channel.UI, now: dt.datetime | None = None,
) -> Party:
    """Create a customer after checking and normalising its phone, e-mail, tax ID, VAT number and IBAN.

    The phone, e-mail and IBAN become the customer's primary contacts and bank account.
    """
    now = now or timezone.now()
    country = country.strip().upper()
    first_name, last_name = first_name.strip(), last_name.strip()
    name = name.strip()
    if kind == PartyKind.PERSON and not name:
        name = f"{first_name} {last_name}".strip()
    if not name:
        raise AbonentError(_("A customer needs a name."))
    party = Party(
        kind=kind, country=country, name=name, first_name=first_name, last_name=last_name,
        email=email_normalise(email) if email.strip() else "",
        phone=phone_normalise(phone, country=country) if phone.strip() else "",
        tax_id=tax_id_normalise(tax_id, country=country) if tax_id.strip() else "",
        vat_id=vat_id_normalise(vat_id) if vat_id.strip() else "",
        iban=iban_normalise(iban) if iban.strip() else "",
        stage=stage, sales_rep=sales_rep, call_center_status=call_center_status, external_ref=external_ref,
        created_at=now,
    )
    with transaction.atomic():
        party.save()
        if party.phone:
            ContactPoint.objects.create(party=party, kind=ContactKind.PHONE, value=party.phone, is_primary=True)
        if party.email:
            ContactPoint.objects.create(party=party, kind=ContactKind.EMAIL, value=party.email, is_primary=True)
        if party.iban:
            BankAccount.objects.create(party=party, iban=party.iban, is_primary=True)
        StageChange.objects.create(party=party, from_stage="", to_stage=stage, at=now, by=by if _is_user(by) else None)
        fields = ("kind", "name", "first_name", "last_name", "country", "stage", "phone", "email", "tax_id",
                  "vat_id", "iban", "sales_rep", "call_center_status", "external_ref")
        audit_party_change(
            by=by, action="abonent.customers.party.created", party=party, entity="party", channel=channel, now=now,
            changes={f: (None, getattr(party, f)) for f in fields if getattr(party, f) and f != "kind"},
        )
    return party


def _is_user(by: Any) -> bool:
    return by is not None and getattr(by, "is_authenticated", False)


def party_clean(*, party: Party, values: Mapping[str, Any]) -> dict[str, Any]:
    """Return the values normalised as party_update would store them; raise InvalidIdentifier otherwise."""
    unknown = set(values) - set(PARTY_EDITABLE)
    if unknown:
        raise ValueError(f"party_update cannot change {sorted(unknown)}")
    clean = dict(values)
    country = str(clean.get("country", party.country)).strip().upper()
    if "country" in clean:
        clean["country"] = country
    for field in ("name", "first_name", "last_name", "external_ref"):
        if field in clean:
            clean[field] = (clean[field] or "").strip()
    kind = clean.get("kind", party.kind)
    # A person's name follows their first and last name unless one is given.
    names_given = "first_name" in clean or "last_name" in clean
    if kind == PartyKind.PERSON and not clean.get("name") and (names_given or "name" in clean):
        full = f"{clean.get('first_name', party.first_name)} {clean.get('last_name', party.last_name)}".strip()
        if full:
            clean["name"] = full
    if not clean.get("name", party.name):
        raise AbonentError(_("A customer needs a name."))
    # A tax ID is checked against the country it is stored with, also when only the country changes.
    tax_id = clean.get("tax_id", party.tax_id) or ""
    if tax_id and ("tax_id" in clean or "country" in clean):
        clean["tax_id"] = tax_id_normalise(tax_id, country=country)
    if clean.get("vat_id"):
        clean["vat_id"] = vat_id_normalise(clean["vat_id"])
    return clean


def party_update(
    *, party: Party, by, values: Mapping[str, Any], channel: str = Channel.UI, now: dt.datetime | None = None,
) -> Party:
    """Change the customer's own fields (not stage, tags or contacts) and record the tracked changes."""
    assert_not_merged(party)
    now = now or timezone.now()
    clean = party_clean(party=party, values=values)
    changes = changed_fields(party, clean)
    if not changes:
        return party
    with transaction.atomic():
        for field, (_old, new) in changes.items():
            setattr(party, field, new)
        party.save(update_fields=list(changes))
        audit_party_change(by=by, action="abonent.customers.party.changed", party=party, entity="party",
                           changes=changes, channel=channel, now=now)
    return party


class StageUnchanged(AbonentError):
    pass


def party_change_stage(
    *, party: Party, to_stage: str, by, reason: str = "", channel: str = Channel.UI, now: dt.datetime | None = None,
) -> StageChange:
    """Move the customer to another lifecycle stage; leaving as a former customer needs a reason."""
    assert_not_merged(party)
    now = now or timezone.now()
    reason = reason.strip()
    if to_stage not in Stage.values:
        raise AbonentError(_("“%(stage)s” is not a stage.") % {"stage": to_stage})
    if to_stage == party.stage:
        raise StageUnchanged(_("The customer is already at this stage."))
    if to_stage == Stage.FORMER and not reason:
        raise AbonentError(_("Say why the customer is leaving."))
    with transaction.atomic():
        change = StageChange.objects.create(
            party=party, from_stage=party.stage, to_stage=to_stage, at=now, reason=reason,
            by=by if _is_user(by) else None,
        )
        old = party.stage
        party.stage = to_stage
        party.save(update_fields=["stage"])
        audit_party_change(by=by, action="abonent.customers.party.stage_changed", party=party, entity="party",
                           changes={"stage": (old, to_stage)}, channel=channel, now=now, note=reason)
    return change


def party_set_tags(
    *, party: Party, names: Iterable[str], by, channel: str = Channel.UI, now: dt.datetime | None = None,
) -> list[Tag]:
    """Give the customer exactly these tags, creating the ones that do not exist yet (matched in any case)."""
    assert_not_merged(party)
    now = now or timezone.now()
    wanted: dict[str, str] = {}
    for raw in names:
        name = " ".join(raw.split())[:40]
        if name:
            wanted.setdefault(name.casefold(), name)
    with transaction.atomic():
        tags = []
        for key, name in wanted.items():
            tag = next((t for t in Tag.objects.filter(name__iexact=name) if t.name.casefold() == key), None)
            tags.append(tag or Tag.objects.create(name=name))
        old = sorted(t.name for t in party.tags.all())
        new = sorted(t.name for t in tags)
        if old != new:
            party.tags.set(tags)
            audit_party_change(by=by, action="abonent.customers.party.tags_changed", party=party, entity="party",
                               changes={"tags": (old, new)}, channel=channel, now=now)
    return tags


def call_center_status_save(
    *, by, status: CallCenterStatus, values: Mapping[str, Any], now: dt.datetime | None = None,
) -> CallCenterStatus:
    """Create or change an entry of the call-center status list."""
    created = status.pk is None
    changes = {f: (None, v) for f, v in values.items()} if created else changed_fields(status, values)
    with transaction.atomic():
        for field, value in values.items():
            setattr(status, field, value)
        status.save()
        if changes:
            audit_record(actor=by, action="abonent.customers.call_center_status." + ("created" if created else
                                                                                     "changed"),
                         target=status, changes=changes, now=now)
    return status


def tracking_scope_update(*, by, tracked: Mapping[tuple[str, str], bool], now: dt.datetime | None = None) -> int:
    """Switch fields in or out of the history (entity, field) -> tracked; return how many changed."""
    current = {(s.entity, s.field): s for s in TrackingScope.objects.all()}
    changes = {}
    with transaction.atomic():
        for (entity, field), on in tracked.items():
            scope = current.get((entity, field))
            was = scope.tracked if scope else True
            if was == on:
                continue
            if scope is None:
                TrackingScope.objects.create(entity=entity, field=field, tracked=on)
            else:
                scope.tracked = on
                scope.save(update_fields=["tracked"])
            changes[f"{entity}.{field}"] = (was, on)
        if changes:
            audit_record(actor=by, action="abonent.customers.tracking_scope.changed", changes=changes, now=now)
    return len(changes)
