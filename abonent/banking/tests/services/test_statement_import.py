import datetime as dt
from decimal import Decimal

import pytest

from abonent.banking.models import BankAccount, BankStatement, BankStatementLine, CsvProfile, MatchState
from abonent.banking.parsing import StatementFormatError
from abonent.banking.services import BankingError, statement_import
from abonent.banking.tests.factories import BankAccountFactory
from abonent.banking.tests.samples import sample
from abonent.core.models import AuditEntry, Channel

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2025, 2, 1, 9, 0, tzinfo=dt.UTC)


def test_a_statement_for_an_unknown_account_registers_the_account_and_stores_its_lines():
    result = statement_import(data=sample("spojenet_rb_cz_problem.xml"), filename="problem.xml",
                              channel=Channel.IMPORT, now=NOW)

    account = BankAccount.objects.get()
    assert (account.iban, account.account_number, account.bank_code) == ("CZ7255000000005140012815", "5140012815",
                                                                          "5500")
    assert (account.currency, account.bic) == ("CZK", "RZBCCZPP")
    assert (result.statements, result.lines, result.duplicates) == (1, 2, 0)
    assert result.accounts_registered == ["CZ7255000000005140012815"]
    statement = BankStatement.objects.get()
    assert (statement.opening_balance, statement.closing_balance) == (Decimal("4294744.35"), Decimal("12864806.35"))
    first = BankStatementLine.objects.get(position=1)
    assert (first.amount, first.variable_symbol, first.counterparty_account) == (Decimal("4994775"), "1101",
                                                                                 "861828109")
    # The domestic account with its bank code becomes an IBAN that customers' accounts can be compared with.
    assert first.counterparty_iban == "CZ2408000000000861828109"
    assert AuditEntry.objects.filter(action="abonent.banking.account.registered").exists()
    assert AuditEntry.objects.get(action="abonent.banking.statement.imported").channel == Channel.IMPORT


def test_importing_the_same_statement_twice_creates_nothing_new():
    statement_import(data=sample("wolph_betterplace_sepa_mt9401.sta"), now=NOW)

    again = statement_import(data=sample("wolph_betterplace_sepa_mt9401.sta"), now=NOW)

    assert (again.statements, again.lines, again.duplicates) == (0, 0, 97)
    assert BankStatementLine.objects.count() == 97
    assert BankStatement.objects.count() == 26


def test_the_empty_statement_is_stored_once_with_its_balances():
    data = sample("spojenet_rb_cz_194_2024_630804003_3780381_CZK_2024-11-06.xml")

    first = statement_import(data=data, now=NOW)
    second = statement_import(data=data, now=NOW)

    assert (first.statements, first.lines, second.statements) == (1, 0, 0)
    assert BankStatement.objects.get().closing_balance == Decimal("-9999999")


def test_an_overlapping_download_adds_only_the_lines_not_seen_before():
    data = sample("h4kuna-fio_last-transactions.json")
    statement_import(data=data, now=NOW)
    # The next download repeats the last two movements and brings one new one.
    later = data.replace(b'"value":"Test zprava"', b'"value":"Test zprava"')
    later = later.replace(b"7159895102", b"7170000001").replace(b"7159895103", b"7170000002")

    result = statement_import(data=later, now=NOW)

    assert (result.lines, result.duplicates) == (2, 2)
    assert BankStatementLine.objects.count() == 6


def test_two_equal_payments_in_one_file_stay_two_lines():
    data = sample("wolph_ASNB_0708271685_09022020_164516.940.txt")
    repeated = data.replace(b":62F:C200105EUR577,74", b":61:2001050105D1,00NDIV\n:86: Fee\n"
                                                      b":61:2001050105D1,00NDIV\n:86: Fee\n:62F:C200105EUR575,74")

    result = statement_import(data=repeated, now=NOW)

    assert result.lines == 10
    assert BankStatementLine.objects.filter(amount=Decimal("-1.00")).count() == 2


def test_lines_go_to_the_account_chosen_on_import():
    account = BankAccountFactory()

    statement_import(data=sample("spojenet_basic_format.abo"), account=account, now=NOW, strict_balances=False)

    assert set(BankStatementLine.objects.values_list("account", flat=True)) == {account.pk}
    assert BankAccount.objects.count() == 1


def test_a_gpc_statement_finds_the_account_registered_by_its_iban():
    account = BankAccountFactory(iban="CZ2608000000000001234567", account_number="1234567", bank_code="0800",
                                 identifier="CZ2608000000000001234567")

    statement_import(data=sample("spojenet_basic_format.abo"), now=NOW, strict_balances=False)

    assert BankStatement.objects.get().account == account


def test_one_account_number_in_two_currencies_is_two_accounts():
    # Knab's statement (EUR) and PostFinance's (CHF) both name their account ":25:123456789".
    statement_import(data=sample("wolph_jejik_knab.sta"), now=NOW, strict_balances=False)
    statement_import(data=sample("wolph_jejik_postfinance.sta"), now=NOW, strict_balances=False)

    eur = BankAccount.objects.get(currency="EUR")
    chf = BankAccount.objects.get(currency="CHF")
    assert eur.identifier == chf.identifier == "123456789"
    assert list(eur.lines.values_list("currency", flat=True)) == ["EUR"] * 3
    assert list(chf.lines.values_list("currency", flat=True)) == ["CHF"] * 4
    assert set(chf.statements.values_list("currency", flat=True)) == {"CHF"}


def test_an_account_registered_without_a_currency_takes_its_first_statements():
    account = BankAccountFactory(iban="", account_number="123456789", bank_code="", identifier="123456789",
                                 currency="")

    statement_import(data=sample("wolph_jejik_knab.sta"), now=NOW, strict_balances=False)
    statement_import(data=sample("wolph_jejik_postfinance.sta"), now=NOW, strict_balances=False)

    account.refresh_from_db()
    assert account.currency == "EUR"
    assert set(account.lines.values_list("currency", flat=True)) == {"EUR"}
    assert BankAccount.objects.get(currency="CHF").lines.count() == 4
    change = AuditEntry.objects.get(action="abonent.banking.account.changed")
    assert change.changes == {"currency": ["", "EUR"]}


def test_a_statement_naming_no_currency_for_a_number_registered_in_two_asks_for_the_account():
    BankAccountFactory(iban="", account_number="555", bank_code="", identifier="555", currency="EUR")
    BankAccountFactory(iban="", account_number="555", bank_code="", identifier="555", currency="CHF")
    CsvProfile.objects.create(name="plain", columns={"booking_date": "Date", "amount": "Amount",
                                                     "account": "Account"})

    with pytest.raises(BankingError, match="registered in several currencies"):
        statement_import(data=b"Date;Amount;Account\n03.02.2025;15,00;555\n", format="csv:plain", now=NOW)

    assert not BankStatementLine.objects.exists()


def test_money_out_is_set_aside_with_a_reason():
    result = statement_import(data=sample("fiobank_transactions.json"), now=NOW)

    assert (result.lines, result.matched, result.suggested, result.unmatched) == (2, 0, 0, 0)
    line = BankStatementLine.objects.first()
    assert line.state == MatchState.IGNORED
    assert line.explanation == "Money out: not a customer's payment."


def test_a_broken_file_stores_nothing():
    data = sample("wolph_jejik_knab.sta").replace(b"C500,NTRF", b"Cx12NTRF")

    with pytest.raises(StatementFormatError):
        statement_import(data=data, now=NOW)

    assert not BankAccount.objects.exists()
    assert not BankStatement.objects.exists()


def test_a_statement_cut_off_stores_nothing_and_the_whole_file_later_stores_each_payment_once():
    data = sample("wolph_ASNB_0708271685_09022020_164516.940.txt")
    cut = data[:data.index(b"Betaling aan I")]  # inside the :86: of statement 5's second line

    with pytest.raises(StatementFormatError, match="no closing balance"):
        statement_import(data=cut, now=NOW)
    whole = statement_import(data=data, now=NOW)

    assert (whole.lines, whole.duplicates) == (8, 0)
    assert BankStatementLine.objects.filter(amount=Decimal("-801.55")).count() == 1


def test_a_csv_profile_is_chosen_by_its_name():
    account = BankAccountFactory()
    CsvProfile.objects.create(name="mybank", account=account, currency="CZK", columns={
        "booking_date": "Date", "amount": "Amount", "variable_symbol": "VS"})

    result = statement_import(data=b"Date;Amount;VS\n03.02.2025;1 500,00;77\n", format="csv:mybank",
                              now=NOW)

    assert (result.format, result.lines, result.credit_total) == ("csv", 1, {"CZK": Decimal("1500.00")})
    assert BankStatementLine.objects.get().variable_symbol == "77"


def test_an_unknown_csv_profile_is_named():
    with pytest.raises(StatementFormatError, match="no CSV profile “nope”"):
        statement_import(data=b"a;b\n", format="csv:nope", now=NOW)
