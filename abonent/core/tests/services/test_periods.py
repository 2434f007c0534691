import datetime as dt

import pytest

from abonent.core.models import AuditEntry, ClosedPeriod
from abonent.core.roles import Role
from abonent.core.services import AbonentError, PeriodClosedError, period_assert_open, period_close, period_reopen
from abonent.core.tests.factories import ClosedPeriodFactory

JANUARY = {"active_from": dt.date(2026, 1, 1), "active_to": dt.date(2026, 2, 1)}


@pytest.mark.parametrize("day", [dt.date(2026, 1, 1), dt.date(2026, 1, 15), dt.date(2026, 1, 31)])
def test_it_refuses_a_date_inside_a_period_closed_for_the_module(db, day):
    ClosedPeriodFactory(**JANUARY, domain="billing")

    with pytest.raises(PeriodClosedError):
        period_assert_open(on=day, domain="billing")


def test_a_period_closed_for_every_module_refuses_any_module(db):
    ClosedPeriodFactory(**JANUARY, domain="")

    for domain in ("billing", "banking", ""):
        with pytest.raises(PeriodClosedError):
            period_assert_open(on=dt.date(2026, 1, 10), domain=domain)


@pytest.mark.parametrize("day", [dt.date(2025, 12, 31), dt.date(2026, 2, 1)])
def test_it_allows_the_days_around_a_closed_period(db, day):
    ClosedPeriodFactory(**JANUARY, domain="")

    period_assert_open(on=day, domain="billing")


def test_a_period_closed_for_one_module_leaves_the_others_open(db):
    ClosedPeriodFactory(**JANUARY, domain="billing")

    period_assert_open(on=dt.date(2026, 1, 10), domain="banking")
    period_assert_open(on=dt.date(2026, 1, 10), domain="")


def test_the_refusal_names_the_first_and_last_day_and_the_document_date(db):
    ClosedPeriodFactory(**JANUARY, domain="billing")

    with pytest.raises(PeriodClosedError) as refused:
        period_assert_open(on=dt.date(2026, 1, 20), domain="billing")

    assert str(refused.value) == (
        "The period from 2026-01-01 to 2026-01-31 is closed, so documents dated 2026-01-20 can no longer be "
        "created or changed. Ask an administrator to reopen it."
    )


def test_closing_a_period_stores_it_and_audits_it(make_user):
    admin = make_user(Role.ADMINISTRATOR)
    now = dt.datetime(2026, 2, 5, 9, 0, tzinfo=dt.UTC)

    period = period_close(by=admin, **JANUARY, domain="billing", note="January is invoiced", now=now)

    period.refresh_from_db()
    assert (period.active_from, period.active_to) == (dt.date(2026, 1, 1), dt.date(2026, 2, 1))
    assert period.domain == "billing"
    assert (period.closed_by, period.closed_at, period.note) == (admin, now, "January is invoiced")
    entry = AuditEntry.objects.get(action="abonent.core.period.closed")
    assert entry.actor == admin
    assert entry.target_id == str(period.pk)
    assert entry.changes == {
        "active_from": [None, "2026-01-01"], "active_to": [None, "2026-02-01"], "domain": [None, "billing"],
    }


@pytest.mark.parametrize("active_to", [dt.date(2026, 1, 1), dt.date(2025, 12, 1)])
def test_closing_an_empty_period_is_refused(make_user, active_to):
    with pytest.raises(AbonentError) as refused:
        period_close(by=make_user(Role.ADMINISTRATOR), active_from=dt.date(2026, 1, 1), active_to=active_to)

    assert str(refused.value) == "The end of the period must come after its start."
    assert not ClosedPeriod.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_superadmin_reopens_a_period_and_it_is_audited(make_user):
    superadmin = make_user(Role.SUPERADMIN)
    period = ClosedPeriodFactory(**JANUARY)

    period_reopen(by=superadmin, period=period)

    assert not ClosedPeriod.objects.exists()
    entry = AuditEntry.objects.get(action="abonent.core.period.reopened")
    assert entry.actor == superadmin
    assert entry.changes == {"active_from": ["2026-01-01", None], "active_to": ["2026-02-01", None]}
    period_assert_open(on=dt.date(2026, 1, 10), domain="billing")


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.MANAGER, Role.AGENT])
def test_only_a_superadmin_may_reopen_a_period(make_user, role):
    period = ClosedPeriodFactory(**JANUARY)

    with pytest.raises(AbonentError) as refused:
        period_reopen(by=make_user(role), period=period)

    assert str(refused.value) == "Only a super-administrator may reopen a closed period."
    assert ClosedPeriod.objects.filter(pk=period.pk).exists()
    assert not AuditEntry.objects.exists()
