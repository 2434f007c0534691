"""A file Abonent cannot read says where and why, and nothing in it is ever executed or fetched."""

import pytest

from abonent.banking.parsing import CsvLayout, StatementFormatError, statement_parse
from abonent.banking.tests.samples import sample


def broken(data: bytes, **kwargs) -> str:
    with pytest.raises(StatementFormatError) as error:
        statement_parse(data=data, **kwargs)
    return str(error.value)


def test_an_mt940_amount_that_is_not_a_number_names_its_line():
    data = sample("wolph_jejik_knab.sta").replace(b":61:1405070507C500,NTRF", b":61:1405070507Cx12NTRF")

    assert broken(data) == "line 5: :61: amount 'x12' is not a number"


def test_an_mt940_balance_without_a_currency_names_its_line():
    data = sample("wolph_jejik_triodos.sta").replace(b":60F:C110101EUR4975,09", b":60F:C110101 4975,09")

    assert broken(data).startswith("line 4: :60F: balance 'C110101 4975,09' is not")


def test_a_camt_amount_that_is_not_a_number_names_the_entry():
    data = sample("genkgo_camt053.v2.multi.statement.xml").replace(b'<Amt Ccy="EUR">7.00</Amt>',
                                                                   b'<Amt Ccy="EUR">7,00x</Amt>')

    assert broken(data) == "Stmt 2, Ntry 1: <Amt> '7,00x' is not a number"


def test_xml_that_is_not_well_formed_names_the_line():
    data = sample("viafintech_052_valid_example.xml").replace(b"</Rpt>", b"</Report>")

    assert broken(data).startswith("line ")
    assert "not well-formed" in broken(data)


def test_an_xml_entity_is_refused_and_never_expanded():
    bomb = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
            b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>&lol2;'
            b"</BkToCstmrStmt></Document>")

    assert "refuses" in broken(bomb, format="camt053")


def test_an_external_entity_is_never_fetched():
    external = (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>&x;'
                b"</BkToCstmrStmt></Document>")

    assert "refuses" in broken(external, format="camt053")


def test_a_camt_file_in_utf16_reads_like_any_other():
    text = sample("viafintech_053_valid_example.xml").decode().replace('encoding="UTF-8"', 'encoding="UTF-16"')

    parsed = statement_parse(data=text.encode("utf-16"), format="camt053")

    assert [str(line.amount) for line in parsed.lines] == ["-2.00", "-3.00", "1.00", "-3.50", "-2.50"]


def test_a_document_type_declaration_in_utf16_is_refused():
    text = ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>&x;'
            "</BkToCstmrStmt></Document>")

    assert "refuses" in broken(text.encode("utf-16"), format="camt053")


def test_an_unsupported_camt_version_is_named():
    data = sample("viafintech_053_valid_example.xml").replace(b"camt.053.001.02", b"camt.053.001.12")

    assert "camt.053.001.12" in broken(data)


def test_a_gpc_amount_with_letters_names_its_line():
    data = sample("spojenet_basic_format.abo").replace(b"000000133001", b"0000001330x1")

    assert broken(data) == "line 3: amount '0000001330x1' is not a number"


def test_a_gpc_record_of_an_unknown_type_names_its_line():
    data = sample("spojenet_basic_format.abo") + b"099garbage\n"

    assert broken(data) == "line 4: '099' is not an ABO/GPC record (074, 075, 076, 078 or 079)"


def test_fio_json_that_is_cut_off_is_refused():
    data = sample("fiobank_transactions.json")[:500]

    assert "not valid JSON" in broken(data, format="fio-json")


def test_a_file_of_no_known_format_asks_for_the_format():
    assert "cannot tell this file's format" in broken(b"Date;Amount\n01.02.2024;100\n")


def test_a_format_chosen_by_hand_must_match_the_file():
    assert "camt052" in broken(sample("viafintech_052_valid_example.xml"), format="camt053")


def test_an_empty_file_is_refused():
    assert broken(b"  \n") == "The file is empty."


# --- CSV profiles ----------------------------------------------------------------------------------

LAYOUT = CsvLayout(columns={"booking_date": "Datum", "amount": "Částka", "currency": "Měna",
                            "counterparty_account": "Protiúčet", "variable_symbol": "VS",
                            "counterparty_name": "Název", "remittance": "Zpráva"})
CSV = ("Datum;Částka;Měna;Protiúčet;VS;Název;Zpráva\n"
       "01.02.2024;1 250,50;CZK;19-2000145399/0800;0000123456;Jana Nováková;Faktura 123456\n"
       "02.02.2024;-99,00;CZK;;;Poplatek;\n").encode()


def test_a_csv_profile_reads_amounts_with_decimal_commas_and_domestic_accounts():
    parsed = statement_parse(data=CSV, format="csv", csv=LAYOUT)

    first, second = parsed.lines
    assert str(first.amount) == "1250.50"
    assert (first.counterparty_account, first.counterparty_bank_code) == ("19-2000145399", "0800")
    assert (first.variable_symbol, first.counterparty_name) == ("123456", "Jana Nováková")
    assert str(second.amount) == "-99.00"


def test_a_csv_amount_that_is_not_a_number_names_its_line():
    data = CSV.replace(b"-99,00", b"abc")

    assert broken(data, format="csv", csv=LAYOUT) == "line 3: amount 'abc' is not a number"


def test_a_csv_with_separate_columns_for_money_in_and_out():
    layout = CsvLayout(columns={"booking_date": "Date", "credit": "In", "debit": "Out"}, delimiter=",",
                       decimal_separator=".", date_format="%Y-%m-%d", sign_convention="two_columns", currency="EUR")
    data = b"Date,In,Out\n2024-03-01,10.50,\n2024-03-02,,4.25\n"

    lines = statement_parse(data=data, format="csv", csv=layout).lines

    assert [(str(line.amount), line.currency) for line in lines] == [("10.50", "EUR"), ("-4.25", "EUR")]


def test_a_csv_with_a_debit_credit_column():
    layout = CsvLayout(columns={"booking_date": "Date", "amount": "Amount", "debit_credit": "DC"}, delimiter=",",
                       decimal_separator=".", date_format="%Y-%m-%d", sign_convention="indicator",
                       debit_marker="D", currency="PLN")
    data = b"Date,Amount,DC\n2024-03-01,10.50,C\n2024-03-02,4.25,D\n"

    assert [str(line.amount) for line in statement_parse(data=data, format="csv", csv=layout).lines] == [
        "10.50", "-4.25"]


def test_a_csv_profile_column_missing_from_the_file_is_named():
    data = b"Datum;Betrag\n01.02.2024;1\n"

    assert "“Částka”" in broken(data, format="csv", csv=LAYOUT)


def test_a_camt054_notification_is_read_like_a_statement():
    data = (sample("viafintech_052_valid_example.xml").replace(b"camt.052.001.02", b"camt.054.001.04")
            .replace(b"BkToCstmrAcctRpt", b"BkToCstmrDbtCdtNtfctn").replace(b"<Rpt>", b"<Ntfctn>")
            .replace(b"</Rpt>", b"</Ntfctn>"))

    parsed = statement_parse(data=data)

    assert parsed.format == "camt054"
    assert [str(line.amount) for line in parsed.lines] == ["2.00", "3.00"]
