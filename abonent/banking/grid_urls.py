"""The list engine's seven routes for a list that shares an app with others (its own URL namespace)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from abonent.core.grid import views as grid
from abonent.core.grid.declaration import ListSpec
from abonent.core.permissions import module_required
from abonent.core.roles import Access


def grid_patterns(spec: ListSpec, template: str) -> list:
    """list, export, report, columns and saved views of `spec`, each behind READ on its module."""
    guard = module_required(spec.module, Access.READ)

    @guard
    def page(request: HttpRequest) -> HttpResponse:
        return grid.grid_list(request, spec, template=template)

    @guard
    def export(request: HttpRequest, fmt: str) -> HttpResponse:
        return grid.grid_export(request, spec, fmt)

    @guard
    def report(request: HttpRequest) -> HttpResponse:
        return grid.grid_report(request, spec)

    @guard
    def columns(request: HttpRequest) -> HttpResponse:
        return grid.grid_columns(request, spec)

    @guard
    def view_save(request: HttpRequest) -> HttpResponse:
        return grid.grid_view_save(request, spec)

    @guard
    def view_delete(request: HttpRequest, pk: int) -> HttpResponse:
        return grid.grid_view_delete(request, spec, pk)

    @guard
    def view_pin(request: HttpRequest, pk: int) -> HttpResponse:
        return grid.grid_view_pin(request, spec, pk)

    return [
        path("", page, name="list"),
        path("export.<str:fmt>", export, name="export"),
        path("report/", report, name="report"),
        path("columns/", columns, name="columns"),
        path("views/", view_save, name="view_save"),
        path("views/<int:pk>/delete/", view_delete, name="view_delete"),
        path("views/<int:pk>/pin/", view_pin, name="view_pin"),
    ]
