"""Billing pages: the customer's Billing tab, the contract's schedule, payments, manual entry, refunds."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from abonent.billing.forms import AllocateForm, PaymentForm, RefundForm
from abonent.billing.lists import PAYMENTS
from abonent.billing.models import Allocation, ExpectedPayment, ItemStatus, Payment, PaymentSource
from abonent.billing.selectors import (
    aging,
    contract_balances,
    item_list,
    open_items_for,
    party_balances,
    payment_list,
)
from abonent.billing.services import (
    allocation_add,
    allocation_remove,
    payment_allocate,
    payment_record,
    payment_refund,
)
from abonent.core.grid import views as grid
from abonent.core.money import format_money
from abonent.core.permissions import has_access, module_required
from abonent.core.roles import Access
from abonent.core.services import AbonentError
from abonent.customers.models import Party

RECENT_SETTLED = 12
RECENT_DONE = 3  # paid items shown before the open ones on the contract page; older ones are folded
SOON_DAYS = 31  # open items due within this many days are listed; later ones are folded
RECENT_PAYMENTS = 20
COUNTRY_CURRENCY = {"CZ": "CZK", "PL": "PLN", "RO": "RON", "RU": "RUB"}


def can_write(request: HttpRequest) -> bool:
    return has_access(request.user, "billing", Access.WRITE)


def _payment(pk: int) -> Payment:
    payment = Payment.objects.select_related("party", "created_by", "refund_of", "credit_for").filter(pk=pk).first()
    if payment is None:
        raise Http404
    return payment


def party_from(request: HttpRequest) -> Party:
    """The customer named by ?party= (or the posted party); 404 for nonsense or a merged record."""
    value = request.GET.get("party") or request.POST.get("party") or ""
    party = Party.objects.filter(pk=int(value), merged_into__isnull=True).first() if value.isdigit() else None
    if party is None:
        raise Http404
    return party


# --- the customer's tab and the contract's panel -------------------------------------------------------


def billing_tab(request: HttpRequest, party: Party) -> HttpResponse:
    today = timezone.localdate()
    items = list(item_list(party=party).exclude(status=ItemStatus.CANCELLED))
    soon = today + dt.timedelta(days=SOON_DAYS)
    open_items = [i for i in items if i.status in (ItemStatus.OPEN, ItemStatus.PARTLY_PAID)]
    settled = [i for i in items if i.status == ItemStatus.PAID][-RECENT_SETTLED:]
    payments = list(payment_list(party=party)[:RECENT_PAYMENTS + 1])
    return render(request, "billing/tab.html", {
        "party": party, "today": today, "balances": party_balances(party, on=today),
        "aging": aging(on=today, party=party), "due_items": [i for i in open_items if i.due_date <= soon],
        "later_items": [i for i in open_items if i.due_date > soon], "settled": settled,
        "payments": payments[:RECENT_PAYMENTS], "more_payments": len(payments) > RECENT_PAYMENTS,
        "all_payments": reverse("billing:list") + "?" + urlencode({"party": party.pk}), "can_write": can_write(request),
    })


def balance_fact(request: HttpRequest, party: Party) -> str:
    """The balance in the customer page's header: red when they owe, green when in credit."""
    balances = party_balances(party, on=timezone.localdate())
    if not balances:
        return format_html('<span class="text-body-secondary">{}</span>', "—")
    return format_html_join(" · ", '<a class="{}" href="{}?tab=billing">{}</a>', (
        ("text-danger fw-semibold" if b.balance < 0 else "text-success" if b.balance > 0 else "text-body",
         reverse("customers:party", args=[party.pk]), format_money(b.balance, b.currency)) for b in balances))


def schedule_panel(request: HttpRequest, contract) -> HttpResponse:
    today = timezone.localdate()
    items = list(item_list(contract=contract))
    soon = today + dt.timedelta(days=SOON_DAYS)
    done = [i for i in items if i.status in (ItemStatus.PAID, ItemStatus.CANCELLED) and i.due_date <= soon]
    earlier, recent = done[:-RECENT_DONE], done[-RECENT_DONE:]
    later = [i for i in items if i.due_date > soon]
    current = [i for i in items if i not in done and i not in later]
    return render(request, "billing/schedule_panel.html", {
        "contract": contract, "earlier": earlier, "current": recent + current, "later": later,
        "balances": contract_balances(contract, on=today), "today": today,
    })


# --- payments --------------------------------------------------------------------------------------------


@module_required("billing", Access.READ)
def payments(request: HttpRequest) -> HttpResponse:
    return grid.grid_list(request, PAYMENTS, template="billing/payments.html")


@module_required("billing", Access.READ)
def payments_export(request: HttpRequest, fmt: str) -> HttpResponse:
    return grid.grid_export(request, PAYMENTS, fmt)


@module_required("billing", Access.READ)
def payments_report(request: HttpRequest) -> HttpResponse:
    return grid.grid_report(request, PAYMENTS)


@module_required("billing", Access.READ)
def payments_columns(request: HttpRequest) -> HttpResponse:
    return grid.grid_columns(request, PAYMENTS)


@module_required("billing", Access.READ)
def payments_view_save(request: HttpRequest) -> HttpResponse:
    return grid.grid_view_save(request, PAYMENTS)


@module_required("billing", Access.READ)
def payments_view_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return grid.grid_view_delete(request, PAYMENTS, pk)


@module_required("billing", Access.READ)
def payments_view_pin(request: HttpRequest, pk: int) -> HttpResponse:
    return grid.grid_view_pin(request, PAYMENTS, pk)


def _payment_context(request: HttpRequest, payment: Payment, **forms) -> dict:
    writable = can_write(request) and payment.source != PaymentSource.REFUND
    return {
        "payment": payment, "party": payment.party, "can_write": writable,
        "allocations": payment.allocations.select_related("expected_payment__contract").order_by("id"),
        "refunds": payment.refunds.order_by("id"),
        "open_items": list(open_items_for(payment.party, currency=payment.currency)) if writable else [],
        "refund_form": forms.get("refund_form") or RefundForm(initial={"amount": payment.unallocated}),
    }


@module_required("billing", Access.READ)
def payment_page(request: HttpRequest, pk: int) -> HttpResponse:
    payment = _payment(pk)
    return render(request, "billing/payment.html", _payment_context(request, payment))


@module_required("billing", Access.WRITE)
def payment_new(request: HttpRequest) -> HttpResponse:
    party = party_from(request)
    form = PaymentForm(request.POST or None, initial={
        "currency": COUNTRY_CURRENCY.get(party.country, "EUR"), "received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        allocate = data.pop("allocate")
        now = timezone.now()
        try:
            payment = payment_record(party=party, by=request.user, now=now, **data)
            if allocate:
                payment_allocate(payment=payment, by=request.user, channel="ui", now=now)
        except AbonentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Payment recorded."))
            return redirect(reverse("customers:party", args=[party.pk]) + "?tab=billing")
    return render(request, "billing/payment_form.html", {
        "form": form, "party": party, "cancel": reverse("customers:party", args=[party.pk]) + "?tab=billing"})


@module_required("billing", Access.WRITE)
@require_POST
def payment_allocate_view(request: HttpRequest, pk: int) -> HttpResponse:
    payment = _payment(pk)
    form = AllocateForm(request.POST)
    try:
        if form.is_valid():
            item = ExpectedPayment.objects.filter(pk=form.cleaned_data["expected_payment"]).first()
            if item is None:
                raise Http404
            allocation_add(payment=payment, expected_payment=item, amount=form.cleaned_data["amount"],
                           by=request.user, now=timezone.now())
            messages.success(request, _("Allocated."))
        elif "oldest" in request.POST:
            made = payment_allocate(payment=payment, by=request.user, channel="ui", now=timezone.now())
            messages.success(request, _("Allocated to %(count)s items.") % {"count": len(made)})
        else:
            messages.error(request, _("Choose an item to allocate to."))
    except AbonentError as error:
        messages.error(request, str(error))
    return redirect("billing:payment", pk=payment.pk)


@module_required("billing", Access.WRITE)
@require_POST
def allocation_remove_view(request: HttpRequest, pk: int) -> HttpResponse:
    allocation = Allocation.objects.select_related("payment__party").filter(pk=pk).first()
    if allocation is None:
        raise Http404
    payment = allocation.payment
    if payment.source == PaymentSource.REFUND:
        raise PermissionDenied
    try:
        allocation_remove(allocation=allocation, by=request.user, now=timezone.now(),
                          reason=request.POST.get("reason", "")[:300])
    except AbonentError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Unmatched: the item is owed again and the money is the customer's credit."))
    return redirect("billing:payment", pk=payment.pk)


@module_required("billing", Access.WRITE)
@require_POST
def payment_refund_view(request: HttpRequest, pk: int) -> HttpResponse:
    payment = _payment(pk)
    form = RefundForm(request.POST)
    if form.is_valid():
        try:
            payment_refund(payment=payment, amount=form.cleaned_data["amount"], note=form.cleaned_data["note"],
                           by=request.user, now=timezone.now())
        except AbonentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Refund recorded."))
            return redirect("billing:payment", pk=payment.pk)
    return render(request, "billing/payment.html", _payment_context(request, payment, refund_form=form), status=400)
