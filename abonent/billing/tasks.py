"""Billing's periodic jobs: ids in, one service call, nothing else."""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from abonent.billing.reminders import reminders_send
from abonent.billing.schedule_services import schedules_extend


@db_periodic_task(crontab(hour="2", minute="10"))
def schedules_extend_task() -> None:
    """Every night: extend the schedules twelve months ahead, pick up placement changes, use credit."""
    schedules_extend(now=timezone.now())


@db_periodic_task(crontab(hour="8", minute="30"))
def reminders_task() -> None:
    """Every morning: queue the reminder e-mails for items that became 7, 21 or 45 days overdue."""
    reminders_send(now=timezone.now())
