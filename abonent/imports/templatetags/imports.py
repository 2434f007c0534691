"""Small helpers of the import pages' templates."""

from __future__ import annotations

from typing import Any

from django import template

from abonent.core.permissions import has_access
from abonent.core.roles import Access
from abonent.imports.models import JobStatus, RowStatus

register = template.Library()

STATUS_COLOURS = {
    JobStatus.NEW: "secondary", JobStatus.QUEUED: "info", JobStatus.RUNNING: "primary",
    JobStatus.DONE: "success", JobStatus.FAILED: "danger", JobStatus.REVERTING: "warning",
    JobStatus.REVERTED: "warning",
    RowStatus.PENDING: "secondary", RowStatus.CREATED: "success", RowStatus.UPDATED: "primary",
    RowStatus.SKIPPED: "secondary", RowStatus.REJECTED: "danger",
}


@register.filter
def status_colour(status: str) -> str:
    """The Bootstrap colour of a job's or a row's status: {{ job.status|status_colour }}."""
    return STATUS_COLOURS.get(status, "secondary")


@register.filter
def may_read(user: Any, module: str) -> bool:
    """{% if user|may_read:"customers" %}"""
    return has_access(user, module, Access.READ)


@register.filter
def may_write(user: Any, module: str) -> bool:
    return has_access(user, module, Access.WRITE)


@register.filter
def filled(cells: list[str]) -> list[str]:
    """A row's non-empty cells, for showing a row in one line."""
    return [c for c in cells if str(c).strip()]
