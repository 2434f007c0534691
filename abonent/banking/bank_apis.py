"""Bank APIs behind one adapter per bank: download the account's new movements as a statement file.

Fio banka first: its REST API (`{base}/last/{token}/transactions.json` gives what arrived since the last
download and moves the bank's mark past it, `{base}/periods/{token}/{from}/{to}/transactions.json` a
period, `{base}/set-last-id/{token}/{id}/` and `{base}/set-last-date/{token}/{date}/` move the mark back)
allows one request per token every 30 seconds and answers 409 when asked sooner. The token is a secret: it
is part of the address, so no address is ever logged or shown; errors name the bank and the HTTP status only.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import urllib.error
import urllib.request
from contextlib import suppress
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from abonent.core.services import AbonentError

DATE_START = re.compile(r'"dateStart"\s*:\s*"(\d{4}-\d{2}-\d{2})')


class BankApiError(AbonentError):
    pass


class BankApiTooSoon(BankApiError):
    """The bank refuses a request this soon after the previous one (Fio: 409)."""


@dataclass(frozen=True)
class Download:
    data: bytes
    format: str  # as statement_import reads it


class FioApi:
    """Fio banka's REST API for one account token."""

    name = "Fio banka"
    format = "fio-json"
    min_interval = dt.timedelta(seconds=30)
    timeout = 60

    def __init__(self, token: str, base_url: str | None = None) -> None:
        if not token:
            raise BankApiError(_("The account has no Fio API token."))
        self._token = token
        self._base = (base_url or settings.ABONENT_FIO_API_URL).rstrip("/")

    def __repr__(self) -> str:  # never the token
        return f"FioApi({self._base!r})"

    def last(self) -> Download:
        """The movements since the previous download (the bank remembers where it stopped)."""
        return self._get(f"last/{self._token}/transactions.json")

    def period(self, start: dt.date, end: dt.date) -> Download:
        return self._get(f"periods/{self._token}/{start:%Y-%m-%d}/{end:%Y-%m-%d}/transactions.json")

    def set_last_id(self, movement_id: str) -> None:
        """Move the bank's mark to just after this movement: the next last() starts with the one after it."""
        self._get(f"set-last-id/{self._token}/{movement_id}/")

    def set_last_date(self, day: dt.date) -> None:
        """Move the bank's mark to the end of this day: the next last() starts with the day after."""
        self._get(f"set-last-date/{self._token}/{day:%Y-%m-%d}/")

    @staticmethod
    def first_movement_date(download: Download) -> dt.date | None:
        """The date of the earliest movement in a download, read leniently (it may be what failed to import);
        of one cut short, the first day of its period (info.dateStart, which comes first)."""
        text = download.data.decode("utf-8-sig", errors="replace")
        try:
            transactions = json.loads(text)["accountStatement"]["transactionList"]["transaction"]
        except (ValueError, TypeError, KeyError):
            start = DATE_START.search(text)
            return dt.date.fromisoformat(start.group(1)) if start else None
        days = []
        for transaction in transactions if isinstance(transactions, list) else ():
            cell = transaction.get("column0") if isinstance(transaction, dict) else None
            with suppress(ValueError, TypeError, AttributeError):
                days.append(dt.date.fromisoformat(str(cell.get("value"))[:10]))
        return min(days, default=None)

    def _get(self, path: str) -> Download:
        request = urllib.request.Request(f"{self._base}/{path}", headers={"Accept": "application/json"})  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - configured https
                return Download(data=response.read(), format=self.format)
        except urllib.error.HTTPError as error:
            if error.code == 409:
                raise BankApiTooSoon(
                    _("%(bank)s allows one download every 30 seconds; try again in a moment.") % {"bank": self.name}
                ) from None
            raise BankApiError(
                _("%(bank)s answered with HTTP status %(status)s.") % {"bank": self.name, "status": error.code}
            ) from None
        except (urllib.error.URLError, TimeoutError, OSError):
            raise BankApiError(_("%(bank)s could not be reached.") % {"bank": self.name}) from None


ADAPTERS = {"fio": FioApi}


def bank_api_for(api: str, token: str) -> FioApi:
    try:
        return ADAPTERS[api](token)
    except KeyError:
        raise BankApiError(_("The account is not connected to a bank API.")) from None
