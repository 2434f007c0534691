import datetime as dt

import factory
from django.utils import timezone

from abonent.core.models import AuditEntry, Channel, ClosedPeriod, DocumentSeries


class DocumentSeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DocumentSeries

    code = factory.Sequence(lambda n: f"series-{n}")
    document_type = factory.Sequence(lambda n: f"document-{n}")
    name = factory.Sequence(lambda n: f"Series {n}")
    prefix = ""
    padding = 6


class ClosedPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClosedPeriod

    active_from = dt.date(2026, 1, 1)
    active_to = dt.date(2026, 2, 1)
    domain = ""
    closed_at = factory.LazyFunction(timezone.now)


class AuditEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuditEntry

    at = factory.LazyFunction(timezone.now)
    actor_label = "system"
    action = "abonent.test.thing.changed"
    channel = Channel.UI
