"""API authentication (per-user tokens, or the browser session with CSRF) and the module check."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import translation
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from abonent.accounts import two_factor
from abonent.accounts.middleware import SUPPORTED
from abonent.accounts.services import api_token_authenticate
from abonent.core.permissions import has_access
from abonent.core.roles import Access


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        user = api_token_authenticate(secret=token)
        if user is not None:
            request.user = user
            request.abonent_channel = "api"
            # The locale middleware ran before the token was read: speak the user's language as a session does.
            if user.language in SUPPORTED:
                translation.activate(user.language)
                request.LANGUAGE_CODE = user.language
        return user


class StaffSessionAuth(SessionAuth):
    """The signed-in browser session; ninja checks the CSRF token for unsafe methods."""

    def __call__(self, request: HttpRequest):
        user = self.authenticate(request, None)
        if user is None:
            # Nobody is signed in: 401, not the CSRF check's 403, which would send a caller with a mistyped
            # token looking for a cookie problem.
            return None
        self._get_key(request)  # checks the CSRF token of unsafe methods (403 when it is missing or wrong)
        return user

    def authenticate(self, request: HttpRequest, key: str | None):
        if "HTTP_AUTHORIZATION" in request.META:
            # A caller that sends a credential is judged by it: a revoked token must not fall back to a cookie.
            return None
        user = super().authenticate(request, key)
        # A session that has passed the password but not the second factor is not signed in yet.
        if user is not None and two_factor.owed_step(user) is not None:
            return None
        return user


def require(request: HttpRequest, module: str, access: Access = Access.READ) -> None:
    """Refuse the call with 403 unless the caller has `access` to `module`."""
    if not has_access(request.auth, module, access):
        raise HttpError(403, "You do not have the right to do this.")
