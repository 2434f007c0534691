import datetime as dt
from decimal import Decimal

import time_machine
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy

from abonent.core.models import AuditEntry, Channel, DocumentSeries
from abonent.core.roles import Role
from abonent.core.services import audit_record, changed_fields
from abonent.core.tests.factories import DocumentSeriesFactory

PRAGUE = dt.timezone(dt.timedelta(hours=1))


def test_it_stores_who_did_what_to_which_object_through_which_channel(make_user):
    # given
    user = make_user(Role.MANAGER, first_name="Magdalena", last_name="Kowalska")
    series = DocumentSeriesFactory(name="Service requests", code="sr")

    # when
    audit_record(actor=user, action="abonent.core.series.changed", target=series, channel=Channel.API,
                 note="renamed by the integration")

    # then
    entry = AuditEntry.objects.get()
    assert entry.actor == user
    assert entry.actor_label == "Magdalena Kowalska"
    assert entry.action == "abonent.core.series.changed"
    assert entry.channel == Channel.API
    assert entry.target_type == ContentType.objects.get_for_model(DocumentSeries)
    assert entry.target_id == str(series.pk)
    assert entry.target_label == "Service requests (sr)"
    assert entry.note == "renamed by the integration"


def test_it_names_an_actor_without_a_full_name_by_the_user_name(make_user):
    user = make_user(Role.AGENT, username="agent7", first_name="", last_name="")

    entry = audit_record(actor=user, action="abonent.test.done")

    assert entry.actor_label == "agent7"


def test_it_records_the_system_as_the_actor_when_nobody_is_signed_in(db):
    for actor in (None, AnonymousUser()):
        entry = audit_record(actor=actor, action="abonent.test.done", channel=Channel.SYSTEM)

        entry.refresh_from_db()
        assert entry.actor is None
        assert entry.actor_label == "system"


def test_it_keeps_the_actor_label_after_the_account_is_deleted(make_user):
    user = make_user(Role.AGENT, first_name="Alena", last_name="Svobodová")
    entry = audit_record(actor=user, action="abonent.test.done")

    user.delete()

    entry.refresh_from_db()
    assert entry.actor is None
    assert entry.actor_label == "Alena Svobodová"


def test_it_stores_changes_as_old_new_pairs_made_json_safe(make_user):
    # given values JSON cannot hold as they are
    series = DocumentSeriesFactory(name="Invoices", code="inv")
    changes = {
        "amount": (Decimal("10.00"), Decimal("12.50")),
        "due": (dt.date(2026, 1, 31), dt.date(2026, 2, 28)),
        "paid_at": (None, dt.datetime(2026, 2, 3, 10, 15, tzinfo=dt.UTC)),
        "stage": (None, gettext_lazy("Customer")),
        "series": (None, series),
        "active": (True, False),
        "tags": ([], ("vip", "b2b")),
    }

    # when
    entry = audit_record(actor=make_user(), action="abonent.test.changed", changes=changes)

    # then what comes back from the database is plain JSON
    entry.refresh_from_db()
    assert entry.changes == {
        "amount": ["10.00", "12.50"],
        "due": ["2026-01-31", "2026-02-28"],
        "paid_at": [None, "2026-02-03 10:15:00+00:00"],
        "stage": [None, "Customer"],
        "series": [None, "Invoices (inv)"],
        "active": [True, False],
        "tags": [[], ["vip", "b2b"]],
    }


def test_it_stamps_the_time_it_is_given(db):
    at = dt.datetime(2026, 3, 1, 9, 30, tzinfo=PRAGUE)

    entry = audit_record(actor=None, action="abonent.test.done", now=at)

    entry.refresh_from_db()
    assert entry.at == at


def test_it_stamps_the_current_time_when_no_time_is_given(db):
    with time_machine.travel(dt.datetime(2026, 5, 4, 12, 0, tzinfo=dt.UTC), tick=False):
        entry = audit_record(actor=None, action="abonent.test.done")

    entry.refresh_from_db()
    assert entry.at == dt.datetime(2026, 5, 4, 12, 0, tzinfo=dt.UTC)


def test_changed_fields_returns_only_the_values_that_differ(make_user):
    user = make_user(Role.AGENT, first_name="Andrei", last_name="Popescu", email="andrei@abonent.test")

    changes = changed_fields(user, {"first_name": "Andrei", "last_name": "Popa", "email": "andrei@abonent.test"})

    assert changes == {"last_name": ("Popescu", "Popa")}


def test_changed_fields_returns_nothing_when_nothing_changes(make_user):
    user = make_user(Role.AGENT, first_name="Andrei")

    assert changed_fields(user, {"first_name": "Andrei", "role": Role.AGENT}) == {}


def test_a_change_to_a_part_of_a_record_appears_in_the_records_history(make_user):
    # given a record (the subject) and a part of it (the target)
    user = make_user(Role.ADMINISTRATOR)
    customer = make_user(Role.CUSTOMER, username="the-subject")
    part = DocumentSeriesFactory(name="A part of the subject", code="part")
    unrelated = DocumentSeriesFactory(name="Unrelated", code="other")

    # when
    audit_record(actor=user, action="abonent.test.part.changed", target=part, subject=customer)
    audit_record(actor=user, action="abonent.test.subject.changed", target=customer)
    audit_record(actor=user, action="abonent.test.other.changed", target=unrelated)

    # then the subject's history holds both, newest first, and nothing else
    from abonent.core.selectors import audit_list

    history = list(audit_list(subject=customer).values_list("action", flat=True))
    assert history == ["abonent.test.subject.changed", "abonent.test.part.changed"]
    assert AuditEntry.objects.get(action="abonent.test.other.changed").subject_id == str(unrelated.pk)
