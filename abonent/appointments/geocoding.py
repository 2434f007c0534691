"""Addresses to coordinates through a Nominatim-compatible service (settings.ABONENT_GEOCODER_URL), cached."""

from __future__ import annotations

import json
import logging
import urllib.parse
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction

from abonent.appointments.fetch import http_get
from abonent.appointments.models import GeocodedPlace
from abonent.appointments.travel import Point

log = logging.getLogger(__name__)
DOWN_KEY = "appointments:geocoder-down"
DOWN_SECONDS = 300


class GeocoderUnavailable(Exception):
    """The service did not answer; the address is asked again next time."""


class NominatimGeocoder:
    """`GET <url>?q=...&format=jsonv2&limit=1`, as Nominatim and its compatible services answer it."""

    def __init__(self, url: str) -> None:
        self.url = url

    def lookup(self, query: str) -> Point | None:
        address = f"{self.url}?{urllib.parse.urlencode({'q': query, 'format': 'jsonv2', 'limit': 1})}"
        try:
            answer = json.loads(http_get(address))
        except (OSError, ValueError) as error:
            raise GeocoderUnavailable(str(error)) from error
        if not answer:
            return None
        try:
            return Point(float(answer[0]["lat"]), float(answer[0]["lon"]))
        except (KeyError, TypeError, ValueError, IndexError) as error:
            raise GeocoderUnavailable(f"unexpected answer: {error}") from error


def normalise(query: str) -> str:
    return " ".join(query.split()).casefold()[:300]


def geocode(*, query: str, now: datetime) -> Point | None:
    """The coordinates of an address, from the cache or the service; None when unknown or unreachable."""
    key = normalise(query)
    if not key:
        return None
    cached = GeocodedPlace.objects.filter(query=key).first()
    if cached is not None:
        return _point(cached.latitude, cached.longitude)
    if not settings.ABONENT_GEOCODER_URL or cache.get(DOWN_KEY):
        return None
    try:
        point = NominatimGeocoder(settings.ABONENT_GEOCODER_URL).lookup(query)
    except GeocoderUnavailable as error:
        # Pages must not wait for a dead service on every address: leave it alone for a while.
        cache.set(DOWN_KEY, True, DOWN_SECONDS)
        log.warning("Geocoder unavailable for %r: %s", key, error)
        return None
    values = {"latitude": None, "longitude": None, "looked_up_at": now}
    if point is not None:
        values.update(latitude=_decimal(point.latitude), longitude=_decimal(point.longitude))
    try:
        with transaction.atomic():
            GeocodedPlace.objects.update_or_create(query=key, defaults=values)
    except IntegrityError:
        pass  # another request cached the same address a moment ago
    return point


def _decimal(value: float) -> Decimal:
    return Decimal(str(round(value, 6)))


def _point(latitude, longitude) -> Point | None:
    if latitude is None or longitude is None:
        return None
    return Point(float(latitude), float(longitude))
