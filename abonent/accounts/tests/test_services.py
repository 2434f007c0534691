"""The account services as other apps and commands call them."""

import datetime as dt

import pytest

from abonent.accounts.models import RoleRight
from abonent.accounts.services import (
    api_token_create,
    right_set,
    rights_seed_defaults,
    rights_update,
    team_create,
    user_create,
    user_update,
)
from abonent.core.models import AuditEntry, Channel
from abonent.core.roles import Access, Role
from abonent.core.services import AbonentError


def test_a_user_created_by_the_system_is_audited_as_the_system(db):
    user = user_create(by=None, username="demo", password="a-long-password-1", role=Role.AGENT,
                       channel=Channel.SYSTEM)

    entry = AuditEntry.objects.get(action="abonent.accounts.user.created")
    assert entry.actor is None
    assert entry.actor_label == "system"
    assert entry.channel == "system"
    assert user.check_password("a-long-password-1")


def test_only_a_super_administrator_may_create_a_super_administrator(make_user):
    with pytest.raises(AbonentError, match="Only a super-administrator"):
        user_create(by=make_user(Role.ADMINISTRATOR), username="boss", password=None, role=Role.SUPERADMIN)

    boss = user_create(by=make_user(Role.SUPERADMIN), username="boss", password=None, role=Role.SUPERADMIN)

    assert boss.is_staff and boss.is_superuser


def test_a_taken_user_name_is_refused_by_the_service(make_user):
    make_user(Role.AGENT, username="alena")

    with pytest.raises(AbonentError, match="is taken"):
        user_create(by=None, username="Alena", password=None, role=Role.AGENT)


def test_user_update_refuses_fields_it_does_not_own(make_user):
    admin, agent = make_user(Role.ADMINISTRATOR), make_user(Role.AGENT)

    with pytest.raises(ValueError, match="password"):
        user_update(by=admin, user=agent, values={"password": "x"})


def test_the_audit_entry_of_a_change_carries_the_time_passed_in(make_user):
    admin, agent = make_user(Role.ADMINISTRATOR), make_user(Role.AGENT)
    when = dt.datetime(2026, 4, 1, 8, 30, tzinfo=dt.UTC)

    user_update(by=admin, user=agent, values={"email": "new@abonent.test"}, now=when)

    entry = AuditEntry.objects.get(action="abonent.accounts.user.changed")
    assert entry.at == when
    assert entry.changes == {"email": [f"{agent.username}@abonent.test", "new@abonent.test"]}


def test_a_role_change_moves_the_django_admin_flags_with_it(make_user):
    boss, admin = make_user(Role.SUPERADMIN), make_user(Role.ADMINISTRATOR)

    user_update(by=boss, user=admin, values={"role": Role.SUPERADMIN})
    admin.refresh_from_db()
    assert admin.is_staff and admin.is_superuser

    user_update(by=boss, user=admin, values={"role": Role.MANAGER})
    admin.refresh_from_db()
    assert not admin.is_staff and not admin.is_superuser


def test_module_access_follows_a_role_change_on_the_same_object(make_user):
    boss, agent = make_user(Role.SUPERADMIN), make_user(Role.AGENT)
    assert agent.module_access("accounts") == Access.NONE

    user_update(by=boss, user=agent, values={"role": Role.ADMINISTRATOR})

    assert agent.module_access("accounts") == Access.WRITE


def test_a_deactivated_user_has_no_access_to_anything(make_user):
    manager = make_user(Role.MANAGER, is_active=False)

    assert manager.module_access("customers") == Access.NONE


def test_seeding_the_defaults_never_overwrites_an_administrators_choice(make_user):
    right_set(by=make_user(Role.ADMINISTRATOR), role=Role.AGENT, module="billing", access=Access.WRITE)
    RoleRight.objects.filter(role=Role.SALES_REP, module="billing").delete()

    created = rights_seed_defaults()

    assert created == 1
    assert RoleRight.objects.get(role=Role.AGENT, module="billing").access == Access.WRITE
    assert RoleRight.objects.get(role=Role.SALES_REP, module="billing").access == Access.READ


def test_setting_a_right_to_what_it_is_writes_no_audit_entry(make_user):
    right_set(by=make_user(Role.ADMINISTRATOR), role=Role.AGENT, module="customers", access=Access.WRITE)

    assert not AuditEntry.objects.filter(action="abonent.accounts.right.changed").exists()


def test_the_super_administrators_rights_cannot_be_set(make_user):
    with pytest.raises(AbonentError, match="always has every right"):
        right_set(by=make_user(Role.SUPERADMIN), role=Role.SUPERADMIN, module="billing", access=Access.NONE)


def test_a_matrix_with_one_bad_row_saves_nothing(make_user):
    admin = make_user(Role.ADMINISTRATOR)

    with pytest.raises(AbonentError):
        rights_update(by=admin, rights={
            (Role.AGENT, "banking"): Access.READ,
            (Role.SUPERADMIN, "billing"): Access.NONE,
        })

    assert RoleRight.objects.get(role=Role.AGENT, module="banking").access == Access.NONE


def test_a_team_is_created_with_its_members_and_audited(make_user):
    leader, member = make_user(Role.MANAGER), make_user(Role.AGENT)

    team = team_create(by=leader, name="Call center", leader=leader, members=(member,))

    assert list(team.members.all()) == [member]
    assert AuditEntry.objects.get(action="abonent.accounts.team.created").changes["name"] == [None, "Call center"]


def test_a_new_token_is_named_even_when_no_name_is_given(make_user):
    token, secret = api_token_create(user=make_user(Role.AGENT), name="")

    assert token.name == "API token"
    assert secret.startswith("abn_")
    assert len(secret) > 40
