import unicodedata
from collections.abc import Iterator

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _

from abonent.accounts.models import Team, User
from abonent.core.roles import Access, Role


class TokenCodeForm(forms.Form):
    code = forms.RegexField(
        label=_("Code from your authenticator app"), regex=r"^\s*\d{6}\s*$", max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
        error_messages={"invalid": _("Enter the six digits your authenticator app shows.")},
    )


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Reach users created without a password too: they choose their first one through this e-mail."""

    def get_users(self, email: str) -> Iterator[User]:
        # Django skips users with unusable passwords; ours have one because an administrator created them.
        wanted = unicodedata.normalize("NFKC", email).casefold()
        for user in User.objects.filter(email__iexact=email, is_active=True):
            if unicodedata.normalize("NFKC", user.email).casefold() == wanted:
                yield user


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("What the token is for"), max_length=100)


class UserForm(forms.ModelForm):
    """A user's details as an administrator edits them; the services decide who may give which role."""

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "phone", "role", "language", "is_active"]

    def __init__(self, *args, by: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # People sign in with it; the edit view never saved a change to it.
            self.fields["username"].disabled = True
        if by.role != Role.SUPERADMIN and self.instance.role != Role.SUPERADMIN:
            self.fields["role"].widget.choices = [c for c in Role.choices if c[0] != Role.SUPERADMIN]


class UserCreateForm(UserForm):
    class Meta(UserForm.Meta):
        # A new user is active; they are deactivated on the edit page.
        fields = ["username", "first_name", "last_name", "email", "phone", "role", "language"]

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This user name is taken."))
        return username


class UserFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    role = forms.ChoiceField(label=_("Role"), required=False, choices=[("", _("All roles")), *Role.choices])


class RightsForm(forms.Form):
    """One select per (role, module); field names are role__module."""

    def __init__(self, *args, rights: dict[tuple[str, str], int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for role in Role.values:
            if role == Role.SUPERADMIN:
                continue
            for module in settings.ABONENT_MODULES:
                self.fields[f"{role}__{module}"] = forms.TypedChoiceField(
                    choices=Access.choices, coerce=int, initial=rights.get((role, module), Access.NONE),
                    label=f"{Role(role).label} / {settings.ABONENT_MODULES[module]}",
                )


class TeamForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = ["name", "leader", "members"]
        widgets = {"members": forms.SelectMultiple(attrs={"size": 12})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        staff = User.objects.filter(is_active=True).exclude(role=Role.CUSTOMER)
        self.fields["leader"].queryset = staff
        self.fields["members"].queryset = staff
        self.fields["members"].help_text = _("Hold Ctrl (⌘ on a Mac) to choose several people.")
