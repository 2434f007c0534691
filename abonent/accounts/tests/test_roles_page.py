"""The roles page: a matrix of role × module access that administrators change."""

from django.conf import settings

from abonent.accounts.models import RoleRight, User
from abonent.accounts.rights import DEFAULT_RIGHTS
from abonent.core.models import AuditEntry
from abonent.core.roles import Access, Role

MATRIX_ROLES = [r for r in Role.values if r != Role.SUPERADMIN]


def _matrix(**changes):
    """The whole matrix as the page posts it, from the stored rights, with `role__module=access` changes."""
    current = {(r.role, r.module): r.access for r in RoleRight.objects.all()}
    data = {
        f"{role}__{module}": str(current[(role, module)])
        for role in MATRIX_ROLES for module in settings.ABONENT_MODULES
    }
    data.update({k: str(int(v)) for k, v in changes.items()})
    return data


def test_the_default_rights_are_seeded_for_every_role_and_module():
    stored = {(r.role, r.module): r.access for r in RoleRight.objects.all()}

    assert set(stored) == {(role, module) for role in MATRIX_ROLES for module in settings.ABONENT_MODULES}
    for (role, module), access in stored.items():
        assert access == DEFAULT_RIGHTS[role].get(module, Access.NONE), (role, module)


def test_the_roles_page_shows_the_matrix_without_the_super_administrator(client_as):
    response = client_as(Role.ADMINISTRATOR).get("/accounts/roles/")

    page = response.content.decode()
    assert 'name="agent__customers"' in page
    assert 'name="superadmin__' not in page
    assert "Super-administrator</th>" not in page


def test_an_administrator_saves_a_change_and_the_role_gets_it(client_as, make_user):
    agent = make_user(Role.AGENT)
    assert agent.module_access("banking") == Access.NONE
    client = client_as(Role.ADMINISTRATOR)

    response = client.post("/accounts/roles/", _matrix(agent__banking=Access.READ))

    assert response["Location"] == "/accounts/roles/"
    assert RoleRight.objects.get(role=Role.AGENT, module="banking").access == Access.READ
    assert User.objects.get(pk=agent.pk).module_access("banking") == Access.READ
    entries = AuditEntry.objects.filter(action="abonent.accounts.right.changed")
    assert [(e.target_label, e.changes) for e in entries] == [
        ("agent:banking=0", {"access": ["No access", "Read"]}),
    ]
    assert "Rights saved." in client.get("/accounts/roles/").content.decode()


def test_a_right_given_on_the_roles_page_opens_the_page_for_the_role(client, client_as, make_user):
    agent = make_user(Role.AGENT)
    client.force_login(agent)
    assert client.get("/audit/").status_code == 403

    admin_client = client_as(Role.ADMINISTRATOR)
    admin_client.post("/accounts/roles/", _matrix(agent__audit=Access.READ))
    admin_client.force_login(agent)

    assert admin_client.get("/audit/").status_code == 200


def test_taking_a_right_away_closes_the_page(client_as, make_user):
    client = client_as(Role.ADMINISTRATOR)
    client.post("/accounts/roles/", _matrix(manager__accounts=Access.NONE))

    client.force_login(make_user(Role.MANAGER))

    assert client.get("/accounts/users/").status_code == 403


def test_a_manager_may_read_the_matrix_but_not_save_it(client_as):
    client = client_as(Role.MANAGER)

    page = client.get("/accounts/roles/").content.decode()
    response = client.post("/accounts/roles/", _matrix(agent__banking=Access.WRITE))

    assert 'name="agent__banking"' not in page
    assert response.status_code == 403
    assert "You cannot open this page" in response.content.decode()
    assert RoleRight.objects.get(role=Role.AGENT, module="banking").access == Access.NONE


def test_a_tampered_matrix_saves_nothing_and_says_so(client_as):
    client = client_as(Role.ADMINISTRATOR)
    data = _matrix(agent__banking=Access.READ)
    data["agent__customers"] = "9"

    response = client.post("/accounts/roles/", data)

    assert response.status_code == 200
    assert "Nothing was saved" in response.content.decode()
    assert RoleRight.objects.get(role=Role.AGENT, module="banking").access == Access.NONE


def test_a_super_administrator_has_every_right_whatever_the_matrix_says(make_user):
    boss = make_user(Role.SUPERADMIN)

    assert all(boss.module_access(m) == Access.WRITE for m in settings.ABONENT_MODULES)
    assert not RoleRight.objects.filter(role=Role.SUPERADMIN).exists()
