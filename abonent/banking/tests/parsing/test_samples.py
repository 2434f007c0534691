"""Every real sample statement reads with the counts, amounts, signs, dates and references in the file.

The expected values were read from the files by hand (see the comments); totals are per currency.
"""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

import pytest

from abonent.banking.parsing import StatementFormatError, format_detect, statement_parse
from abonent.banking.tests.samples import UNBALANCED, all_samples, sample

D = Decimal


def totals(parsed):
    credit, debit = defaultdict(Decimal), defaultdict(Decimal)
    for line in parsed.lines:
        (credit if line.amount > 0 else debit)[line.currency] += line.amount
    return dict(credit), dict(debit)


# file -> (format, statements, lines, credit totals, debit totals)
EXPECTED = {
    "viafintech_053_valid_example.xml": ("camt053", 1, 5, {"EUR": D("1.00")}, {"EUR": D("-11.00")}),
    "viafintech_053_valid_example_v8.xml": ("camt053", 1, 3, {"CHF": D("563.25")}, {"EUR": D("-20.97")}),
    "viafintech_052_valid_example.xml": ("camt052", 1, 2, {"EUR": D("5.00")}, {}),
    "genkgo_camt053.v2.multi.statement.xml": ("camt053", 2, 2, {"EUR": D("8.85")}, {"EUR": D("-7.00")}),
    "spojenet_rb_cz_problem.xml": ("camt053", 1, 2, {"CZK": D("8570062")}, {}),
    "spojenet_rb_cz_194_2024_630804003_3780381_CZK_2024-11-06.xml": ("camt053", 1, 0, {}, {}),
    "okane_test2.xml": ("camt053", 1, 6, {"CZK": D("2400.00")}, {"CZK": D("-400.00")}),
    "wolph_ASNB_0708271685_09022020_164516.940.txt": ("mt940", 31, 8, {"EUR": D("2828.90")},
                                                      {"EUR": D("-2771.96")}),
    "wolph_betterplace_sepa_mt9401.sta": ("mt940", 26, 97, {"EUR": D("5188474.94")}, {"EUR": D("-14457610.84")}),
    "wolph_jejik_abnamro.sta": ("mt940", 2, 10, {}, {"EUR": D("-345.93")}),
    "wolph_jejik_knab.sta": ("mt940", 2, 3, {"EUR": D("1000")}, {"EUR": D("-7260")}),
    "wolph_jejik_postfinance.sta": ("mt940", 2, 4, {"CHF": D("239.3")}, {"CHF": D("-79.9")}),
    "wolph_jejik_triodos.sta": ("mt940", 1, 2, {}, {"EUR": D("-715.70")}),
    "wolph_mBank_mt940.sta": ("mt940", 1, 3, {"PLN": D("0.03")}, {}),
    "wolph_raiffeisen-cmi.sta": ("mt940", 1, 7, {"HUF": D("2066637.00")}, {"HUF": D("-3078850.50")}),
    "wolph_sberbank_171011_01234945.sta": ("mt940", 1, 3, {}, {"HUF": D("-9437.00")}),
    "spojenet_basic_format.abo": ("gpc", 1, 2, {}, {"CZK": D("-2430.02")}),
    "spojenet_extended_format.abo": ("gpc", 1, 1, {}, {"CZK": D("-100.00")}),
    "fiobank_transactions.json": ("fio-json", 1, 2, {}, {"CZK": D("-483.29")}),
    "h4kuna-fio_last-transactions.json": ("fio-json", 1, 4, {"CZK": D("0.69")}, {"CZK": D("-1281.10")}),
}


def test_every_sample_file_is_covered_by_these_tests():
    assert sorted(path.name for path in all_samples()) == sorted(EXPECTED)
    assert set(UNBALANCED) <= set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_sample_reads_with_its_format_counts_and_totals(name):
    fmt, statements, lines, credit, debit = EXPECTED[name]
    data = sample(name)

    parsed = statement_parse(data=data, strict_balances=name not in UNBALANCED)

    assert format_detect(data) == fmt
    assert parsed.format == fmt
    assert len(parsed.statements) == statements
    assert len(parsed.lines) == lines
    assert totals(parsed) == (credit, debit)


# Files whose balances add up: opening + lines = closing for every statement in them.
RECONCILED = [
    "viafintech_053_valid_example.xml", "viafintech_052_valid_example.xml", "genkgo_camt053.v2.multi.statement.xml",
    "spojenet_rb_cz_problem.xml", "spojenet_rb_cz_194_2024_630804003_3780381_CZK_2024-11-06.xml",
    "wolph_ASNB_0708271685_09022020_164516.940.txt", "wolph_betterplace_sepa_mt9401.sta", "wolph_mBank_mt940.sta",
    "wolph_sberbank_171011_01234945.sta", "fiobank_transactions.json", "h4kuna-fio_last-transactions.json",
]


@pytest.mark.parametrize("name", RECONCILED)
def test_the_lines_of_a_consistent_statement_add_up_from_its_opening_to_its_closing_balance(name):
    parsed = statement_parse(data=sample(name))

    for statement in parsed.statements:
        assert statement.opening_balance + sum(line.amount for line in statement.lines) == statement.closing_balance


@pytest.mark.parametrize("name", sorted(UNBALANCED))
def test_a_sample_whose_balances_do_not_add_up_is_refused_unless_the_check_is_turned_off(name):
    with pytest.raises(StatementFormatError, match="the file is incomplete or altered"):
        statement_parse(data=sample(name))

    assert statement_parse(data=sample(name), strict_balances=False).lines


# --- camt ------------------------------------------------------------------------------------------


def test_camt053_v2_reads_the_account_balances_and_splits_a_batch_into_its_transactions():
    parsed = statement_parse(data=sample("viafintech_053_valid_example.xml"))

    statement = parsed.statements[0]
    assert statement.account.iban == "DE14740618130000033626"
    assert statement.account.bic == "GENODEF1PFK"
    assert statement.number == "0352C5320131227220503"
    assert (statement.opening_balance, statement.closing_balance) == (D("33.06"), D("23.06"))
    first, last = statement.lines[0], statement.lines[-1]
    assert (first.booking_date, first.amount, first.currency) == (dt.date(2013, 12, 27), D("-2.00"), "EUR")
    assert first.counterparty_account == "DE09300606010012345671"  # money out: the creditor
    assert first.counterparty_name == "Testkonto Nummer 2"
    assert first.end_to_end_id == "EndToEndReference"
    assert first.remittance == "TEST BERWEISUNG MITTELS BLZUND KONTONUMMER - DTA"
    # The 6.00 batch entry holds two transfers of 3.50 and 2.50: one line each.
    assert [line.amount for line in statement.lines[3:]] == [D("-3.50"), D("-2.50")]
    assert (last.end_to_end_id, last.counterparty_account) == ("STZV-EtE27122013-11:02-2", "DE14740618130000033626")
    # Money in from a German account given as BBAN, spaces dropped.
    assert statement.lines[2].amount == D("1.00")
    assert statement.lines[2].counterparty_account == "740618130100033626"


def test_camt053_v8_reads_structured_creditor_references_and_an_entry_in_another_currency():
    lines = statement_parse(data=sample("viafintech_053_valid_example_v8.xml")).lines

    assert (lines[0].amount, lines[0].currency, lines[0].counterparty_name) == (D("474.4"), "CHF", "Jon Doe")
    assert lines[0].remittance == "INVOICE R77561"
    assert lines[1].structured_reference == "RF38000000000000000000552"
    assert (lines[2].amount, lines[2].currency) == (D("-20.97"), "EUR")
    assert lines[2].counterparty_account == "CH2222222222222222222"
    assert lines[2].structured_reference == "000000270148751802165444888"


def test_camt052_is_read_as_an_intraday_report():
    parsed = statement_parse(data=sample("viafintech_052_valid_example.xml"))

    assert parsed.statements[0].account.iban == "DE58740618130100033626"
    assert [(line.amount, line.booking_date) for line in parsed.lines] == [
        (D("2.00"), dt.date(2013, 12, 27)), (D("3.00"), dt.date(2013, 12, 27))]


def test_a_multi_statement_camt_file_gives_each_statement_its_balances_and_lines():
    parsed = statement_parse(data=sample("genkgo_camt053.v2.multi.statement.xml"))

    first, second = parsed.statements
    assert (first.number, second.number) == ("253EURNL26VAYB8060476890", "254EURNL26VAYB8060476890")
    assert (first.opening_balance, first.closing_balance) == (D("18.15"), D("27.00"))
    assert (second.opening_balance, second.closing_balance) == (D("27.00"), D("20.00"))
    assert first.lines[0].amount == D("8.85")
    assert first.lines[0].value_date == dt.date(2015, 1, 2)
    assert second.lines[0].amount == D("-7.00")
    assert second.lines[0].counterparty_name == "Company Name 2"


def test_raiffeisenbank_cz_gives_domestic_counterparty_accounts_and_variable_symbols():
    parsed = statement_parse(data=sample("spojenet_rb_cz_problem.xml"))

    statement = parsed.statements[0]
    assert statement.account.iban == "CZ7255000000005140012815"
    first, last = parsed.lines
    assert (first.booking_date, first.amount) == (dt.date(2025, 1, 22), D("4994775"))
    assert (first.counterparty_account, first.counterparty_bank_code) == ("861828109", "0800")
    assert first.counterparty_name == "Wágner Dugová Alena"
    assert first.variable_symbol == "1101"
    assert (last.amount, last.variable_symbol, last.counterparty_account, last.counterparty_bank_code) == (
        D("3575287"), "1110", "82904811", "2100")
    assert last.counterparty_name.startswith("ČSOB Hypoteční banka")
    assert last.remittance == "Kupuji - dokládám kupní smlouvu"


def test_the_empty_raiffeisenbank_statement_has_balances_and_no_lines():
    statement = statement_parse(
        data=sample("spojenet_rb_cz_194_2024_630804003_3780381_CZK_2024-11-06.xml")).statements[0]

    assert statement.lines == []
    assert statement.account.iban == "CZ8755000000000630804003"
    assert (statement.opening_balance, statement.closing_balance) == (D("-9999999"), D("-9999999"))
    assert statement.period_from == statement.period_to == dt.date(2024, 11, 6)


def test_the_czech_banking_association_dialect_reads_card_payments_and_a_revolut_sender():
    lines = statement_parse(data=sample("okane_test2.xml"), strict_balances=False).lines

    assert (lines[0].booking_date, lines[0].amount) == (dt.date(2023, 3, 1), D("-100.00"))
    assert lines[0].remittance == "Nákup dne 27.2.2023, částka 100.00 CZK"
    assert (lines[-1].booking_date, lines[-1].amount) == (dt.date(2023, 3, 7), D("1000.00"))
    assert lines[-1].counterparty_account == "LT6632XXXXXX"
    assert [line.bank_transaction_id for line in lines] == [f"XXX-REF-{n}" for n in range(1, 7)]


# --- MT940 -----------------------------------------------------------------------------------------


def test_asn_bank_swift_envelopes_hold_thirty_one_daily_statements():
    parsed = statement_parse(data=sample("wolph_ASNB_0708271685_09022020_164516.940.txt"))

    assert parsed.statements[0].account.iban == "NL81ASNB9999999999"
    first, last = parsed.lines[0], parsed.lines[-1]
    assert (first.booking_date, first.amount) == (dt.date(2020, 1, 1), D("-65.00"))
    assert (first.counterparty_account, first.counterparty_name) == ("NL47INGB9999999999", "hr gjlm paulissen")
    assert first.remittance == "Betaling sieraden"
    assert (last.booking_date, last.amount, last.counterparty_account) == (
        dt.date(2020, 1, 31), D("-903.76"), "NL08ABNA9999999999")


def test_german_structured_information_gives_the_counterparty_and_sepa_references():
    parsed = statement_parse(data=sample("wolph_betterplace_sepa_mt9401.sta"))

    first, last = parsed.lines[0], parsed.lines[-1]
    assert parsed.statements[0].account.account_number == "50880050/0194774600888"
    assert parsed.statements[0].opening_balance == D("-1234718.36")
    assert (first.booking_date, first.amount, first.bank_transaction_id) == (
        dt.date(2007, 9, 4), D("300"), "0724710345313905")
    assert (last.amount, last.counterparty_account) == (D("50.05"), "DE51508800500190038900")
    assert last.counterparty_name.startswith("Richter Renate 70 Zeichen Beginn")
    assert last.end_to_end_id == "EndToEndIdTFNR5000500001"
    assert last.remittance.startswith("TO 25 TFNr 50005 Eingangskanal Mint")
    # "RC" is the reversal of a credit: money out.
    reversals = [line.amount for line in parsed.lines if line.amount == D("-204.88")]
    assert len(reversals) == 2


def test_abn_amro_old_headers_and_amounts_without_decimals():
    parsed = statement_parse(data=sample("wolph_jejik_abnamro.sta"), strict_balances=False)

    assert [s.number for s in parsed.statements] == ["19321/1", "19322/1"]
    first, last = parsed.lines[0], parsed.lines[-1]
    assert (first.booking_date, first.value_date, first.amount) == (dt.date(2011, 5, 24), dt.date(2011, 5, 24),
                                                                   D("-9"))
    assert first.remittance.startswith("GIRO 428428 KPN - DIGITENNE")
    assert parsed.lines[1].value_date == dt.date(2011, 5, 21)
    assert parsed.lines[1].booking_date == dt.date(2011, 5, 23)
    assert (last.amount, last.remittance) == (D("-15"), "52.89.39.882 MYCOM DEN HAAG")


def test_knab_names_the_counterparty_in_rek_and_naam():
    lines = statement_parse(data=sample("wolph_jejik_knab.sta"), strict_balances=False).lines

    assert lines[0].amount == D("500")
    assert (lines[1].amount, lines[1].counterparty_account, lines[1].counterparty_name) == (
        D("-7260"), "NL65INGB0123456789", "PICQER")
    assert (lines[2].amount, lines[2].counterparty_account) == (D("500"), "NL84INGB0234561789")
    assert lines[2].bank_transaction_id == "B4G29PGDCK1QFV3E"


def test_postfinance_intermediate_balances_close_and_open_the_pages():
    parsed = statement_parse(data=sample("wolph_jejik_postfinance.sta"), strict_balances=False)

    assert [(s.opening_balance, s.closing_balance) for s in parsed.statements] == [
        (D("0"), D("229.2")), (D("229.2"), D("159.6"))]
    assert [line.amount for line in parsed.lines] == [D("79.7"), D("149.5"), D("-79.9"), D("10.1")]
    assert parsed.lines[-1].booking_date == dt.date(2013, 12, 18)


def test_triodos_subfields_with_the_greater_than_sign():
    lines = statement_parse(data=sample("wolph_jejik_triodos.sta"), strict_balances=False).lines

    assert (lines[0].booking_date, lines[0].amount, lines[0].counterparty_account) == (
        dt.date(2011, 1, 1), D("-15.70"), "0390123456")
    assert lines[0].remittance == "ALGEMENE TUSSENREKENING KOSTEN VAN 01-10-2010 TOT EN MET 31-12-2010"
    assert (lines[1].booking_date, lines[1].amount, lines[1].remittance) == (
        dt.date(2011, 1, 25), D("-700.00"), "HUUR KANTOOR - FEB 2010")


def test_mbank_soh_wrapping_and_polish_fields():
    parsed = statement_parse(data=sample("wolph_mBank_mt940.sta"))

    assert parsed.statements[0].account.iban == "PL29114010810000267002001002"
    first, last = parsed.lines[0], parsed.lines[-1]
    assert (first.booking_date, first.amount, first.currency) == (dt.date(2017, 1, 19), D("0.01"), "PLN")
    assert first.counterparty_account == "PL56114010810000267002001001"
    assert first.counterparty_name.startswith("JAN NOWAK")
    assert first.remittance == "PRZELEW SRODKOW"
    assert last.bank_transaction_id == "MB170119012121"


def test_raiffeisen_hungary_text_is_decoded_with_its_accents():
    lines = statement_parse(data=sample("wolph_raiffeisen-cmi.sta"), strict_balances=False).lines

    assert (lines[0].booking_date, lines[0].amount, lines[0].currency) == (dt.date(2018, 4, 17), D("2066637.00"),
                                                                          "HUF")
    assert (lines[0].counterparty_account, lines[0].counterparty_name) == ("109876543210000012345678",
                                                                           "HUNGARY KFT.")
    assert "összevont utánvét" in lines[0].remittance
    assert lines[-1].amount == D("-6000.00")


def test_sberbank_ns_fields_and_crlf_line_ends():
    lines = statement_parse(data=sample("wolph_sberbank_171011_01234945.sta")).lines

    assert [line.amount for line in lines] == [D("-2402.00"), D("-3460.00"), D("-3575.00")]
    assert lines[0].counterparty_name == "ERGO Versicherung AG Fioktelep"
    assert lines[0].counterparty_account == "109180010000004279070017"
    assert lines[-1].bank_transaction_id == "G200011025720127"


# --- ABO/GPC and Fio -------------------------------------------------------------------------------


def test_gpc_basic_format_reads_header_and_items_with_czech_symbols():
    parsed = statement_parse(data=sample("spojenet_basic_format.abo"), strict_balances=False)

    statement = parsed.statements[0]
    assert (statement.account.account_number, statement.account.name) == ("1234567", "Test Account Name")
    assert (statement.opening_balance, statement.closing_balance) == (D("99474.70"), D("93201.15"))
    assert statement.number == "27"
    first, last = parsed.lines
    # Accounting code 5, the reversal of a credit, takes money out.
    assert (first.booking_date, first.amount, first.currency) == (dt.date(2025, 8, 21), D("-1100.01"), "CZK")
    assert (first.counterparty_account, first.variable_symbol, first.constant_symbol, first.specific_symbol) == (
        "100785108", "1746581670", "558", "9999")
    assert (last.amount, last.bank_transaction_id) == (D("-1330.01"), "0001865283799")


def test_gpc_extended_format_keeps_the_message_text():
    parsed = statement_parse(data=sample("spojenet_extended_format.abo"), strict_balances=False)

    statement = parsed.statements[0]
    assert (statement.opening_balance, statement.closing_balance) == (D("200000.00"), D("180000.00"))
    line = parsed.lines[0]
    assert (line.booking_date, line.amount, line.counterparty_account) == (dt.date(2025, 8, 21), D("-100.00"),
                                                                           "9876543")
    assert line.variable_symbol == "123456789"
    assert line.remittance.startswith("Payment for services")


def test_fio_json_reads_amounts_as_decimals_with_symbols_and_ids():
    parsed = statement_parse(data=sample("h4kuna-fio_last-transactions.json"))

    statement = parsed.statements[0]
    assert statement.account.iban == "CZ0620100000002000282668"
    assert (statement.period_from, statement.period_to) == (dt.date(2015, 3, 31), dt.date(2015, 4, 15))
    first, last = parsed.lines[0], parsed.lines[-1]
    assert (first.amount, first.bank_transaction_id, first.remittance) == (D("0.69"), "7159895102", "Připsaný úrok")
    assert (last.booking_date, last.amount) == (dt.date(2015, 4, 15), D("-1.00"))
    assert (last.counterparty_account, last.counterparty_bank_code) == ("2000242017", "2010")
    assert (last.variable_symbol, last.constant_symbol, last.specific_symbol) == ("123", "308", "55")


def test_fio_json_with_null_columns():
    parsed = statement_parse(data=sample("fiobank_transactions.json"))

    assert [(line.amount, line.variable_symbol) for line in parsed.lines] == [(D("-130.0"), "5678"),
                                                                              (D("-353.29"), "1234")]
    assert parsed.lines[0].booking_date == dt.date(2016, 8, 3)
