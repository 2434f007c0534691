"""Customers through the API: search, create, read, change, stage, history; every write through the services.

A merged duplicate answers reads with 308 to its survivor and writes with 409 (see `install`). Contacts,
addresses and bank accounts are in `customer_rows`.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any, Literal

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field, create_model

from abonent.accounts.models import User
from abonent.api.auth import require
from abonent.api.customer_schemas import (
    CustomerIn,
    CustomerOut,
    CustomerPatch,
    CustomerSummaryOut,
    HistoryEntryOut,
    InvalidOut,
    MergedOut,
    StageChangeOut,
    StageIn,
)
from abonent.api.errors import InputInvalid, cleaned, refused_on
from abonent.api.schemas import ErrorOut
from abonent.core.grid.declaration import NONE, Choice, DateRange, NumberRange, Related, Search
from abonent.core.models import AuditEntry, Channel
from abonent.core.roles import Access
from abonent.core.services import AbonentError
from abonent.customers.attribute_selectors import AttributeShown, attribute_values
from abonent.customers.forms import PartyForm
from abonent.customers.hierarchy_selectors import party_placements
from abonent.customers.lists import CUSTOMERS
from abonent.customers.models import Party
from abonent.customers.selectors import party_contacts, party_get, party_history
from abonent.customers.services import StageUnchanged, party_change_stage, party_create, party_set_tags, party_update

PAGE_LIMIT = 200

router = Router(tags=["customers"])


# --- the customer asked for ------------------------------------------------------------------------


class CustomerMerged(Exception):
    def __init__(self, party: Party) -> None:
        self.party = party
        super().__init__(party.pk)


def live_party(customer_id: int) -> Party:
    """The customer, or 404; a merged duplicate raises CustomerMerged."""
    try:
        party = party_get(pk=customer_id)
    except Party.DoesNotExist:
        raise HttpError(404, _("There is no customer %(id)s.") % {"id": customer_id}) from None
    if party.merged_into_id is not None:
        raise CustomerMerged(party)
    return party


def install(api: NinjaAPI) -> None:
    """Send reads of a merged duplicate to the survivor (308) and refuse writes to it (409)."""

    @api.exception_handler(CustomerMerged)
    def merged(request: HttpRequest, exc: CustomerMerged) -> HttpResponse:
        party = exc.party
        survivor = party.merged_into
        body = {
            "detail": _("%(old)s was merged into %(new)s.") % {
                "old": f"{party.name} (#{party.pk})", "new": f"{survivor.name} (#{survivor.pk})",
            },
            "merged_into": survivor.pk,
        }
        if request.method not in ("GET", "HEAD"):
            return api.create_response(request, body, status=409)
        location = re.sub(rf"/customers/{party.pk}(?=/|$)", f"/customers/{survivor.pk}", request.path, count=1)
        query = request.META.get("QUERY_STRING", "")
        # 308: permanent, and a client that follows it asks the same way at the new address.
        return HttpResponseRedirect(
            f"{location}?{query}" if query else location, status=308, content_type=api.get_content_type(),
            content=api.renderer.render(request, body, response_status=308),
        )


# --- what the API shows of a customer --------------------------------------------------------------


def _person(user: User | None) -> dict[str, Any] | None:
    return {"id": user.pk, "name": user.get_full_name() or user.get_username()} if user is not None else None


def summary(party: Party) -> dict[str, Any]:
    fields = ("id", "kind", "name", "first_name", "last_name", "country", "stage", "email", "phone", "tax_id",
              "vat_id", "iban", "city", "external_ref", "created_at")
    return {**{f: getattr(party, f) for f in fields}, "sales_rep": _person(party.sales_rep)}


def _attribute(shown: AttributeShown) -> dict[str, Any]:
    value = shown.value
    return {
        "code": shown.definition.code, "label": shown.label, "type": shown.definition.type,
        "required": shown.definition.required, "value": value.raw() if value is not None else None,
        "text": shown.text, "active_from": value.active_from if value else None,
        "active_to": value.active_to if value else None,
    }


def detail(party: Party, *, on: dt.date) -> dict[str, Any]:
    """The customer with its contacts, tags, and the attributes and placements in force on `on`."""
    status = party.call_center_status
    placements = [
        {"structure": p.structure.code, "structure_name": p.structure.name, "node_id": p.current.node_id,
         "node_name": p.current.node.name, "path": p.current_path, "active_from": p.current.active_from,
         "active_to": p.current.active_to}
        for p in party_placements(party=party, on=on) if p.current is not None
    ]
    return {
        **summary(party), **party_contacts(party=party),
        "call_center_status": {"id": status.pk, "name": status.name} if status else None,
        "tags": sorted(t.name for t in party.tags.all()),
        "attributes": [_attribute(a) for a in attribute_values(party=party, on=on)],
        "placements": placements,
    }


# --- list, create, read, change --------------------------------------------------------------------


def _filter_fields() -> dict[str, Any]:
    """Query parameters for the filters of the back office's customers list, so the two never drift apart."""
    fields: dict[str, Any] = {}
    for declared in CUSTOMERS.filters:
        label = str(declared.label)
        if isinstance(declared, Search):
            fields[declared.key] = (str, Field("", max_length=declared.max_length, description=label))
        elif isinstance(declared, Related):
            fields[declared.key] = (list[str], Field([], description=f"{label}: ids; `none` for nobody."))
        elif isinstance(declared, Choice):
            static = not callable(declared.choices)
            item: Any = Literal[tuple(str(v) for v, _label in declared.choices)] if static else str
            fields[declared.key] = (list[item], Field([], description=label))
        elif isinstance(declared, DateRange | NumberRange):
            kind = dt.date if isinstance(declared, DateRange) else Decimal
            for param, end in zip(declared.params, ("from", "to"), strict=True):
                fields[param] = (kind | None, Field(None, description=f"{label}, {end} (included)"))
        else:
            raise TypeError(f"the API does not know the {type(declared).__name__} filter {declared.key}")
    return fields


CustomerFilters = create_model("CustomerFilters", __base__=Schema, **_filter_fields())
CustomerFilters.__doc__ = "The customers list's filters; repeat a parameter for several values."


def _filter_data(filters: Schema) -> dict[str, Any]:
    data = filters.model_dump()
    for declared in CUSTOMERS.filters:
        if isinstance(declared, DateRange | NumberRange):
            start, end = declared.params
            if data[start] is not None and data[end] is not None and data[end] < data[start]:
                message = (_("The last day must not come before the first day.") if isinstance(declared, DateRange)
                           else _("The maximum must not be smaller than the minimum."))
                raise InputInvalid([(end, message)])
        elif isinstance(declared, Related):
            for value in data[declared.key]:
                if value != NONE and not value.isdigit():
                    raise InputInvalid([(declared.key, _("“%(value)s” is not an id.") % {"value": value})])
    return data


@router.get("", response={200: list[CustomerSummaryOut], 403: ErrorOut, 422: InvalidOut}, url_name="customers")
def customer_list(
    request: HttpRequest, filters: Query[CustomerFilters],  # type: ignore[valid-type]
    after: int | None = None,
    limit: int = Query(50, ge=1, le=PAGE_LIMIT),
):
    """Search customers as the list does (merged duplicates left out), by id; continue with `after` = last id."""
    require(request, "customers", Access.READ)
    data = _filter_data(filters)
    parties = CUSTOMERS.base_queryset()
    for declared in CUSTOMERS.filters:
        if declared.is_active(data):
            parties = declared.apply(parties, data)
    if after is not None:
        parties = parties.filter(pk__gt=after)
    return [summary(p) for p in parties.select_related("sales_rep").order_by("pk")[:limit]]


def _check_external_ref(external_ref: str, *, party: Party | None = None) -> None:
    taken = Party.objects.filter(external_ref=external_ref)
    if party is not None:
        taken = taken.exclude(pk=party.pk)
    if external_ref and taken.exists():
        raise InputInvalid([("external_ref", _("Another customer has the external ID “%(value)s”.")
                             % {"value": external_ref})])


def _external_ref_race(error: IntegrityError) -> InputInvalid:
    if "external_ref" not in str(error):
        raise error
    return InputInvalid([("external_ref", _("Another customer has this external ID."))])


@router.post("", response={201: CustomerOut, 403: ErrorOut, 422: InvalidOut}, url_name="customer_create")
def customer_create(request: HttpRequest, payload: CustomerIn):
    """Create a person or an organisation, checked as the back office's form checks it."""
    require(request, "customers", Access.WRITE)
    data = payload.model_dump(mode="json")
    data["country"] = data["country"].upper()
    tags, external_ref = data.pop("tags"), data.pop("external_ref").strip()
    values = {k: v for k, v in cleaned(PartyForm(data)).items() if v is not None}
    _check_external_ref(external_ref)
    try:
        with refused_on(None), transaction.atomic():
            party = party_create(by=request.auth, external_ref=external_ref, channel=Channel.API, **values)
            if tags:
                party_set_tags(party=party, names=tags, by=request.auth, channel=Channel.API)
    except IntegrityError as error:
        raise _external_ref_race(error) from error
    return Status(201, detail(party_get(pk=party.pk), on=timezone.localdate()))


@router.get("/{int:customer_id}", response={200: CustomerOut, 308: MergedOut, 403: ErrorOut, 404: ErrorOut},
            url_name="customer")
def customer_detail(request: HttpRequest, customer_id: int, on: dt.date | None = None):
    """The customer; attributes and placements as on day `on` (today by default)."""
    require(request, "customers", Access.READ)
    return detail(live_party(customer_id), on=on or timezone.localdate())


@router.patch("/{int:customer_id}", url_name="customer_update",
              response={200: CustomerOut, 403: ErrorOut, 404: ErrorOut, 409: MergedOut, 422: InvalidOut})
def customer_update(request: HttpRequest, customer_id: int, payload: CustomerPatch):
    """Change the fields sent; the history records each old → new."""
    require(request, "customers", Access.WRITE)
    party = live_party(customer_id)
    patch = payload.model_dump(mode="json", exclude_unset=True)
    if patch.get("country"):
        patch["country"] = patch["country"].upper()
    tags = patch.pop("tags", None)
    values: dict[str, Any] = {}
    if "external_ref" in patch:
        values["external_ref"] = (patch.pop("external_ref") or "").strip()
        _check_external_ref(values["external_ref"], party=party)
    if patch:
        # The form checks the whole record as the edit page does, with the sent fields over the stored ones.
        current = {
            "kind": party.kind, "first_name": party.first_name, "last_name": party.last_name, "name": party.name,
            "country": party.country, "tax_id": party.tax_id, "vat_id": party.vat_id,
            "sales_rep": party.sales_rep_id, "call_center_status": party.call_center_status_id,
        }
        values.update(cleaned(PartyForm({**current, **patch}, party=party)))
    try:
        with refused_on(None), transaction.atomic():
            if values:
                party_update(party=party, by=request.auth, values=values, channel=Channel.API)
            if tags is not None:
                party_set_tags(party=party, names=tags, by=request.auth, channel=Channel.API)
    except IntegrityError as error:
        raise _external_ref_race(error) from error
    return detail(party_get(pk=party.pk), on=timezone.localdate())


@router.post("/{int:customer_id}/stage", url_name="customer_stage",
             response={200: StageChangeOut, 403: ErrorOut, 404: ErrorOut, 409: MergedOut, 422: InvalidOut})
def customer_stage(request: HttpRequest, customer_id: int, payload: StageIn):
    """Move the customer to another stage; leaving (former) needs a reason."""
    require(request, "customers", Access.WRITE)
    party = live_party(customer_id)
    try:
        change = party_change_stage(party=party, to_stage=payload.stage, by=request.auth, reason=payload.reason,
                                    channel=Channel.API)
    except StageUnchanged as error:
        raise InputInvalid([("stage", str(error))]) from error
    except AbonentError as error:
        # With the stage checked by the schema and the party live, what is left to refuse is a missing reason.
        raise InputInvalid([("reason", str(error))]) from error
    return {"id": change.pk, "from_stage": change.from_stage, "to_stage": change.to_stage, "at": change.at,
            "reason": change.reason, "by": request.auth.get_full_name() or request.auth.get_username()}


# --- history ---------------------------------------------------------------------------------------


def _entry(entry: AuditEntry) -> dict[str, Any]:
    return {
        "id": entry.pk, "at": entry.at, "actor": entry.actor_label, "actor_id": entry.actor_id,
        "channel": entry.channel, "action": entry.action,
        "target_type": entry.target_type.model if entry.target_type else None, "target_id": entry.target_id,
        "target_label": entry.target_label, "subject_id": entry.subject_id, "changes": entry.changes or {},
        "note": entry.note,
    }


@router.get("/{int:customer_id}/history", url_name="customer_history",
            response={200: list[HistoryEntryOut], 308: MergedOut, 403: ErrorOut, 404: ErrorOut})
def customer_history(
    request: HttpRequest, customer_id: int, before_id: int | None = None,
    limit: int = Query(50, ge=1, le=PAGE_LIMIT),
):
    """The customer's history, newest first, with its merged duplicates'; continue with `before_id`."""
    require(request, "customers", Access.READ)
    party = live_party(customer_id)
    return [_entry(e) for e in party_history(party=party, before_id=before_id)[:limit]]
