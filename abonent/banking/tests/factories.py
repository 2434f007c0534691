import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from abonent.banking.models import BankAccount, BankStatement, BankStatementLine


class BankAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BankAccount
        django_get_or_create = ("identifier", "currency")

    name = "Main account"
    iban = "CZ6508000000192000145399"
    account_number = "19-2000145399"
    bank_code = "0800"
    currency = "CZK"
    identifier = factory.LazyAttribute(lambda account: account.iban)
    created_at = factory.LazyFunction(timezone.now)


class BankStatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BankStatement

    account = factory.SubFactory(BankAccountFactory)
    format = "camt053"
    number = factory.Sequence(lambda n: f"S-{n}")
    currency = "CZK"
    file_checksum = "0" * 64
    fingerprint = factory.Sequence(lambda n: f"fingerprint-{n}")
    imported_at = factory.LazyFunction(timezone.now)


class BankLineFactory(factory.django.DjangoModelFactory):
    """A line of money in, unmatched."""

    class Meta:
        model = BankStatementLine

    statement = factory.SubFactory(BankStatementFactory)
    account = factory.LazyAttribute(lambda line: line.statement.account)
    position = factory.Sequence(lambda n: n)
    booking_date = dt.date(2026, 1, 16)
    amount = Decimal("375.10")
    currency = "CZK"
    checksum = factory.Sequence(lambda n: f"checksum-{n}")
    created_at = factory.LazyFunction(timezone.now)
