"""A local stand-in for the map tile server and the geocoder (Nominatim), on the loopback interface."""

import io
import json
import threading
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.cache import cache
from django.test import override_settings
from PIL import Image

from abonent.appointments.geocoding import DOWN_KEY

TILE_COLOUR = (222, 236, 214)  # a pale green no marker or route uses


def _tile_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (256, 256), TILE_COLOUR).save(buffer, format="PNG")
    return buffer.getvalue()


@dataclass
class MapStub:
    url: str
    places: dict[str, tuple[float, float]] = field(default_factory=dict)  # geocoder answers by query
    requests: list[str] = field(default_factory=list)

    @property
    def tile_requests(self) -> list[str]:
        return [r for r in self.requests if r.startswith("/tiles/")]

    @property
    def geocoder_requests(self) -> list[str]:
        return [r for r in self.requests if r.startswith("/search")]


@pytest.fixture
def map_stub():
    """Serve tiles at /tiles/{z}/{x}/{y}.png and geocoding at /search, and point the settings at them."""
    tile = _tile_png()
    stub = MapStub(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            stub.requests.append(self.path)
            parsed = urllib.parse.urlsplit(self.path)
            if parsed.path.startswith("/tiles/") and parsed.path.endswith(".png"):
                body, kind = tile, "image/png"
            elif parsed.path == "/search":
                query = urllib.parse.parse_qs(parsed.query).get("q", [""])[0]
                found = stub.places.get(query)
                body = json.dumps([{"lat": str(found[0]), "lon": str(found[1])}] if found else []).encode()
                kind = "application/json"
            else:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    stub.url = f"http://127.0.0.1:{server.server_address[1]}"
    cache.delete(DOWN_KEY)
    try:
        with override_settings(ABONENT_TILE_URL=f"{stub.url}/tiles/{{z}}/{{x}}/{{y}}.png",
                               ABONENT_GEOCODER_URL=f"{stub.url}/search"):
            yield stub
    finally:
        server.shutdown()
        server.server_close()
