"""Input checks for the call center's forms; the services check again and do the writing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from abonent.accounts.models import Team, User
from abonent.callcenter.models import (
    QUALITY_CHECKS,
    CallOutcome,
    Campaign,
    Classification,
    CommercialZone,
    Priority,
    RequestSettings,
    RequestType,
)
from abonent.callcenter.selectors import contract_label, party_contracts
from abonent.contracts.models import Contract
from abonent.core.roles import STAFF_ROLES
from abonent.customers.forms import CountrySelect, country_choices
from abonent.customers.models import CallCenterStatus, Party, Stage, Tag

MOMENT = "%Y-%m-%dT%H:%M"


def moment_input() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=MOMENT)


def day_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def staff_members():
    return User.objects.filter(is_active=True, role__in=STAFF_ROLES).order_by("first_name", "last_name", "username")


class OutcomeChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: CallOutcome) -> str:
        return obj.label_in(get_language() or "en")


# --- calls -------------------------------------------------------------------------------------------


class CallForm(forms.Form):
    outcome = OutcomeChoice(label=_("Outcome"), queryset=CallOutcome.objects.none(), empty_label=None)
    note = forms.CharField(label=_("Note"), required=False, max_length=10_000, widget=forms.Textarea)
    duration = forms.IntegerField(label=_("Duration (seconds)"), min_value=0, max_value=24 * 3600, initial=0)
    callback_at = forms.DateTimeField(label=_("Call back at"), required=False, widget=moment_input())
    next_step = forms.CharField(label=_("Next step"), required=False, max_length=200)
    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=Campaign.objects.none(), required=False,
                                      empty_label=_("No campaign"))

    def __init__(self, *args: Any, outcomes: Any, campaigns: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcome"].queryset = outcomes
        self.fields["campaign"].queryset = campaigns

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        outcome = data.get("outcome")
        if outcome is not None and outcome.needs_callback and not data.get("callback_at"):
            self.add_error("callback_at", _("Give the time the customer asked to be called back."))
        return data


class QualityReviewForm(forms.Form):
    checks = forms.MultipleChoiceField(label=_("Checklist"), choices=QUALITY_CHECKS, required=False,
                                       widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}))
    comment = forms.CharField(label=_("Comment"), required=False, max_length=2000, widget=forms.Textarea(
        attrs={"rows": 3}))


class OutcomeForm(forms.ModelForm):
    class Meta:
        model = CallOutcome
        fields = ["code", "order", "active", "sets_status", "needs_callback", "reached", "meeting_booked"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sets_status"].queryset = CallCenterStatus.objects.filter(active=True)
        self.fields["sets_status"].empty_label = _("Leave the status as it is")
        labels = self.instance.label or {}
        for code, name in settings.LANGUAGES:
            self.fields[f"label_{code}"] = forms.CharField(
                label=_("Name in %(language)s") % {"language": name}, max_length=80, required=code == "en",
                initial=labels.get(code, ""),
            )
        self.order_fields([f"label_{code}" for code, _name in settings.LANGUAGES])

    def label(self) -> dict[str, str]:
        return {code: self.cleaned_data[f"label_{code}"].strip() for code, _name in settings.LANGUAGES
                if self.cleaned_data.get(f"label_{code}", "").strip()}


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["name", "active", "starts_on", "ends_on"]
        widgets = {"starts_on": day_input(), "ends_on": day_input()}


class CampaignAddForm(forms.Form):
    """Which customers to add to a campaign."""

    stage = forms.MultipleChoiceField(label=_("Stage"), choices=Stage.choices, required=False,
                                      widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}))
    country = forms.CharField(label=_("Country code"), max_length=2, required=False,
                              help_text=_("For example CZ; empty for every country."))
    status = forms.ModelChoiceField(label=_("Call-center status"), queryset=CallCenterStatus.objects.all(),
                                    required=False, empty_label=_("Any status"))
    tag = forms.ModelChoiceField(label=_("Tag"), queryset=Tag.objects.all(), required=False,
                                 empty_label=_("Any tag"))
    never_called = forms.BooleanField(label=_("Only customers never called"), required=False)


# --- service requests ------------------------------------------------------------------------------


class RequestForm(forms.Form):
    """Everything on a request a person may change; the status and number are never here."""

    document_date = forms.DateField(label=_("Document date"), widget=day_input())
    request_type = forms.ModelChoiceField(label=_("Request type"), queryset=RequestType.objects.none())
    priority = forms.TypedChoiceField(label=_("Priority"), choices=Priority.choices, coerce=int,
                                      initial=Priority.MEDIUM)
    contact_person = forms.CharField(label=_("Contact person"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    class_1 = forms.ModelChoiceField(label=_("Classification"), queryset=Classification.objects.none(),
                                     required=False)
    class_2 = forms.ModelChoiceField(label=_("Sub-classification"), queryset=Classification.objects.none(),
                                     required=False)
    class_3 = forms.ModelChoiceField(label=_("Detail classification"), queryset=Classification.objects.none(),
                                     required=False)
    service_object = forms.CharField(label=_("Object"), max_length=200, required=False,
                                     help_text=_("The product or service the request is about."))
    contract = forms.ModelChoiceField(label=_("Contract"), queryset=Contract.objects.none(), required=False,
                                      empty_label=_("No contract"),
                                      help_text=_("Empty object: the contract's main product is taken."))
    contract_number = forms.CharField(label=_("Contract number"), max_length=40, required=False)
    serial = forms.CharField(label=_("Serial / lot"), max_length=80, required=False)
    planned_start = forms.DateTimeField(label=_("Planned start"), required=False, widget=moment_input())
    planned_finish = forms.DateTimeField(label=_("Planned finish"), required=False, widget=moment_input())
    team = forms.ModelChoiceField(label=_("Taking team"), queryset=Team.objects.all(), required=False,
                                  help_text=_("Empty: the team of the request type."))
    taken_by = forms.ModelChoiceField(label=_("Taken by"), queryset=User.objects.none(), required=False)
    verifier = forms.ModelChoiceField(label=_("Verifier"), queryset=User.objects.none(), required=False)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    locality = forms.CharField(label=_("Locality"), max_length=100, required=False)
    region = forms.CharField(label=_("County / region"), max_length=100, required=False)
    country = forms.ChoiceField(label=_("Country"), required=False, widget=CountrySelect)
    zone = forms.ModelChoiceField(label=_("Commercial zone"), queryset=CommercialZone.objects.none(),
                                  required=False)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=20_000, widget=forms.Textarea(
        attrs={"rows": 4}))

    def __init__(self, *args: Any, party: Party, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        contracts = party_contracts(party=party)
        if contracts:  # the customer's contracts replace the typed contract number
            self.fields["contract"].queryset = Contract.objects.filter(pk__in=[c.pk for c in contracts])
            self.fields["contract"].label_from_instance = contract_label
            del self.fields["contract_number"]
        else:
            del self.fields["contract"]
        self.fields["request_type"].queryset = RequestType.objects.filter(active=True)
        classes = Classification.objects.filter(active=True).order_by("order", "name")
        for level in (1, 2, 3):
            self.fields[f"class_{level}"].queryset = classes.filter(level=level)
        self.fields["taken_by"].queryset = self.fields["verifier"].queryset = staff_members()
        self.fields["zone"].queryset = CommercialZone.objects.filter(active=True)
        self.fields["country"].choices = [("", "—"), *country_choices()]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, finish = data.get("planned_start"), data.get("planned_finish")
        if start and finish and finish <= start:
            self.add_error("planned_finish", _("The planned finish must come after the planned start."))
        return data

    def classification_parents(self) -> dict[int, int | None]:
        """Each offered classification's parent, for the page to show only the children of the choice above."""
        return dict(Classification.objects.filter(active=True).values_list("pk", "parent_id"))


class MessageForm(forms.Form):
    text = forms.CharField(label=_("Message"), required=False, max_length=20_000, widget=forms.Textarea(
        attrs={"rows": 3}))
    registry_ref = forms.CharField(label=_("Registry record"), max_length=200, required=False)


class MoveForm(forms.Form):
    to = forms.CharField(max_length=20)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("refuse", _("Refuse"))])
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


# --- administration ----------------------------------------------------------------------------------


class SettingsForm(forms.ModelForm):
    class Meta:
        model = RequestSettings
        fields = ["mail_client_on_allocation", "mail_client_on_finalisation", "mail_staff_on_change",
                  "finalise_needs_approval", "warn_finish_passed", "warn_untouched_hours", "warn_team_lead",
                  "log_level"]
        widgets = {"log_level": forms.RadioSelect(attrs={"class": "form-check-input"})}


class RequestTypeForm(forms.ModelForm):
    class Meta:
        model = RequestType
        fields = ["name", "team", "auto_assign", "order", "active"]


class ClassificationForm(forms.ModelForm):
    class Meta:
        model = Classification
        fields = ["name", "parent", "order", "active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Classification.objects.filter(level__lt=3).order_by("level", "name")
        self.fields["parent"].empty_label = _("None: a first-level classification")
        self.fields["parent"].label_from_instance = lambda c: f"{'· ' * (c.level - 1)}{c.name}"


class ZoneForm(forms.ModelForm):
    class Meta:
        model = CommercialZone
        fields = ["name", "code", "active"]


class AbsenceForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Who"), queryset=User.objects.none())
    until = forms.DateTimeField(label=_("Absent until"), required=False, widget=moment_input(),
                                help_text=_("Empty: back now."))

    def __init__(self, *args: Any, team: Team, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = team.members.filter(is_active=True)
