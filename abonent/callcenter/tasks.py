from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from abonent.callcenter.request_warnings import request_warnings_send


@db_periodic_task(crontab(minute="*/15"))
def request_warnings_task() -> None:
    request_warnings_send(now=timezone.now())
