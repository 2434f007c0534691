"""The catalogue pages: products and discounts (reading needs contracts, changing needs write access)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from abonent.contracts.catalogue_services import discount_create, discount_end, product_change, product_create
from abonent.contracts.forms import DiscountForm, ProductForm
from abonent.contracts.models import Discount, Product
from abonent.contracts.selectors import discount_list, product_list
from abonent.contracts.views import can_write
from abonent.core.permissions import module_required
from abonent.core.roles import Access
from abonent.core.services import AbonentError
from abonent.customers.hierarchy_selectors import node_paths


@module_required("contracts", Access.READ)
def products(request: HttpRequest) -> HttpResponse:
    return render(request, "contracts/products.html", {"products": product_list(), "can_write": can_write(request)})


@module_required("contracts", Access.WRITE)
def product_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    product = None
    if pk is not None:
        product = Product.objects.filter(pk=pk).first()
        if product is None:
            raise Http404
    in_use = product is not None and product.lines.exists()
    form = ProductForm(request.POST or None, product=product, in_use=in_use)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if not k.startswith("name_") and k != "code"}
        if in_use:
            data.pop("currency")
        try:
            if product is None:
                product_create(by=request.user, code=form.cleaned_data["code"], name=form.names(),
                               now=timezone.now(), **data)
            else:
                product_change(by=request.user, product=product, values={"name": form.names(), **data},
                               now=timezone.now())
        except AbonentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Product saved."))
            return redirect("contracts:products")
    return render(request, "contracts/product_form.html", {
        "form": form, "product": product, "cancel": reverse("contracts:products")})


@module_required("contracts", Access.READ)
def discounts(request: HttpRequest) -> HttpResponse:
    form = None
    writable = can_write(request)
    if writable:
        form = DiscountForm(request.POST or None, initial={"active_from": timezone.localdate()})
    if request.method == "POST":
        if not writable:
            raise PermissionDenied
        if form.is_valid():
            try:
                discount_create(by=request.user, now=timezone.now(), **form.cleaned_data)
            except AbonentError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Discount added; the schedules of the customers it applies to are "
                                            "recomputed."))
                return redirect("contracts:discounts")
    rows = list(discount_list())
    paths = node_paths([d.node for d in rows])
    return render(request, "contracts/discounts.html", {
        "rows": [(d, paths[d.node_id]) for d in rows], "form": form, "can_write": writable,
        "today": timezone.localdate(),
    }, status=400 if form is not None and form.errors else 200)


@module_required("contracts", Access.WRITE)
@require_POST
def discount_stop(request: HttpRequest, pk: int) -> HttpResponse:
    discount = Discount.objects.filter(pk=pk).first()
    if discount is None:
        raise Http404
    try:
        day = dt.date.fromisoformat(request.POST.get("active_to", ""))
    except ValueError:
        messages.error(request, _("Give the day the discount stops."))
        return redirect("contracts:discounts")
    try:
        discount_end(by=request.user, discount=discount, active_to=day, now=timezone.now())
    except AbonentError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Discount ended."))
    return redirect("contracts:discounts")
