"""Reads of the list engine: saved views and column layouts."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from abonent.core.models import ListLayout, SavedView


def saved_view_list(*, user: Any, list_key: str) -> list[SavedView]:
    """The user's own views of a list and those others share, by name."""
    return list(
        SavedView.objects.filter(Q(owner=user) | Q(shared=True), list_key=list_key)
        .select_related("owner").order_by("name", "id")
    )


def saved_view_get(*, user: Any, list_key: str, pk: Any) -> SavedView | None:
    """One view the user may open: their own or a shared one; None for anything else."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return SavedView.objects.filter(Q(owner=user) | Q(shared=True), list_key=list_key, pk=pk).first()


def list_layout_columns(*, user: Any, list_key: str) -> list[str] | None:
    """The columns the user chose for a list, in order; None when they never chose."""
    return ListLayout.objects.filter(user=user, list_key=list_key).values_list("columns", flat=True).first()
