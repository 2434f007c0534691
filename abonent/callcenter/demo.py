"""Demo data for the call center: outcomes in five languages, a campaign, request types, classifications,
zones, a few hundred calls and about a hundred service requests in every state. Safe to run again."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from abonent.accounts.models import Team, User
from abonent.accounts.services import team_create
from abonent.callcenter.call_services import call_log
from abonent.callcenter.models import (
    Call,
    CallOutcome,
    Campaign,
    CampaignTarget,
    Classification,
    CommercialZone,
    RequestStatus,
    RequestType,
    ServiceRequest,
)
from abonent.callcenter.request_services import request_create, request_message_add
from abonent.callcenter.workflow import request_transition
from abonent.core.models import Channel
from abonent.core.roles import Role
from abonent.customers.models import CallCenterStatus, Party

OUTCOMES = [
    # code, en, cs, pl, ro, ru, sets status, needs callback, reached, meeting
    ("reached", "Reached", "Zastižen", "Osiągnięty", "Contactat", "Дозвонились", "Interested", False, True, False),
    ("no-answer", "No answer", "Nebere to", "Brak odpowiedzi", "Nu răspunde", "Не отвечает", None, False, False,
     False),
    ("busy", "Busy", "Obsazeno", "Zajęte", "Ocupat", "Занято", None, False, False, False),
    ("callback", "Call back", "Zavolat znovu", "Oddzwonić", "Revenire", "Перезвонить", "Call back", True, True,
     False),
    ("not-interested", "Not interested", "Nemá zájem", "Niezainteresowany", "Nu este interesat", "Не интересно",
     "Not interested", False, True, False),
    ("wrong-number", "Wrong number", "Špatné číslo", "Błędny numer", "Număr greșit", "Неверный номер",
     "Do not call", False, False, False),
    ("meeting", "Meeting booked", "Schůzka domluvena", "Spotkanie umówione", "Întâlnire programată",
     "Встреча назначена", "Interested", False, True, True),
]
LANGUAGES = ("en", "cs", "pl", "ro", "ru")
CLASSES = {
    "Internet": {"Fibre": ["No signal", "Slow connection", "Router fault"], "DSL": ["Drops out", "Slow connection"]},
    "Television": {"IPTV": ["No picture", "Missing channels"], "Set-top box": ["Does not start", "Remote control"]},
    "Phone": {"Mobile": ["No coverage", "SIM card"], "Landline": ["No dial tone", "Noise on the line"]},
    "Billing": {"Invoice": ["Wrong amount", "Copy needed"], "Payment": ["Not matched", "Refund"]},
}
ZONES = [("Prague", "PRG"), ("Brno", "BRN"), ("Warsaw", "WAW"), ("Bucharest", "BUC"), ("Moscow", "MOW")]
TYPES = [("Fault repair", True), ("Installation", False), ("Relocation", False), ("Billing question", True)]
OBJECTS = ["Fibre 300", "Fibre 1000", "IPTV Basic", "IPTV Plus", "Mobile 10 GB", "Landline", "Router AX3000",
           "Set-top box S2"]
NOTES = ["Customer asked about the new tariff.", "Left a message on the voicemail.", "Wants a written offer.",
         "Prefers calls after 5 pm.", "Complained about the last invoice.", "Happy with the service."]


def demo_callcenter_load(*, now: dt.datetime) -> str:
    """Load the call center's demo data once; later runs add nothing."""
    if CallOutcome.objects.exists():
        return "already loaded"
    with transaction.atomic():
        outcomes = _outcomes()
        campaign = Campaign.objects.create(name="Spring fibre offer", starts_on=now.date() - dt.timedelta(days=14),
                                           created_at=now)
        _classes()
        zones = [CommercialZone.objects.create(name=name, code=code) for name, code in ZONES]
        team = _service_team()
        types = [RequestType.objects.create(name=name, team=team, auto_assign=auto, order=n * 10)
                 for n, (name, auto) in enumerate(TYPES)]
    parties = list(Party.objects.active().order_by("pk")[:300])
    agents = list(User.objects.filter(role=Role.AGENT, is_active=True).order_by("pk"))
    if not parties or not agents:
        return "outcomes and settings only (no customers or agents yet)"
    CampaignTarget.objects.bulk_create(
        [CampaignTarget(campaign=campaign, party=p, added_at=now) for p in parties[:120]], ignore_conflicts=True)
    calls = _calls(parties=parties, agents=agents, outcomes=outcomes, campaign=campaign, now=now)
    requests = _requests(parties=parties, types=types, zones=zones, team=team, agents=agents, now=now)
    return f"{len(outcomes)} outcomes, {calls} calls, {requests} service requests"


def _outcomes() -> list[CallOutcome]:
    statuses = {s.name: s for s in CallCenterStatus.objects.all()}
    created = []
    for order, (code, *labels, status, callback, reached, meeting) in enumerate(OUTCOMES, start=1):
        created.append(CallOutcome.objects.create(
            code=code, label=dict(zip(LANGUAGES, labels, strict=True)), order=order * 10,
            sets_status=statuses.get(status) if status else None, needs_callback=callback, reached=reached,
            meeting_booked=meeting,
        ))
    return created


def _classes() -> None:
    for order, (top, middles) in enumerate(CLASSES.items()):
        first = Classification.objects.create(name=top, level=1, order=order)
        for name, details in middles.items():
            second = Classification.objects.create(name=name, parent=first, level=2)
            for detail in details:
                Classification.objects.create(name=detail, parent=second, level=3)


def _service_team() -> Team:
    team = Team.objects.filter(name="Call center").first()
    if team is not None:
        return team
    manager = User.objects.filter(role=Role.MANAGER).first()
    agents = tuple(User.objects.filter(role=Role.AGENT))
    return team_create(by=None, name="Call center", leader=manager, members=agents, channel=Channel.SYSTEM)


def _calls(*, parties: list[Party], agents: list[User], outcomes: list[CallOutcome], campaign: Campaign,
           now: dt.datetime) -> int:
    rng = random.Random(5)
    weights = [30, 25, 10, 12, 10, 4, 9]
    days = sorted(rng.uniform(0, 30) for _ in range(360))
    for back in reversed(days):
        # Office hours, on the days before now.
        day = timezone.localtime(now - dt.timedelta(days=back))
        at = min(day.replace(hour=rng.randint(8, 17), minute=rng.randint(0, 59)), now - dt.timedelta(minutes=5))
        party = rng.choice(parties)
        outcome = rng.choices(outcomes, weights=weights)[0]
        callback = None
        if outcome.needs_callback:
            # Most callbacks fall due around now: some overdue, some today, some later.
            callback = now + dt.timedelta(hours=rng.choice([-30, -5, 1, 3, 26, 50]))
            at = min(at, callback - dt.timedelta(hours=1))
        call_log(
            party=party, agent=rng.choice(agents), outcome=outcome, note=rng.choice(NOTES) if outcome.reached else "",
            duration=rng.randint(20, 600) if outcome.reached else rng.randint(0, 30), callback_at=callback,
            campaign=campaign if party.pk % 3 == 0 else None, channel=Channel.SYSTEM, now=at,
        )
    return Call.objects.count()


def _requests(*, parties: list[Party], types: list[RequestType], zones: list[CommercialZone], team: Team,
              agents: list[User], now: dt.datetime) -> int:
    rng = random.Random(7)
    tops = list(Classification.objects.filter(level=1))
    verifier = team.leader or agents[0]
    states = [RequestStatus.TAKEN] * 30 + [RequestStatus.ALLOCATED] * 25 + [RequestStatus.CONFIRMED] * 20 + [
        RequestStatus.FINALISED] * 20 + [RequestStatus.CANCELLED] * 5
    rng.shuffle(states)
    for n, state in enumerate(states):
        day = timezone.localtime(now - dt.timedelta(days=rng.uniform(0, 20)))
        taken = min(day.replace(hour=rng.randint(8, 16), minute=rng.randint(0, 59)), now - dt.timedelta(hours=1))
        top = rng.choice(tops)
        middle = rng.choice(list(top.children.all()))
        detail = rng.choice(list(middle.children.all()))
        start = taken + dt.timedelta(days=rng.randint(1, 6), hours=rng.randint(0, 6))
        planned = state != RequestStatus.TAKEN or rng.random() < 0.3
        request = request_create(
            channel=rng.choice(["ui", "ui", "ui", "api", "portal", "email"]), party=rng.choice(parties),
            request_type=rng.choice(types), by=rng.choice(agents), now=taken, class_1=top, class_2=middle,
            class_3=detail, service_object=rng.choice(OBJECTS), priority=rng.choices([1, 2, 3], [3, 5, 2])[0],
            zone=rng.choice(zones), serial=f"SN{rng.randint(100000, 999999)}" if rng.random() < 0.5 else "",
            planned_start=start if planned else None, planned_finish=start + dt.timedelta(hours=2) if planned else None,
            verifier=verifier if planned else None, notes=rng.choice(NOTES),
        )
        member = request.taken_by or rng.choice(agents)
        moment = taken + dt.timedelta(hours=1)
        if n % 4 == 0:
            request_message_add(request=request, by=member, text="Spoke with the customer; details confirmed.",
                                now=moment)
        path = {RequestStatus.TAKEN: [], RequestStatus.ALLOCATED: ["allocated"],
                RequestStatus.CONFIRMED: ["allocated", "confirmed"],
                RequestStatus.FINALISED: ["allocated", "confirmed", "finalised"],
                RequestStatus.CANCELLED: ["cancelled"]}[state]
        for step in path:
            moment += dt.timedelta(hours=rng.randint(1, 20))
            request_transition(request=request, to=step, by=member if step != "finalised" else verifier,
                               now=min(moment, now))
    return ServiceRequest.objects.count()
