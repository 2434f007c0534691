"""Sections of the contract page that apps above contracts add (billing adds the payment schedule).

    from abonent.contracts.panels import register_panel
    register_panel("schedule", _("Payment schedule"), schedule_panel, order=20, module="billing")

A panel's view is called as `view(request, contract)` and returns an HTML fragment (an HttpResponse); the
page shows only the panels whose module the user may read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.utils.functional import Promise

from abonent.core.permissions import has_access
from abonent.core.roles import Access

PanelView = Callable[[HttpRequest, object], HttpResponse]


@dataclass(frozen=True)
class Panel:
    key: str
    label: str | Promise
    view: PanelView
    order: int = 100
    module: str = "contracts"


_panels: dict[str, Panel] = {}


def register_panel(key: str, label: str | Promise, view: PanelView, order: int = 100,
                   module: str = "contracts") -> None:
    """Add a section to the contract page (registering the same key again replaces it)."""
    _panels[key] = Panel(key, label, view, order, module)


def panels_for(user) -> list[Panel]:
    """The panels this user may see, in order."""
    return sorted((p for p in _panels.values() if has_access(user, p.module, Access.READ)),
                  key=lambda p: (p.order, p.key))
