"""Contracts' answers to what lower apps announce."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from abonent.contracts.models import Contract
from abonent.customers.signals import party_merged


@receiver(party_merged, dispatch_uid="contracts.move_merged_party_contracts")
def move_contracts_to_survivor(sender: Any, *, survivor, merged, **_kwargs: Any) -> None:
    Contract.objects.filter(party=merged).update(party=survivor)
