"""The morning agenda e-mail: sent at the rep's hour, customer initials only, with a map drawn from tiles."""

import datetime as dt
import io
import socket
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings
from PIL import Image

from abonent.appointments.agenda import agendas_send_due
from abonent.appointments.geocoding import geocode
from abonent.appointments.maps import MARKER_COLOUR, ROUTE_COLOUR, day_map_render
from abonent.appointments.models import AgendaSent, GeocodedPlace, MeetingStatus
from abonent.appointments.tests.conftest import TILE_COLOUR
from abonent.appointments.tests.factories import MeetingFactory, customer_at, rep_with_hours
from abonent.appointments.travel import Point
from abonent.notifications.services import outbox_flush

PRG = ZoneInfo("Europe/Prague")
TUESDAY = dt.date(2026, 12, 1)
SEVEN = dt.datetime(2026, 12, 1, 7, 0, tzinfo=PRG)
OLD_TOWN = (50.0870, 14.4208)
KARLIN = (50.0925, 14.4510)
SMICHOV = (50.0710, 14.4040)


def at(hour, minute=0):
    return dt.datetime.combine(TUESDAY, dt.time(hour, minute), PRG)


@pytest.fixture
def day(db):
    """A rep with three meetings on Tuesday: two located, one only by its address (the geocoder knows it)."""
    rep = rep_with_hours(first_name="Radek", last_name="Černý", email="radek@abonent.test", language="en")
    jana = customer_at(OLD_TOWN, first_name="Jana", last_name="Nováková")
    petr = customer_at(KARLIN, first_name="Petr", last_name="Svoboda")
    MeetingFactory(rep=rep, party=jana, start=at(9), end=at(10), latitude=OLD_TOWN[0], longitude=OLD_TOWN[1],
                   place="Staroměstské náměstí 1, Praha", purpose="Fibre offer")
    MeetingFactory(rep=rep, party=petr, start=at(11), end=at(12), latitude=KARLIN[0], longitude=KARLIN[1],
                   place="Křižíkova 10, Praha", purpose="Contract renewal")
    MeetingFactory(rep=rep, party=jana, start=at(14), end=at(15), latitude=None, longitude=None,
                   place="Plzeňská 1, Praha", purpose="TV installation", status=MeetingStatus.CONFIRMED)
    MeetingFactory(rep=rep, party=petr, start=at(16), end=at(17), status=MeetingStatus.CANCELLED,
                   purpose="Cancelled visit")
    return rep


def _parts(message):
    text = html = image = None
    for part in message.walk():
        kind = part.get_content_type()
        if kind == "text/plain":
            text = part.get_payload(decode=True).decode()
        elif kind == "text/html":
            html = part.get_payload(decode=True).decode()
        elif kind == "image/png":
            image = part
    return text, html, image


def test_the_morning_agenda_arrives_with_the_days_meetings_and_a_map(day, map_stub, smtp_mailbox):
    map_stub.places["Plzeňská 1, Praha"] = SMICHOV

    assert agendas_send_due(now=SEVEN) == 1
    assert outbox_flush(now=SEVEN) == 1

    [message] = smtp_mailbox.messages
    assert smtp_mailbox.recipients == [["radek@abonent.test"]]
    assert "3 meetings" in message["Subject"]
    text, html, image = _parts(message)
    for expected in ("9:00", "11:00", "14:00", "J. N.", "P. S.", "Staroměstské náměstí 1, Praha",
                     "Křižíkova 10, Praha", "Plzeňská 1, Praha", "Fibre offer", "Contract renewal",
                     "TV installation", "/calendar/meetings/"):
        assert expected in text, expected
    assert "Nováková" not in text and "Svoboda" not in html  # initials only
    assert "Cancelled visit" not in text
    assert 'src="cid:agenda-map"' in html
    assert image["Content-ID"] == "<agenda-map>"
    png = image.get_payload(decode=True)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    picture = Image.open(io.BytesIO(png)).convert("RGB")
    assert picture.size == (640, 360)
    # The same three places in the same order give the same marker positions: each shows the marker colour
    # around its number, and the route runs between them over the stub's tiles.
    expected = day_map_render([Point(*OLD_TOWN), Point(*KARLIN), Point(*SMICHOV)])
    assert len(expected.markers) == 3
    for x, y in expected.markers:
        ring = [picture.getpixel((x + dx, y + dy)) for dx, dy in ((-8, 0), (8, 0), (0, -9), (0, 9))]
        assert all(pixel == MARKER_COLOUR for pixel in ring), (x, y, ring)
    (x1, y1), (x2, y2) = expected.markers[0], expected.markers[1]
    assert picture.getpixel(((x1 + x2) // 2, (y1 + y2) // 2)) == ROUTE_COLOUR
    assert picture.getpixel((5, 5)) == TILE_COLOUR
    assert map_stub.tile_requests and all(r.endswith(".png") for r in map_stub.tile_requests)
    assert AgendaSent.objects.get(rep=day).with_map is True


def test_the_agenda_goes_out_once_a_day(day, map_stub, smtp_mailbox):
    assert agendas_send_due(now=SEVEN) == 1
    assert agendas_send_due(now=SEVEN + dt.timedelta(minutes=15)) == 0
    outbox_flush(now=SEVEN + dt.timedelta(minutes=15))

    assert len(smtp_mailbox.messages) == 1


def test_the_agenda_waits_for_the_hour_in_the_reps_own_time_zone(db, map_stub):
    moscow = rep_with_hours(time_zone="Europe/Moscow", email="roman@abonent.test")
    MeetingFactory(rep=moscow, start=dt.datetime(2026, 12, 1, 10, tzinfo=ZoneInfo("Europe/Moscow")))

    assert agendas_send_due(now=dt.datetime(2026, 12, 1, 6, 59, tzinfo=ZoneInfo("Europe/Moscow"))) == 0
    assert agendas_send_due(now=dt.datetime(2026, 12, 1, 7, 0, tzinfo=ZoneInfo("Europe/Moscow"))) == 1


def test_a_rep_without_meetings_gets_no_agenda(db, map_stub):
    rep_with_hours(email="idle@abonent.test")

    assert agendas_send_due(now=SEVEN) == 0


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_without_tiles_the_agenda_still_goes_out_with_the_addresses(day, smtp_mailbox):
    with override_settings(ABONENT_TILE_URL=f"http://127.0.0.1:{_closed_port()}/{{z}}/{{x}}/{{y}}.png"):
        assert agendas_send_due(now=SEVEN) == 1
    outbox_flush(now=SEVEN)

    [message] = smtp_mailbox.messages
    text, html, image = _parts(message)
    assert image is None
    assert "cid:" not in html
    assert "Staroměstské náměstí 1, Praha" in text and "Křižíkova 10, Praha" in html
    assert AgendaSent.objects.get(rep=day).with_map is False


def test_an_address_is_geocoded_once_then_read_from_the_cache(db, map_stub):
    map_stub.places["Křižíkova 10, Praha"] = KARLIN
    now = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)

    first = geocode(query="Křižíkova 10, Praha", now=now)
    again = geocode(query="  křižíkova 10,   Praha ", now=now)
    unknown = geocode(query="Nowhere 1", now=now)
    geocode(query="Nowhere 1", now=now)

    assert first == again == Point(*KARLIN)
    assert unknown is None
    assert len(map_stub.geocoder_requests) == 2
    assert GeocodedPlace.objects.count() == 2
