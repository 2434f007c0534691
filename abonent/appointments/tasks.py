from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from abonent.appointments.agenda import agendas_send_due


# Every quarter of an hour: reps live in different time zones, some with half-hour offsets.
@db_periodic_task(crontab(minute="*/15"))
def agendas_send_due_task() -> None:
    agendas_send_due(now=timezone.now())
