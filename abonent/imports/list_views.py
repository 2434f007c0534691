"""The import jobs list: the list engine's seven views, each showing a user only the jobs they may see."""

from django.http import HttpRequest, HttpResponse

from abonent.core.grid import views as grid
from abonent.core.permissions import module_required
from abonent.core.roles import Access
from abonent.imports.lists import jobs_list_for


@module_required("imports", Access.READ)
def job_list(request: HttpRequest) -> HttpResponse:
    return grid.grid_list(request, jobs_list_for(request.user), template="imports/list.html")


@module_required("imports", Access.READ)
def job_export(request: HttpRequest, fmt: str) -> HttpResponse:
    return grid.grid_export(request, jobs_list_for(request.user), fmt)


@module_required("imports", Access.READ)
def job_report(request: HttpRequest) -> HttpResponse:
    return grid.grid_report(request, jobs_list_for(request.user))


@module_required("imports", Access.READ)
def job_list_columns(request: HttpRequest) -> HttpResponse:
    return grid.grid_columns(request, jobs_list_for(request.user))


# Saving a private view needs only read access; sharing it with everyone needs write access (checked inside).
@module_required("imports", Access.READ)
def job_view_save(request: HttpRequest) -> HttpResponse:
    return grid.grid_view_save(request, jobs_list_for(request.user))


@module_required("imports", Access.READ)
def job_view_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return grid.grid_view_delete(request, jobs_list_for(request.user), pk)


@module_required("imports", Access.READ)
def job_view_pin(request: HttpRequest, pk: int) -> HttpResponse:
    return grid.grid_view_pin(request, jobs_list_for(request.user), pk)
