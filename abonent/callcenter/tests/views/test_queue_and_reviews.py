"""The team queue page, absences set by a supervisor, and quality reviews of calls."""

import datetime as dt

from abonent.accounts.tests.factories import TeamFactory
from abonent.callcenter.models import Absence
from abonent.callcenter.tests.factories import CallFactory, RequestTypeFactory, service_request
from abonent.core.roles import Role


def test_the_queue_page_lists_the_teams_requests_most_urgent_first(client_as):
    team = TeamFactory(name="Technicians")
    kind = RequestTypeFactory(team=team)
    low = service_request(request_type=kind, priority=1)
    high = service_request(request_type=kind, priority=3)
    client = client_as(Role.AGENT)

    page = client.get(f"/callcenter/requests/queue/?team={team.pk}").content.decode()

    queue = page.split('id="queue"', 1)[1]
    assert queue.index(high.number) < queue.index(low.number)


def test_a_manager_marks_a_member_absent_and_an_agent_cannot(client_as, make_user):
    member = make_user(Role.AGENT)
    team = TeamFactory()
    team.members.add(member)
    RequestTypeFactory(team=team)
    until = (dt.datetime.now() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")

    agent = client_as(Role.AGENT)
    assert agent.post(f"/callcenter/requests/queue/{team.pk}/absence/", {"user": member.pk,
                                                                         "until": until}).status_code == 403
    manager = client_as(Role.MANAGER)
    page = manager.get(f"/callcenter/requests/queue/?team={team.pk}").content.decode()
    manager.post(f"/callcenter/requests/queue/{team.pk}/absence/", {"user": member.pk, "until": until})

    assert "Absent until" in page
    assert Absence.objects.get().user == member
    assert "away until" in manager.get(f"/callcenter/requests/queue/?team={team.pk}").content.decode()


def test_a_manager_reviews_a_call_and_an_agent_only_reads_the_review(client_as):
    call = CallFactory()
    manager = client_as(Role.MANAGER)

    manager.post(f"/callcenter/calls/{call.pk}/", {"checks": ["greeting", "need"], "comment": "Clear"})
    agent = client_as(Role.AGENT)
    page = agent.get(f"/callcenter/calls/{call.pk}/").content.decode()
    refused = agent.post(f"/callcenter/calls/{call.pk}/", {"checks": [], "comment": "mine"})

    call.refresh_from_db()
    assert call.quality_score == 29
    assert 'id="review-score"' in page and "Review the call" not in page
    assert refused.status_code == 403
    assert call.review.comment == "Clear"
