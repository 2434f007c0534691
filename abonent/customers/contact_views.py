"""The contacts tab's writes: add, edit, make primary and remove phones, e-mails, addresses, bank accounts."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from abonent.core.permissions import module_required
from abonent.core.roles import Access
from abonent.core.services import AbonentError
from abonent.customers.models import Party
from abonent.customers.party_views import ROWS, after_write, contacts_tab, row_form, with_errors, writable_party

SAVED = {"contact": _lazy("Contact saved."), "address": _lazy("Address saved."),
         "bank_account": _lazy("Bank account saved.")}
REMOVED = {"contact": _lazy("Contact removed."), "address": _lazy("Address removed."),
           "bank_account": _lazy("Bank account removed.")}


def _row_values(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    if kind == "contact":
        return {k: data[k] for k in ("value", "label", "is_primary")}
    if kind == "address":
        return {k: data[k] for k in ("kind", "street", "postal_code", "city", "country", "latitude", "longitude",
                                     "is_primary")}
    return {k: data[k] for k in ("iban", "account_number", "bic", "label", "is_primary")}


def _row(kind: str, party: Party, row_id: int):
    if kind not in ROWS:
        raise Http404
    return get_object_or_404(ROWS[kind][0], pk=row_id, party=party)


@module_required("customers", Access.WRITE)
@require_POST
def row_add(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    party = writable_party(pk)
    if kind not in ROWS:
        raise Http404
    form = row_form(kind, party, request.POST)
    if form.is_valid():
        values = _row_values(kind, form.cleaned_data)
        if kind == "contact":
            values["kind"] = form.cleaned_data["kind"]
        try:
            ROWS[kind][2](party=party, by=request.user, **values)
        except AbonentError as error:
            form.add_error(None, str(error))
        else:
            return after_write(request, party, "contacts", SAVED[kind])
    return with_errors(request, party, "contacts", contacts_tab(request, party, forms={kind: form}))


@module_required("customers", Access.WRITE)
def row_edit(request: HttpRequest, pk: int, kind: str, row_id: int) -> HttpResponse:
    party = writable_party(pk)
    row = _row(kind, party, row_id)
    if request.method != "POST":
        form = row_form(kind, party, row=row)
        return with_errors(request, party, "contacts",
                            contacts_tab(request, party, forms={"edit": form}, editing=(kind, row.pk)))
    form = row_form(kind, party, request.POST, row=row)
    if form.is_valid():
        values = _row_values(kind, form.cleaned_data)
        if values.get("is_primary") is False and row.is_primary:
            values.pop("is_primary")  # the primary stays primary until another one is chosen
        try:
            ROWS[kind][3](**{ROWS[kind][5]: row}, by=request.user, values=values)
        except AbonentError as error:
            form.add_error(None, str(error))
        else:
            return after_write(request, party, "contacts", SAVED[kind])
    return with_errors(request, party, "contacts",
                        contacts_tab(request, party, forms={"edit": form}, editing=(kind, row.pk)))


@module_required("customers", Access.WRITE)
@require_POST
def row_primary(request: HttpRequest, pk: int, kind: str, row_id: int) -> HttpResponse:
    party = writable_party(pk)
    row = _row(kind, party, row_id)
    ROWS[kind][3](**{ROWS[kind][5]: row}, by=request.user, values={"is_primary": True})
    return after_write(request, party, "contacts", SAVED[kind])


@module_required("customers", Access.WRITE)
@require_POST
def row_remove(request: HttpRequest, pk: int, kind: str, row_id: int) -> HttpResponse:
    party = writable_party(pk)
    row = _row(kind, party, row_id)
    ROWS[kind][4](**{ROWS[kind][5]: row}, by=request.user)
    return after_write(request, party, "contacts", REMOVED[kind])
