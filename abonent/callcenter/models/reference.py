"""What service requests are filed under and routed by, set up by administrators; the module's settings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from abonent.accounts.models import Team

__all__ = ["Absence", "Classification", "CommercialZone", "LogLevel", "RequestSettings", "RequestType"]


class CommercialZone(models.Model):
    """A sales or service territory ("Prague North") a request's address belongs to."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    code = models.CharField(_("code"), max_length=20, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("commercial zone")
        verbose_name_plural = _("commercial zones")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Classification(models.Model):
    """A class of request on one of three levels: "Internet" › "Fibre" › "No signal"."""

    MAX_LEVEL = 3

    name = models.CharField(_("name"), max_length=120)
    parent = models.ForeignKey("self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children")
    level = models.PositiveSmallIntegerField(_("level"), default=1)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("classification")
        verbose_name_plural = _("classifications")
        ordering = ["level", "order", "name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(level__gte=1, level__lte=3), name="classification_level_1_to_3"),
            models.CheckConstraint(
                condition=models.Q(level=1, parent__isnull=True) | models.Q(level__gt=1, parent__isnull=False),
                name="classification_parent_matches_level",
            ),
            models.UniqueConstraint(fields=["parent", "name"], name="classification_name_unique_under_parent"),
            models.UniqueConstraint(fields=["name"], condition=models.Q(parent__isnull=True),
                                    name="classification_top_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class RequestType(models.Model):
    """A kind of service request ("fault repair", "installation"): the team whose queue it lands in."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    team = models.ForeignKey(Team, verbose_name=_("responsible team"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="request_types",
                             help_text=_("New requests of this type land in this team's queue."))
    auto_assign = models.BooleanField(
        _("assign automatically"), default=False,
        help_text=_("Give each new request to the team member with the fewest open requests who is not absent."),
    )
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("request type")
        verbose_name_plural = _("request types")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Absence(models.Model):
    """Someone away until a moment: automatic assignment passes them over until then."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="absence")
    until = models.DateTimeField(_("absent until"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")

    def __str__(self) -> str:
        return f"{self.user_id} until {self.until:%Y-%m-%d %H:%M}"


class LogLevel(models.TextChoices):
    BASIC = "basic", _("Basic: creation, status moves and approvals")
    ADVANCED = "advanced", _("Advanced: also planning, assignment, priority and classification changes")
    DETAILED = "detailed", _("Detailed: every field change and every message")


class RequestSettings(models.Model):
    """The module's options, one row: e-mails, approvals, warnings and how much goes to the audit log."""

    mail_client_on_allocation = models.BooleanField(
        _("e-mail the customer when a request is allocated"), default=False,
        help_text=_("With the planned start and finish, to the request's e-mail address (else the customer's), "
                    "in the language of the customer's country."),
    )
    mail_client_on_finalisation = models.BooleanField(
        _("e-mail the customer when a request is finalised"), default=False,
        help_text=_("To the request's e-mail address (else the customer's): the work is done."),
    )
    mail_staff_on_change = models.BooleanField(
        _("e-mail the staff handling a request on every change"), default=False,
        help_text=_("The person who took it, the verifier, the team lead and the team's members, each in their own "
                    "language, with what changed; not the person who made the change, nor anyone without an "
                    "e-mail address."),
    )
    finalise_needs_approval = models.BooleanField(
        _("finalising needs the verifier's approval"), default=False,
        help_text=_("When someone other than the verifier finalises, the verifier is asked to approve first."),
    )
    warn_finish_passed = models.BooleanField(_("warn when the planned finish has passed"), default=True)
    warn_untouched_hours = models.PositiveSmallIntegerField(
        _("warn when a high-priority request is untouched for (hours)"), default=4,
        help_text=_("0 turns the warning off."),
    )
    warn_team_lead = models.BooleanField(
        _("send the warnings to the team lead"), default=True,
        help_text=_("Checked every 15 minutes; the lead of the request's team is told once per request and "
                    "warning, under the bell and by e-mail."),
    )
    log_level = models.CharField(_("operation log level"), max_length=10, choices=LogLevel.choices,
                                 default=LogLevel.ADVANCED)

    class Meta:
        verbose_name = _("service request settings")
        verbose_name_plural = _("service request settings")

    def __str__(self) -> str:
        return "service request settings"

    @classmethod
    def load(cls) -> RequestSettings:
        """The settings row, made with the defaults the first time it is asked for."""
        found, _created = cls.objects.get_or_create(pk=1)
        return found
