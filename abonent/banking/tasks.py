"""Background jobs of banking: poll every account connected to a bank API."""

from contextlib import suppress

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from abonent.banking.models import BankAccount
from abonent.banking.sync import account_sync, accounts_to_poll
from abonent.core.services import AbonentError


@db_periodic_task(crontab(minute="*"))
def bank_accounts_poll() -> None:
    """Every minute: queue a download for each connected account (each bank allows one per 30 s)."""
    for account_id in accounts_to_poll():
        bank_account_sync(account_id)


@db_task()
def bank_account_sync(account_id: int) -> None:
    account = BankAccount.objects.filter(pk=account_id).first()
    if account is None:
        return
    with suppress(AbonentError):  # kept on the account as its last error; the next poll tries again
        account_sync(account=account, now=timezone.now())
