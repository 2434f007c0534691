from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from abonent.accounts import two_factor
from abonent.accounts.forms import (
    ApiTokenForm,
    LanguageForm,
    PasswordResetForm,
    RightsForm,
    TeamForm,
    TokenCodeForm,
    UserCreateForm,
    UserFilterForm,
    UserForm,
)
from abonent.accounts.models import ApiToken, RoleRight, Team, User
from abonent.accounts.services import (
    api_token_create,
    api_token_revoke,
    rights_update,
    team_create,
    team_update,
    user_create,
    user_set_language,
    user_update,
)
from abonent.core.permissions import has_access, module_required, staff_required
from abonent.core.roles import Access, Role
from abonent.core.services import AbonentError

login = auth_views.LoginView.as_view(template_name="accounts/login.html", redirect_authenticated_user=True)
logout = auth_views.LogoutView.as_view()
password_change = auth_views.PasswordChangeView.as_view(
    template_name="accounts/password_change.html", success_url="/accounts/password/changed/"
)
password_change_done = auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html")
password_reset = auth_views.PasswordResetView.as_view(
    form_class=PasswordResetForm,
    template_name="accounts/password_reset.html",
    email_template_name="accounts/email/password_reset.txt",
    subject_template_name="accounts/email/password_reset_subject.txt",
    success_url="/accounts/password/reset/sent/",
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html", success_url="/accounts/password/reset/complete/"
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)


def _safe_next(request: HttpRequest, candidate: str | None, default: str = "/") -> str:
    if candidate and url_has_allowed_host_and_scheme(candidate, {request.get_host()}, request.is_secure()):
        return candidate
    return default


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language, remembering it for a signed-in user."""
    form = LanguageForm(request.POST)
    target = _safe_next(request, request.POST.get("next"))
    response = redirect(target)
    if form.is_valid():
        language = form.cleaned_data["language"]
        if request.user.is_authenticated:
            user_set_language(user=request.user, language=language)
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax", max_age=365 * 24 * 3600)
    return response


@staff_required
def profile(request: HttpRequest) -> HttpResponse:
    return _profile_page(request)


def _profile_page(request: HttpRequest, *, new_secret: str | None = None) -> HttpResponse:
    return render(request, "accounts/profile.html", {
        "tokens": request.user.api_tokens.filter(revoked_at__isnull=True),
        "has_totp": two_factor.confirmed_device(request.user) is not None,
        "token_form": ApiTokenForm(),
        "new_secret": new_secret,
    })


@staff_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the token a name."))
        return redirect("accounts:profile")
    _token, secret = api_token_create(user=request.user, name=form.cleaned_data["name"])
    # Shown in this response only: parked in the session for a redirect, it would sit in the database.
    response = _profile_page(request, new_secret=secret)
    response.headers["Cache-Control"] = "no-store"
    return response


@staff_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user, revoked_at__isnull=True)
    api_token_revoke(by=request.user, token=token)
    messages.success(request, _("The token “%(name)s” no longer works.") % {"name": token.name})
    return redirect("accounts:profile")


# --- two-factor ------------------------------------------------------------------------------------


@staff_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Enrol a TOTP authenticator: show the QR code, confirm with the first code."""
    if two_factor.confirmed_device(request.user):
        return redirect("accounts:profile")
    device = two_factor.pending_device(request.user)
    form = TokenCodeForm(request.POST or None)
    if form.is_valid():
        if two_factor.confirm(request=request, device=device, code=form.cleaned_data["code"]):
            messages.success(request, _("Two-factor sign-in is on. You will be asked for a code at each sign-in."))
            return redirect("core:home")
        form.add_error("code", _("That code is not right. Check your phone's clock and try the newest code."))
    return render(request, "accounts/two_factor_setup.html", {
        "form": form, "qr_svg": two_factor.qr_svg(device), "secret": two_factor.secret_b32(device),
        "required": settings.ABONENT_REQUIRE_2FA and request.user.is_administrator,
    })


@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    device = two_factor.confirmed_device(request.user)
    if device is None or request.user.is_verified():
        return redirect("core:home")
    form = TokenCodeForm(request.POST or None)
    if form.is_valid():
        if two_factor.verify(request=request, device=device, code=form.cleaned_data["code"]):
            return redirect(_safe_next(request, request.GET.get("next"), "/"))
        form.add_error("code", _("That code is not right. Try the newest code your app shows."))
    return render(request, "accounts/two_factor_verify.html", {"form": form})


@login_required
@require_POST
def two_factor_disable(request: HttpRequest) -> HttpResponse:
    if not request.user.is_verified():
        return redirect("accounts:two_factor_verify")
    if settings.ABONENT_REQUIRE_2FA and request.user.is_administrator:
        messages.error(request, _("Administrators must keep two-factor sign-in on."))
    else:
        two_factor.disable(user=request.user)
        messages.success(request, _("Two-factor sign-in is off."))
    return redirect("accounts:profile")


# --- users and rights ------------------------------------------------------------------------------


@module_required("accounts", Access.READ)
def user_list(request: HttpRequest) -> HttpResponse:
    form = UserFilterForm(request.GET)
    users = User.objects.prefetch_related("teams")
    if form.is_valid():
        if q := form.cleaned_data["q"]:
            users = users.filter(
                Q(username__icontains=q) | Q(first_name__icontains=q) | Q(last_name__icontains=q)
                | Q(email__icontains=q)
            )
        if role := form.cleaned_data["role"]:
            users = users.filter(role=role)
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/user_list.html", {
        "form": form, "page": page, "can_write": has_access(request.user, "accounts", Access.WRITE),
    })


@module_required("accounts", Access.WRITE)
def user_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = get_object_or_404(User, pk=pk) if pk else None
    form_class = UserForm if user else UserCreateForm
    form = form_class(request.POST or None, instance=user, by=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if user is None:
                user = user_create(
                    by=request.user, username=data["username"], password=None, role=data["role"],
                    email=data["email"], first_name=data["first_name"], last_name=data["last_name"],
                    language=data["language"], phone=data["phone"],
                )
                messages.success(request, _("The user is created. They set a password through “Forgot password”."))
            else:
                values = {k: data[k] for k in ("first_name", "last_name", "email", "phone", "role", "language",
                                               "is_active")}
                user_update(by=request.user, user=User.objects.get(pk=user.pk), values=values)
                messages.success(request, _("Saved."))
            return redirect("accounts:user_list")
        except AbonentError as error:
            form.add_error(None, str(error))
    return render(request, "accounts/user_edit.html", {"form": form, "edited": user})


@module_required("accounts", Access.READ)
def rights(request: HttpRequest) -> HttpResponse:
    current = {(r.role, r.module): r.access for r in RoleRight.objects.all()}
    form = RightsForm(request.POST or None, rights=current)
    if request.method == "POST":
        if not has_access(request.user, "accounts", Access.WRITE):
            raise PermissionDenied
        if form.is_valid():
            rights_update(by=request.user, rights={
                tuple(name.split("__", 1)): Access(access) for name, access in form.cleaned_data.items()
            })
            messages.success(request, _("Rights saved."))
            return redirect("accounts:rights")
        # The matrix shows no per-field errors: only a tampered or truncated post gets here.
        messages.error(request, _("Some rights were not understood. Nothing was saved."))
    roles = [Role(r) for r in Role.values if r != Role.SUPERADMIN]
    rows = [
        (label, [form[f"{role.value}__{module}"] for role in roles])
        for module, label in settings.ABONENT_MODULES.items()
    ]
    return render(request, "accounts/rights.html", {
        "form": form, "roles": roles, "rows": rows,
        "can_write": has_access(request.user, "accounts", Access.WRITE),
    })


@module_required("accounts", Access.READ)
def team_list(request: HttpRequest) -> HttpResponse:
    teams = Team.objects.select_related("leader").prefetch_related("members")
    return render(request, "accounts/team_list.html", {
        "teams": teams, "can_write": has_access(request.user, "accounts", Access.WRITE),
    })


@module_required("accounts", Access.WRITE)
def team_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    team = get_object_or_404(Team, pk=pk) if pk else None
    form = TeamForm(request.POST or None, instance=team)
    if form.is_valid():
        data = form.cleaned_data
        members = tuple(data["members"])
        if team is None:
            team_create(by=request.user, name=data["name"], leader=data["leader"], members=members)
        else:
            team_update(by=request.user, team=Team.objects.get(pk=team.pk), name=data["name"],
                        leader=data["leader"], members=members)
        messages.success(request, _("Saved."))
        return redirect("accounts:team_list")
    return render(request, "accounts/team_edit.html", {"form": form, "edited": team})
