import datetime as dt

import pytest

from abonent.core.models import AuditEntry
from abonent.core.roles import Role
from abonent.customers.activity_services import note_add, task_add
from abonent.customers.contact_services import address_add, contact_add
from abonent.customers.merge_services import MergeRefused, party_merge
from abonent.customers.models import Address, ContactKind, ContactPoint, Note, Party, Stage, StageChange, Task
from abonent.customers.selectors import party_history
from abonent.customers.services import party_set_tags
from abonent.customers.signals import party_merged
from abonent.customers.tests.factories import person

NOW = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def pair(make_user):
    """Two records of the same woman: one from the call center, one from a web form."""
    agent = make_user(Role.AGENT)
    survivor = person(by=agent, first_name="Jana", last_name="Nováková", phone="601123456", email="jana@example.cz",
                      stage=Stage.LEAD, now=NOW - dt.timedelta(days=10))
    merged = person(by=agent, first_name="Jana", last_name="Novakova", phone="601 123 456",
                    email="jana.n@example.cz", tax_id="", stage=Stage.CUSTOMER, now=NOW - dt.timedelta(days=5))
    address_add(party=merged, by=agent, street="Národní 1", city="Praha")
    contact_add(party=merged, kind=ContactKind.PHONE, value="602 111 222", by=agent)
    note_add(party=merged, body="Prefers e-mail", by=agent)
    task_add(party=merged, title="Send the contract", by=agent)
    party_set_tags(party=survivor, names=["VIP"], by=agent)
    party_set_tags(party=merged, names=["fibre"], by=agent)
    return survivor, merged, agent


def test_it_moves_everything_to_the_survivor_and_keeps_a_tombstone(pair, make_user):
    survivor, merged, agent = pair

    party_merge(survivor=survivor, merged=merged, by=agent, now=NOW)

    merged.refresh_from_db()
    survivor.refresh_from_db()
    assert (merged.merged_into, merged.merged_at) == (survivor, NOW)
    assert list(Party.objects.active()) == [survivor]
    values = sorted(ContactPoint.objects.filter(party=survivor).values_list("kind", "value", "is_primary"))
    # The duplicate phone is not doubled; the survivor's primaries stay primary.
    assert values == [("email", "jana.n@example.cz", False), ("email", "jana@example.cz", True),
                      ("phone", "+420601123456", True), ("phone", "+420602111222", False)]
    assert Address.objects.get().party == survivor
    assert survivor.city == "Praha"
    assert Note.objects.get().party == survivor
    assert Task.objects.get().party == survivor
    assert sorted(t.name for t in survivor.tags.all()) == ["VIP", "fibre"]
    assert StageChange.objects.filter(party=merged).count() == 0
    assert StageChange.objects.filter(party=survivor).count() == 2
    assert (survivor.name, survivor.stage) == ("Jana Nováková", Stage.LEAD)


def test_the_picked_values_win_and_are_recorded_old_to_new(pair):
    survivor, merged, agent = pair

    party_merge(survivor=survivor, merged=merged, by=agent, picks={"stage": "merged", "last_name": "merged"},
                now=NOW)

    survivor.refresh_from_db()
    assert (survivor.last_name, survivor.name, survivor.stage) == ("Novakova", "Jana Novakova", Stage.CUSTOMER)
    entry = AuditEntry.objects.get(action="abonent.customers.party.merged")
    assert entry.changes["last_name"] == ["Nováková", "Novakova"]
    assert entry.changes["stage"] == ["lead", "customer"]
    assert entry.changes["merged"] == [None, f"Jana Novakova (#{merged.pk})"]
    assert entry.changes["tags"] == [["VIP"], ["VIP", "fibre"]]
    last_move = StageChange.objects.filter(party=survivor).order_by("-at", "-id").first()
    assert (last_move.from_stage, last_move.to_stage) == (Stage.LEAD, Stage.CUSTOMER)


def test_the_history_of_both_is_visible_on_the_survivor(pair):
    survivor, merged, agent = pair
    merged_entries = set(AuditEntry.objects.filter(subject_id=str(merged.pk)).values_list("id", flat=True))

    party_merge(survivor=survivor, merged=merged, by=agent, now=NOW)

    history = set(party_history(party=survivor).values_list("id", flat=True))
    assert merged_entries < history
    assert AuditEntry.objects.filter(action="abonent.customers.party.merged_into", subject_id=str(merged.pk)).exists()
    assert AuditEntry.objects.filter(action="abonent.customers.contact.moved", subject_id=str(survivor.pk)).count() == 2


def test_earlier_duplicates_of_the_merged_record_follow_it(pair, make_user):
    survivor, merged, agent = pair
    older = person(first_name="J.", last_name="Nováková", phone="", email="")
    party_merge(survivor=merged, merged=older, by=agent)

    party_merge(survivor=survivor, merged=merged, by=agent)

    older.refresh_from_db()
    assert older.merged_into == survivor
    assert set(party_history(party=survivor).values_list("subject_id", flat=True)) == {
        str(survivor.pk), str(merged.pk), str(older.pk),
    }


def test_other_modules_are_told_so_they_move_their_rows(pair):
    survivor, merged, agent = pair
    heard = []

    def receiver(sender, **kwargs):
        heard.append((kwargs["survivor"].pk, kwargs["merged"].pk))

    party_merged.connect(receiver)
    try:
        party_merge(survivor=survivor, merged=merged, by=agent)
    finally:
        party_merged.disconnect(receiver)

    assert heard == [(survivor.pk, merged.pk)]


def test_it_refuses_to_merge_a_record_with_itself_or_a_tombstone(pair):
    survivor, merged, agent = pair
    with pytest.raises(MergeRefused):
        party_merge(survivor=survivor, merged=survivor, by=agent)
    party_merge(survivor=survivor, merged=merged, by=agent)

    with pytest.raises(MergeRefused, match="already merged"):
        party_merge(survivor=survivor, merged=merged, by=agent)
