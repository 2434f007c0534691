"""Many workers taking numbers from one series at once get every number exactly once."""

import datetime as dt
import multiprocessing
import threading

import pytest
from django.db import connection, transaction

from abonent.core.services import series_next_number
from abonent.core.tests.factories import DocumentSeriesFactory
from abonent.core.tests.series_worker import take_numbers

ON = dt.date(2026, 3, 15)


def take_in_threads(series, *, threads: int, each: int) -> list[str]:
    start = threading.Barrier(threads)
    taken: list[str] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            start.wait()
            for _ in range(each):
                with transaction.atomic():
                    taken.append(series_next_number(series=series, on=ON))
        except BaseException as error:  # noqa: BLE001 - reported by the test below
            errors.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    return taken


@pytest.mark.django_db(transaction=True)
def test_many_threads_get_every_number_once_without_gaps():
    # given a series nobody has numbered from yet, so the threads also race to create its counter
    series = DocumentSeriesFactory(prefix="", padding=1)

    # when 8 threads take 25 numbers each, one transaction per number
    taken = take_in_threads(series, threads=8, each=25)

    # then
    assert sorted(int(number) for number in taken) == list(range(1, 201))


@pytest.mark.django_db(transaction=True)
def test_many_threads_continue_a_yearly_series_without_gaps():
    series = DocumentSeriesFactory(prefix="{yyyy}-", padding=4, reset_yearly=True)
    series_next_number(series=series, on=ON)

    taken = take_in_threads(series, threads=4, each=10)

    assert sorted(taken) == [f"2026-{n:04d}" for n in range(2, 42)]


@pytest.mark.django_db(transaction=True)
def test_many_processes_get_every_number_once_without_gaps():
    # given a committed series, and the test database's name for the worker processes to open
    series = DocumentSeriesFactory(prefix="", padding=1)
    database_name = connection.settings_dict["NAME"]

    # when 4 freshly started processes take 25 numbers each
    context = multiprocessing.get_context("spawn")
    with context.Pool(processes=4) as pool:
        batches = pool.starmap(take_numbers, [(database_name, series.pk, 25)] * 4)

    # then
    assert sorted(int(number) for batch in batches for number in batch) == list(range(1, 101))
