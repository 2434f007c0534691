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


def totp_device(user, *, confirmed: bool = True):
    """Give the user an authenticator, as if they had scanned the QR code."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=confirmed)


def totp_code(device) -> str:
    """The six digits the user's authenticator app shows now."""
    from django_otp.oath import totp

    device.refresh_from_db()
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift):06d}"
