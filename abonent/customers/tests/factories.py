import factory
from django.utils import timezone

from abonent.customers.models import CallCenterStatus, Party, PartyKind, Stage


class PartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Party

    kind = PartyKind.PERSON
    first_name = factory.Faker("first_name", locale="cs_CZ")
    last_name = factory.Faker("last_name", locale="cs_CZ")
    name = factory.LazyAttribute(lambda p: f"{p.first_name} {p.last_name}")
    country = "CZ"
    email = factory.Sequence(lambda n: f"customer{n}@example.cz")
    stage = Stage.CUSTOMER
    created_at = factory.LazyFunction(timezone.now)


class CallCenterStatusFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CallCenterStatus

    name = factory.Sequence(lambda n: f"Status {n}")


def person(by=None, **values) -> Party:
    """A customer created the way the UI creates one (audited, with its first stage move)."""
    from abonent.customers.services import party_create

    values = {"kind": PartyKind.PERSON, "country": "CZ", "first_name": "Jana", "last_name": "Nováková", **values}
    return party_create(by=by, **values)
