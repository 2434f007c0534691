import datetime as dt

from abonent.core.models import AuditEntry, ClosedPeriod
from abonent.core.roles import Role
from abonent.core.tests.factories import ClosedPeriodFactory


def test_an_administrator_closes_a_period_with_its_last_day_included(client_as):
    # given
    client = client_as(Role.ADMINISTRATOR)

    # when the form names January's first and last day
    response = client.post("/settings/periods/", {
        "active_from": "2026-01-01", "last_day": "2026-01-31", "domain": "billing", "note": "January invoiced",
    })

    # then the period stored ends (exclusively) on 1 February, and it is audited
    assert response.status_code == 302
    period = ClosedPeriod.objects.get()
    assert (period.active_from, period.active_to) == (dt.date(2026, 1, 1), dt.date(2026, 2, 1))
    assert period.domain == "billing"
    assert period.closed_by == client.user
    entry = AuditEntry.objects.get(action="abonent.core.period.closed")
    assert entry.actor == client.user
    assert entry.changes["active_to"] == [None, "2026-02-01"]


def test_a_one_day_period_can_be_closed(client_as):
    client = client_as(Role.ADMINISTRATOR)

    client.post("/settings/periods/", {"active_from": "2026-01-31", "last_day": "2026-01-31", "domain": ""})

    period = ClosedPeriod.objects.get()
    assert (period.active_from, period.active_to) == (dt.date(2026, 1, 31), dt.date(2026, 2, 1))


def test_the_page_lists_closed_periods_with_their_last_day(client_as):
    client = client_as(Role.ADMINISTRATOR)
    client.post("/settings/periods/", {"active_from": "2026-01-01", "last_day": "2026-01-31", "domain": "billing"})

    page = client.get("/settings/periods/").content.decode()

    table = page.split('id="periods-table"', 1)[1].split("</table>", 1)[0]
    assert "<td>01/01/2026</td><td>31/01/2026</td>" in table
    assert "Billing" in table
    assert "No period is closed." not in table


def test_a_last_day_before_the_first_day_is_a_form_error(client_as):
    client = client_as(Role.ADMINISTRATOR)

    response = client.post("/settings/periods/", {"active_from": "2026-01-31", "last_day": "2026-01-01"})

    assert response.status_code == 200
    assert "The last day must not come before the first day." in response.content.decode()
    assert not ClosedPeriod.objects.exists()


def test_a_manager_without_settings_rights_cannot_see_or_close_periods(client_as):
    client = client_as(Role.MANAGER)

    assert client.get("/settings/periods/").status_code == 403
    assert client.post("/settings/periods/", {"active_from": "2026-01-01", "last_day": "2026-01-31"}).status_code == 403
    assert not ClosedPeriod.objects.exists()


def test_an_agent_is_forbidden(client_as):
    assert client_as(Role.AGENT).get("/settings/periods/").status_code == 403


def test_a_superadmin_reopens_a_period_from_the_page(client_as):
    client = client_as(Role.SUPERADMIN)
    period = ClosedPeriodFactory()

    response = client.post(f"/settings/periods/{period.pk}/reopen/", follow=True)

    assert not ClosedPeriod.objects.exists()
    assert "The period is open again." in response.content.decode()


def test_an_administrator_is_told_they_cannot_reopen_a_period(client_as):
    client = client_as(Role.ADMINISTRATOR)
    period = ClosedPeriodFactory()

    response = client.post(f"/settings/periods/{period.pk}/reopen/", follow=True)

    assert ClosedPeriod.objects.filter(pk=period.pk).exists()
    assert "Only a super-administrator may reopen a closed period." in response.content.decode()
