"""The meetings list: seven thin views over the list engine."""

from django.http import HttpRequest, HttpResponse

from abonent.appointments.lists import meetings_list_for
from abonent.core.grid import views as grid
from abonent.core.permissions import module_required
from abonent.core.roles import Access


@module_required("appointments", Access.READ)
def meeting_list(request: HttpRequest) -> HttpResponse:
    return grid.grid_list(request, meetings_list_for(request.user), template="appointments/list.html")


@module_required("appointments", Access.READ)
def meeting_export(request: HttpRequest, fmt: str) -> HttpResponse:
    return grid.grid_export(request, meetings_list_for(request.user), fmt)


@module_required("appointments", Access.READ)
def meeting_report(request: HttpRequest) -> HttpResponse:
    return grid.grid_report(request, meetings_list_for(request.user))


@module_required("appointments", Access.READ)
def meeting_list_columns(request: HttpRequest) -> HttpResponse:
    return grid.grid_columns(request, meetings_list_for(request.user))


@module_required("appointments", Access.READ)
def meeting_view_save(request: HttpRequest) -> HttpResponse:
    return grid.grid_view_save(request, meetings_list_for(request.user))


@module_required("appointments", Access.READ)
def meeting_view_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return grid.grid_view_delete(request, meetings_list_for(request.user), pk)


@module_required("appointments", Access.READ)
def meeting_view_pin(request: HttpRequest, pk: int) -> HttpResponse:
    return grid.grid_view_pin(request, meetings_list_for(request.user), pk)
