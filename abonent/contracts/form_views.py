"""The contract's forms: new, edit, lines, activate, suspend, resume, terminate."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from abonent.contracts import services
from abonent.contracts.forms import ContractForm, LineChangeForm, LineEndForm, LineForm, SuspendForm, TerminateForm
from abonent.contracts.models import Contract, ContractLine
from abonent.contracts.views import contract_or_404, page_context
from abonent.core.permissions import module_required
from abonent.core.roles import Access
from abonent.core.services import AbonentError
from abonent.customers.models import Party


def _page(contract: Contract) -> str:
    return reverse("contracts:contract", args=[contract.pk])


def _party(pk: str | None) -> Party:
    try:
        party = Party.objects.get(pk=int(pk or 0))
    except (Party.DoesNotExist, ValueError):
        raise Http404 from None
    if party.merged_into_id:
        raise Http404
    return party


def _line(contract: Contract, line_id: int) -> ContractLine:
    try:
        return contract.lines.select_related("product").get(pk=line_id)
    except ContractLine.DoesNotExist:
        raise Http404 from None


def _again(request: HttpRequest, contract: Contract, **forms) -> HttpResponse:
    return render(request, "contracts/page.html", page_context(request, contract, **forms), status=400)


@module_required("contracts", Access.WRITE)
def contract_new(request: HttpRequest) -> HttpResponse:
    party = _party(request.GET.get("party") or request.POST.get("party"))
    currency = {"CZ": "CZK", "PL": "PLN", "RO": "RON", "RU": "RUB"}.get(party.country, "EUR")
    form = ContractForm(request.POST or None, initial={
        "currency": currency, "start_date": timezone.localdate(), "sales_rep": party.sales_rep_id,
    })
    if request.method == "POST" and form.is_valid():
        try:
            contract = services.contract_create(by=request.user, party=party, now=timezone.now(),
                                                **form.cleaned_data)
        except AbonentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Draft contract created: add its products, then activate it."))
            return redirect(_page(contract))
    return render(request, "contracts/form.html", {"form": form, "party": party, "contract": None})


@module_required("contracts", Access.WRITE)
def contract_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contract = contract_or_404(pk)
    form = ContractForm(request.POST or None, contract=contract)
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k not in form.fields or not form.fields[k].disabled}
        try:
            services.contract_change(by=request.user, contract=contract, values=values, now=timezone.now())
        except AbonentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Saved."))
            return redirect(_page(contract))
    return render(request, "contracts/form.html", {"form": form, "party": contract.party, "contract": contract})


@module_required("contracts", Access.WRITE)
@require_POST
def line_add(request: HttpRequest, pk: int) -> HttpResponse:
    contract = contract_or_404(pk)
    form = LineForm(request.POST, contract=contract)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.contract_line_add(
                by=request.user, contract=contract, product=data["product"], quantity=data["quantity"],
                unit_price=data["unit_price"], discount_percent=data["discount_percent"],
                active_from=data["active_from"], now=timezone.now())
        except AbonentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Product added."))
            return redirect(_page(contract))
    return _again(request, contract, line_form=form)


@module_required("contracts", Access.WRITE)
def line_change(request: HttpRequest, pk: int, line_id: int) -> HttpResponse:
    contract = contract_or_404(pk)
    line = _line(contract, line_id)
    form = LineChangeForm(request.POST or None, initial={
        "quantity": line.quantity, "unit_price": line.unit_price, "discount_percent": line.discount_percent,
        "active_from": max(timezone.localdate(), line.active_from)})
    if request.method == "POST" and form.is_valid():
        try:
            services.contract_line_change(by=request.user, line=line, now=timezone.now(), **form.cleaned_data)
        except AbonentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Line changed."))
            return redirect(_page(contract))
    return render(request, "contracts/page.html", page_context(request, contract, change_form=form, changing=line),
                  status=400 if request.method == "POST" else 200)


@module_required("contracts", Access.WRITE)
@require_POST
def line_end(request: HttpRequest, pk: int, line_id: int) -> HttpResponse:
    contract = contract_or_404(pk)
    line = _line(contract, line_id)
    form = LineEndForm(request.POST)
    if form.is_valid():
        try:
            services.contract_line_end(by=request.user, line=line, active_to=form.cleaned_data["active_to"],
                                       now=timezone.now())
        except AbonentError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Line ended."))
        return redirect(_page(contract))
    return _again(request, contract, end_form=form)


@module_required("contracts", Access.WRITE)
@require_POST
def contract_activate(request: HttpRequest, pk: int) -> HttpResponse:
    contract = contract_or_404(pk)
    try:
        contract = services.contract_activate(by=request.user, contract=contract, now=timezone.now())
    except AbonentError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Contract %(number)s is active; its payment schedule is ready.")
                         % {"number": contract.number})
    return redirect(_page(contract))


@module_required("contracts", Access.WRITE)
@require_POST
def contract_suspend(request: HttpRequest, pk: int) -> HttpResponse:
    contract = contract_or_404(pk)
    form = SuspendForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.contract_suspend(by=request.user, contract=contract, reason=reason, now=timezone.now())
    except AbonentError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Contract suspended."))
    return redirect(_page(contract))


@module_required("contracts", Access.WRITE)
@require_POST
def contract_resume(request: HttpRequest, pk: int) -> HttpResponse:
    contract = contract_or_404(pk)
    try:
        services.contract_resume(by=request.user, contract=contract, now=timezone.now())
    except AbonentError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Contract active again."))
    return redirect(_page(contract))


@module_required("contracts", Access.WRITE)
@require_POST
def contract_terminate(request: HttpRequest, pk: int) -> HttpResponse:
    contract = contract_or_404(pk)
    form = TerminateForm(request.POST)
    if form.is_valid():
        try:
            services.contract_terminate(by=request.user, contract=contract, now=timezone.now(), **form.cleaned_data)
        except AbonentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Contract terminated."))
            return redirect(_page(contract))
    return _again(request, contract, terminate_form=form)
