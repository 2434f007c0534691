"""Pages about custom attributes: a customer's Attributes tab, and the administrators' declarations."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from abonent.core.models import Channel
from abonent.core.permissions import module_required
from abonent.core.roles import Access
from abonent.core.services import AbonentError
from abonent.customers.attribute_forms import (
    AttributeChoiceForm,
    AttributeDefinitionForm,
    AttributeValueForm,
    labels_of,
)
from abonent.customers.attribute_selectors import (
    attribute_definition_list,
    attribute_history,
    attribute_values,
    current_language,
)
from abonent.customers.attribute_services import (
    attribute_choice_save,
    attribute_clear,
    attribute_define,
    attribute_set,
)
from abonent.customers.models import AttributeChoice, AttributeDefinition, AttributeType, AttributeValue, Party
from abonent.customers.party_views import with_errors


def _as_of(request: HttpRequest) -> dt.date | None:
    try:
        return dt.date.fromisoformat(request.GET.get("as_of", ""))
    except ValueError:
        return None


def _value_initial(value: AttributeValue | None) -> dict:
    if value is None:
        return {}
    kind = value.definition.type
    if kind == AttributeType.TEXT:
        return {"value": value.text, **{f"value_{c}": t for c, t in value.text_translations.items()}}
    if kind == AttributeType.NUMBER:
        return {"value": format(value.number.normalize(), "f")}
    if kind == AttributeType.DATE:
        return {"value": value.date}
    if kind == AttributeType.CHOICE:
        return {"value": value.choice.code if value.choice else ""}
    return {"value": "yes" if value.boolean else "no"}


def _render_tab(
    request: HttpRequest, party: Party, *, editing: AttributeDefinition | None = None,
    form: AttributeValueForm | None = None, notice: str = "", as_tab: bool = False,
) -> HttpResponse:
    today = timezone.localdate()
    as_of = _as_of(request)
    language = current_language()
    shown = attribute_values(party=party, on=as_of or today, language=language)
    if editing is not None and form is None:
        current = next((a.value for a in shown if a.definition.pk == editing.pk), None)
        form = AttributeValueForm(definition=editing, language=language, today=today,
                                  initial=_value_initial(current))
    context = {
        "party": party, "shown": shown, "history": attribute_history(party=party, on=as_of or today, language=language),
        "as_of": as_of, "today": today, "editing": editing, "form": form, "notice": notice,
        "can_write": request.user.module_access("customers") >= Access.WRITE and as_of is None,
    }
    fragment = render(request, "customers/attributes/tab.html", context)
    # The registered tab is always the fragment: the customer page puts it in place.
    if as_tab:
        return fragment
    # Alone for HTMX; inside the customer page (tab "attributes") for a plain request.
    return with_errors(request, party, "attributes", fragment)


@module_required("customers", Access.READ)
def attributes_tab(request: HttpRequest, party: Party) -> HttpResponse:
    """The customer page's Attributes tab: today's values (or `?as_of=` a past day's) and their history."""
    return _render_tab(request, party, as_tab=True)


@module_required("customers", Access.READ)
def party_attributes(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_tab(request, get_object_or_404(Party, pk=pk))


@module_required("customers", Access.WRITE)
def party_attribute_edit(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """Show the form for one attribute's value (GET), or set or end the value from a day (POST)."""
    party = get_object_or_404(Party, pk=pk)
    definition = get_object_or_404(AttributeDefinition, code=code)
    if request.method != "POST":
        return _render_tab(request, party, editing=definition)
    form = AttributeValueForm(request.POST, definition=definition, language=current_language(),
                              today=timezone.localdate())
    if form.is_valid():
        day = form.cleaned_data["active_from"]
        try:
            if "clear" in request.POST:
                attribute_clear(party=party, definition=definition, active_from=day, by=request.user,
                                channel=Channel.UI)
                notice = _("“%(label)s” ends on %(day)s.")
            else:
                attribute_set(party=party, definition=definition, value=form.typed_value(), active_from=day,
                              by=request.user, channel=Channel.UI)
                notice = _("“%(label)s” is saved, effective from %(day)s.")
        except AbonentError as error:
            form.add_error("value", str(error))
        else:
            notice = notice % {
                "label": definition.label_in(current_language()), "day": date_format(day, "SHORT_DATE_FORMAT"),
            }
            if request.htmx:
                return _render_tab(request, party, notice=notice)
            messages.success(request, notice)
            return redirect("customers:party_attributes", pk=party.pk)
    return _render_tab(request, party, editing=definition, form=form)


# --- the administrators' pages -------------------------------------------------------------------------


@module_required("settings", Access.READ)
def attribute_definitions(request: HttpRequest) -> HttpResponse:
    language = current_language()
    definitions = [
        (d, d.label_in(language), [c.label_in(language) for c in d.choices.all()])
        for d in attribute_definition_list()
    ]
    return render(request, "customers/attributes/definition_list.html", {
        "definitions": definitions, "can_write": request.user.module_access("settings") >= Access.WRITE,
    })


@module_required("settings", Access.WRITE)
def attribute_definition_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    definition = get_object_or_404(AttributeDefinition, pk=pk) if pk else None
    type_locked = definition is not None and definition.values.exists()
    form = AttributeDefinitionForm(request.POST or None, definition=definition, type_locked=type_locked)
    if form.is_valid():
        data = form.cleaned_data
        try:
            definition = attribute_define(
                by=request.user, code=data["code"], type=data["type"], label=labels_of(data),
                applies_to=data["applies_to"], required=data["required"], multilingual=data["multilingual"],
                active=data["active"], order=data["order"], definition=definition, channel=Channel.UI,
            )
        except AbonentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Saved."))
            if definition.type == AttributeType.CHOICE:
                return redirect("customers:attribute_definition_edit", pk=definition.pk)
            return redirect("customers:attribute_definitions")
    language = current_language()
    choices = [(c, c.label_in(language)) for c in definition.choices.all()] if definition else []
    return render(request, "customers/attributes/definition_edit.html", {
        "form": form, "edited": definition, "choices": choices,
        "choice_form": (
            AttributeChoiceForm(prefix="choice") if definition and definition.type == AttributeType.CHOICE else None
        ),
    })


@module_required("settings", Access.WRITE)
def attribute_choice_edit(request: HttpRequest, pk: int, choice_pk: int | None = None) -> HttpResponse:
    definition = get_object_or_404(AttributeDefinition, pk=pk)
    choice = get_object_or_404(AttributeChoice, pk=choice_pk, definition=definition) if choice_pk else None
    if definition.type != AttributeType.CHOICE:
        raise Http404
    form = AttributeChoiceForm(request.POST or None, choice=choice, prefix="choice")
    if form.is_valid():
        data = form.cleaned_data
        try:
            attribute_choice_save(
                by=request.user, definition=definition, code=data["code"], label=labels_of(data),
                order=data["order"], active=data["active"], choice=choice, channel=Channel.UI,
            )
        except AbonentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Saved."))
            return redirect("customers:attribute_definition_edit", pk=definition.pk)
    return render(request, "customers/attributes/choice_edit.html", {
        "form": form, "definition": definition, "edited": choice,
        "definition_label": definition.label_in(current_language()),
    })

