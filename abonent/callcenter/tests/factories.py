import datetime as dt

import factory
from django.utils import timezone

from abonent.accounts.tests.factories import TeamFactory, UserFactory
from abonent.callcenter.models import (
    Call,
    CallOutcome,
    Campaign,
    Classification,
    CommercialZone,
    RequestType,
)
from abonent.core.roles import Role
from abonent.customers.tests.factories import PartyFactory

NOW = dt.datetime(2026, 3, 16, 9, 30, tzinfo=dt.UTC)


class OutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CallOutcome

    code = factory.Sequence(lambda n: f"outcome-{n}")
    label = factory.LazyAttribute(lambda o: {"en": o.code.replace("-", " ").capitalize(), "cs": f"CS {o.code}"})


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    name = factory.Sequence(lambda n: f"Campaign {n}")
    created_at = factory.LazyFunction(timezone.now)


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Call

    party = factory.SubFactory(PartyFactory)
    agent = factory.SubFactory(UserFactory, role=Role.AGENT)
    outcome = factory.SubFactory(OutcomeFactory)
    started_at = NOW
    day = factory.LazyAttribute(lambda c: timezone.localtime(c.started_at).date())
    duration = 60
    created_at = NOW


class ZoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommercialZone

    name = factory.Sequence(lambda n: f"Zone {n}")


class ClassificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Classification

    name = factory.Sequence(lambda n: f"Class {n}")
    parent = None
    level = factory.LazyAttribute(lambda c: c.parent.level + 1 if c.parent else 1)


class RequestTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RequestType

    name = factory.Sequence(lambda n: f"Type {n}")
    team = factory.SubFactory(TeamFactory)


def service_request(*, by=None, party=None, request_type=None, now=NOW, **details):
    """A request taken the way the UI takes one (numbered, audited)."""
    from abonent.callcenter.request_services import request_create

    return request_create(
        channel="ui", party=party or PartyFactory(), request_type=request_type or RequestTypeFactory(),
        by=by, now=now, **details,
    )


def allocatable(*, team=None, verifier=None, **details) -> dict:
    """What a request needs to be allocated: planned start and finish, a team and a verifier."""
    team = team or TeamFactory()
    return {
        "planned_start": NOW + dt.timedelta(days=1), "planned_finish": NOW + dt.timedelta(days=1, hours=2),
        "team": team, "verifier": verifier or UserFactory(role=Role.MANAGER), **details,
    }
