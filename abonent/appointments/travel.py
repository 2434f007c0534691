"""How long a rep needs to get from one place to another: great-circle distance at an average speed by default,
or a routing service behind the same small interface (settings.ABONENT_ROUTING_BACKEND)."""

from __future__ import annotations

import math
from functools import cache
from typing import NamedTuple, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

EARTH_RADIUS_KM = 6371.0088


class Point(NamedTuple):
    """A place on Earth in degrees (a tuple: thousands are made per slot search, and they must be cheap)."""

    latitude: float
    longitude: float


def distance_km(a: Point, b: Point) -> float:
    """The great-circle (haversine) distance between two points."""
    lat1, lat2 = math.radians(a.latitude), math.radians(b.latitude)
    dlat, dlon = lat2 - lat1, math.radians(b.longitude - a.longitude)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


class TravelEstimator(Protocol):
    """A routing adapter: the distance and the minutes of driving between two points."""

    def km(self, a: Point, b: Point) -> float: ...

    def minutes(self, a: Point, b: Point) -> float: ...


class GreatCircleTravel:
    """The straight line at an average speed (ABONENT_TRAVEL_SPEED_KMH): no service, no network."""

    def __init__(self, speed_kmh: float | None = None) -> None:
        self.speed_kmh = speed_kmh or settings.ABONENT_TRAVEL_SPEED_KMH

    def km(self, a: Point, b: Point) -> float:
        return distance_km(a, b)

    def minutes(self, a: Point, b: Point) -> float:
        return self.km(a, b) / self.speed_kmh * 60

    def leg(self, a: Point, b: Point) -> tuple[float, float]:
        """Kilometres and minutes at once (one distance computed, not two)."""
        km = self.km(a, b)
        return km, km / self.speed_kmh * 60


@cache
def _estimator(path: str, speed: float) -> TravelEstimator:
    return import_string(path)()


def travel_estimator() -> TravelEstimator:
    """The configured adapter (cached per setting, so tests may switch it with override_settings)."""
    return _estimator(settings.ABONENT_ROUTING_BACKEND, settings.ABONENT_TRAVEL_SPEED_KMH)
