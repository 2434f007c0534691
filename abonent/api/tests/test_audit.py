import datetime as dt

from abonent.accounts.services import user_update
from abonent.core.roles import Role


def test_the_audit_log_shows_who_changed_what_newest_first(client, bearer, make_user):
    admin = make_user(Role.ADMINISTRATOR, first_name="Eva", last_name="Malá")
    agent = make_user(Role.AGENT)
    user_update(by=admin, user=agent, values={"role": Role.SALES_REP})
    user_update(by=admin, user=agent, values={"phone": "+420 601 123 456"})
    _manager, headers = bearer(Role.MANAGER)

    body = client.get("/api/audit?action=abonent.accounts.user", headers=headers).json()

    assert [e["changes"] for e in body] == [
        {"phone": ["", "+420 601 123 456"]},
        {"role": ["agent", "sales_rep"]},
    ]
    assert body[0]["actor"] == "Eva Malá"
    assert body[0]["target_type"] == "user"
    assert body[0]["target_id"] == str(agent.pk)
    assert body[0]["channel"] == "ui"


def test_the_audit_log_pages_backwards_by_id(client, bearer, make_user):
    admin = make_user(Role.ADMINISTRATOR)
    agent = make_user(Role.AGENT)
    for n in range(3):
        user_update(by=admin, user=agent, values={"phone": f"+42060100000{n}"})
    _manager, headers = bearer(Role.MANAGER)

    first = client.get("/api/audit?action=abonent.accounts.user&limit=2", headers=headers).json()
    rest = client.get(f"/api/audit?action=abonent.accounts.user&limit=2&before_id={first[-1]['id']}",
                      headers=headers).json()

    assert [e["changes"]["phone"][1] for e in first + rest] == ["+420601000002", "+420601000001", "+420601000000"]


def test_the_audit_log_filters_by_day(client, bearer, make_user):
    admin = make_user(Role.ADMINISTRATOR)
    agent = make_user(Role.AGENT)
    user_update(by=admin, user=agent, values={"phone": "1"}, now=dt.datetime(2026, 1, 5, 10, tzinfo=dt.UTC))
    user_update(by=admin, user=agent, values={"phone": "2"}, now=dt.datetime(2026, 1, 7, 10, tzinfo=dt.UTC))
    _manager, headers = bearer(Role.MANAGER)

    body = client.get("/api/audit?action=abonent.accounts.user&since=2026-01-06", headers=headers).json()

    assert [e["changes"]["phone"][1] for e in body] == ["2"]
