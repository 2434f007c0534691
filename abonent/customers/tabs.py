"""The tabs of the customer page: customers registers its own, later modules add theirs from AppConfig.ready().

    from abonent.customers.tabs import register_tab
    register_tab("calls", _("Calls"), calls_tab, order=60, module="callcenter")

A tab's view is called as `view(request, party)` and returns the tab's HTML fragment (an HttpResponse);
the page shows only the tabs whose module the user may read, and checks it again when a tab is loaded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.utils.functional import Promise

from abonent.core.permissions import has_access
from abonent.core.roles import Access

TabView = Callable[[HttpRequest, object], HttpResponse]


@dataclass(frozen=True)
class Tab:
    key: str
    label: str | Promise
    view: TabView
    order: int = 100
    module: str = "customers"
    access: Access = Access.READ


_tabs: dict[str, Tab] = {}


def register_tab(
    key: str, label: str | Promise, view_callable: TabView, order: int = 100, module: str = "customers",
    access: Access = Access.READ,
) -> None:
    """Add a tab to the customer page (registering the same key again replaces it)."""
    if not key.replace("-", "").replace("_", "").isalnum():
        raise ValueError(f"a tab key is letters, digits, - and _: {key!r}")
    _tabs[key] = Tab(key, label, view_callable, order, module, access)


def tabs_for(user) -> list[Tab]:
    """The tabs this user may open, in order."""
    return sorted((t for t in _tabs.values() if has_access(user, t.module, t.access)), key=lambda t: (t.order, t.key))


def tab_get(key: str) -> Tab | None:
    return _tabs.get(key)


# --- facts in the page header ---------------------------------------------------------------------------

FactView = Callable[[HttpRequest, object], str]


@dataclass(frozen=True)
class Fact:
    """A short fact another module shows in the customer page's header (billing shows the balance)."""

    key: str
    label: str | Promise
    view: FactView  # view(request, party) -> the fact's HTML (escaped by the module that makes it)
    order: int = 100
    module: str = "customers"


_facts: dict[str, Fact] = {}


def register_fact(key: str, label: str | Promise, view_callable: FactView, order: int = 100,
                  module: str = "customers") -> None:
    """Add a fact to the customer page's header (registering the same key again replaces it)."""
    _facts[key] = Fact(key, label, view_callable, order, module)


def facts_for(user) -> list[Fact]:
    """The header facts this user may read, in order."""
    return sorted((f for f in _facts.values() if has_access(user, f.module, Access.READ)),
                  key=lambda f: (f.order, f.key))
