"""Tracking scope: which fields' changes go to a customer's history. Everything is tracked unless switched off."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models.signals import post_delete, post_save
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from abonent.core.request_memo import request_memo, request_memo_forget
from abonent.customers.models import (
    Address,
    BankAccount,
    ContactPoint,
    Note,
    Party,
    Task,
    TrackingScope,
)


@dataclass(frozen=True)
class Trackable:
    """A kind of record whose fields an administrator may switch in or out of the history."""

    entity: str
    label: str | Promise
    fields: Callable[[], list[tuple[str, str | Promise]]]
    order: int = 100


def _model_fields(model, names: Iterable[str]) -> Callable[[], list[tuple[str, str | Promise]]]:
    return lambda: [(name, model._meta.get_field(name).verbose_name) for name in names]


PARTY_FIELDS = (
    "kind", "name", "first_name", "last_name", "country", "tax_id", "vat_id", "stage", "call_center_status",
    "sales_rep", "tags", "external_ref",
)
CONTACT_FIELDS = ("kind", "value", "label", "is_primary")
ADDRESS_FIELDS = ("kind", "street", "city", "postal_code", "country", "latitude", "longitude", "is_primary")
BANK_ACCOUNT_FIELDS = ("iban", "account_number", "bic", "label", "is_primary")
NOTE_FIELDS = ("body",)
TASK_FIELDS = ("title", "due_on", "owner", "done_at")

_trackables: dict[str, Trackable] = {}


def register_trackable(entity: str, label: str | Promise, fields: Callable[[], list[tuple[str, Any]]],
                       order: int = 100) -> None:
    """Offer a kind of record on the tracking-scope page; `fields` lists (code, label) when the page opens."""
    _trackables[entity] = Trackable(entity, label, fields, order)


def trackables() -> list[Trackable]:
    return sorted(_trackables.values(), key=lambda t: (t.order, t.entity))


register_trackable("party", _("Customer"), _model_fields(Party, PARTY_FIELDS), order=10)
register_trackable("contact", _("Contacts"), _model_fields(ContactPoint, CONTACT_FIELDS), order=20)
register_trackable("address", _("Addresses"), _model_fields(Address, ADDRESS_FIELDS), order=30)
register_trackable("bank_account", _("Bank accounts"), _model_fields(BankAccount, BANK_ACCOUNT_FIELDS), order=40)
register_trackable("note", _("Notes"), _model_fields(Note, NOTE_FIELDS), order=50)
register_trackable("task", _("Tasks"), _model_fields(Task, TASK_FIELDS), order=60)


# --- the lookup ------------------------------------------------------------------------------------
# Inside a request the switched-off fields are read once; outside one (jobs, shell, tests calling services)
# every call reads the table, so a change made elsewhere is never missed.

UNTRACKED = "customers.untracked"


def _untracked() -> frozenset[tuple[str, str]]:
    return request_memo(UNTRACKED, lambda: frozenset(
        TrackingScope.objects.filter(tracked=False).values_list("entity", "field")))


def is_tracked(entity: str, field: str) -> bool:
    """Whether a change to `field` of an `entity` record ("party", "contact", "attribute", ...) is recorded."""
    return (entity, field) not in _untracked()


def tracked_changes(entity: str, changes: Mapping[str, tuple[Any, Any]]) -> dict[str, tuple[Any, Any]]:
    """Keep the changes whose field is tracked."""
    untracked = _untracked()
    return {field: pair for field, pair in changes.items() if (entity, field) not in untracked}


def untracked_fields(entity: str) -> set[str]:
    return {field for e, field in _untracked() if e == entity}


def _scope_changed(**kwargs: Any) -> None:
    request_memo_forget(UNTRACKED)


post_save.connect(_scope_changed, sender=TrackingScope, dispatch_uid="customers.tracking.saved")
post_delete.connect(_scope_changed, sender=TrackingScope, dispatch_uid="customers.tracking.deleted")
