import datetime as dt
import logging

import pytest
from django.test import override_settings

from abonent.banking.bank_apis import BankApiError, BankApiTooSoon, FioApi
from abonent.banking.models import BankAccount, BankStatementLine
from abonent.banking.parsing import StatementFormatError
from abonent.banking.sync import account_sync
from abonent.banking.tasks import bank_accounts_poll
from abonent.banking.tests.factories import BankAccountFactory
from abonent.banking.tests.fio_stub import FioStub
from abonent.banking.tests.samples import sample

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2025, 4, 16, 8, 0, tzinfo=dt.UTC)
TOKEN = "s3cret-token-abc"


@pytest.fixture
def fio():
    with FioStub(sample("h4kuna-fio_last-transactions.json"), token=TOKEN) as stub, \
            override_settings(ABONENT_FIO_API_URL=stub.url):
        yield stub


def fio_account(**kwargs):
    return BankAccountFactory(iban="CZ0620100000002000282668", account_number="2000282668", bank_code="2010",
                              identifier="CZ0620100000002000282668", api="fio", api_token=TOKEN, **kwargs)


def test_a_sync_downloads_the_new_movements_and_imports_them(fio):
    account = fio_account()

    result = account_sync(account=account, now=NOW)

    assert (result.lines, result.duplicates) == (4, 0)
    assert BankStatementLine.objects.filter(account=account).count() == 4
    assert fio.requests == [f"/v1/rest/last/{TOKEN}/transactions.json"]
    account.refresh_from_db()
    assert (account.api_synced_at, account.api_last_error) == (NOW, "")


def test_a_sync_within_thirty_seconds_of_the_last_makes_no_request(fio):
    account = fio_account()
    account_sync(account=account, now=NOW)

    again = account_sync(account=account, now=NOW + dt.timedelta(seconds=20))

    assert again is None
    assert len(fio.requests) == 1


def test_a_later_sync_with_nothing_new_creates_no_statement(fio):
    account = fio_account()
    account_sync(account=account, now=NOW)
    fio.min_interval = 0

    later = account_sync(account=account, now=NOW + dt.timedelta(minutes=1))

    assert (later.statements, later.lines) == (0, 0)
    assert account.statements.count() == 1


def test_the_bank_refusing_a_request_too_soon_is_kept_on_the_account_without_the_token(fio, caplog):
    account = fio_account()
    FioApi(TOKEN, base_url=fio.url).last()  # someone else used the token a moment ago

    with caplog.at_level(logging.DEBUG), pytest.raises(BankApiTooSoon):
        account_sync(account=account, now=NOW)

    account.refresh_from_db()
    assert account.api_last_error == "Fio banka allows one download every 30 seconds; try again in a moment."
    assert TOKEN not in caplog.text
    assert TOKEN not in account.api_last_error


def test_a_wrong_token_gives_the_status_and_never_the_token(fio, caplog):
    account = fio_account()
    BankAccount.objects.filter(pk=account.pk).update(api_token="wrong-token-xyz")
    account.refresh_from_db()

    with caplog.at_level(logging.DEBUG), pytest.raises(BankApiError) as error:
        account_sync(account=account, now=NOW)

    assert str(error.value) == "Fio banka answered with HTTP status 500."
    assert "wrong-token-xyz" not in caplog.text
    assert "wrong-token-xyz" not in repr(FioApi("wrong-token-xyz"))


def test_a_period_download_asks_for_the_days_given(fio):
    download = FioApi(TOKEN, base_url=fio.url).period(dt.date(2015, 3, 31), dt.date(2015, 4, 15))

    assert fio.requests == [f"/v1/rest/periods/{TOKEN}/2015-03-31/2015-04-15/transactions.json"]
    assert download.data == sample("h4kuna-fio_last-transactions.json")


def test_the_periodic_job_polls_every_connected_account(fio):
    account = fio_account()
    BankAccountFactory(iban="CZ5508000000001234567899", identifier="CZ5508000000001234567899")  # no API

    bank_accounts_poll.call_local()

    assert len(fio.requests) == 1
    assert BankStatementLine.objects.filter(account=account).count() == 4


def test_a_download_that_fails_to_import_is_fetched_again_from_the_last_movement_stored(fio):
    fio.min_interval = 0
    account = fio_account()
    fio.arrived = 2
    account_sync(account=account, now=NOW)  # movements 7159895102 and 7159895103
    fio.arrived, fio.damage_next = 4, "cut"

    with pytest.raises(StatementFormatError, match="not valid JSON"):
        account_sync(account=account, now=NOW + dt.timedelta(minutes=1))
    rewind = account_sync(account=account, now=NOW + dt.timedelta(minutes=2))
    again = account_sync(account=account, now=NOW + dt.timedelta(minutes=3))

    assert rewind is None
    assert fio.requests[-2] == f"/v1/rest/set-last-id/{TOKEN}/7159895103/"
    assert (again.lines, again.duplicates) == (2, 0)
    assert sorted(BankStatementLine.objects.filter(account=account).values_list("bank_transaction_id", flat=True)) == [
        "7159895102", "7159895103", "7161812099", "7165272749"]
    account.refresh_from_db()
    assert (account.api_rewind_to_id, account.api_rewind_to_date, account.api_last_error) == ("", None, "")


def test_with_no_movement_stored_the_mark_goes_back_to_the_day_before_the_first_movement_fetched(fio):
    fio.min_interval = 0
    account = fio_account()
    fio.damage_next = "drop"  # the answer lacks its last movement: its balances do not add up

    with pytest.raises(StatementFormatError, match="the file is incomplete or altered"):
        account_sync(account=account, now=NOW)
    account.refresh_from_db()
    assert (account.api_rewind_to_id, account.api_rewind_to_date) == ("", dt.date(2015, 3, 30))
    account_sync(account=account, now=NOW + dt.timedelta(minutes=1))
    again = account_sync(account=account, now=NOW + dt.timedelta(minutes=2))

    assert fio.requests[1] == f"/v1/rest/set-last-date/{TOKEN}/2015-03-30/"
    assert again.lines == 4
    assert BankStatementLine.objects.filter(account=account).count() == 4


def test_a_mark_the_bank_refuses_to_move_back_stays_planned_for_the_next_poll(fio):
    fio.min_interval = 0
    account = fio_account()
    fio.damage_next = "cut"
    with pytest.raises(StatementFormatError):
        account_sync(account=account, now=NOW)
    FioApi(TOKEN, base_url=fio.url).last()  # someone else used the token a moment ago
    fio.min_interval = 30

    with pytest.raises(BankApiTooSoon):
        account_sync(account=account, now=NOW + dt.timedelta(minutes=1))

    account.refresh_from_db()
    assert account.api_rewind_to_date == dt.date(2015, 3, 30)  # the cut answer's first day, less one
    assert fio.requests[-1] == f"/v1/rest/set-last-date/{TOKEN}/2015-03-30/"


def test_the_mark_is_moved_back_through_the_api_with_an_empty_answer(fio):
    api = FioApi(TOKEN, base_url=fio.url)
    api.last()
    fio.min_interval = 0

    api.set_last_id("7159895103")
    assert api.last().data.count(b'"ID pohybu"') == 2
    api.set_last_date(dt.date(2015, 4, 3))
    assert api.last().data.count(b'"ID pohybu"') == 1
