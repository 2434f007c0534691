from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from abonent.banking.models import BankAccount, CsvProfile
from abonent.banking.parsing.csv_layout import FIELDS

FORMAT_CHOICES = [
    ("auto", _("Recognise it from the content")),
    ("camt053", "ISO 20022 camt.053"), ("camt052", "ISO 20022 camt.052"), ("camt054", "ISO 20022 camt.054"),
    ("mt940", "SWIFT MT940"), ("gpc", "ABO/GPC"), ("fio-json", _("Fio banka API (JSON)")),
]
MAX_UPLOAD = 20 * 1024 * 1024


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Statement file"))
    format = forms.ChoiceField(label=_("Format"), initial="auto")
    account = forms.ModelChoiceField(label=_("Company account"), required=False, queryset=BankAccount.objects.none(),
                                     empty_label=_("The one the statement names (registered when new)"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        profiles = [(f"csv:{p.name}", _("CSV: %(name)s") % {"name": p.name}) for p in CsvProfile.objects.all()]
        self.fields["format"].choices = [*FORMAT_CHOICES, *profiles]
        self.fields["account"].queryset = BankAccount.objects.filter(is_active=True)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 20 MB; split the statement."))
        return upload


class BankAccountForm(forms.ModelForm):
    token = forms.CharField(label=_("API token"), required=False, widget=forms.PasswordInput(render_value=False),
                            help_text=_("Kept secret: it is never shown again. Leave empty to keep the saved one."))
    remove_token = forms.BooleanField(label=_("Remove the saved token"), required=False)

    class Meta:
        model = BankAccount
        fields = ["name", "iban", "account_number", "bank_code", "bic", "currency", "is_active", "api"]
        help_texts = {"account_number": _("Only for an account without an IBAN, e.g. 19-2000145399."),
                      "bank_code": _("With the account number: the bank's code, e.g. 0800.")}


class CsvProfileForm(forms.ModelForm):
    class Meta:
        model = CsvProfile
        fields = ["name", "description", "delimiter", "encoding", "date_format", "decimal_separator", "skip_rows",
                  "sign_convention", "debit_marker", "currency", "account"]

    COLUMN_LABELS = {
        "booking_date": _("Column: booking date"), "value_date": _("Column: value date"),
        "amount": _("Column: amount"), "credit": _("Column: money in"), "debit": _("Column: money out"),
        "debit_credit": _("Column: debit/credit mark"), "currency": _("Column: currency"),
        "counterparty_account": _("Column: counterparty account"),
        "counterparty_bank_code": _("Column: counterparty bank code"),
        "counterparty_name": _("Column: counterparty name"), "variable_symbol": _("Column: variable symbol"),
        "constant_symbol": _("Column: constant symbol"), "specific_symbol": _("Column: specific symbol"),
        "end_to_end_id": _("Column: end-to-end ID"), "structured_reference": _("Column: payment reference"),
        "remittance": _("Column: message"), "bank_transaction_id": _("Column: transaction ID"),
        "account": _("Column: own account"),
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        columns = self.instance.columns or {}
        for field in FIELDS:
            self.fields[f"col_{field}"] = forms.CharField(label=self.COLUMN_LABELS[field], required=False,
                                                          max_length=100, initial=columns.get(field, ""))
        self.fields["col_booking_date"].help_text = _("The column's name in the file's header line.")

    def clean(self) -> dict:
        data = super().clean()
        columns = {field: data.get(f"col_{field}", "").strip() for field in FIELDS}
        if not columns["booking_date"]:
            self.add_error("col_booking_date", _("The booking date column is needed."))
        if not (columns["amount"] or (columns["credit"] and columns["debit"])):
            self.add_error("col_amount", _("Name the amount column, or the money in and money out columns."))
        self.instance.columns = {k: v for k, v in columns.items() if v}
        return data


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Reference, customer or amount"), required=False, max_length=100)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=200)


class SplitForm(forms.Form):
    """One amount per expected payment offered (fields item_<id>)."""

    def __init__(self, *args, items=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            self.fields[f"item_{item.pk}"] = forms.DecimalField(required=False, min_value=Decimal("0.01"),
                                                                max_digits=14, decimal_places=2)

    def shares(self) -> list[tuple[object, Decimal]]:
        return [(item, self.cleaned_data[f"item_{item.pk}"]) for item in self.items
                if self.cleaned_data.get(f"item_{item.pk}")]
