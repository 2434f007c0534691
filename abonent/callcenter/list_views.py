"""The three lists' pages: each gets the engine's seven routes in its own namespace, behind the module's rights."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.urls.resolvers import URLResolver

from abonent.callcenter.lists import CALLS, QUEUE, REQUESTS
from abonent.core.grid import views as grid
from abonent.core.grid.declaration import ListSpec
from abonent.core.permissions import module_required
from abonent.core.roles import Access


def _routes(spec: ListSpec, template: str) -> list:
    read = module_required(spec.module, Access.READ)

    def page(request: HttpRequest) -> HttpResponse:
        return grid.grid_list(request, spec, template=template)

    def export(request: HttpRequest, fmt: str) -> HttpResponse:
        return grid.grid_export(request, spec, fmt)

    def report(request: HttpRequest) -> HttpResponse:
        return grid.grid_report(request, spec)

    def columns(request: HttpRequest) -> HttpResponse:
        return grid.grid_columns(request, spec)

    # A private view needs read access; sharing it with everyone needs write access (checked inside).
    def view_save(request: HttpRequest) -> HttpResponse:
        return grid.grid_view_save(request, spec)

    def view_delete(request: HttpRequest, pk: int) -> HttpResponse:
        return grid.grid_view_delete(request, spec, pk)

    def view_pin(request: HttpRequest, pk: int) -> HttpResponse:
        return grid.grid_view_pin(request, spec, pk)

    guarded: Callable = read
    return [
        path("", guarded(page), name="list"),
        path("export.<str:fmt>", guarded(export), name="export"),
        path("report/", guarded(report), name="report"),
        path("columns/", guarded(columns), name="columns"),
        path("views/", guarded(view_save), name="view_save"),
        path("views/<int:pk>/delete/", guarded(view_delete), name="view_delete"),
        path("views/<int:pk>/pin/", guarded(view_pin), name="view_pin"),
    ]


def list_urls(prefix: str, spec: ListSpec, template: str) -> URLResolver:
    """`prefix` routed to the list's pages in the namespace after the colon of spec.url_namespace."""
    namespace = spec.url_namespace.split(":")[-1]
    return path(prefix, include((_routes(spec, template), namespace), namespace=namespace))


QUEUE_URLS = list_urls("queue/list/", QUEUE, "callcenter/queue.html")
CALLS_URLS = list_urls("calls/", CALLS, "callcenter/calls.html")
REQUESTS_URLS = list_urls("requests/", REQUESTS, "callcenter/requests.html")
