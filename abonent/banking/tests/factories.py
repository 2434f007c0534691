import factory
from django.utils import timezone

from abonent.banking.models import BankAccount


class BankAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BankAccount

    name = "Main account"
    iban = "CZ6508000000192000145399"
    account_number = "19-2000145399"
    bank_code = "0800"
    currency = "CZK"
    identifier = factory.LazyAttribute(lambda account: account.iban)
    created_at = factory.LazyFunction(timezone.now)
