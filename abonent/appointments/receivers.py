"""The calendar's answers to what lower apps announce."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from abonent.appointments.services import meetings_move_to_survivor
from abonent.customers.signals import party_merged


@receiver(party_merged, dispatch_uid="appointments.move_merged_party_meetings")
def move_meetings_to_survivor(sender: Any, *, survivor, merged, **_kwargs: Any) -> None:
    meetings_move_to_survivor(survivor=survivor, merged=merged)
