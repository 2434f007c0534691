"""Polling the bank APIs of the company accounts that have one (the periodic job calls account_sync)."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import transaction

from abonent.banking.bank_apis import BankApiError, bank_api_for
from abonent.banking.models import BankAccount
from abonent.banking.services import ImportResult, statement_import
from abonent.core.models import Channel
from abonent.core.services import AbonentError

log = logging.getLogger(__name__)


def accounts_to_poll() -> list[int]:
    return list(BankAccount.objects.filter(is_active=True).exclude(api="").exclude(api_token="")
                .order_by("id").values_list("id", flat=True))


def account_sync(*, account: BankAccount, now: dt.datetime, by: Any = None) -> ImportResult | None:
    """Download the account's new movements and import them; None when polled too soon (no request made).

    A failure is kept on the account (shown on its page) and raised; the token never appears in either.
    """
    api = bank_api_for(account.api, account.api_token)
    if account.api_synced_at and now - account.api_synced_at < api.min_interval:
        return None
    BankAccount.objects.filter(pk=account.pk).update(api_synced_at=now)
    account.api_synced_at = now
    try:
        download = api.last()
        result = statement_import(data=download.data, filename=f"{account.api}-{now:%Y%m%d-%H%M%S}.json",
                                  account=account, format=download.format, by=by,
                                  channel=Channel.UI if by else Channel.SYSTEM, now=now, keep_empty=False)
    except (BankApiError, AbonentError) as error:
        message = str(error)[:300]
        BankAccount.objects.filter(pk=account.pk).update(api_last_error=message)
        account.api_last_error = message
        log.warning("bank sync of account %s failed: %s", account.pk, message)
        raise
    if account.api_last_error:
        with transaction.atomic():
            BankAccount.objects.filter(pk=account.pk).update(api_last_error="")
        account.api_last_error = ""
    log.info("bank sync of account %s: %s new lines, %s duplicates", account.pk, result.lines, result.duplicates)
    return result
