import datetime as dt

import factory

from abonent.accounts.tests.factories import UserFactory
from abonent.appointments.models import Meeting, MeetingStatus, RepProfile, WorkingHours
from abonent.core.roles import Role
from abonent.customers.models import Address
from abonent.customers.tests.factories import PartyFactory

PRAGUE = (50.0875, 14.4214)
BRNO = (49.1951, 16.6068)


def rep_with_hours(*, weekdays=range(5), start=dt.time(9), end=dt.time(17), time_zone="Europe/Prague",
                   country="CZ", buffer_minutes=15, max_meetings_per_day=6, **user):
    """A sales rep working the given weekdays from `start` to `end` in their time zone."""
    rep = UserFactory(role=Role.SALES_REP, **user)
    RepProfile.objects.create(rep=rep, time_zone=time_zone, country=country, buffer_minutes=buffer_minutes,
                              max_meetings_per_day=max_meetings_per_day)
    WorkingHours.objects.bulk_create(WorkingHours(rep=rep, weekday=d, start=start, end=end) for d in weekdays)
    return rep


def customer_at(lat_lon=PRAGUE, **party):
    """A customer with a primary address at the coordinates."""
    party = PartyFactory(**party)
    Address.objects.create(party=party, street="Na Příkopě 1", city="Praha", postal_code="110 00", country="CZ",
                           latitude=lat_lon[0], longitude=lat_lon[1], is_primary=True)
    return party


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    rep = factory.LazyFunction(rep_with_hours)
    party = factory.SubFactory(PartyFactory)
    place = "Na Příkopě 1, 110 00 Praha"
    latitude = PRAGUE[0]
    longitude = PRAGUE[1]
    start = factory.LazyFunction(lambda: dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC))
    end = factory.LazyAttribute(lambda m: m.start + dt.timedelta(hours=1))
    purpose = "Offer of a fibre connection"
    status = MeetingStatus.PLANNED
    created_at = factory.LazyAttribute(lambda m: m.start - dt.timedelta(days=2))
