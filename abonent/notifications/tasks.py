from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from abonent.notifications.services import email_deliver, outbox_flush


@db_task(retries=0)
def email_deliver_task(email_id: int) -> None:
    email_deliver(email_id=email_id, now=timezone.now())


@db_periodic_task(crontab(minute="*"))
def outbox_flush_task() -> None:
    outbox_flush(now=timezone.now())
