"""Bank APIs behind one adapter per bank: download the account's new movements as a statement file.

Fio banka first: its REST API (`{base}/last/{token}/transactions.json` gives what arrived since the last
download, `{base}/periods/{token}/{from}/{to}/transactions.json` a period) allows one request per token
every 30 seconds and answers 409 when asked sooner. The token is a secret: it is part of the address,
so no address is ever logged or shown; errors name the bank and the HTTP status only.
"""

from __future__ import annotations

import datetime as dt
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from abonent.core.services import AbonentError


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
