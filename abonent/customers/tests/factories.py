import factory
from django.utils import timezone

from abonent.customers.models import Party, PartyKind, Stage


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
