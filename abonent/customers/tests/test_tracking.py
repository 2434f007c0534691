from abonent.core.models import AuditEntry
from abonent.core.roles import Role
from abonent.customers import tracking
from abonent.customers.models import TrackingScope
from abonent.customers.services import tracking_scope_update
from abonent.customers.tracking import is_tracked, register_trackable, trackables, tracked_changes


def test_everything_is_tracked_until_an_administrator_says_otherwise(db):
    assert is_tracked("party", "name")
    assert is_tracked("attribute", "contract_speed")


def test_a_switched_off_field_is_not_tracked_and_dropped_from_changes(db):
    TrackingScope.objects.create(entity="party", field="vat_id", tracked=False)

    assert not is_tracked("party", "vat_id")
    assert is_tracked("contact", "vat_id")
    assert tracked_changes("party", {"vat_id": ("a", "b"), "name": ("x", "y")}) == {"name": ("x", "y")}


def test_changing_the_scope_is_audited_and_only_real_changes_count(make_user):
    admin = make_user(Role.ADMINISTRATOR)

    changed = tracking_scope_update(by=admin, tracked={("party", "vat_id"): False, ("party", "name"): True})

    assert changed == 1
    assert not is_tracked("party", "vat_id")
    entry = AuditEntry.objects.get(action="abonent.customers.tracking_scope.changed")
    assert entry.changes == {"party.vat_id": [True, False]}
    assert tracking_scope_update(by=admin, tracked={("party", "vat_id"): True}) == 1
    assert is_tracked("party", "vat_id")


def test_another_part_of_the_record_can_offer_its_fields(db, monkeypatch):
    monkeypatch.setattr(tracking, "_trackables", dict(tracking._trackables))
    register_trackable("attribute", "Attributes", lambda: [("speed", "Speed")], order=70)

    offered = {t.entity: t for t in trackables()}["attribute"]

    assert offered.fields() == [("speed", "Speed")]
