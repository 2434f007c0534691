"""Meetings of sales reps with customers, and when each rep can meet: hours, absences, limits."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from abonent.customers.models import Address, Node, Party


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    CONFIRMED = "confirmed", _("Confirmed")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")
    NO_SHOW = "no_show", _("No-show")


# A cancelled meeting frees its slot; every other status keeps it.
BLOCKING_STATUSES = (MeetingStatus.PLANNED, MeetingStatus.CONFIRMED, MeetingStatus.DONE, MeetingStatus.NO_SHOW)


class MeetingQuerySet(models.QuerySet):
    def blocking(self) -> MeetingQuerySet:
        """Meetings that hold their time in the rep's calendar (all but cancelled ones)."""
        return self.exclude(status=MeetingStatus.CANCELLED)

    def overlapping(self, start: dt.datetime, end: dt.datetime) -> MeetingQuerySet:
        """Meetings sharing some time with [start, end)."""
        return self.filter(start__lt=end, end__gt=start)


class Meeting(models.Model):
    """A rep meets a customer at a place, from `start` to `end` (half-open).

    On PostgreSQL an exclusion constraint (`meeting_no_overlap`, created by migration 0002 only there)
    refuses two non-cancelled meetings of one rep whose times overlap.
    """

    rep = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("sales rep"), on_delete=models.PROTECT,
                            related_name="meetings")
    party = models.ForeignKey(Party, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="meetings")
    # The customer's address the place was taken from, if it was one; `place` keeps the text as booked.
    address = models.ForeignKey(Address, verbose_name=_("address"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    place = models.CharField(_("place"), max_length=300)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    purpose = models.CharField(_("purpose"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=MeetingStatus.choices,
                              default=MeetingStatus.PLANNED)
    note = models.TextField(_("note for the rep"), blank=True)
    outcome_note = models.TextField(_("outcome"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("booked by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("booked"))
    # What booked it, in the booker's words: the call center stores "call:<id>", the API its client.
    source = models.CharField(_("booked from"), max_length=200, blank=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["start", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="meeting_ends_after_start"),
        ]
        indexes = [
            models.Index(fields=["rep", "start"], name="meeting_rep_start"),
            models.Index(fields=["party", "start"], name="meeting_party_start"),
            models.Index(fields=["start", "id"], name="meeting_start_keyset"),
            models.Index(fields=["status", "start"], name="meeting_status_start"),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} ({self.start:%Y-%m-%d %H:%M})"

    @property
    def duration(self) -> dt.timedelta:
        return self.end - self.start

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None


def default_time_zone() -> str:
    return settings.TIME_ZONE


class RepProfile(models.Model):
    """How a rep's calendar works: time zone, country (public holidays), region, buffer, daily limit."""

    rep = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_profile")
    time_zone = models.CharField(_("time zone"), max_length=64, default=default_time_zone)
    country = models.CharField(_("country for public holidays"), max_length=2, default="CZ")
    # A node of a customer hierarchy (e.g. "Sales organisation › Czechia"): the rep serves the customers
    # placed in it or below it. No region: the rep serves everyone.
    region = models.ForeignKey(Node, verbose_name=_("region"), null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    buffer_minutes = models.PositiveSmallIntegerField(_("minutes between meetings"), default=15)
    max_meetings_per_day = models.PositiveSmallIntegerField(_("meetings a day at most"), default=6)
    # Where the rep's day starts: ranks the first meeting of an empty day by its distance.
    home_latitude = models.DecimalField(_("base latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    home_longitude = models.DecimalField(_("base longitude"), max_digits=9, decimal_places=6, null=True,
                                         blank=True)

    class Meta:
        verbose_name = _("calendar settings of a rep")
        verbose_name_plural = _("calendar settings of reps")

    def __str__(self) -> str:
        return str(self.rep)


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class WorkingHours(models.Model):
    """One stretch of a rep's weekly working time, in the rep's time zone (a day may have several)."""

    rep = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="working_hours")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    start = models.TimeField(_("from"))
    end = models.TimeField(_("until"))

    class Meta:
        verbose_name = _("working hours")
        verbose_name_plural = _("working hours")
        ordering = ["rep", "weekday", "start"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="working_hours_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M}"


class AbsenceKind(models.TextChoices):
    HOLIDAY = "holiday", _("Holiday")
    SICK = "sick", _("Sick leave")
    TRAINING = "training", _("Training")
    OTHER = "other", _("Other")


class Absence(models.Model):
    """A rep is away during [start, end): no meetings can be booked then."""

    rep = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="absences")
    kind = models.CharField(_("kind"), max_length=10, choices=AbsenceKind.choices, default=AbsenceKind.HOLIDAY)
    start = models.DateTimeField(_("from"))
    end = models.DateTimeField(_("until"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        ordering = ["rep", "start"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="absence_not_empty"),
        ]
        indexes = [models.Index(fields=["rep", "end"], name="absence_rep_end")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start:%Y-%m-%d}"


class CalendarView(models.TextChoices):
    DAY = "day", _("Day")
    WEEK = "week", _("Week")
    MONTH = "month", _("Month")
    LIST = "list", _("List")


class CalendarPreference(models.Model):
    """How a user likes the calendar to open: which view, and how many days the week view shows."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    view = models.CharField(_("view"), max_length=5, choices=CalendarView.choices, default=CalendarView.WEEK)
    days = models.PositiveSmallIntegerField(_("days shown in the week view"), default=5)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(days__gte=1, days__lte=14),
                                              name="calendar_days_range")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.view}/{self.days}"


class CalendarFeed(models.Model):
    """A private ICS address of a rep's calendar; only the SHA-256 digest of its secret is stored."""

    rep = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds")
    prefix = models.CharField(_("starts with"), max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"))
    last_used_at = models.DateTimeField(_("last read"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}…"

    @staticmethod
    def new_secret() -> str:
        return "cal_" + secrets.token_urlsafe(32)

    @staticmethod
    def digest_of(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()


class GeocodedPlace(models.Model):
    """What the geocoder answered for an address (no coordinates: it found nothing), kept so it is asked once."""

    query = models.CharField(max_length=300, unique=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    looked_up_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.query


class AgendaSent(models.Model):
    """The morning agenda of one rep for one day went out (so the periodic job sends it once)."""

    rep = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    sent_at = models.DateTimeField()
    meetings = models.PositiveSmallIntegerField(default=0)
    with_map = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["rep", "day"], name="one_agenda_per_rep_day")]

    def __str__(self) -> str:
        return f"{self.rep_id} {self.day}"
