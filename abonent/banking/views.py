"""Pages of banking: accounts, CSV profiles, statement upload, statements, lines and matching by hand."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from abonent.banking import manual, selectors
from abonent.banking.bank_apis import BankApiError
from abonent.banking.forms import BankAccountForm, CsvProfileForm, ReasonForm, SearchForm, SplitForm, UploadForm
from abonent.banking.lists import BANK_LINES
from abonent.banking.models import BankAccount, BankStatement, BankStatementLine, CsvProfile, MatchState
from abonent.banking.services import BankingError, account_save, csv_profile_save, statement_import
from abonent.banking.sync import account_sync
from abonent.billing.models import ExpectedPayment
from abonent.core.grid import views as grid
from abonent.core.models import Channel
from abonent.core.money import format_money
from abonent.core.permissions import module_required
from abonent.core.roles import Access
from abonent.core.services import AbonentError

MODULE = "banking"


def _can_write(request: HttpRequest) -> bool:
    return request.user.module_access(MODULE) >= Access.WRITE


# --- the bank-lines list ---------------------------------------------------------------------------


@module_required(MODULE, Access.READ)
def line_list(request: HttpRequest) -> HttpResponse:
    return grid.grid_list(request, BANK_LINES, template="banking/lines.html")


@module_required(MODULE, Access.READ)
def line_export(request: HttpRequest, fmt: str) -> HttpResponse:
    return grid.grid_export(request, BANK_LINES, fmt)


@module_required(MODULE, Access.READ)
def line_report(request: HttpRequest) -> HttpResponse:
    return grid.grid_report(request, BANK_LINES)


@module_required(MODULE, Access.READ)
def line_columns(request: HttpRequest) -> HttpResponse:
    return grid.grid_columns(request, BANK_LINES)


@module_required(MODULE, Access.READ)
def line_view_save(request: HttpRequest) -> HttpResponse:
    return grid.grid_view_save(request, BANK_LINES)


@module_required(MODULE, Access.READ)
def line_view_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return grid.grid_view_delete(request, BANK_LINES, pk)


@module_required(MODULE, Access.READ)
def line_view_pin(request: HttpRequest, pk: int) -> HttpResponse:
    return grid.grid_view_pin(request, BANK_LINES, pk)


# --- one line and matching it by hand --------------------------------------------------------------


@module_required(MODULE, Access.READ)
def line_page(request: HttpRequest, pk: int) -> HttpResponse:
    line = get_object_or_404(BankStatementLine.objects.select_related(
        "statement", "account", "party", "expected_payment__contract"), pk=pk)
    search = SearchForm(request.GET or None)
    found = []
    if search.is_valid() and search.cleaned_data["q"]:
        found = list(selectors.expected_payment_search(search.cleaned_data["q"], currency=line.currency))
    open_to_match = line.amount > 0 and line.state in (MatchState.SUGGESTED, MatchState.UNMATCHED)
    return render(request, "banking/line.html", {
        "line": line, "payments": selectors.line_payments(line), "search": search, "found": found,
        "can_write": _can_write(request), "open_to_match": open_to_match,
        "split": SplitForm(items=found) if found else None, "reason": ReasonForm(),
    })


def _back(request: HttpRequest) -> str:
    """The list the action was taken from (the matching screen's row buttons), if it is one of ours."""
    back = request.POST.get("back", "")
    safe = url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure())
    return back if back.startswith("/") and safe else ""


def _after_match(request: HttpRequest, line) -> HttpResponse:
    if back := _back(request):
        return redirect(back)
    if request.POST.get("next"):
        following = selectors.next_to_match(line)
        if following is not None:
            return redirect("banking:line", following.pk)
        messages.info(request, _("No more suggestions wait for a decision."))
        return redirect("banking:matching:list")
    return redirect("banking:line", line.pk)


def _act(request: HttpRequest, pk: int, action, done: str = "") -> HttpResponse:
    line = get_object_or_404(BankStatementLine, pk=pk)
    try:
        line = action(line)
    except AbonentError as error:
        messages.error(request, str(error))
        return redirect(_back(request) or reverse("banking:line", args=[pk]))
    if done:
        messages.success(request, done)
    return _after_match(request, line)


@require_POST
@module_required(MODULE, Access.WRITE)
def line_accept(request: HttpRequest, pk: int) -> HttpResponse:
    line = get_object_or_404(BankStatementLine.objects.select_related("party"), pk=pk)
    done = _("The suggestion is accepted: %(amount)s is recorded for %(customer)s.") % {
        "amount": format_money(line.amount, line.currency), "customer": line.party} if line.party else ""
    return _act(request, pk, lambda line: manual.line_accept(line=line, by=request.user, now=timezone.now()), done)


@require_POST
@module_required(MODULE, Access.WRITE)
def line_assign(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    item = get_object_or_404(ExpectedPayment.objects.select_related("party"), pk=item_id)
    return _act(request, pk, lambda line: manual.line_assign(line=line, item=item, by=request.user,
                                                             now=timezone.now()),
                _("The payment is recorded for %(customer)s.") % {"customer": item.party})


@require_POST
@module_required(MODULE, Access.WRITE)
def line_split(request: HttpRequest, pk: int) -> HttpResponse:
    ids = [int(key[5:]) for key in request.POST if key.startswith("item_") and key[5:].isdigit()]
    items = list(ExpectedPayment.objects.filter(pk__in=ids).select_related("party"))
    data = request.POST.copy()
    for key in data:  # "310,50" as a Czech clerk types it
        if key.startswith("item_"):
            data[key] = data[key].replace(" ", "").replace("\xa0", "").replace(",", ".")
    form = SplitForm(data, items=items)
    if not form.is_valid():
        messages.error(request, _("Give the amounts as numbers more than zero."))
        return redirect("banking:line", pk)
    shares = [manual.Share(party=item.party, amount=amount, item=item) for item, amount in form.shares()]
    return _act(request, pk, lambda line: manual.line_split(line=line, shares=shares, by=request.user,
                                                            now=timezone.now()), _("The line is split."))


@require_POST
@module_required(MODULE, Access.WRITE)
def line_ignore(request: HttpRequest, pk: int) -> HttpResponse:
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _act(request, pk, lambda line: manual.line_ignore(line=line, by=request.user, now=timezone.now(),
                                                             reason=reason), _("The line is set aside."))


@require_POST
@module_required(MODULE, Access.WRITE)
def line_unmatch(request: HttpRequest, pk: int) -> HttpResponse:
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _act(request, pk, lambda line: manual.line_unmatch(line=line, by=request.user, now=timezone.now(),
                                                              reason=reason),
                _("The line is unmatched; its payments were taken back."))


@require_POST
@module_required(MODULE, Access.WRITE)
def line_rematch(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, lambda line: manual.line_rematch(line=line, by=request.user, now=timezone.now()))


# --- statements ------------------------------------------------------------------------------------


@module_required(MODULE, Access.READ)
def statement_page(request: HttpRequest, pk: int) -> HttpResponse:
    statement = get_object_or_404(BankStatement.objects.select_related("account", "imported_by"), pk=pk)
    lines = statement.lines.select_related("party").order_by("position")
    shown = list(lines[:500])
    return render(request, "banking/statement.html", {
        "statement": statement, "lines": shown, "more": statement.line_count > len(shown),
        "lines_url": reverse("banking:list") + f"?statement={statement.pk}",
    })


@module_required(MODULE, Access.WRITE)
def statement_upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = statement_import(data=upload.read(), filename=upload.name, account=form.cleaned_data["account"],
                                      format=form.cleaned_data["format"], by=request.user, channel=Channel.UI,
                                      now=timezone.now())
        except AbonentError as error:
            form.add_error("file", str(error))
    totals = [(currency, result.credit_total.get(currency), result.debit_total.get(currency))
              for currency in sorted({*result.credit_total, *result.debit_total})] if result else []
    return render(request, "banking/upload.html", {
        "form": form, "result": result, "totals": totals,
        "statements": BankStatement.objects.filter(pk__in=result.statement_ids).select_related("account")
        if result else [],
    })


# --- company accounts and CSV profiles -------------------------------------------------------------


@module_required(MODULE, Access.READ)
def account_list(request: HttpRequest) -> HttpResponse:
    return render(request, "banking/accounts.html", {
        "accounts": BankAccount.objects.order_by("name", "id"),
        "profiles": CsvProfile.objects.select_related("account"),
        "can_write": _can_write(request),
    })


@module_required(MODULE, Access.WRITE)
def account_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    account = get_object_or_404(BankAccount, pk=pk) if pk else BankAccount()
    form = BankAccountForm(request.POST or None, instance=account)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in BankAccountForm.Meta.fields}
        token = "" if form.cleaned_data["remove_token"] else (form.cleaned_data["token"] or None)
        try:
            account_save(account=account if pk else BankAccount(), values=values, token=token, by=request.user,
                         now=timezone.now())
        except BankingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Saved."))
            return redirect("banking:accounts")
    return render(request, "banking/account_edit.html", {"form": form, "edited": account if pk else None})


@require_POST
@module_required(MODULE, Access.WRITE)
def account_sync_now(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(BankAccount, pk=pk)
    try:
        result = account_sync(account=account, now=timezone.now(), by=request.user)
    except (BankApiError, AbonentError) as error:
        messages.error(request, str(error))
    else:
        if result is None:
            messages.info(request, _("The bank allows one download every 30 seconds; try again in a moment."))
        else:
            messages.success(request, _("%(lines)s new lines, %(matched)s matched.") % {
                "lines": result.lines, "matched": result.matched})
    return redirect("banking:accounts")


@module_required(MODULE, Access.WRITE)
def csv_profile_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    profile = get_object_or_404(CsvProfile, pk=pk) if pk else CsvProfile()
    form = CsvProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        csv_profile_save(profile=form.save(commit=False), by=request.user, now=timezone.now())
        messages.success(request, _("Saved."))
        return redirect("banking:accounts")
    return render(request, "banking/csv_profile_edit.html", {"form": form, "edited": profile if pk else None})
