"""Contracts' periodic jobs: one service call, nothing else."""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from abonent.contracts.services import contracts_end_fixed_terms


@db_periodic_task(crontab(hour="0", minute="20"))
def contracts_end_fixed_terms_task() -> None:
    """Every night, after midnight and before the schedules job: fixed-term contracts past their end terminate."""
    contracts_end_fixed_terms(now=timezone.now())
