from abonent.core.models import AuditEntry
from abonent.core.roles import Role
from abonent.customers.models import CallCenterStatus
from abonent.customers.tests.factories import CallCenterStatusFactory
from abonent.customers.tracking import is_tracked


def test_an_administrator_adds_and_retires_a_call_center_status(client_as):
    client = client_as(Role.ADMINISTRATOR)

    client.post("/customers/settings/statuses/", {"status-name": "Call back", "status-order": "10",
                                                  "status-active": "on"})
    status = CallCenterStatus.objects.get()
    client.post(f"/customers/settings/statuses/{status.pk}/", {"status-name": "Call back", "status-order": "10"})

    status.refresh_from_db()
    assert (status.name, status.active) == ("Call back", False)
    assert AuditEntry.objects.filter(action__startswith="abonent.customers.call_center_status").count() == 2


def test_a_status_name_is_unique(client_as):
    CallCenterStatusFactory(name="Call back")

    page = client_as(Role.ADMINISTRATOR).post("/customers/settings/statuses/", {
        "status-name": "Call back", "status-order": "1"}).content.decode()

    assert "already exists" in page
    assert CallCenterStatus.objects.count() == 1


def test_an_administrator_takes_a_field_out_of_the_history(client_as):
    client = client_as(Role.ADMINISTRATOR)
    page = client.get("/customers/settings/tracking/").content.decode()
    ticked = [name for name in ("party.name", "party.vat_id", "contact.value") if f'name="{name}"' in page]

    everything_but_vat = {name: "on" for name in _all_boxes(page) if name != "party.vat_id"}
    client.post("/customers/settings/tracking/", everything_but_vat)

    assert ticked == ["party.name", "party.vat_id", "contact.value"]
    assert not is_tracked("party", "vat_id")
    assert is_tracked("party", "name")


def _all_boxes(page: str) -> list[str]:
    import re

    return re.findall(r'type="checkbox" name="([^"]+)"', page)


def test_only_administrators_change_these_settings(client_as):
    client = client_as(Role.MANAGER)

    assert client.get("/customers/settings/statuses/").status_code == 403
    assert client.post("/customers/settings/tracking/", {}).status_code == 403
