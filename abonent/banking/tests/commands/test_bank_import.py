import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from abonent.banking.models import BankAccount, BankStatement, BankStatementLine
from abonent.banking.tests.samples import SAMPLES, UNBALANCED, all_samples
from abonent.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def bank_import(*args: str) -> dict:
    out = StringIO()
    call_command("bank", "import", *args, stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 1
    return json.loads(lines[0])


def test_it_prints_one_json_line_with_counts_and_totals_per_currency():
    result = bank_import(str(SAMPLES / "camt" / "viafintech_053_valid_example_v8.xml"))

    assert result == {"format": "camt053", "statements": 1, "lines": 3, "credit_total": {"CHF": "563.25"},
                      "debit_total": {"EUR": "20.97"}, "duplicates": 0, "matched": 0, "suggested": 0,
                      "unmatched": 2, "warnings": []}


def test_every_sample_file_imports_and_a_second_import_finds_only_duplicates():
    for path in all_samples():
        first = bank_import(str(path))
        second = bank_import(str(path))

        assert first["duplicates"] == 0, path.name
        assert bool(first["warnings"]) == (path.name in UNBALANCED), path.name
        assert (second["statements"], second["lines"], second["duplicates"]) == (0, 0, first["lines"]), path.name
    assert BankStatementLine.objects.count() == 166  # the sum of the line counts in test_samples.EXPECTED


def test_the_account_option_registers_the_account_given():
    bank_import(str(SAMPLES / "abo_gpc" / "spojenet_basic_format.abo"), "--account", "CZ65 0800 0000 1920 0014 5399")

    account = BankAccount.objects.get()
    assert (account.iban, account.account_number, account.bank_code) == ("CZ6508000000192000145399", "19-2000145399",
                                                                         "0800")
    assert account.currency == "CZK"  # the file's
    assert BankStatementLine.objects.filter(account=account).count() == 2


def test_a_failed_import_into_an_account_given_leaves_no_account_behind(tmp_path):
    cut = tmp_path / "cut.sta"
    cut.write_bytes((SAMPLES / "mt940" / "wolph_jejik_knab.sta").read_bytes()[:400])

    with pytest.raises(CommandError, match="no closing balance"):
        call_command("bank", "import", str(cut), "--account", "NL91ABNA0417164300")

    assert not BankAccount.objects.exists()
    assert not AuditEntry.objects.exists()


def test_an_account_given_is_found_in_the_files_currency():
    knab, postfinance = SAMPLES / "mt940" / "wolph_jejik_knab.sta", SAMPLES / "mt940" / "wolph_jejik_postfinance.sta"

    bank_import(str(knab), "--account", "123456789")
    bank_import(str(postfinance), "--account", "123456789")
    again = bank_import(str(postfinance), "--account", "123456789")

    assert sorted(BankAccount.objects.values_list("currency", flat=True)) == ["CHF", "EUR"]
    assert again["duplicates"] == 4


def test_the_format_can_be_forced():
    result = bank_import(str(SAMPLES / "mt940" / "wolph_jejik_triodos.sta"), "--format", "mt940")

    assert (result["format"], result["lines"], result["debit_total"]) == ("mt940", 2, {"EUR": "715.70"})


def test_a_file_it_cannot_read_fails_with_one_line_naming_the_problem(tmp_path):
    broken = tmp_path / "broken.sta"
    broken.write_bytes((SAMPLES / "mt940" / "wolph_jejik_knab.sta").read_bytes().replace(b"C500,NTRF", b"Cx12NTRF"))

    with pytest.raises(CommandError) as error:
        call_command("bank", "import", str(broken))

    assert str(error.value) == "broken.sta: line 5: :61: amount 'x12' is not a number"


def test_a_statement_whose_balances_do_not_add_up_is_imported_with_a_warning_or_refused_when_strict():
    path = str(SAMPLES / "mt940" / "wolph_jejik_knab.sta")
    reason = ("Statement 2 (line 10): the opening balance 3058.98 plus the lines (\u22126760.00) does not make the "
              "closing balance 798.98: the file is incomplete or altered.")

    with pytest.raises(CommandError) as error:
        call_command("bank", "import", path, "--strict")
    assert not BankStatementLine.objects.exists()
    imported = bank_import(path)

    assert str(error.value) == f"wolph_jejik_knab.sta: {reason}"
    assert imported["lines"] == 3 and imported["warnings"] == [reason]
    assert BankStatement.objects.get(warning=reason)
    entry = AuditEntry.objects.filter(action="abonent.banking.statement.imported", changes__warning__1=reason)
    assert entry.exists()


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(CommandError, match="nothing.xml"):
        call_command("bank", "import", str(tmp_path / "nothing.xml"))


def test_an_unknown_format_is_refused():
    with pytest.raises(CommandError, match="--format xls"):
        call_command("bank", "import", str(SAMPLES / "mt940" / "wolph_jejik_triodos.sta"), "--format", "xls")
