"""A map of a rep's day: tiles from an OpenStreetMap-compatible server stitched with Pillow, the route between
the meetings drawn in order and a numbered marker on each place."""

from __future__ import annotations

import io
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from PIL import Image, ImageDraw, ImageFont

from abonent.appointments.fetch import http_get
from abonent.appointments.travel import Point

log = logging.getLogger(__name__)

TILE = 256
MAX_ZOOM = 16
MARGIN = 40
MARKER_COLOUR = (214, 51, 132)  # Bootstrap's pink: stands out from every usual map colour
ROUTE_COLOUR = (13, 110, 253)
MARKER_RADIUS = 12


class TilesUnavailable(Exception):
    pass


@dataclass(frozen=True)
class DayMap:
    png: bytes
    markers: list[tuple[int, int]]  # the centre of each numbered marker, in the order of the meetings
    zoom: int


def _world_pixel(point: Point, zoom: int) -> tuple[float, float]:
    """Web Mercator: where a point lies on the whole world's map at a zoom, in pixels."""
    scale = TILE * 2**zoom
    lat = max(-85.0511, min(85.0511, point.latitude))
    x = (point.longitude + 180.0) / 360.0 * scale
    sin = math.sin(math.radians(lat))
    y = (0.5 - math.log((1 + sin) / (1 - sin)) / (4 * math.pi)) * scale
    return x, y


def _zoom_to_fit(points: Sequence[Point], width: int, height: int) -> int:
    for zoom in range(MAX_ZOOM, 0, -1):
        xs, ys = zip(*(_world_pixel(p, zoom) for p in points), strict=True)
        if max(xs) - min(xs) <= width - 2 * MARGIN and max(ys) - min(ys) <= height - 2 * MARGIN:
            return zoom
    return 1


def _fetch_tile(url: str, zoom: int, x: int, y: int) -> Image.Image:
    address = url.format(z=zoom, x=x % 2**zoom, y=y)
    try:
        return Image.open(io.BytesIO(http_get(address))).convert("RGB")
    except (OSError, ValueError, Image.DecompressionBombError) as error:
        raise TilesUnavailable(f"{address}: {error}") from error


def day_map_render(points: Sequence[Point], *, width: int = 640, height: int = 360) -> DayMap | None:
    """Render the map, or None when there is nothing to show or the tile server cannot be reached."""
    url = settings.ABONENT_TILE_URL
    if not points or not url:
        return None
    zoom = _zoom_to_fit(points, width, height)
    pixels = [_world_pixel(p, zoom) for p in points]
    xs, ys = zip(*pixels, strict=True)
    left = (min(xs) + max(xs)) / 2 - width / 2
    top = (min(ys) + max(ys)) / 2 - height / 2
    canvas = Image.new("RGB", (width, height), (230, 230, 230))
    last_row = 2**zoom - 1
    try:
        for tx in range(math.floor(left / TILE), math.floor((left + width - 1) / TILE) + 1):
            for ty in range(math.floor(top / TILE), math.floor((top + height - 1) / TILE) + 1):
                if 0 <= ty <= last_row:
                    canvas.paste(_fetch_tile(url, zoom, tx, ty), (round(tx * TILE - left), round(ty * TILE - top)))
    except TilesUnavailable as error:
        log.warning("No map: the tile server did not answer (%s)", error)
        return None
    markers = [(round(x - left), round(y - top)) for x, y in pixels]
    draw = ImageDraw.Draw(canvas)
    if len(markers) > 1:
        draw.line(markers, fill=ROUTE_COLOUR, width=4, joint="curve")
    font = ImageFont.load_default(size=14)
    for number, (x, y) in enumerate(markers, start=1):
        r = MARKER_RADIUS
        draw.ellipse((x - r, y - r, x + r, y + r), fill=MARKER_COLOUR, outline=(255, 255, 255), width=2)
        draw.text((x, y), str(number), fill=(255, 255, 255), font=font, anchor="mm")
    attribution = settings.ABONENT_MAP_ATTRIBUTION
    if attribution:
        small = ImageFont.load_default(size=10)
        box = draw.textbbox((0, 0), attribution, font=small)
        w, h = box[2] - box[0] + 8, box[3] - box[1] + 6
        draw.rectangle((width - w, height - h, width, height), fill=(255, 255, 255))
        draw.text((width - w + 4, height - h + 2), attribution, fill=(60, 60, 60), font=small)
    buffer = io.BytesIO()
    canvas.save(buffer, format="PNG", optimize=True)
    return DayMap(png=buffer.getvalue(), markers=markers, zoom=zoom)
