"""Many people taking requests at once get gapless, unique numbers, even when some of them fail."""

import threading

import pytest
from django.db import connection

from abonent.callcenter.request_services import request_series
from abonent.callcenter.signals import request_changed
from abonent.callcenter.tests.factories import RequestTypeFactory, service_request
from abonent.customers.tests.factories import PartyFactory


class Refused(Exception):
    pass


def refuse_some(sender, *, request, event, **kwargs):
    """Fail after the number was taken, inside the transaction: the number must come back."""
    if event == "created" and request.contact_person == "refuse me":
        raise Refused


@pytest.mark.django_db(transaction=True)
def test_threads_taking_requests_at_once_get_every_number_once_without_gaps():
    # given a series, a customer and a type everyone uses, and one in five attempts that fails late
    request_series()
    request_changed.connect(refuse_some, dispatch_uid="test-refuse-some")
    party, kind = PartyFactory(), RequestTypeFactory()
    start = threading.Barrier(8)
    numbers: list[str] = []
    errors: list[BaseException] = []

    def work(worker: int) -> None:
        try:
            start.wait()
            for attempt in range(10):
                if (worker + attempt) % 5 == 0:
                    with pytest.raises(Refused):
                        service_request(party=party, request_type=kind, contact_person="refuse me")
                    continue
                numbers.append(service_request(party=party, request_type=kind).number)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    # when 8 threads take 10 requests each
    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    request_changed.disconnect(dispatch_uid="test-refuse-some")

    # then the 64 requests that were taken have the numbers 1 to 64
    assert errors == []
    assert sorted(numbers) == [f"SR2026-{n:06d}" for n in range(1, 65)]
