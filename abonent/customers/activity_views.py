"""The notes and tasks tabs' writes."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from abonent.core.permissions import module_required
from abonent.core.roles import Access
from abonent.core.services import AbonentError
from abonent.customers import activity_services
from abonent.customers.forms import NoteForm, TaskForm
from abonent.customers.models import Note, Task
from abonent.customers.party_views import after_write, notes_tab, tasks_tab, with_errors, writable_party

# --- notes -----------------------------------------------------------------------------------------


@module_required("customers", Access.WRITE)
@require_POST
def note_add(request: HttpRequest, pk: int) -> HttpResponse:
    party = writable_party(pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            activity_services.note_add(party=party, body=form.cleaned_data["body"], by=request.user,
                                       is_html=form.is_html)
        except AbonentError as error:
            form.add_error("body", str(error))
        else:
            return after_write(request, party, "notes", _("Note saved."))
    return with_errors(request, party, "notes", notes_tab(request, party, form=form))


@module_required("customers", Access.WRITE)
def note_edit(request: HttpRequest, pk: int, note_id: int) -> HttpResponse:
    party = writable_party(pk)
    note = get_object_or_404(Note, pk=note_id, party=party)
    form = NoteForm(request.POST or None, initial={"body": note.body, "format": "html"})
    if request.method == "POST" and form.is_valid():
        try:
            activity_services.note_change(note=note, body=form.cleaned_data["body"], by=request.user,
                                          is_html=form.is_html)
        except AbonentError as error:
            form.add_error("body", str(error))
        else:
            return after_write(request, party, "notes", _("Note saved."))
    return with_errors(request, party, "notes", notes_tab(request, party, editing=(note.pk, form)))


@module_required("customers", Access.WRITE)
@require_POST
def note_remove(request: HttpRequest, pk: int, note_id: int) -> HttpResponse:
    party = writable_party(pk)
    note = get_object_or_404(Note, pk=note_id, party=party)
    activity_services.note_remove(note=note, by=request.user)
    return after_write(request, party, "notes", _("Note removed."))


# --- tasks -----------------------------------------------------------------------------------------


@module_required("customers", Access.WRITE)
@require_POST
def task_add(request: HttpRequest, pk: int) -> HttpResponse:
    party = writable_party(pk)
    form = TaskForm(request.POST)
    if form.is_valid():
        try:
            activity_services.task_add(party=party, by=request.user, **form.cleaned_data)
        except AbonentError as error:
            form.add_error(None, str(error))
        else:
            return after_write(request, party, "tasks", _("Task saved."))
    return with_errors(request, party, "tasks", tasks_tab(request, party, form=form))


@module_required("customers", Access.WRITE)
@require_POST
def task_done(request: HttpRequest, pk: int, task_id: int) -> HttpResponse:
    party = writable_party(pk)
    task = get_object_or_404(Task, pk=task_id, party=party)
    done = request.POST.get("done") == "1"
    activity_services.task_set_done(task=task, done=done, by=request.user)
    return after_write(request, party, "tasks", _("Task done.") if done else _("Task open again."))


@module_required("customers", Access.WRITE)
@require_POST
def task_remove(request: HttpRequest, pk: int, task_id: int) -> HttpResponse:
    party = writable_party(pk)
    task = get_object_or_404(Task, pk=task_id, party=party)
    activity_services.task_remove(task=task, by=request.user)
    return after_write(request, party, "tasks", _("Task removed."))
