"""Billing's answers to what lower apps announce."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from abonent.billing.models import ExpectedPayment, Payment
from abonent.billing.schedule_services import schedule_generate
from abonent.contracts.signals import contract_changed
from abonent.customers.signals import party_merged


@receiver(contract_changed, dispatch_uid="billing.schedule_on_contract_change")
def regenerate_schedule(sender: Any, *, contract, by, channel, now, **_kwargs: Any) -> None:
    schedule_generate(contract=contract, now=now, by=by, channel=channel)


@receiver(party_merged, dispatch_uid="billing.move_merged_party_money")
def move_money_to_survivor(sender: Any, *, survivor, merged, **_kwargs: Any) -> None:
    # Items and payments move together, so an allocation never links two customers.
    ExpectedPayment.objects.filter(party=merged).update(party=survivor)
    Payment.objects.filter(party=merged).update(party=survivor)
