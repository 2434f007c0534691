from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from abonent.core.permissions import module_required
from abonent.core.roles import Access
from abonent.customers.models import Party


@module_required("customers", Access.READ)
def party_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    parties = Party.objects.select_related("sales_rep").order_by("name", "id")
    if q:
        parties = parties.filter(
            Q(name__icontains=q) | Q(email__icontains=q) | Q(phone__contains=q) | Q(tax_id__startswith=q)
        )
    page = Paginator(parties, 50).get_page(request.GET.get("page"))
    return render(request, "customers/list.html", {"page": page, "q": q})
