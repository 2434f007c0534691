"""The demo data, and a merge of two customers moving their contracts and money together."""

import pytest

from abonent.billing.demo import demo_payments_load
from abonent.billing.models import ExpectedPayment, Payment, PaymentSource
from abonent.billing.tests.factories import paid
from abonent.contracts.demo import demo_contracts_load
from abonent.contracts.models import Contract, Product
from abonent.contracts.tests.factories import NOW, active_contract
from abonent.customers.demo import demo_load
from abonent.customers.merge_services import party_merge
from abonent.customers.models import Party, PartyKind, Stage

pytestmark = pytest.mark.django_db


def test_the_demo_gives_customers_contracts_schedules_and_payments_and_runs_again_harmlessly():
    demo_load(customers=16)

    demo_contracts_load(now=NOW)
    demo_payments_load(now=NOW)
    counts = (Contract.objects.count(), ExpectedPayment.objects.count(), Payment.objects.count())
    demo_contracts_load(now=NOW)
    demo_payments_load(now=NOW)

    assert (Contract.objects.count(), ExpectedPayment.objects.count(), Payment.objects.count()) == counts
    assert counts[0] > 0 and counts[2] > 0
    fibre = Product.objects.get(code="fibre-300-pln")
    assert (fibre.name_in("pl"), fibre.name_in("ru"), fibre.currency) == ("Światłowód 300", "Оптика 300", "PLN")
    assert all(c.currency == {"CZ": "CZK", "PL": "PLN", "RO": "RON", "RU": "RUB"}[c.party.country]
               for c in Contract.objects.select_related("party"))


def test_the_demo_shows_payers_and_counter_payments_and_gives_contracts_to_the_first_customers_only():
    demo_load(customers=16)

    demo_contracts_load(now=NOW, limit=6)
    demo_payments_load(now=NOW)
    paid_by_node = list(Contract.objects.filter(payer__isnull=False).select_related("payer__structure", "party"))
    counter = Payment.objects.filter(source__in=(PaymentSource.CASH, PaymentSource.CARD))
    first = list(Party.objects.filter(external_ref__startswith="demo-", stage__in=(Stage.CUSTOMER, Stage.FORMER))
                 .order_by("external_ref")[:6])
    demo_contracts_load(now=NOW, limit=6)

    assert paid_by_node and {c.payer.structure.code for c in paid_by_node} == {"billing-groups"}
    assert {c.party.kind for c in paid_by_node} == {PartyKind.ORGANISATION}
    assert counter.exists() and all(p.note.startswith("Receipt ") for p in counter)
    assert set(Contract.objects.values_list("party", flat=True)) == {p.pk for p in first}


def test_merging_customers_moves_contracts_items_and_payments_to_the_survivor():
    kept, duplicate = active_contract(), active_contract()
    paid(duplicate.party, "310.00")

    party_merge(survivor=kept.party, merged=duplicate.party, by=None)

    assert Contract.objects.filter(party=kept.party).count() == 2
    assert not ExpectedPayment.objects.filter(party=duplicate.party).exists()
    assert Payment.objects.get().party == kept.party
