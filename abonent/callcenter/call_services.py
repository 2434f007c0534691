"""Writes about calls: logging one (with its effects on the customer), quality reviews, outcomes, campaigns."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from abonent.appointments.services import meeting_book, party_place
from abonent.callcenter.models import (
    QUALITY_CHECKS,
    Call,
    CallOutcome,
    Campaign,
    CampaignTarget,
    PartyCallState,
    QualityReview,
)
from abonent.callcenter.signals import call_logged
from abonent.core.models import Channel
from abonent.core.roles import Role
from abonent.core.services import AbonentError, audit_record, changed_fields
from abonent.customers.activity_services import task_add, task_set_done
from abonent.customers.models import Party, Task
from abonent.customers.services import assert_not_merged, party_update

NOTE_MAX_LENGTH = 10_000
DURATION_MAX = 24 * 3600
SUPERVISOR_ROLES = frozenset({Role.MANAGER, Role.ADMINISTRATOR, Role.SUPERADMIN})


class CallError(AbonentError):
    pass


def is_supervisor(user: Any) -> bool:
    """Managers and administrators review calls and run campaigns."""
    return getattr(user, "role", None) in SUPERVISOR_ROLES and user.is_active


def _short(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def call_log(
    *, party: Party, agent: Any, outcome: CallOutcome, note: str, duration: int,
    callback_at: dt.datetime | None = None, campaign: Campaign | None = None, next_step: str = "",
    channel: str = Channel.UI, now: dt.datetime,
) -> Call:
    """Record a call that just ended, and do what its outcome says.

    The outcome may set the customer's call-center status; a callback time (required by some outcomes)
    becomes a task for the agent on that day and the customer's pending callback. Logging a call closes
    the callback tasks of earlier calls (the customer has been called back). A "reached" outcome in a
    campaign marks the customer as reached there.
    """
    assert_not_merged(party)
    note, next_step = note.strip(), " ".join(next_step.split())
    if not outcome.active:
        raise CallError(_("The outcome “%(outcome)s” is no longer used; choose another.") % {"outcome": outcome})
    if len(note) > NOTE_MAX_LENGTH:
        raise CallError(_("A call note can be at most %(n)s characters long.") % {"n": NOTE_MAX_LENGTH})
    if not 0 <= duration <= DURATION_MAX:
        raise CallError(_("The duration must be between 0 seconds and 24 hours."))
    if outcome.needs_callback and callback_at is None:
        raise CallError(_("“%(outcome)s” needs the time the customer asked to be called back.")
                        % {"outcome": outcome})
    if callback_at is not None and callback_at <= now:
        raise CallError(_("The callback time has already passed; give a time in the future."))
    if campaign is not None and not campaign.active:
        raise CallError(_("The campaign “%(name)s” is closed.") % {"name": campaign.name})

    started_at = now - dt.timedelta(seconds=duration)
    with transaction.atomic():
        if outcome.sets_status_id and party.call_center_status_id != outcome.sets_status_id:
            party_update(party=party, by=agent, values={"call_center_status": outcome.sets_status},
                         channel=channel, now=now)
        _close_earlier_callbacks(party=party, by=agent, channel=channel, now=now)
        task = None
        if callback_at is not None:
            local = timezone.localtime(callback_at)
            task = task_add(
                party=party, by=agent, owner=agent if getattr(agent, "is_authenticated", False) else None,
                title=_("Call back at %(time)s") % {"time": formats.date_format(local, "SHORT_DATETIME_FORMAT")},
                due_on=local.date(), channel=channel, now=now,
            )
        call = Call.objects.create(
            party=party, agent=agent if getattr(agent, "is_authenticated", False) else None,
            started_at=started_at, day=timezone.localtime(started_at).date(), duration=duration,
            outcome=outcome, note=note, next_step=next_step, callback_at=callback_at, callback_task=task,
            campaign=campaign, status_after_id=party.call_center_status_id, channel=channel, created_at=now,
        )
        _remember(party=party, call=call)
        if campaign is not None:
            target, _new = CampaignTarget.objects.get_or_create(campaign=campaign, party=party,
                                                                defaults={"added_at": now})
            if outcome.reached and target.reached_at is None:
                target.reached_at = now
                target.save(update_fields=["reached_at"])
        audit_record(
            actor=agent, action="abonent.callcenter.call.logged", target=call, subject=party, channel=channel,
            now=now, changes={
                "outcome": (None, outcome.code), "duration": (None, duration),
                **({"callback_at": (None, callback_at)} if callback_at else {}),
                **({"campaign": (None, campaign.name)} if campaign else {}),
                **({"note": (None, _short(note))} if note else {}),
                **({"next_step": (None, next_step)} if next_step else {}),
            },
        )
        call_logged.send(sender=Call, call=call, by=agent, now=now)
    return call


def _close_earlier_callbacks(*, party: Party, by: Any, channel: str, now: dt.datetime) -> None:
    task_ids = Call.objects.filter(party=party, callback_task__isnull=False).values("callback_task")
    for task in Task.objects.filter(pk__in=task_ids, done_at__isnull=True).order_by("pk"):
        task_set_done(task=task, done=True, by=by, channel=channel, now=now)


def _remember(*, party: Party, call: Call) -> None:
    state, _created = PartyCallState.objects.select_for_update().get_or_create(party=party)
    state.last_call_at = call.started_at
    state.last_outcome = call.outcome
    state.next_callback_at = call.callback_at
    state.calls += 1
    state.save()


def call_set_recording(*, call: Call, url: str, channel: str = Channel.SYSTEM, now: dt.datetime) -> Call:
    """Attach the recording's address (the telephony integration calls this once the recording exists)."""
    with transaction.atomic():
        old = call.recording_url
        call.recording_url = url
        call.save(update_fields=["recording_url"])
        audit_record(actor=None, action="abonent.callcenter.call.recording_attached", target=call,
                     subject=call.party, channel=channel, now=now, changes={"recording_url": (old or None, url)})
    return call


def quality_review_save(
    *, call: Call, reviewer: Any, checks: Iterable[str], comment: str, now: dt.datetime,
) -> QualityReview:
    """A supervisor scores a call: each checklist item met is an equal share of 100."""
    if not is_supervisor(reviewer):
        raise CallError(_("Only a manager or an administrator may review calls."))
    known = [code for code, _label in QUALITY_CHECKS]
    ticked = [code for code in known if code in set(checks)]
    score = round(100 * len(ticked) / len(known))
    with transaction.atomic():
        review = QualityReview.objects.filter(call=call).first()
        old = (review.score, review.comment) if review else (None, None)
        if review is None:
            review = QualityReview(call=call)
        review.reviewer, review.reviewed_at, review.checks = reviewer, now, ticked
        review.score, review.comment = score, comment.strip()
        review.save()
        call.quality_score = score
        call.save(update_fields=["quality_score"])
        audit_record(actor=reviewer, action="abonent.callcenter.call.reviewed", target=call, subject=call.party,
                     now=now, changes={"quality_score": (old[0], score), "comment": (old[1], review.comment)})
    return review


# --- outcomes and campaigns ------------------------------------------------------------------------


def outcome_save(*, by: Any, outcome: CallOutcome, values: Mapping[str, Any], now: dt.datetime) -> CallOutcome:
    """Create or change a call outcome."""
    created = outcome.pk is None
    changes = {f: (None, v) for f, v in values.items()} if created else changed_fields(outcome, values)
    try:
        with transaction.atomic():
            for field, value in values.items():
                setattr(outcome, field, value)
            outcome.save()
            if changes:
                audit_record(actor=by, action="abonent.callcenter.outcome." + ("created" if created else "changed"),
                             target=outcome, changes=changes, now=now)
    except IntegrityError:
        raise CallError(_("An outcome with the code “%(code)s” exists already.") % {"code": outcome.code}) from None
    return outcome


def campaign_save(*, by: Any, campaign: Campaign, values: Mapping[str, Any], now: dt.datetime) -> Campaign:
    """Create or change a campaign."""
    created = campaign.pk is None
    if values.get("starts_on") and values.get("ends_on") and values["ends_on"] < values["starts_on"]:
        raise CallError(_("A campaign cannot end before it starts."))
    changes = {f: (None, v) for f, v in values.items()} if created else changed_fields(campaign, values)
    try:
        with transaction.atomic():
            for field, value in values.items():
                setattr(campaign, field, value)
            if created:
                campaign.created_at = now
            campaign.save()
            if changes:
                audit_record(actor=by, action="abonent.callcenter.campaign." + ("created" if created else "changed"),
                             target=campaign, changes=changes, now=now)
    except IntegrityError:
        raise CallError(_("A campaign named “%(name)s” exists already.") % {"name": campaign.name}) from None
    return campaign


CAMPAIGN_ADD_LIMIT = 50_000


def campaign_add_parties(*, campaign: Campaign, parties: QuerySet[Party], by: Any, now: dt.datetime) -> int:
    """Add customers to a campaign (those already in it are left as they are); return how many were added."""
    ids = list(parties.order_by("pk").values_list("pk", flat=True)[: CAMPAIGN_ADD_LIMIT + 1])
    if len(ids) > CAMPAIGN_ADD_LIMIT:
        raise CallError(_("That is more than %(n)s customers; narrow the choice.") % {"n": CAMPAIGN_ADD_LIMIT})
    with transaction.atomic():
        present = set(CampaignTarget.objects.filter(campaign=campaign).values_list("party_id", flat=True))
        new = [CampaignTarget(campaign=campaign, party_id=pk, added_at=now) for pk in ids if pk not in present]
        CampaignTarget.objects.bulk_create(new, batch_size=2000, ignore_conflicts=True)
        if new:
            audit_record(actor=by, action="abonent.callcenter.campaign.customers_added", target=campaign, now=now,
                         note=str(len(new)))
    return len(new)


# --- a meeting booked during the call ----------------------------------------------------------------


def outcome_for_meeting() -> CallOutcome:
    """The active outcome that means "meeting booked" (the first in the agents' order)."""
    outcome = CallOutcome.objects.filter(active=True, meeting_booked=True).order_by("order", "code").first()
    if outcome is None:
        raise CallError(_("No call outcome means “meeting booked”; an administrator can mark one in the call "
                          "center settings."))
    return outcome


def call_book_meeting(
    *, party: Party, agent: Any, rep: Any, start: dt.datetime, end: dt.datetime, purpose: str, note: str = "",
    duration: int = 0, next_step: str = "", campaign: Campaign | None = None, send_confirmation: bool = False,
    channel: str = Channel.UI, now: dt.datetime,
) -> Call:
    """Book a rep's meeting with the customer during the call and log the call as "meeting booked", linked to it.

    Both happen or neither: when the slot was just taken, appointments' SlotTakenError reaches the caller and
    nothing is logged. The customer gets the confirmation e-mail (in their language) when asked and they have
    an address.
    """
    outcome = outcome_for_meeting()
    place = party_place(party=party, now=now)
    if place is None:
        raise CallError(_("The customer has no address to meet at; add one on the customer's page first."))
    with transaction.atomic():
        meeting = meeting_book(rep=rep, party=party, start=start, end=end, place=place, purpose=purpose, by=agent,
                               channel=channel, note=note[:2000], source=_("call center"),
                               send_confirmation=send_confirmation, now=now)
        call = call_log(party=party, agent=agent, outcome=outcome, note=note, duration=duration, campaign=campaign,
                        next_step=next_step, channel=channel, now=now)
        call.meeting = meeting
        call.save(update_fields=["meeting"])
    return call
