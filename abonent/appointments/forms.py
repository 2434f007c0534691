"""Input of the calendar's pages: validation only, the services decide."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from abonent.accounts.models import Team
from abonent.appointments.models import AbsenceKind, CalendarView, MeetingStatus, Weekday
from abonent.appointments.slots import calendar_reps
from abonent.customers.models import Node

# Browsers' date pickers send and expect ISO dates, whatever the language.
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DURATIONS = [(30, _("30 minutes")), (45, _("45 minutes")), (60, _("1 hour")), (90, _("1½ hours")),
             (120, _("2 hours"))]


def _next_working_days(today: dt.date, count: int) -> tuple[dt.date, dt.date]:
    days, day = [], today + dt.timedelta(days=1)
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += dt.timedelta(days=1)
    return days[0], days[-1]


def region_nodes():
    """Nodes that are some rep's region, and the nodes above them: what the region filter offers."""
    from abonent.appointments.models import RepProfile

    paths = set(RepProfile.objects.filter(region__isnull=False).values_list("region__path", flat=True))
    prefixes = {path[: Node.steplen * d] for path in paths for d in range(1, len(path) // Node.steplen + 1)}
    return Node.objects.filter(path__in=prefixes).order_by("path")


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, node: Node) -> str:
        return "— " * (node.depth - 1) + node.name


class SlotSearchForm(forms.Form):
    """What the agent looks for: which days, how long, whose calendar."""

    date_from = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE_INPUT)
    duration = forms.TypedChoiceField(label=_("Length"), choices=DURATIONS, coerce=int, initial=60, required=False)
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.all(), required=False,
                                  empty_label=_("Any team"))
    region = RegionChoiceField(label=_("Region"), queryset=Node.objects.none(), required=False,
                               empty_label=_("The customer's region"))
    rep = forms.ModelChoiceField(label=_("Sales rep"), queryset=calendar_reps(), required=False,
                                 empty_label=_("Any rep"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = region_nodes()
        self.fields["rep"].queryset = calendar_reps()

    @staticmethod
    def defaults() -> dict:
        """The next five working days, an hour, any rep: what the page searches before the agent says more."""
        start, end = _next_working_days(timezone.localdate(), 5)
        return {"date_from": start, "date_to": end, "duration": 60, "team": None, "region": None, "rep": None}

    def clean(self):
        data = super().clean()
        defaults = self.defaults()
        data["date_from"] = data.get("date_from") or defaults["date_from"]
        data["date_to"] = data.get("date_to") or max(defaults["date_to"], data["date_from"])
        data["duration"] = data.get("duration") or 60
        if data["date_to"] < data["date_from"]:
            raise forms.ValidationError(_("The last day comes before the first."))
        if (data["date_to"] - data["date_from"]).days > 31:
            raise forms.ValidationError(_("Search at most a month at a time."))
        return data


class BookingForm(forms.Form):
    """The slot the agent picked, and what the meeting is about."""

    rep = forms.ModelChoiceField(queryset=calendar_reps(), widget=forms.HiddenInput)
    start = forms.DateTimeField(widget=forms.HiddenInput)
    duration = forms.TypedChoiceField(label=_("Length"), choices=DURATIONS, coerce=int, initial=60)
    purpose = forms.CharField(label=_("What the meeting is about"), max_length=200)
    address = forms.TypedChoiceField(label=_("Where"), coerce=int, required=False, empty_value=None)
    other_place = forms.CharField(label=_("Another place"), max_length=300, required=False,
                                  help_text=_("Only when the meeting is not at one of the customer's addresses."))
    note = forms.CharField(label=_("Note for the rep"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    send_confirmation = forms.BooleanField(label=_("E-mail the customer a confirmation"), required=False)

    def __init__(self, *args, party=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rep"].queryset = calendar_reps()
        addresses = list(party.addresses.order_by("-is_primary", "id")) if party is not None else []
        self.addresses = {a.pk: a for a in addresses}
        self.fields["address"].choices = [(a.pk, str(a)) for a in addresses] + [("", _("Another place"))]
        if addresses:
            self.fields["address"].initial = addresses[0].pk
        if party is None or not party.email:
            self.fields["send_confirmation"].disabled = True
            self.fields["send_confirmation"].help_text = _("The customer has no e-mail address.")

    def clean(self):
        data = super().clean()
        if not data.get("address") and not (data.get("other_place") or "").strip():
            raise forms.ValidationError(_("Say where the meeting takes place."))
        return data


class MoveForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    time = forms.TimeField(label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}))
    duration = forms.TypedChoiceField(label=_("Length"), choices=DURATIONS, coerce=int)
    rep = forms.ModelChoiceField(label=_("Sales rep"), queryset=calendar_reps())

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rep"].queryset = calendar_reps()


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=MeetingStatus.choices)
    outcome_note = forms.CharField(label=_("Outcome"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class PreferenceForm(forms.Form):
    view = forms.ChoiceField(label=_("Open the calendar on"), choices=CalendarView.choices)
    days = forms.IntegerField(label=_("Days in the week view"), min_value=1, max_value=14)


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(zoneinfo.available_timezones()) if "/" in name and
            not name.startswith(("Etc/", "SystemV/", "US/"))]


class RepProfileForm(forms.Form):
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=time_zone_choices)
    country = forms.CharField(label=_("Country for public holidays"), max_length=2,
                              help_text=_("Two letters, e.g. CZ, PL, RO, RU."))
    region = RegionChoiceField(label=_("Region"), queryset=Node.objects.all(), required=False,
                               empty_label=_("No region: serves every customer"))
    buffer_minutes = forms.IntegerField(label=_("Minutes between meetings"), min_value=0, max_value=240)
    max_meetings_per_day = forms.IntegerField(label=_("Meetings a day at most"), min_value=1, max_value=30)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Node.objects.filter(depth__lte=3).select_related("structure").order_by(
            "path")


class WorkingHoursForm(forms.Form):
    """One line per weekday: from and until (empty: not working); a second stretch for a split day."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for day in Weekday:
            for part in ("start", "end", "start2", "end2"):
                self.fields[f"{part}_{day.value}"] = forms.TimeField(
                    required=False, widget=forms.TimeInput(attrs={"type": "time", "class": "form-control-sm"}))

    def rows(self):
        return [(day, [self[f"{part}_{day.value}"] for part in ("start", "end", "start2", "end2")])
                for day in Weekday]

    def hours(self) -> list[tuple[int, dt.time, dt.time]]:
        result = []
        for day in Weekday:
            for start_key, end_key in (("start", "end"), ("start2", "end2")):
                start = self.cleaned_data.get(f"{start_key}_{day.value}")
                end = self.cleaned_data.get(f"{end_key}_{day.value}")
                if start and end:
                    result.append((day.value, start, end))
                elif start or end:
                    raise forms.ValidationError(_("Give both times of each stretch, or neither."))
        return result

    @staticmethod
    def initial_from(hours) -> dict[str, dt.time]:
        initial: dict[str, dt.time] = {}
        for h in hours:
            first = f"start_{h.weekday}" not in initial
            initial[f"{'start' if first else 'start2'}_{h.weekday}"] = h.start
            initial[f"{'end' if first else 'end2'}_{h.weekday}"] = h.end
        return initial


class AbsenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=AbsenceKind.choices)
    start = forms.DateTimeField(label=_("From"), widget=DATETIME_INPUT)
    end = forms.DateTimeField(label=_("Until"), widget=DATETIME_INPUT)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
