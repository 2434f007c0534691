"""The customer page: header, tabs (loaded as HTMX fragments, plain links without JavaScript), and its forms."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
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
from abonent.customers import activity_services, contact_services
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
from abonent.customers.models import Address, BankAccount, ContactPoint, Note, Party, Task
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
from abonent.customers.tabs import tab_get, tabs_for

# --- helpers ---------------------------------------------------------------------------------------


def _party(pk: int) -> Party:
    try:
        return party_get(pk=pk)
    except Party.DoesNotExist:
        raise Http404 from None


def _writable(pk: int) -> Party:
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


def _after_write(request: HttpRequest, party: Party, key: str, message: str) -> HttpResponse:
    """HTMX gets the fresh tab with the message; a plain form post goes back to the page."""
    if request.htmx:
        tab = tab_get(key)
        response = tab.view(request, party)
        flash = render_to_string("customers/party/_flash.html", {"message": message})
        response.content = flash.encode() + response.content
        return response
    messages.success(request, message)
    return redirect(page_url(party, key))


def _with_errors(request: HttpRequest, party: Party, key: str, fragment: HttpResponse) -> HttpResponse:
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
        context["contact_form"] = forms.get("contact") or _row_form("contact", party)
        context["address_form"] = forms.get("address") or _row_form("address", party)
        context["bank_account_form"] = forms.get("bank_account") or _row_form("bank_account", party)
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
    party = _writable(pk)
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
    party = _writable(pk)
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
    party = _writable(pk)
    form = TagsForm(request.POST)
    if form.is_valid():
        party_set_tags(party=party, names=form.names(), by=request.user)
    return _after_write(request, party, "overview", _("Tags saved."))


# --- contacts, addresses, bank accounts ------------------------------------------------------------

ROWS = {
    "contact": (ContactPoint, ContactForm, contact_services.contact_add, contact_services.contact_change,
                contact_services.contact_remove, "contact"),
    "address": (Address, AddressForm, contact_services.address_add, contact_services.address_change,
                contact_services.address_remove, "address"),
    "bank_account": (BankAccount, BankAccountForm, contact_services.bank_account_add,
                     contact_services.bank_account_change, contact_services.bank_account_remove, "account"),
}
SAVED = {"contact": _("Contact saved."), "address": _("Address saved."), "bank_account": _("Bank account saved.")}
REMOVED = {"contact": _("Contact removed."), "address": _("Address removed."),
           "bank_account": _("Bank account removed.")}


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


def _row_form(kind: str, party: Party, data=None, row=None) -> Any:
    """The add form of a kind of row, or a row's edit form; prefixed, as three forms share the tab."""
    form_class = ROWS[kind][1]
    kwargs: dict[str, Any] = {"party": party, "prefix": "edit" if row is not None else kind}
    if kind == "contact" and row is not None:
        kwargs["editing"] = True
    if row is not None:
        kwargs["initial"] = {f: getattr(row, f) for f in form_class.base_fields}
    return form_class(data, **kwargs)


@module_required("customers", Access.WRITE)
@require_POST
def row_add(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    party = _writable(pk)
    if kind not in ROWS:
        raise Http404
    form = _row_form(kind, party, request.POST)
    if form.is_valid():
        values = _row_values(kind, form.cleaned_data)
        if kind == "contact":
            values["kind"] = form.cleaned_data["kind"]
        try:
            ROWS[kind][2](party=party, by=request.user, **values)
        except AbonentError as error:
            form.add_error(None, str(error))
        else:
            return _after_write(request, party, "contacts", SAVED[kind])
    return _with_errors(request, party, "contacts", contacts_tab(request, party, forms={kind: form}))


@module_required("customers", Access.WRITE)
def row_edit(request: HttpRequest, pk: int, kind: str, row_id: int) -> HttpResponse:
    party = _writable(pk)
    row = _row(kind, party, row_id)
    if request.method != "POST":
        form = _row_form(kind, party, row=row)
        return _with_errors(request, party, "contacts",
                            contacts_tab(request, party, forms={"edit": form}, editing=(kind, row.pk)))
    form = _row_form(kind, party, request.POST, row=row)
    if form.is_valid():
        values = _row_values(kind, form.cleaned_data)
        if values.get("is_primary") is False and row.is_primary:
            values.pop("is_primary")  # the primary stays primary until another one is chosen
        try:
            ROWS[kind][3](**{ROWS[kind][5]: row}, by=request.user, values=values)
        except AbonentError as error:
            form.add_error(None, str(error))
        else:
            return _after_write(request, party, "contacts", SAVED[kind])
    return _with_errors(request, party, "contacts",
                        contacts_tab(request, party, forms={"edit": form}, editing=(kind, row.pk)))


@module_required("customers", Access.WRITE)
@require_POST
def row_primary(request: HttpRequest, pk: int, kind: str, row_id: int) -> HttpResponse:
    party = _writable(pk)
    row = _row(kind, party, row_id)
    ROWS[kind][3](**{ROWS[kind][5]: row}, by=request.user, values={"is_primary": True})
    return _after_write(request, party, "contacts", SAVED[kind])


@module_required("customers", Access.WRITE)
@require_POST
def row_remove(request: HttpRequest, pk: int, kind: str, row_id: int) -> HttpResponse:
    party = _writable(pk)
    row = _row(kind, party, row_id)
    ROWS[kind][4](**{ROWS[kind][5]: row}, by=request.user)
    return _after_write(request, party, "contacts", REMOVED[kind])


# --- notes -----------------------------------------------------------------------------------------


@module_required("customers", Access.WRITE)
@require_POST
def note_add(request: HttpRequest, pk: int) -> HttpResponse:
    party = _writable(pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            activity_services.note_add(party=party, body=form.cleaned_data["body"], by=request.user,
                                       is_html=form.is_html)
        except AbonentError as error:
            form.add_error("body", str(error))
        else:
            return _after_write(request, party, "notes", _("Note saved."))
    return _with_errors(request, party, "notes", notes_tab(request, party, form=form))


@module_required("customers", Access.WRITE)
def note_edit(request: HttpRequest, pk: int, note_id: int) -> HttpResponse:
    party = _writable(pk)
    note = get_object_or_404(Note, pk=note_id, party=party)
    form = NoteForm(request.POST or None, initial={"body": note.body, "format": "html"})
    if request.method == "POST" and form.is_valid():
        try:
            activity_services.note_change(note=note, body=form.cleaned_data["body"], by=request.user,
                                          is_html=form.is_html)
        except AbonentError as error:
            form.add_error("body", str(error))
        else:
            return _after_write(request, party, "notes", _("Note saved."))
    return _with_errors(request, party, "notes", notes_tab(request, party, editing=(note.pk, form)))


@module_required("customers", Access.WRITE)
@require_POST
def note_remove(request: HttpRequest, pk: int, note_id: int) -> HttpResponse:
    party = _writable(pk)
    note = get_object_or_404(Note, pk=note_id, party=party)
    activity_services.note_remove(note=note, by=request.user)
    return _after_write(request, party, "notes", _("Note removed."))


# --- tasks -----------------------------------------------------------------------------------------


@module_required("customers", Access.WRITE)
@require_POST
def task_add(request: HttpRequest, pk: int) -> HttpResponse:
    party = _writable(pk)
    form = TaskForm(request.POST)
    if form.is_valid():
        try:
            activity_services.task_add(party=party, by=request.user, **form.cleaned_data)
        except AbonentError as error:
            form.add_error(None, str(error))
        else:
            return _after_write(request, party, "tasks", _("Task saved."))
    return _with_errors(request, party, "tasks", tasks_tab(request, party, form=form))


@module_required("customers", Access.WRITE)
@require_POST
def task_done(request: HttpRequest, pk: int, task_id: int) -> HttpResponse:
    party = _writable(pk)
    task = get_object_or_404(Task, pk=task_id, party=party)
    done = request.POST.get("done") == "1"
    activity_services.task_set_done(task=task, done=done, by=request.user)
    return _after_write(request, party, "tasks", _("Task done.") if done else _("Task open again."))


@module_required("customers", Access.WRITE)
@require_POST
def task_remove(request: HttpRequest, pk: int, task_id: int) -> HttpResponse:
    party = _writable(pk)
    task = get_object_or_404(Task, pk=task_id, party=party)
    activity_services.task_remove(task=task, by=request.user)
    return _after_write(request, party, "tasks", _("Task removed."))
