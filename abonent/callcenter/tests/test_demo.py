"""The call center's demo data: loaded once with the customers, in every state, never twice."""

from io import StringIO

from django.core.management import call_command

from abonent.callcenter.models import Call, CallOutcome, RequestStatus, ServiceRequest


def test_the_demo_loads_outcomes_calls_and_requests_in_every_state_once(db):
    out = StringIO()
    call_command("demo", "--customers", "20", stdout=out)

    assert "call center: 7 outcomes, 360 calls, 100 service requests" in out.getvalue()
    assert CallOutcome.objects.get(code="callback").label["ru"] == "Перезвонить"
    assert set(ServiceRequest.objects.values_list("status", flat=True)) == set(RequestStatus.values)
    assert ServiceRequest.objects.filter(status=RequestStatus.TAKEN).exists()

    again = StringIO()
    call_command("demo", "--customers", "20", stdout=again)

    assert "call center: already loaded" in again.getvalue()
    assert (Call.objects.count(), ServiceRequest.objects.count()) == (360, 100)
