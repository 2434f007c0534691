"""Per-user interface language and the two-factor requirement."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode

from abonent.accounts import two_factor

SUPPORTED = {code for code, _name in settings.LANGUAGES}


class LocaleMiddleware:
    """Speak the signed-in user's chosen language, else the browser's; placed after authentication."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        language = user.language if user is not None and user.is_authenticated and user.language else ""
        if language not in SUPPORTED:
            language = translation.get_language_from_request(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response


# Paths a user who still owes a second factor may reach; not /accounts/two-factor/disable/, which
# would let a stolen password switch the second factor off.
TWO_FACTOR_OPEN_PREFIXES = (
    "/accounts/two-factor/setup/", "/accounts/two-factor/verify/", "/accounts/logout/", "/accounts/language/",
    "/static/", "/healthz",
)


class TwoFactorRequiredMiddleware:
    """Send a user with a TOTP device to the code page, and an unenrolled administrator to set-up when required."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        # The API answers 401 itself (abonent.api.auth) instead of redirecting.
        if (
            user.is_authenticated
            and not request.path.startswith(TWO_FACTOR_OPEN_PREFIXES)
            and not request.path.startswith("/api/")
        ):
            step = two_factor.owed_step(user)
            if step is not None:
                url = reverse(step)
                if step == "accounts:two_factor_verify" and request.method == "GET":
                    url += "?" + urlencode({"next": request.get_full_path()})
                return redirect(url)
        return self.get_response(request)
