import factory

from abonent.accounts.models import Team, User
from abonent.core.roles import Role

PASSWORD = "correct-horse-battery-9"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@abonent.test")
    role = Role.AGENT
    is_staff = factory.LazyAttribute(lambda u: u.role == Role.SUPERADMIN)
    is_superuser = factory.LazyAttribute(lambda u: u.role == Role.SUPERADMIN)
    password = factory.django.Password(PASSWORD)


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")
