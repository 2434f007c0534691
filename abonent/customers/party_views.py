"""The customer page: header, tabs (loaded as HTMX fragments, plain links without JavaScript), and its forms."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from abonent.core.permissions import has_access, module_required
from abonent.core.roles import Access
from abonent.core.services import AbonentError
from abonent.customers import contact_services
from abonent.customers.forms import (
    AddressForm,
    AsOfForm,
    BankAccountForm,
    ContactForm,
    NoteForm,
    PartyForm,
    StageForm,
    TagsForm,
    TaskForm,
)
from abonent.customers.models import Address, BankAccount, ContactPoint, Party
from abonent.customers.selectors import (
    HISTORY_PAGE,
    change_lines,
    party_as_of,
    party_contacts,
    party_get,
    party_history,
    party_notes,
    party_overview,
    party_tasks,
)
from abonent.customers.services import party_change_stage, party_create, party_set_tags, party_update
from abonent.customers.tabs import facts_for, tab_get, tabs_for

# --- helpers ---------------------------------------------------------------------------------------


def _party(pk: int) -> Party:
    try:
        return party_get(pk=pk)
    except Party.DoesNotExist:
        raise Http404 from None


def writable_party(pk: int) -> Party:
    party = _party(pk)
    if party.merged_into_id:
        raise Http404
    return party


def can_write(request: HttpRequest) -> bool:
    return has_access(request.user, "customers", Access.WRITE)


def as_of_day(request: HttpRequest) -> dt.date | None:
    """The past day asked for with ?as_of=YYYY-MM-DD; None for today, the future or nonsense."""
    form = AsOfForm(request.GET)
    if not form.is_valid() or form.cleaned_data["as_of"] is None:
        return None
    day = form.cleaned_data["as_of"]
    return day if day < timezone.localdate() else None


def page_url(party: Party, tab: str = "", **params: Any) -> str:
    query = {k: v for k, v in {"tab": tab, **params}.items() if v not in ("", None)}
    url = reverse("customers:party", args=[party.pk])
    return f"{url}?{urlencode(query)}" if query else url


def _tab_context(request: HttpRequest, party: Party, key: str, **extra: Any) -> dict[str, Any]:
    day = as_of_day(request)
    return {
        "party": party, "tab": key, "can_write": can_write(request) and day is None, "as_of": day,
        "fragment_url": reverse("customers:party_tab", args=[party.pk, key]),
        "page_url": page_url(party, key, as_of=day.isoformat() if day else ""), **extra,
    }


def after_write(request: HttpRequest, party: Party, key: str, message: str) -> HttpResponse:
    """HTMX gets the fresh tab with the message; a plain form post goes back to the page."""
    if request.htmx:
        tab = tab_get(key)
        response = tab.view(request, party)
        flash = render_to_string("customers/party/_flash.html", {"message": message})
        response.content = flash.encode() + response.content
        return response
    messages.success(request, message)
    return redirect(page_url(party, key))


def with_errors(request: HttpRequest, party: Party, key: str, fragment: HttpResponse) -> HttpResponse:
    """Show a tab that holds a form with errors: alone for HTMX, inside the whole page otherwise."""
    if request.htmx:
        return fragment
    return _page(request, party, key, fragment)


# --- the page --------------------------------------------------------------------------------------


def _page(request: HttpRequest, party: Party, key: str, fragment: HttpResponse | None = None) -> HttpResponse:
    tabs = tabs_for(request.user)
    active = next((t for t in tabs if t.key == key), None) or next((t for t in tabs if t.key == "overview"), None)
    if active is None:
        raise PermissionDenied
    if fragment is None:
        fragment = active.view(request, party)
    day = as_of_day(request)
    return render(request, "customers/party/page.html", {
        "party": party, "tabs": tabs, "active": active.key, "tab_html": mark_safe(fragment.content.decode()),  # noqa: S308 - rendered by our templates
        "as_of": day, "can_write": can_write(request),
        "facts": [(fact, mark_safe(fact.view(request, party))) for fact in facts_for(request.user)],  # noqa: S308
    })


@module_required("customers", Access.READ)
def party_page(request: HttpRequest, pk: int) -> HttpResponse:
    party = _party(pk)
    if party.merged_into_id:
        messages.info(request, _("%(old)s was merged into %(new)s.") % {
            "old": f"{party.name} (#{party.pk})", "new": f"{party.merged_into.name} (#{party.merged_into_id})",
        })
        survivor_url = reverse("customers:party", args=[party.merged_into_id])
        return redirect(f"{survivor_url}?{request.GET.urlencode()}" if request.GET else survivor_url)
    return _page(request, party, request.GET.get("tab", "overview"))


@module_required("customers", Access.READ)
def party_tab(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    """One tab's fragment (for HTMX); a plain request is sent to the page showing that tab."""
    party = _party(pk)
    tab = tab_get(key)
    if tab is None:
        raise Http404
    if not has_access(request.user, tab.module, tab.access):
        raise PermissionDenied
    if party.merged_into_id or not request.htmx:
        target = party.merged_into or party
        query = request.GET.copy()
        query["tab"] = key
        return redirect(f"{reverse('customers:party', args=[target.pk])}?{query.urlencode()}")
    response = tab.view(request, party)
    day = as_of_day(request)
    nav = render_to_string("customers/party/_tab_nav.html", {
        "party": party, "tabs": tabs_for(request.user), "active": key, "as_of": day, "oob": True,
    }, request=request)
    response.content = response.content + nav.encode()
    return response


# --- built-in tabs ---------------------------------------------------------------------------------


def overview_tab(request: HttpRequest, party: Party) -> HttpResponse:
    day = as_of_day(request)
    context = _tab_context(request, party, "overview")
    if day is not None:
        context["snapshot"] = party_as_of(party=party, day=day)
    else:
        context.update(party_overview(party=party))
        context["tags_form"] = TagsForm(initial={"tags": ", ".join(t.name for t in context["tags"])})
        context["stage_form"] = StageForm(party=party)
    return render(request, "customers/party/tab_overview.html", context)


def contacts_tab(request: HttpRequest, party: Party, *, forms: dict[str, Any] | None = None,
                 editing: tuple[str, int] | None = None) -> HttpResponse:
    day = as_of_day(request)
    context = _tab_context(request, party, "contacts", editing=editing)
    if day is not None:
        context["snapshot"] = party_as_of(party=party, day=day)
    else:
        context.update(party_contacts(party=party))
        forms = forms or {}
        context["contact_form"] = forms.get("contact") or row_form("contact", party)
        context["address_form"] = forms.get("address") or row_form("address", party)
        context["bank_account_form"] = forms.get("bank_account") or row_form("bank_account", party)
        context["edit_form"] = forms.get("edit")
        context["open_form"] = next((k for k in ("contact", "address", "bank_account") if k in forms), "")
    return render(request, "customers/party/tab_contacts.html", context)


def notes_tab(request: HttpRequest, party: Party, *, form: NoteForm | None = None,
              editing: tuple[int, NoteForm] | None = None) -> HttpResponse:
    context = _tab_context(request, party, "notes", form=form or NoteForm(), editing=editing)
    context["notes"] = party_notes(party=party)
    return render(request, "customers/party/tab_notes.html", context)


def tasks_tab(request: HttpRequest, party: Party, *, form: TaskForm | None = None) -> HttpResponse:
    context = _tab_context(request, party, "tasks", form=form or TaskForm(), today=timezone.localdate())
    context["tasks"] = party_tasks(party=party)
    return render(request, "customers/party/tab_tasks.html", context)


def history_tab(request: HttpRequest, party: Party) -> HttpResponse:
    day = as_of_day(request)
    try:
        before = int(request.GET.get("before", "") or 0) or None
    except ValueError:
        before = None
    entries = party_history(party=party, before_id=before)
    if day is not None:
        entries = entries.filter(at__lt=timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1),
                                                                                 dt.time.min)))
    entries = list(entries[: HISTORY_PAGE + 1])
    more = len(entries) > HISTORY_PAGE
    entries = entries[:HISTORY_PAGE]
    rows = [(e, change_lines(e), e.subject_id != str(party.pk)) for e in entries]
    context = _tab_context(request, party, "history", rows=rows)
    if more:
        older = {"before": entries[-1].id, **({"as_of": day.isoformat()} if day else {})}
        context["older_query"] = urlencode(older)
    context["merged_names"] = {str(pk): name for pk, name in party.merged_parties.values_list("pk", "name")}
    return render(request, "customers/party/tab_history.html", context)


# --- create and edit -------------------------------------------------------------------------------


@module_required("customers", Access.WRITE)
def party_new(request: HttpRequest) -> HttpResponse:
    form = PartyForm(request.POST or None, initial={"country": "CZ", "kind": "person"})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            party = party_create(by=request.user, **{k: v for k, v in data.items() if v is not None})
        except AbonentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Customer created."))
            return redirect(page_url(party))
    return render(request, "customers/party/form.html", {"form": form, "party": None})


@module_required("customers", Access.WRITE)
def party_edit(request: HttpRequest, pk: int) -> HttpResponse:
    party = writable_party(pk)
    form = PartyForm(request.POST or None, party=party)
    if request.method == "POST" and form.is_valid():
        try:
            party_update(party=party, by=request.user, values=form.cleaned_data)
        except AbonentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Saved."))
            return redirect(page_url(party))
    return render(request, "customers/party/form.html", {"form": form, "party": party})


@module_required("customers", Access.WRITE)
@require_POST
def party_stage(request: HttpRequest, pk: int) -> HttpResponse:
    party = writable_party(pk)
    form = StageForm(request.POST, party=party)
    if form.is_valid():
        try:
            party_change_stage(party=party, to_stage=form.cleaned_data["to_stage"], by=request.user,
                               reason=form.cleaned_data["reason"])
        except AbonentError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Stage changed to %(stage)s.") % {"stage": party.get_stage_display()})
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(page_url(party))


@module_required("customers", Access.WRITE)
@require_POST
def party_tags(request: HttpRequest, pk: int) -> HttpResponse:
    party = writable_party(pk)
    form = TagsForm(request.POST)
    if form.is_valid():
        party_set_tags(party=party, names=form.names(), by=request.user)
    return after_write(request, party, "overview", _("Tags saved."))


# --- the forms of the contacts tab ------------------------------------------------------------------

ROWS = {
    "contact": (ContactPoint, ContactForm, contact_services.contact_add, contact_services.contact_change,
                contact_services.contact_remove, "contact"),
    "address": (Address, AddressForm, contact_services.address_add, contact_services.address_change,
                contact_services.address_remove, "address"),
    "bank_account": (BankAccount, BankAccountForm, contact_services.bank_account_add,
                     contact_services.bank_account_change, contact_services.bank_account_remove, "account"),
}


def row_form(kind: str, party: Party, data=None, row=None) -> Any:
    """The add form of a kind of row, or a row's edit form; prefixed, as three forms share the tab."""
    form_class = ROWS[kind][1]
    kwargs: dict[str, Any] = {"party": party, "prefix": "edit" if row is not None else kind}
    if kind == "contact" and row is not None:
        kwargs["editing"] = True
    if row is not None:
        kwargs["initial"] = {f: getattr(row, f) for f in form_class.base_fields}
    return form_class(data, **kwargs)
