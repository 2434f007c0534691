"""The banking pages: who may see and change what, upload, statements, lines, matching by hand."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from abonent.banking.models import BankAccount, BankStatement, BankStatementLine, CsvProfile, LinePayment, MatchState
from abonent.banking.tests.factories import BankAccountFactory, BankLineFactory
from abonent.banking.tests.samples import sample
from abonent.billing.models import ExpectedPayment
from abonent.contracts.tests.factories import active_contract
from abonent.core.models import AuditEntry
from abonent.core.roles import Role

pytestmark = pytest.mark.django_db


def upload(client, name: str, **extra):
    return client.post(reverse("banking:upload"), {
        "file": SimpleUploadedFile(name, sample(name)), "format": "auto", **extra})


def test_an_administrator_uploads_a_statement_and_sees_what_was_imported(client_as):
    client = client_as(Role.ADMINISTRATOR)

    response = upload(client, "spojenet_rb_cz_problem.xml")

    assert response.status_code == 200
    page = response.content.decode()
    assert "2 new lines" in page
    assert BankStatementLine.objects.count() == 2
    statement = BankStatement.objects.get()
    assert statement.imported_by == client.user
    assert reverse("banking:statement", args=[statement.pk]) in page


def test_a_broken_file_is_explained_on_the_form(client_as):
    client = client_as(Role.ADMINISTRATOR)
    data = sample("wolph_jejik_knab.sta").replace(b"C500,NTRF", b"Cx12NTRF")

    response = client.post(reverse("banking:upload"), {"file": SimpleUploadedFile("knab.sta", data),
                                                       "format": "auto"})

    assert response.status_code == 200
    assert "line 5: :61: amount &#x27;x12&#x27; is not a number" in response.content.decode()
    assert not BankStatement.objects.exists()


def test_a_statement_that_does_not_add_up_is_imported_with_a_warning_on_the_page_and_the_statement(client_as):
    client = client_as(Role.ADMINISTRATOR)

    page = upload(client, "wolph_jejik_triodos.sta").content.decode()
    statement = BankStatement.objects.get()
    shown = client.get(reverse("banking:statement", args=[statement.pk])).content.decode()
    listed = client.get(reverse("banking:statements:list")).content.decode()

    assert "2 new lines" in page and "Imported, but check it with the bank:" in page
    assert "does not make the closing balance 4370.79: the file is incomplete or altered." in page
    assert "Its balances do not add up" in shown and "4370.79" in statement.warning
    assert "does not add up" in listed
    assert BankStatementLine.objects.count() == 2


def test_a_manager_reads_the_lists_but_gets_no_write_controls_and_cannot_upload(client_as):
    client = client_as(Role.MANAGER)
    BankLineFactory(counterparty_name="Reader's line")

    lines = client.get(reverse("banking:list"))
    refused = client.post(reverse("banking:upload"), {"file": SimpleUploadedFile("x.xml", b"<x/>")})

    assert lines.status_code == 200
    assert "Reader&#x27;s line" in lines.content.decode()
    assert reverse("banking:upload") not in lines.content.decode()
    assert refused.status_code == 403


def test_an_agent_without_banking_rights_is_refused(client_as):
    client = client_as(Role.AGENT)

    assert client.get(reverse("banking:list")).status_code == 403
    assert client.get(reverse("banking:matching:list")).status_code == 403


def test_the_matching_screen_lists_money_in_waiting_for_a_person(client_as):
    client = client_as(Role.ADMINISTRATOR)
    BankLineFactory(counterparty_name="Waiting Payer", state=MatchState.SUGGESTED)
    BankLineFactory(counterparty_name="Done Payer", state=MatchState.MATCHED)
    BankLineFactory(counterparty_name="Outgoing Payee", amount=Decimal("-5.00"), state=MatchState.IGNORED)

    page = client.get(reverse("banking:matching:list")).content.decode()

    assert "Waiting Payer" in page
    assert "Done Payer" not in page
    assert "Outgoing Payee" not in page


def test_the_bank_lines_list_filters_by_state_and_groups_by_account(client_as):
    client = client_as(Role.ADMINISTRATOR)
    BankLineFactory(counterparty_name="Matched One", state=MatchState.MATCHED)
    BankLineFactory(counterparty_name="Open One")

    page = client.get(reverse("banking:list"), {"state": "matched", "group": "account"}).content.decode()

    assert "Matched One" in page
    assert "Open One" not in page


def test_one_click_accepts_a_suggestion_and_goes_to_the_next(client_as):
    client = client_as(Role.ADMINISTRATOR)
    contract = active_contract()
    first = BankLineFactory(amount=Decimal("310.00"), state=MatchState.SUGGESTED, party=contract.party)
    second = BankLineFactory(amount=Decimal("310.00"), state=MatchState.SUGGESTED, party=contract.party)

    response = client.post(reverse("banking:line_accept", args=[first.pk]), {"next": "1"})

    assert response.status_code == 302
    assert response.url == reverse("banking:line", args=[second.pk])
    first.refresh_from_db()
    assert first.state == MatchState.MATCHED
    assert LinePayment.objects.get(line=first).payment.created_by == client.user


def test_searching_an_expected_payment_and_paying_it_with_the_whole_line(client_as):
    client = client_as(Role.ADMINISTRATOR)
    contract = active_contract()
    line = BankLineFactory(amount=Decimal("310.00"))
    item = ExpectedPayment.objects.filter(contract=contract).order_by("due_date")[1]

    found = client.get(reverse("banking:line", args=[line.pk]), {"q": contract.variable_symbol})
    assign = reverse("banking:line_assign", args=[line.pk, item.pk])
    response = client.post(assign)

    assert assign in found.content.decode()
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == "paid"


def test_splitting_a_line_over_a_customers_items_from_the_search_results(client_as):
    client = client_as(Role.ADMINISTRATOR)
    contract = active_contract()
    line = BankLineFactory(amount=Decimal("620.00"))
    a, b = ExpectedPayment.objects.filter(contract=contract).order_by("due_date")[:2]

    client.post(reverse("banking:line_split", args=[line.pk]), {f"item_{a.pk}": "310", f"item_{b.pk}": "310,00"})

    line.refresh_from_db()
    assert (line.state, line.party) == (MatchState.MATCHED, contract.party)
    assert LinePayment.objects.filter(line=line).count() == 2


def test_a_split_between_two_customers_is_refused_with_the_reason(client_as):
    client = client_as(Role.ADMINISTRATOR)
    first, second = active_contract(), active_contract()
    line = BankLineFactory(amount=Decimal("620.00"))
    a = ExpectedPayment.objects.filter(contract=first).order_by("due_date")[0]
    b = ExpectedPayment.objects.filter(contract=second).order_by("due_date")[0]

    response = client.post(reverse("banking:line_split", args=[line.pk]),
                           {f"item_{a.pk}": "310", f"item_{b.pk}": "310"}, follow=True)

    assert "One payment is never shared between customers" in response.content.decode()
    line.refresh_from_db()
    assert line.state == MatchState.UNMATCHED
    assert not LinePayment.objects.exists()


def test_a_suggestion_is_accepted_from_its_row_on_the_matching_screen(client_as):
    client = client_as(Role.ADMINISTRATOR)
    contract = active_contract()
    suggested = BankLineFactory(amount=Decimal("310.00"), state=MatchState.SUGGESTED, party=contract.party,
                                explanation="Named like the customer")
    unmatched = BankLineFactory(amount=Decimal("99.00"), state=MatchState.UNMATCHED)
    accept = reverse("banking:line_accept", args=[suggested.pk])
    listed = reverse("banking:matching:list") + "?state=suggested"

    page = client.get(listed).content.decode()
    response = client.post(accept, {"back": listed})

    assert page.count('class="grid-row-action"><form') == 1  # the unmatched line has no button
    assert f'action="{accept}"' in page and 'title="Named like the customer"' in page
    assert reverse("banking:line_accept", args=[unmatched.pk]) not in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert response.status_code == 302
    assert response.url == listed
    suggested.refresh_from_db()
    assert (suggested.state, suggested.party) == (MatchState.MATCHED, contract.party)
    after = client.get(listed).content.decode()
    assert f"310.00 is recorded for {contract.party}" in after
    assert f'action="{accept}"' not in after


@pytest.mark.parametrize("back", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"])
def test_the_row_button_never_sends_the_user_off_site(client_as, back):
    client = client_as(Role.ADMINISTRATOR)
    contract = active_contract()
    line = BankLineFactory(amount=Decimal("310.00"), state=MatchState.SUGGESTED, party=contract.party)

    response = client.post(reverse("banking:line_accept", args=[line.pk]), {"back": back})

    assert response.url == reverse("banking:line", args=[line.pk])


def test_a_reader_sees_no_accept_buttons_on_the_matching_screen(client_as):
    client = client_as(Role.MANAGER)
    contract = active_contract()
    line = BankLineFactory(amount=Decimal("310.00"), state=MatchState.SUGGESTED, party=contract.party)

    page = client.get(reverse("banking:matching:list")).content.decode()

    assert line.counterparty_name in page
    assert "grid-row-action" not in page


def test_unmatching_from_the_line_page_is_audited_with_the_reason(client_as):
    client = client_as(Role.ADMINISTRATOR)
    contract = active_contract()
    line = BankLineFactory(amount=Decimal("310.00"), state=MatchState.SUGGESTED, party=contract.party)
    client.post(reverse("banking:line_accept", args=[line.pk]))

    client.post(reverse("banking:line_unmatch", args=[line.pk]), {"reason": "Wrong customer"})

    line.refresh_from_db()
    assert line.state == MatchState.UNMATCHED
    assert AuditEntry.objects.get(action="abonent.banking.line.unmatched").note == "Wrong customer"


def test_a_refused_action_is_explained_not_a_server_error(client_as):
    client = client_as(Role.ADMINISTRATOR)
    line = BankLineFactory(amount=Decimal("310.00"))

    response = client.post(reverse("banking:line_accept", args=[line.pk]), follow=True)

    assert response.status_code == 200
    assert "This line has no suggestion to accept." in response.content.decode()


def test_the_statement_page_shows_its_lines_and_the_empty_statement_says_so(client_as):
    client = client_as(Role.ADMINISTRATOR)
    upload(client, "spojenet_rb_cz_194_2024_630804003_3780381_CZK_2024-11-06.xml")
    upload(client, "wolph_mBank_mt940.sta")
    empty, mbank = BankStatement.objects.order_by("pk")

    assert "no lines (balances only)" in client.get(reverse("banking:statement", args=[empty.pk])).content.decode()
    page = client.get(reverse("banking:statement", args=[mbank.pk])).content.decode()
    assert "JAN NOWAK" in page


def test_an_account_is_edited_and_its_token_is_never_shown_back(client_as):
    client = client_as(Role.ADMINISTRATOR)
    account = BankAccountFactory()

    client.post(reverse("banking:account_edit", args=[account.pk]), {
        "name": "Fio", "iban": "CZ06 2010 0000 0020 0028 2668", "currency": "CZK", "is_active": "on", "api": "fio",
        "token": "very-secret-token"})

    account.refresh_from_db()
    assert (account.iban, account.api_token, account.identifier) == (
        "CZ0620100000002000282668", "very-secret-token", "CZ0620100000002000282668")
    page = client.get(reverse("banking:account_edit", args=[account.pk])).content.decode()
    assert "very-secret-token" not in page
    entry = AuditEntry.objects.get(action="abonent.banking.account.changed")
    assert "very-secret-token" not in str(entry.changes)


def test_a_csv_profile_is_saved_and_offered_on_the_upload_form(client_as):
    client = client_as(Role.ADMINISTRATOR)

    client.post(reverse("banking:csv_profile_new"), {
        "name": "mybank", "delimiter": ";", "encoding": "utf-8", "date_format": "%d.%m.%Y",
        "decimal_separator": ",", "skip_rows": "0", "sign_convention": "signed", "col_booking_date": "Datum",
        "col_amount": "Částka"})

    assert CsvProfile.objects.get().columns == {"booking_date": "Datum", "amount": "Částka"}
    assert "csv:mybank" in client.get(reverse("banking:upload")).content.decode()


def test_the_accounts_page_lists_accounts_registered_by_imports(client_as):
    client = client_as(Role.ADMINISTRATOR)
    upload(client, "wolph_mBank_mt940.sta")

    page = client.get(reverse("banking:accounts")).content.decode()

    assert BankAccount.objects.get().iban in page
