"""The users page: administrators create users and change their roles; every change is audited."""

import pytest

from abonent.accounts.models import User
from abonent.core.models import AuditEntry
from abonent.core.roles import Role


def _form(user=None, **values):
    """The fields the edit page posts, filled from a user and then overridden."""
    data = {
        "username": "", "first_name": "", "last_name": "", "email": "", "phone": "", "role": Role.AGENT,
        "language": "", "is_active": "on",
    }
    if user is not None:
        data.update({
            "username": user.username, "first_name": user.first_name, "last_name": user.last_name,
            "email": user.email, "phone": user.phone, "role": user.role, "language": user.language,
        })
    data.update(values)
    return {k: v for k, v in data.items() if v is not None}


def test_an_administrator_creates_a_user_who_has_no_password_yet(client_as):
    client = client_as(Role.ADMINISTRATOR)

    response = client.post("/accounts/users/new/", _form(
        username="jnovak", first_name="Jan", last_name="Novák", email="jan@abonent.test", phone="+420601000111",
        role=Role.SALES_REP, language="cs",
    ))

    assert response["Location"] == "/accounts/users/"
    user = User.objects.get(username="jnovak")
    assert (user.role, user.email, user.phone, user.language) == (Role.SALES_REP, "jan@abonent.test",
                                                                  "+420601000111", "cs")
    assert not user.has_usable_password()
    assert not user.is_staff
    entry = AuditEntry.objects.get(action="abonent.accounts.user.created", target_id=str(user.pk))
    assert entry.actor == client.user
    assert entry.changes["role"] == [None, "sales_rep"]
    assert "They set a password through" in client.get("/accounts/users/").content.decode()


def test_a_taken_user_name_is_refused_whatever_its_case(client_as, make_user):
    make_user(Role.AGENT, username="alena")
    client = client_as(Role.ADMINISTRATOR)

    response = client.post("/accounts/users/new/", _form(username="ALENA"))

    assert response.status_code == 200
    assert "This user name is taken." in response.content.decode()
    assert User.objects.filter(username__iexact="alena").count() == 1


def test_an_administrator_changes_a_role_and_the_audit_log_keeps_old_and_new(client_as, make_user):
    agent = make_user(Role.AGENT)
    client = client_as(Role.ADMINISTRATOR)

    response = client.post(f"/accounts/users/{agent.pk}/", _form(agent, role=Role.MANAGER))

    assert response["Location"] == "/accounts/users/"
    agent.refresh_from_db()
    assert agent.role == Role.MANAGER
    entry = AuditEntry.objects.get(action="abonent.accounts.user.changed", target_id=str(agent.pk))
    assert entry.changes == {"role": ["agent", "manager"]}
    assert entry.actor == client.user


def test_saving_without_changes_writes_no_audit_entry(client_as, make_user):
    agent = make_user(Role.AGENT)
    client = client_as(Role.ADMINISTRATOR)

    client.post(f"/accounts/users/{agent.pk}/", _form(agent))

    assert not AuditEntry.objects.filter(action="abonent.accounts.user.changed").exists()


def test_the_user_name_cannot_be_changed_on_the_edit_page(client_as, make_user):
    agent = make_user(Role.AGENT, username="alena")
    client = client_as(Role.ADMINISTRATOR)

    client.post(f"/accounts/users/{agent.pk}/", _form(agent, username="someone-else", first_name="Alena"))

    agent.refresh_from_db()
    assert (agent.username, agent.first_name) == ("alena", "Alena")
    assert client.get(f"/accounts/users/{agent.pk}/").context["form"]["username"].field.disabled


def test_an_administrator_cannot_make_someone_a_super_administrator(client_as, make_user):
    agent = make_user(Role.AGENT)
    client = client_as(Role.ADMINISTRATOR)

    response = client.post(f"/accounts/users/{agent.pk}/", _form(agent, role=Role.SUPERADMIN))

    assert response.status_code == 200
    assert "Only a super-administrator may make someone a super-administrator." in response.content.decode()
    agent.refresh_from_db()
    assert agent.role == Role.AGENT
    assert not agent.is_superuser


def test_an_administrator_cannot_create_a_super_administrator(client_as):
    client = client_as(Role.ADMINISTRATOR)

    response = client.post("/accounts/users/new/", _form(username="boss", role=Role.SUPERADMIN))

    assert response.status_code == 200
    assert "Only a super-administrator may make someone a super-administrator." in response.content.decode()
    assert not User.objects.filter(username="boss").exists()


def test_the_role_menu_offers_super_administrator_only_to_a_super_administrator(client_as, make_user):
    client = client_as(Role.ADMINISTRATOR)
    assert 'value="superadmin"' not in client.get("/accounts/users/new/").content.decode()

    client.force_login(make_user(Role.SUPERADMIN))
    assert 'value="superadmin"' in client.get("/accounts/users/new/").content.decode()


def test_an_administrator_cannot_change_a_super_administrator(client_as, make_user):
    boss = make_user(Role.SUPERADMIN)
    client = client_as(Role.ADMINISTRATOR)

    response = client.post(f"/accounts/users/{boss.pk}/", _form(boss, first_name="Changed"))

    assert response.status_code == 200
    assert "Only a super-administrator may change a super-administrator." in response.content.decode()
    boss.refresh_from_db()
    assert boss.first_name != "Changed"


def test_a_super_administrator_makes_someone_a_super_administrator(client_as, make_user):
    admin = make_user(Role.ADMINISTRATOR)
    client = client_as(Role.SUPERADMIN)

    client.post(f"/accounts/users/{admin.pk}/", _form(admin, role=Role.SUPERADMIN))

    admin.refresh_from_db()
    assert admin.role == Role.SUPERADMIN
    assert admin.is_staff and admin.is_superuser


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.SUPERADMIN])
def test_nobody_changes_their_own_role(client_as, role):
    client = client_as(role)
    me = client.user

    response = client.post(f"/accounts/users/{me.pk}/", _form(me, role=Role.AGENT))

    assert response.status_code == 200
    assert "You cannot change your own role." in response.content.decode()
    me.refresh_from_db()
    assert me.role == role


def test_nobody_deactivates_themselves(client_as):
    client = client_as(Role.ADMINISTRATOR)
    me = client.user

    response = client.post(f"/accounts/users/{me.pk}/", _form(me, is_active=None))

    assert response.status_code == 200
    assert "You cannot deactivate your own account." in response.content.decode()
    me.refresh_from_db()
    assert me.is_active


def test_a_deactivated_user_can_no_longer_sign_in(client, client_as, make_user):
    agent = make_user(Role.AGENT)
    admin_client = client_as(Role.ADMINISTRATOR)

    admin_client.post(f"/accounts/users/{agent.pk}/", _form(agent, is_active=None))

    agent.refresh_from_db()
    assert not agent.is_active
    entry = AuditEntry.objects.get(action="abonent.accounts.user.changed", target_id=str(agent.pk))
    assert entry.changes == {"is_active": [True, False]}


def test_the_users_page_searches_and_filters_by_role(client_as, make_user):
    make_user(Role.AGENT, last_name="Procházka")
    make_user(Role.SALES_REP, last_name="Procházková")
    make_user(Role.SALES_REP, last_name="Svoboda")
    client = client_as(Role.MANAGER)

    page = client.get("/accounts/users/", {"q": "procház", "role": "sales_rep"}).content.decode()

    assert "Procházková" in page
    assert "Svoboda" not in page
    assert "Procházka<" not in page


def test_a_manager_sees_users_without_edit_links(client_as, make_user):
    agent = make_user(Role.AGENT)
    client = client_as(Role.MANAGER)

    page = client.get("/accounts/users/").content.decode()

    assert agent.last_name in page
    assert f'href="/accounts/users/{agent.pk}/"' not in page
    assert 'href="/accounts/users/new/"' not in page


def test_editing_a_user_who_does_not_exist_is_a_404(client_as):
    assert client_as(Role.ADMINISTRATOR).get("/accounts/users/999999/").status_code == 404
