"""Administrators' pages: the module's settings, call outcomes, request types, classifications, zones."""

from __future__ import annotations

from django.contrib import messages
from django.db import models
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from abonent.callcenter.call_services import outcome_save
from abonent.callcenter.forms import ClassificationForm, OutcomeForm, RequestTypeForm, SettingsForm, ZoneForm
from abonent.callcenter.models import CallOutcome, Classification, CommercialZone, RequestSettings, RequestType
from abonent.callcenter.reference_services import reference_save
from abonent.core.permissions import module_required
from abonent.core.roles import Access
from abonent.core.services import AbonentError


@module_required("settings", Access.WRITE)
def settings_page(request: HttpRequest) -> HttpResponse:
    current = RequestSettings.load()
    form = SettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        stored = RequestSettings.load()
        reference_save(by=request.user, obj=stored, values={f: form.cleaned_data[f] for f in form.changed_data},
                       now=timezone.now())
        messages.success(request, _("Saved.") if form.changed_data else _("Nothing was changed."))
        return redirect("callcenter:settings")
    return render(request, "callcenter/settings.html", {"form": form})


def _reference_page(
    request: HttpRequest, *, model: type[models.Model], form_class: type[ModelForm], pk: int | None, url_name: str,
    title: str, add_title: str, rows: models.QuerySet, columns: list[tuple[str, str]], hint: str = "",
) -> HttpResponse:
    """A list of rows beside the form to add one or change the one chosen."""
    edited = get_object_or_404(model, pk=pk) if pk else None
    form = form_class(request.POST or None, instance=edited, prefix="row")
    if request.method == "POST" and form.is_valid():
        fields = form.changed_data if edited else list(form.fields)
        stored = model.objects.get(pk=edited.pk) if edited else model()
        values = {f: form.cleaned_data[f] for f in fields}
        try:
            if isinstance(form, OutcomeForm):
                values = {f: v for f, v in values.items() if not f.startswith("label_")}
                values["label"] = form.label()
                outcome_save(by=request.user, outcome=stored, values=values, now=timezone.now())
            else:
                reference_save(by=request.user, obj=stored, values=values, now=timezone.now())
        except AbonentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Saved."))
            return redirect(f"callcenter:{url_name}")
    return render(request, "callcenter/reference.html", {
        "form": form, "edited": edited, "rows": rows, "columns": columns, "title": title, "add_title": add_title,
        "url_name": f"callcenter:{url_name}_edit", "list_url_name": f"callcenter:{url_name}", "hint": hint,
    })


@module_required("settings", Access.WRITE)
def outcomes(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    return _reference_page(
        request, model=CallOutcome, form_class=OutcomeForm, pk=pk, url_name="outcomes",
        title=gettext_lazy("Call outcomes"), add_title=gettext_lazy("Add an outcome"),
        rows=CallOutcome.objects.select_related("sets_status"),
        columns=[("order", gettext_lazy("Order")), ("__str__", gettext_lazy("Name")), ("code", gettext_lazy("Code")),
                 ("sets_status", gettext_lazy("Sets the status to")),
                 ("needs_callback", gettext_lazy("Needs a callback time")),
                 ("reached", gettext_lazy("Reached")), ("meeting_booked", gettext_lazy("Meeting booked")),
                 ("active", gettext_lazy("Active"))],
        hint=gettext_lazy("Agents see the active outcomes in this order; the first nine can be picked with the "
                          "keys 1 to 9."),
    )


@module_required("settings", Access.WRITE)
def request_types(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    return _reference_page(
        request, model=RequestType, form_class=RequestTypeForm, pk=pk, url_name="types",
        title=gettext_lazy("Request types"), add_title=gettext_lazy("Add a request type"),
        rows=RequestType.objects.select_related("team"),
        columns=[("order", gettext_lazy("Order")), ("name", gettext_lazy("Name")),
                 ("team", gettext_lazy("Responsible team")), ("auto_assign", gettext_lazy("Assign automatically")),
                 ("active", gettext_lazy("Active"))],
        hint=gettext_lazy("A new request lands in the queue of its type's team."),
    )


@module_required("settings", Access.WRITE)
def classifications(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    return _reference_page(
        request, model=Classification, form_class=ClassificationForm, pk=pk, url_name="classifications",
        title=gettext_lazy("Classifications"), add_title=gettext_lazy("Add a classification"),
        rows=Classification.objects.select_related("parent__parent").order_by("level", "parent__name", "order",
                                                                              "name"),
        columns=[("level", gettext_lazy("Level")), ("name", gettext_lazy("Name")),
                 ("parent", gettext_lazy("Under")), ("order", gettext_lazy("Order")),
                 ("active", gettext_lazy("Active"))],
        hint=gettext_lazy("Three levels: a classification, its sub-classifications and their details."),
    )


@module_required("settings", Access.WRITE)
def zones(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    return _reference_page(
        request, model=CommercialZone, form_class=ZoneForm, pk=pk, url_name="zones",
        title=gettext_lazy("Commercial zones"), add_title=gettext_lazy("Add a zone"),
        rows=CommercialZone.objects.all(),
        columns=[("name", gettext_lazy("Name")), ("code", gettext_lazy("Code")), ("active", gettext_lazy("Active"))],
    )
