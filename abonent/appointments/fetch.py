"""One HTTP GET to a configured map or geocoding service (http or https only, with our User-Agent)."""

from __future__ import annotations

import urllib.parse
import urllib.request

from django.conf import settings

TIMEOUT_SECONDS = 5


def http_get(url: str, *, timeout: float = TIMEOUT_SECONDS) -> bytes:
    """Return the body of a GET; raise OSError (or ValueError for another scheme) when it fails."""
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise ValueError(f"not an http(s) address: {url!r}")
    request = urllib.request.Request(url, headers={"User-Agent": settings.ABONENT_HTTP_USER_AGENT})  # noqa: S310
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - scheme checked above
        return response.read()
