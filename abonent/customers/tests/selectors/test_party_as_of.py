import datetime as dt
import zoneinfo

import time_machine

from abonent.core.roles import Role
from abonent.customers.contact_services import address_add, contact_add, contact_change, contact_remove
from abonent.customers.merge_services import party_merge
from abonent.customers.models import ContactKind, ContactPoint, Stage, TrackingScope
from abonent.customers.selectors import party_as_of
from abonent.customers.services import party_change_stage, party_set_tags, party_update
from abonent.customers.tests.factories import CallCenterStatusFactory, person

PRAGUE = zoneinfo.ZoneInfo("Europe/Prague")


def at(day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, tzinfo=PRAGUE)


def fields(snapshot) -> dict[str, str]:
    return {line.label: line.old for line in snapshot.fields}


def rows(snapshot, noun: str) -> list[dict[str, str]]:
    return [dict(row) for row in snapshot.rows[noun]]


def test_it_shows_the_fields_as_they_were_at_the_end_of_the_day(make_user):
    agent = make_user(Role.AGENT)
    rep = make_user(Role.SALES_REP, first_name="Radek", last_name="Černý")
    party = person(by=agent, first_name="Jana", last_name="Nováková", stage=Stage.PROSPECT, now=at(1))
    party_update(party=party, by=agent, values={"last_name": "Svobodová", "sales_rep": rep}, now=at(3))
    party_change_stage(party=party, to_stage=Stage.LEAD, by=agent, now=at(3, 23))
    party_update(party=party, by=agent, values={"call_center_status": CallCenterStatusFactory(name="Call back")},
                 now=at(5))
    party_set_tags(party=party, names=["VIP"], by=agent, now=at(6))

    day2, day3, today = (party_as_of(party=party, day=dt.date(2026, 3, d)) for d in (2, 3, 7))

    assert fields(day2)["last name"] == "Nováková"
    assert fields(day2)["name"] == "Jana Nováková"
    assert fields(day2)["sales rep"] == "∅"
    assert fields(day2)["stage"] == "Prospect"
    assert fields(day3)["last name"] == "Svobodová"
    assert fields(day3)["sales rep"] == "Radek Černý"
    assert fields(day3)["stage"] == "Lead"  # moved at 23:00 Prague time, still that day
    assert fields(day3)["call-center status"] == "∅"
    assert fields(day3)["tags"] == "∅"
    assert fields(today)["call-center status"] == "Call back"
    assert fields(today)["tags"] == "VIP"


def test_before_the_customer_was_recorded_there_is_nothing_to_show(make_user):
    party = person(now=at(5))

    snapshot = party_as_of(party=party, day=dt.date(2026, 3, 4))

    assert not snapshot.existed
    assert snapshot.fields == []


def test_contacts_and_addresses_come_and_go_with_their_changes(make_user):
    agent = make_user()
    party = person(by=agent, phone="601123456", email="", now=at(1))
    first = ContactPoint.objects.get(party=party)
    with time_machine.travel(at(2), tick=False):
        contact_change(contact=first, values={"label": "work"}, by=agent, now=at(2))
        second = contact_add(party=party, kind=ContactKind.EMAIL, value="jana@example.cz", by=agent, now=at(2))
    address_add(party=party, by=agent, street="Národní 1", city="Praha", now=at(4))
    contact_remove(contact=first, by=agent, now=at(4))

    day1, day3, day4 = (party_as_of(party=party, day=dt.date(2026, 3, d)) for d in (1, 3, 4))

    assert rows(day1, "contact") == [{"kind": "Phone", "value": "+420601123456", "primary": "yes"}]
    assert rows(day3, "contact") == [
        {"kind": "Phone", "value": "+420601123456", "label": "work", "primary": "yes"},
        {"kind": "E-mail", "value": second.value, "primary": "yes"},
    ]
    assert rows(day3, "address") == []
    assert rows(day4, "contact") == [{"kind": "E-mail", "value": "jana@example.cz", "primary": "yes"}]
    assert rows(day4, "address")[0]["city"] == "Praha"


def test_contacts_moved_in_by_a_merge_were_not_the_survivors_before(make_user):
    agent = make_user()
    survivor = person(by=agent, phone="601123456", email="", now=at(1))
    duplicate = person(by=agent, first_name="J.", phone="602111222", email="", now=at(1))
    party_merge(survivor=survivor, merged=duplicate, by=agent, now=at(3))

    before, after = party_as_of(party=survivor, day=dt.date(2026, 3, 2)), party_as_of(party=survivor,
                                                                                      day=dt.date(2026, 3, 3))

    assert [r["value"] for r in rows(before, "contact")] == ["+420601123456"]
    assert [r["value"] for r in rows(after, "contact")] == ["+420601123456", "+420602111222"]


def test_untracked_fields_are_named_rather_than_shown_wrong(make_user):
    TrackingScope.objects.create(entity="party", field="vat_id", tracked=False)
    party = person(now=at(1))

    snapshot = party_as_of(party=party, day=dt.date(2026, 3, 2))

    assert "VAT number" not in fields(snapshot)
    assert snapshot.untracked == ["VAT number"]
