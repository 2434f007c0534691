"""Every URL the project serves is protected unless it is listed here as public: a guard for future modules."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from abonent.core.roles import Role

# Views anyone may open; each is listed with the reason.
PUBLIC_VIEWS = {
    "accounts:login": "the way in",
    "accounts:set_language": "the login page has a language switcher",
    "accounts:password_reset": "for people who cannot sign in",
    "accounts:password_reset_done": "for people who cannot sign in",
    "accounts:password_reset_confirm": "protected by the token in the link",
    "accounts:password_reset_complete": "for people who cannot sign in",
    "healthz": "load balancers ask it without credentials",
    "appointments:ics": "calendar apps cannot sign in: the revocable secret in the address is the credential",
}
# Namespaces with their own protection: the API is checked in abonent/api/tests, django-admin by Django.
PUBLIC_NAMESPACES = {"api", "admin"}
# Views any signed-in person may use, customers included: their own credentials. The profile page and its
# API tokens are staff-only; the portal will give customers their own.
SIGNED_IN_VIEWS = {
    "accounts:logout",
    "accounts:password_change",
    "accounts:password_change_done",
    "accounts:two_factor_verify",
    "accounts:two_factor_disable",
    # Everyone's own notifications, portal customers' included.
    "notifications:inbox",
    "notifications:open",
    "notifications:read_all",
}
# The customer portal's own pages are for customers; every other signed-in page is staff-only.
CUSTOMER_NAMESPACES = {"portal"}


def _walk(patterns, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str, object]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(n for n in (namespace, pattern.namespace or "") if n)
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = ":".join(n for n in (namespace, pattern.name or "") if n)
            yield name, prefix + str(pattern.pattern), pattern.callback


def _sample_path(route: str) -> str:
    return "/" + re.sub(r"<(?:(\w+):)?\w+>", lambda m: "1" if m.group(1) == "int" else "x", route)


ROUTES = list(_walk(get_resolver().url_patterns))
GUARDED = [
    pytest.param(name, route, callback, id=name or route)
    for name, route, callback in ROUTES
    if name not in PUBLIC_VIEWS and name.split(":")[0] not in PUBLIC_NAMESPACES
]


def _is_sent_to_login(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_allow_lists_name_only_views_that_exist():
    names = {name for name, _route, _callback in ROUTES}

    assert set(PUBLIC_VIEWS) <= names
    assert names >= SIGNED_IN_VIEWS
    assert {name.split(":")[0] for name in names if ":" in name} >= PUBLIC_NAMESPACES


def test_every_guarded_view_has_a_name():
    assert [route for name, route, _callback in ROUTES if not name] == []


@pytest.mark.parametrize(("name", "route", "callback"), GUARDED)
def test_a_view_outside_the_public_list_refuses_anonymous_visitors(client, name, route, callback):
    path = _sample_path(route)

    get, post = client.get(path), client.post(path)

    # A view is protected by a core.permissions decorator, or by login_required, which sends anonymous
    # visitors to the login page; require_POST may answer a GET with 405 before that.
    declared = getattr(callback, "abonent_module", None) is not None
    assert declared or name in SIGNED_IN_VIEWS, f"{name} is neither module-checked nor listed as signed-in only"
    assert _is_sent_to_login(post) or post.status_code == 405
    assert _is_sent_to_login(get) or get.status_code == 405
    assert _is_sent_to_login(get) or _is_sent_to_login(post)


@pytest.mark.parametrize(
    ("name", "route", "callback"), [
        p for p in GUARDED
        if p.values[0] not in SIGNED_IN_VIEWS and p.values[0].split(":")[0] not in CUSTOMER_NAMESPACES
    ],
)
def test_a_portal_customer_is_refused_every_back_office_view(client_as, name, route, callback):
    client = client_as(Role.CUSTOMER)
    path = _sample_path(route)

    statuses = {client.get(path).status_code, client.post(path).status_code}

    assert statuses <= {403, 405}
    assert 403 in statuses
