"""A statement cut off or altered is refused: its balances, where the format carries them, must add up.

Each case is a real sample cut or changed here, byte for byte, the way a broken transfer or a hand edit would.
"""

import json
import re
from decimal import Decimal as D

import pytest

from abonent.banking.parsing import StatementFormatError, statement_parse
from abonent.banking.tests.samples import sample

ASN = "wolph_ASNB_0708271685_09022020_164516.940.txt"


def refused(data: bytes, **kwargs) -> str:
    with pytest.raises(StatementFormatError) as error:
        statement_parse(data=data, **kwargs)
    return str(error.value)


def lines_of(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True)


# --- MT940 -----------------------------------------------------------------------------------------


def test_an_mt940_file_cut_inside_a_statement_is_refused_for_its_missing_closing_balance():
    cut = sample("wolph_jejik_knab.sta")[:400]  # ends inside the second statement's :86:

    assert refused(cut) == "Statement 2 (line 10): no closing balance (:62F: or :62M:): the file is incomplete."


def test_a_missing_closing_balance_is_refused_even_with_the_balance_check_off():
    cut = b"".join(lines_of(sample(ASN))[:52])  # inside the :86: of statement 5's second line

    message = refused(cut, strict_balances=False)

    assert message == "Statement 5 (line 38): no closing balance (:62F: or :62M:): the file is incomplete."


def test_an_mt940_amount_altered_is_refused_naming_the_statement_and_the_sums():
    altered = sample(ASN).replace(b":61:2001050105D801,55", b":61:2001050105D810,55")

    assert refused(altered) == (
        "Statement 5 (line 38): the opening balance 379.29 plus the lines (+189.45) does not make the closing "
        "balance 577.74: the file is incomplete or altered.")


def test_an_mt940_line_cut_out_of_a_statement_is_refused():
    lines = lines_of(sample(ASN))
    without = b"".join(lines[:49] + lines[57:])  # statement 5 without its second :61: and :86:

    assert "the lines (+1000.00) does not make the closing balance 577.74" in refused(without)


def test_the_parts_of_a_statement_sent_in_two_are_each_checked_between_their_intermediate_balances():
    # PostFinance's second part closes 0.20 above its lines in the sample; with that put right it adds up.
    pages = sample("wolph_jejik_postfinance.sta").replace(b":62F:C140407CHF159,6", b":62F:C140407CHF159,4")

    assert [s.closing_balance for s in statement_parse(data=pages).statements] == [D("229.2"), D("159.4")]
    first_part_altered = pages.replace(b":61:1312091209C79,7", b":61:1312091209C97,7")
    assert refused(first_part_altered).startswith(
        "Statement 1 (line 1): the opening balance 0.00 plus the lines (+247.20) does not make the closing "
        "balance 229.20")


def test_an_unbalanced_mt940_statement_reads_when_the_check_is_turned_off():
    altered = sample(ASN).replace(b":61:2001050105D801,55", b":61:2001050105D810,55")

    parsed = statement_parse(data=altered, strict_balances=False)

    assert len(parsed.lines) == 8


# --- ABO/GPC ---------------------------------------------------------------------------------------

# The sample's header announces 6,273.55 of debits but holds two items of 2,430.02 (a fixture cut short);
# with its new balance and debits set to its items' it is a complete statement to cut and alter.
GPC_HEADER = b"00000009947470+00000009320115+00000000627355+00000000000000+"
GPC_COMPLETE_HEADER = b"00000009947470+00000009704468+00000000243002+00000000000000+"


def complete_gpc() -> bytes:
    data = sample("spojenet_basic_format.abo")
    assert GPC_HEADER in data
    return data.replace(GPC_HEADER, GPC_COMPLETE_HEADER)


def test_a_gpc_statement_whose_items_make_its_header_reads():
    statement = statement_parse(data=complete_gpc()).statements[0]

    assert (statement.opening_balance, statement.closing_balance, len(statement.lines)) == (D("99474.70"),
                                                                                             D("97044.68"), 2)


def test_a_gpc_file_missing_its_last_item_is_refused():
    cut = b"".join(lines_of(complete_gpc())[:2])

    assert refused(cut) == (
        "Statement 1 (line 1): the opening balance 99474.70 plus the lines (\u22121100.01) does not make the "
        "closing balance 97044.68: the file is incomplete or altered.")


def test_a_gpc_item_amount_altered_is_refused():
    altered = complete_gpc().replace(b"000000133001", b"000000133101")

    assert "the lines (\u22122431.02) does not make the closing balance 97044.68" in refused(altered)


def test_a_gpc_header_whose_new_balance_was_altered_is_refused_for_its_turnovers():
    altered = complete_gpc().replace(b"+00000009704468+", b"+00000009804468+")

    assert refused(altered) == (
        "Statement 1 (line 1): the old balance 99474.70 less the debits 2430.02 plus the credits 0.00 does not "
        "make the new balance 98044.68: the file is incomplete or altered.")


# --- camt.053 --------------------------------------------------------------------------------------


def test_a_camt_entry_cut_out_of_a_statement_is_refused():
    data = sample("genkgo_camt053.v2.multi.statement.xml")
    second_entry = re.compile(rb"(<Id>254EUR.*?)<Ntry>.*?</Ntry>", re.DOTALL)

    without = second_entry.sub(rb"\1", data)

    assert refused(without) == (
        "Stmt 2: the opening balance 27.00 plus the lines (+0.00) does not make the closing balance 20.00: the "
        "file is incomplete or altered.")


def test_a_camt_entry_amount_altered_is_refused():
    altered = sample("genkgo_camt053.v2.multi.statement.xml").replace(b'<Amt Ccy="EUR">8.85</Amt>',
                                                                      b'<Amt Ccy="EUR">9.85</Amt>')

    assert "Stmt 1: the opening balance 18.15 plus the lines (+9.85) does not make" in refused(altered)


def test_a_camt_file_cut_off_is_refused_as_not_well_formed():
    data = sample("genkgo_camt053.v2.multi.statement.xml")

    assert "the XML is not well-formed" in refused(data[: len(data) // 2])


# --- Fio banka JSON --------------------------------------------------------------------------------


def fio_answer(change) -> bytes:
    document = json.loads(sample("h4kuna-fio_last-transactions.json"))
    change(document["accountStatement"])
    return json.dumps(document).encode()


def test_a_fio_answer_missing_a_movement_is_refused():
    cut = fio_answer(lambda statement: statement["transactionList"]["transaction"].pop(2))

    assert refused(cut) == (
        "accountStatement: the opening balance 4102.26 plus the lines (\u22120.41) does not make the closing "
        "balance 2821.85: the file is incomplete or altered.")


def test_a_fio_amount_altered_is_refused():
    altered = sample("h4kuna-fio_last-transactions.json").replace(b'"value": -1280.00', b'"value": -1208.00')

    assert "the lines (\u22121208.41) does not make the closing balance 2821.85" in refused(altered)
