"""The access check every view makes: is the user allowed to read or write this module?"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from abonent.core.roles import Access


def has_access(user: Any, module: str, access: Access = Access.READ) -> bool:
    """Whether the user may use `module` at `access` level (anonymous users may not)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.module_access(module) >= access


def module_required(module: str, access: Access = Access.READ) -> Callable:
    """Let a view run only for users with `access` to `module`: others get the login page or 403."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_access(request.user, module, access):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.abonent_module = (module, access)  # type: ignore[attr-defined]
        return wrapper

    return decorator


def staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Let a view run for any signed-in staff member (not for portal customers)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_staff_member:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapper.abonent_module = ("", Access.NONE)  # type: ignore[attr-defined]
    return wrapper
