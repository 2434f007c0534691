import datetime as dt

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from abonent.core.models import Channel, DocumentSeries


def query_day(value: str | None, default: dt.date) -> dt.date:
    """A day given in an address (?from=2026-03-01), or `default` when it is missing or no day."""
    try:
        return dt.date.fromisoformat(value) if value else default
    except ValueError:
        return default


class AuditFilterForm(forms.Form):
    action = forms.CharField(label=_("Action starts with"), required=False)
    actor = forms.IntegerField(label=_("User"), required=False, widget=forms.Select)
    channel = forms.ChoiceField(label=_("Channel"), required=False, choices=[("", _("All")), *Channel.choices])
    target = forms.CharField(label=_("Target"), required=False)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    before = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ClosePeriodForm(forms.Form):
    active_from = forms.DateField(label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}))
    last_day = forms.DateField(label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}))
    domain = forms.ChoiceField(label=_("Module"), required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["domain"].choices = [("", _("All modules")), *settings.ABONENT_MODULES.items()]

    def clean(self) -> dict:
        data = super().clean()
        if data.get("active_from") and data.get("last_day") and data["last_day"] < data["active_from"]:
            raise forms.ValidationError(_("The last day must not come before the first day."))
        return data


class DocumentSeriesForm(forms.ModelForm):
    class Meta:
        model = DocumentSeries
        fields = ["code", "document_type", "name", "prefix", "padding", "reset_yearly", "is_default", "active"]

    def clean(self) -> dict:
        data = super().clean()
        if data.get("is_default") and data.get("document_type"):
            others = DocumentSeries.objects.filter(document_type=data["document_type"], is_default=True)
            if self.instance.pk:
                others = others.exclude(pk=self.instance.pk)
            if others.exists():
                # Said here, before the model's constraint check, which only names the constraint.
                self.add_error("is_default", _("Another series is already the default for this document type."))
        return data
