"""Calls: what an agent logs after talking (or failing to talk) to a customer, and the lists they use."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from abonent.appointments.models import Meeting
from abonent.core.models import Channel
from abonent.customers.models import CallCenterStatus, Party, Task, label_in

__all__ = ["QUALITY_CHECKS", "Call", "CallOutcome", "Campaign", "CampaignTarget", "PartyCallState", "QualityReview"]


class CallOutcome(models.Model):
    """How a call ended ("reached", "no answer", "call back", ...), and what that does to the customer."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    label = models.JSONField(_("name"), default=dict, help_text=_("One name per language code."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)
    sets_status = models.ForeignKey(
        CallCenterStatus, verbose_name=_("sets the call-center status to"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    needs_callback = models.BooleanField(_("needs a callback time"), default=False)
    reached = models.BooleanField(_("counts as reached"), default=False)
    meeting_booked = models.BooleanField(_("a meeting was booked"), default=False)

    class Meta:
        verbose_name = _("call outcome")
        verbose_name_plural = _("call outcomes")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.label_in(get_language() or "en")

    def label_in(self, language: str) -> str:
        return label_in(self.label, language, self.code)


class Campaign(models.Model):
    """A calling campaign ("spring fibre offer"): the customers to call and the calls made for it."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    active = models.BooleanField(_("active"), default=True)
    starts_on = models.DateField(_("starts"), null=True, blank=True)
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"))

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-active", "name"]

    def __str__(self) -> str:
        return self.name


class CampaignTarget(models.Model):
    """A customer to call in a campaign; reached once a call with a "reached" outcome is logged."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="targets")
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="campaign_targets")
    added_at = models.DateTimeField(_("added"))
    reached_at = models.DateTimeField(_("reached"), null=True, blank=True)

    class Meta:
        verbose_name = _("campaign customer")
        verbose_name_plural = _("campaign customers")
        constraints = [models.UniqueConstraint(fields=["campaign", "party"], name="one_target_per_campaign_party")]
        indexes = [models.Index(fields=["campaign", "reached_at", "party"], name="campaign_target_open_idx")]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.party_id}"


class PartyCallState(models.Model):
    """Where the call center stands with one customer: the last call and the callback they asked for."""

    party = models.OneToOneField(Party, on_delete=models.CASCADE, related_name="call_state")
    last_call_at = models.DateTimeField(_("last call"), null=True, blank=True)
    last_outcome = models.ForeignKey(CallOutcome, verbose_name=_("last outcome"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    next_callback_at = models.DateTimeField(_("call back at"), null=True, blank=True, db_index=True)
    calls = models.PositiveIntegerField(_("calls"), default=0)

    class Meta:
        verbose_name = _("customer call state")
        verbose_name_plural = _("customer call states")

    def __str__(self) -> str:
        return f"{self.party_id}: {self.next_callback_at or '-'}"


class Call(models.Model):
    """One call with a customer: who, when, how long, how it ended, the note and what comes next."""

    party = models.ForeignKey(Party, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="calls")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("agent"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="calls")
    started_at = models.DateTimeField(_("started"))
    day = models.DateField(_("day"), db_index=True)  # the local day of started_at: the list groups by it
    duration = models.PositiveIntegerField(_("duration (seconds)"), default=0)
    outcome = models.ForeignKey(CallOutcome, verbose_name=_("outcome"), on_delete=models.PROTECT,
                                related_name="calls")
    note = models.TextField(_("note"), blank=True)
    next_step = models.CharField(_("next step"), max_length=200, blank=True)
    callback_at = models.DateTimeField(_("call back at"), null=True, blank=True)
    callback_task = models.ForeignKey(Task, verbose_name=_("callback task"), null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+")
    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="calls")
    # The customer's call-center status once the call was logged (a list groups calls by it).
    status_after = models.ForeignKey(CallCenterStatus, verbose_name=_("call-center status"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="+")
    recording_url = models.URLField(_("recording"), max_length=500, blank=True)
    # The meeting booked during the call (its outcome then says "meeting booked").
    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="calls")
    quality_score = models.PositiveSmallIntegerField(_("quality score"), null=True, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.UI)
    created_at = models.DateTimeField(_("logged"))

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        indexes = [
            models.Index(fields=["started_at", "id"], name="call_started_keyset"),
            models.Index(fields=["party", "-started_at"], name="call_party_idx"),
            models.Index(fields=["agent", "started_at"], name="call_agent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.party_id} {self.started_at:%Y-%m-%d %H:%M}"


# The supervisor's checklist: each ticked item is worth the same share of the score.
QUALITY_CHECKS = [
    ("greeting", _("Greeted and introduced themselves")),
    ("identified", _("Checked who they were speaking to")),
    ("need", _("Understood what the customer needed")),
    ("solution", _("Offered a solution or the right next step")),
    ("agreed", _("Agreed the next step and its time")),
    ("note", _("Wrote a clear note")),
    ("tone", _("Polite, clear and patient throughout")),
]


class QualityReview(models.Model):
    """A supervisor's review of one call: the checklist items met, a score from them, and a comment."""

    call = models.OneToOneField(Call, on_delete=models.CASCADE, related_name="review")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(_("reviewed"))
    checks = models.JSONField(_("checklist"), default=list)
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("quality review")
        verbose_name_plural = _("quality reviews")

    def __str__(self) -> str:
        return f"{self.call_id}: {self.score}"
