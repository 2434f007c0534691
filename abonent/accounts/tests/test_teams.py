from abonent.accounts.models import Team
from abonent.accounts.tests.factories import TeamFactory
from abonent.core.models import AuditEntry
from abonent.core.roles import Role


def test_an_administrator_creates_a_team_with_a_leader_and_members(client_as, make_user):
    client = client_as(Role.ADMINISTRATOR)
    leader, agent1, agent2 = make_user(Role.MANAGER), make_user(Role.AGENT), make_user(Role.AGENT)

    response = client.post("/accounts/teams/new/", {
        "name": "Call center Brno", "leader": leader.pk, "members": [agent1.pk, agent2.pk],
    })

    assert response.status_code == 302
    team = Team.objects.get(name="Call center Brno")
    assert team.leader == leader
    assert set(team.members.all()) == {agent1, agent2}
    entry = AuditEntry.objects.get(action="abonent.accounts.team.created")
    assert entry.actor == client.user
    assert entry.target_label == "Call center Brno"


def test_changing_members_records_old_and_new_members(client_as, make_user):
    client = client_as(Role.ADMINISTRATOR)
    stays, leaves, joins = (make_user(Role.AGENT, first_name=n, last_name="X") for n in ("Stays", "Leaves", "Joins"))
    team = TeamFactory(name="Field sales")
    team.members.set([stays, leaves])

    client.post(f"/accounts/teams/{team.pk}/", {"name": "Field sales", "leader": "", "members": [stays.pk, joins.pk]})

    assert set(team.members.all()) == {stays, joins}
    entry = AuditEntry.objects.get(action="abonent.accounts.team.changed")
    assert entry.changes == {"members": [["Leaves X", "Stays X"], ["Joins X", "Stays X"]]}


def test_saving_a_team_unchanged_writes_no_audit_entry(client_as):
    client = client_as(Role.ADMINISTRATOR)
    team = TeamFactory(name="Quiet")

    client.post(f"/accounts/teams/{team.pk}/", {"name": "Quiet", "leader": "", "members": []})

    assert not AuditEntry.objects.filter(action="abonent.accounts.team.changed").exists()


def test_a_customer_cannot_be_made_a_team_member(client_as, make_user):
    client = client_as(Role.ADMINISTRATOR)
    customer = make_user(Role.CUSTOMER)

    response = client.post("/accounts/teams/new/", {"name": "Odd", "members": [customer.pk]})

    assert response.status_code == 200
    assert not Team.objects.filter(name="Odd").exists()
    assert "members" in response.context["form"].errors


def test_a_manager_sees_teams_but_cannot_change_them(client_as):
    client = client_as(Role.MANAGER)
    team = TeamFactory(name="Readers")

    listing = client.get("/accounts/teams/")

    assert listing.status_code == 200
    assert "Readers" in listing.content.decode()
    assert f'href="/accounts/teams/{team.pk}/"' not in listing.content.decode()
    assert client.get(f"/accounts/teams/{team.pk}/").status_code == 403
    assert client.post("/accounts/teams/new/", {"name": "Nope"}).status_code == 403


def test_an_agent_cannot_open_the_teams_page(client_as):
    assert client_as(Role.AGENT).get("/accounts/teams/").status_code == 403
