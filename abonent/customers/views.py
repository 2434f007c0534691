from django.http import HttpRequest, HttpResponse

from abonent.core.grid import views as grid
from abonent.core.permissions import module_required
from abonent.core.roles import Access
from abonent.customers.lists import CUSTOMERS


@module_required("customers", Access.READ)
def party_list(request: HttpRequest) -> HttpResponse:
    return grid.grid_list(request, CUSTOMERS, template="customers/list.html")


@module_required("customers", Access.READ)
def party_export(request: HttpRequest, fmt: str) -> HttpResponse:
    return grid.grid_export(request, CUSTOMERS, fmt)


@module_required("customers", Access.READ)
def party_report(request: HttpRequest) -> HttpResponse:
    return grid.grid_report(request, CUSTOMERS)


@module_required("customers", Access.READ)
def party_list_columns(request: HttpRequest) -> HttpResponse:
    return grid.grid_columns(request, CUSTOMERS)


# Saving a private view needs only read access; sharing it with everyone needs write access (checked inside).
@module_required("customers", Access.READ)
def party_view_save(request: HttpRequest) -> HttpResponse:
    return grid.grid_view_save(request, CUSTOMERS)


@module_required("customers", Access.READ)
def party_view_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return grid.grid_view_delete(request, CUSTOMERS, pk)


@module_required("customers", Access.READ)
def party_view_pin(request: HttpRequest, pk: int) -> HttpResponse:
    return grid.grid_view_pin(request, CUSTOMERS, pk)
