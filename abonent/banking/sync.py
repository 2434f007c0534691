"""Polling the bank APIs of the company accounts that have one (the periodic job calls account_sync)."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import transaction

from abonent.banking.bank_apis import BankApiError, Download, FioApi, bank_api_for
from abonent.banking.models import BankAccount
from abonent.banking.selectors import last_movement_id
from abonent.banking.services import ImportResult, statement_import
from abonent.core.models import Channel
from abonent.core.services import AbonentError

log = logging.getLogger(__name__)


def accounts_to_poll() -> list[int]:
    return list(BankAccount.objects.filter(is_active=True).exclude(api="").exclude(api_token="")
                .order_by("id").values_list("id", flat=True))


def account_sync(*, account: BankAccount, now: dt.datetime, by: Any = None) -> ImportResult | None:
    """Download the account's new movements and import them; None when no download was made this time.

    None when polled too soon (no request made), or when this poll moved the bank's mark back after a
    download that failed to import (the bank takes one request per 30 seconds: the next poll downloads those
    movements again). A failure is kept on the account (shown on its page) and raised; the token never
    appears in either.
    """
    api = bank_api_for(account.api, account.api_token)
    if account.api_synced_at and now - account.api_synced_at < api.min_interval:
        return None
    BankAccount.objects.filter(pk=account.pk).update(api_synced_at=now)
    account.api_synced_at = now
    try:
        if account.api_rewind_to_id or account.api_rewind_to_date:
            _mark_rewind(account, api)
            return None
        download = api.last()
        try:
            result = statement_import(data=download.data, filename=f"{account.api}-{now:%Y%m%d-%H%M%S}.json",
                                      account=account, format=download.format, by=by,
                                      channel=Channel.UI if by else Channel.SYSTEM, now=now, keep_empty=False,
                                      # An answer that does not add up lost something on the way: refused, and
                                      # downloaded again after the mark goes back (a file is kept with a warning).
                                      strict_balances=True)
        except Exception:
            # The bank moved its mark past these movements when it sent them: without going back they are lost.
            _mark_rewind_plan(account, api, download)
            raise
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


def _mark_rewind_plan(account: BankAccount, api: FioApi, download: Download) -> None:
    """Remember where the bank's mark must go back to: the last movement stored for the account, or with none,
    the day before the first movement of the download that failed."""
    movement_id = last_movement_id(account, format=download.format)
    first_day = None if movement_id else api.first_movement_date(download)
    if not movement_id and first_day is None:
        log.warning("bank sync of account %s: the download has no movement to fetch again", account.pk)
        return
    account.api_rewind_to_id = movement_id
    account.api_rewind_to_date = first_day - dt.timedelta(days=1) if first_day else None
    account.save(update_fields=["api_rewind_to_id", "api_rewind_to_date"])


def _mark_rewind(account: BankAccount, api: FioApi) -> None:
    """Move the bank's mark back as planned; kept planned if the bank refuses (the next poll tries again)."""
    if account.api_rewind_to_id:
        api.set_last_id(account.api_rewind_to_id)
    else:
        api.set_last_date(account.api_rewind_to_date)
    log.info("bank sync of account %s: the bank's mark moved back to %s", account.pk,
             account.api_rewind_to_id or account.api_rewind_to_date)
    account.api_rewind_to_id, account.api_rewind_to_date = "", None
    account.save(update_fields=["api_rewind_to_id", "api_rewind_to_date"])
