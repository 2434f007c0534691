"""Finding a duplicate of a customer and merging it into the customer."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from abonent.core.permissions import module_required
from abonent.core.roles import Access
from abonent.core.services import AbonentError
from abonent.customers.forms import MergeForm
from abonent.customers.merge_services import party_merge
from abonent.customers.models import Party
from abonent.customers.party_views import page_url, writable_party
from abonent.customers.selectors import merge_candidates, party_contacts


@module_required("customers", Access.WRITE)
def merge_search(request: HttpRequest, pk: int) -> HttpResponse:
    """Look for the duplicate to merge into this customer."""
    party = writable_party(pk)
    query = request.GET.get("q", "").strip()
    if not query and "q" not in request.GET:
        query = party.name
    return render(request, "customers/party/merge_search.html", {
        "party": party, "q": query, "candidates": merge_candidates(party=party, query=query),
    })


def _counts(party: Party) -> dict[str, int]:
    rows = party_contacts(party=party)
    return {
        "contacts": len(rows["contacts"]), "addresses": len(rows["addresses"]),
        "bank_accounts": len(rows["bank_accounts"]), "notes": party.notes.count(), "tasks": party.tasks.count(),
    }


@module_required("customers", Access.WRITE)
def merge_confirm(request: HttpRequest, pk: int, other: int) -> HttpResponse:
    """Compare the two records, pick the values that win, and merge `other` into `pk`."""
    survivor, merged = writable_party(pk), writable_party(other)
    if survivor.pk == merged.pk:
        raise Http404
    form = MergeForm(request.POST or None, survivor=survivor, merged=merged)
    if request.method == "POST" and form.is_valid():
        try:
            party_merge(survivor=survivor, merged=merged, by=request.user, picks=form.picks())
        except AbonentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(merged)s was merged into %(survivor)s.") % {
                "merged": f"{merged.name} (#{merged.pk})", "survivor": f"{survivor.name} (#{survivor.pk})",
            })
            return redirect(page_url(survivor))
    return render(request, "customers/party/merge_confirm.html", {
        "party": survivor, "survivor": survivor, "merged": merged, "form": form,
        "survivor_counts": _counts(survivor), "merged_counts": _counts(merged),
        "survivor_id": str(survivor.pk), "merged_id": str(merged.pk),
    })
