"""A value is read once per request, and again on every call outside one."""

from django.core.signals import request_finished, request_started

from abonent.core.request_memo import request_memo


def reader():
    reads = []

    def read():
        reads.append(1)
        return len(reads)

    return read, reads


def test_inside_a_request_a_key_is_read_once_and_forgotten_when_the_request_ends():
    read, reads = reader()
    request_started.send(sender=None)
    try:
        assert [request_memo("k", read), request_memo("k", read)] == [1, 1]
        assert request_memo("other", read) == 2
    finally:
        request_finished.send(sender=None)

    request_started.send(sender=None)
    try:
        assert request_memo("k", read) == 3  # the next request reads again
    finally:
        request_finished.send(sender=None)
    assert len(reads) == 3


def test_outside_a_request_every_call_reads():
    read, reads = reader()

    assert [request_memo("k", read), request_memo("k", read)] == [1, 2]
