"""Writes about customers."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from abonent.core.models import Channel
from abonent.core.services import AbonentError, audit_record
from abonent.customers.identifiers import iban_normalise, phone_normalise, tax_id_normalise, vat_id_normalise
from abonent.customers.models import Party, PartyKind, Stage


def party_create(
    *, by, kind: str, country: str, name: str = "", first_name: str = "", last_name: str = "",
    email: str = "", phone: str = "", tax_id: str = "", vat_id: str = "", iban: str = "",
    stage: str = Stage.PROSPECT, sales_rep=None, external_ref: str = "", channel: str = Channel.UI,
    now: dt.datetime | None = None,
) -> Party:
    """Create a customer after checking and normalising its phone, tax ID, VAT number and IBAN."""
    now = now or timezone.now()
    country = country.strip().upper()
    if kind == PartyKind.PERSON and not name:
        name = f"{first_name} {last_name}".strip()
    if not name:
        raise AbonentError(_("A customer needs a name."))
    party = Party(
        kind=kind, country=country, name=name, first_name=first_name, last_name=last_name,
        email=email.strip().lower(),
        phone=phone_normalise(phone, country=country) if phone else "",
        tax_id=tax_id_normalise(tax_id, country=country) if tax_id else "",
        vat_id=vat_id_normalise(vat_id) if vat_id else "",
        iban=iban_normalise(iban) if iban else "",
        stage=stage, sales_rep=sales_rep, external_ref=external_ref, created_at=now,
    )
    with transaction.atomic():
        party.save()
        audit_record(
            actor=by, action="abonent.customers.party.created", target=party, channel=channel, now=now,
            changes={f: (None, getattr(party, f)) for f in ("name", "country", "stage", "phone", "email",
                                                              "tax_id") if getattr(party, f)},
        )
    return party
