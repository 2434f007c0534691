"""The back-office menu: each app registers its entries in its AppConfig.ready()."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.urls import get_script_prefix, reverse
from django.utils.functional import Promise

from abonent.core.roles import Access


@dataclass(frozen=True)
class NavEntry:
    module: str
    label: str | Promise
    url_name: str
    icon: str
    access: Access = Access.READ
    order: int = 100
    section: str = "work"  # "work" for daily modules, "admin" for administration

    @property
    def url(self) -> str:
        return _reversed(self.url_name, get_script_prefix())


@lru_cache(maxsize=512)
def _reversed(url_name: str, _script_prefix: str) -> str:
    """The menu's links are the same for every request (of one mount point): each page asked for about a
    hundred of them, a tenth of its rendering time."""
    return reverse(url_name)


_entries: list[NavEntry] = []


def register(entry: NavEntry) -> None:
    if entry not in _entries:
        _entries.append(entry)
        _entries.sort(key=lambda e: (e.section, e.order))


def entries_for(user) -> list[NavEntry]:
    return [e for e in _entries if e.module == "" or user.module_access(e.module) >= e.access]
