import zipfile

import pytest

from abonent.imports.reading import ImportFileError, records, shape_read
from abonent.imports.tests.factories import csv_file, xlsx_file

ROWS = [
    ["Jméno", "Příjmení", "Město", "Poznámka"],
    ["Jiří", "Dvořák", "Plzeň", "žluťoučký kůň úpěl ďábelské ódy"],
    ["Zuzana", "Růžičková", "Ústí nad Labem", "Šťastná"],
]
POLISH = [["Imię", "Nazwisko", "Miasto"], ["Łukasz", "Wiśniewski", "Łódź"], ["Małgorzata", "Dąbrowska", "Kraków"],
          ["Zofia", "Kościuszko", "Świętochłowice"]]
RUSSIAN = [["Имя", "Фамилия", "Город"], ["Сергей", "Кузнецов", "Москва"], ["Ольга", "Смирнова", "Санкт-Петербург"]]


@pytest.mark.parametrize(("rows", "encoding", "bom", "detected"), [
    (ROWS, "utf-8", False, "utf-8"),
    (ROWS, "utf-8", True, "utf-8-sig"),
    (ROWS, "windows-1250", False, "windows-1250"),
    (ROWS, "iso-8859-2", False, "iso-8859-2"),
    (POLISH, "windows-1250", False, "windows-1250"),
    (POLISH, "iso-8859-2", False, "iso-8859-2"),
    (RUSSIAN, "windows-1251", False, "windows-1251"),
    (RUSSIAN, "utf-16", False, "utf-16"),
])
def test_it_reads_each_encoding_as_the_text_that_was_written(tmp_path, rows, encoding, bom, detected):
    path = csv_file(tmp_path / "customers.csv", rows, encoding=encoding, bom=bom, delimiter=";")

    shape = shape_read(path)

    assert shape.encoding == detected
    assert shape.headers == rows[0]
    assert [cells for _n, cells in records(path, shape)] == rows[1:]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_it_finds_the_delimiter_even_when_cells_contain_the_others(tmp_path, delimiter):
    rows = [["Name", "Street", "Note"], ["Alfa, s.r.o.", "Husova 5; 2nd floor", "a\tb"],
            ["Beta a.s.", "Lidická 1", "call; after 5, please"]]
    path = csv_file(tmp_path / "c.csv", rows, delimiter=delimiter)

    shape = shape_read(path)

    assert shape.delimiter == delimiter
    assert [cells for _n, cells in records(path, shape)] == rows[1:]


def test_a_title_above_the_header_is_skipped_and_rows_keep_their_spreadsheet_numbers(tmp_path):
    path = csv_file(tmp_path / "c.csv", [["Customers exported 2026-03-01"], [], ["Name", "E-mail", "Phone"],
                                         ["Jana Nováková", "jana@example.cz", "601 123 456"], ["", "", ""],
                                         ["Petr Novák", "petr@example.cz", "602 123 456"]])

    shape = shape_read(path)

    assert shape.header_row == 3
    assert shape.headers == ["Name", "E-mail", "Phone"]
    assert [n for n, _cells in records(path, shape)] == [4, 6]


def test_a_file_without_a_header_gets_numbered_columns(tmp_path):
    path = csv_file(tmp_path / "c.csv", [["Jana Nováková", "jana@example.cz", "+420 601 123 456"],
                                         ["Petr Novák", "petr@example.cz", "+420 602 123 456"]])

    shape = shape_read(path)

    assert shape.header_row is None
    assert shape.headers == ["Column 1", "Column 2", "Column 3"]
    assert len(list(records(path, shape))) == 2


def test_blank_and_repeated_headers_get_names_of_their_own(tmp_path):
    path = csv_file(tmp_path / "c.csv", [["Name", "Phone", "Phone", ""], ["Jana", "601123456", "602123456", "x"]])

    assert shape_read(path).headers == ["Name", "Phone", "Phone (2)", "Column 4"]


def test_it_reads_xlsx_with_numbers_and_dates_as_a_person_sees_them(tmp_path):
    import datetime as dt

    path = xlsx_file(tmp_path / "c.xlsx", [["Name", "IČO", "Phone", "Since", "Score"],
                                            ["Alfa s.r.o.", 25596641, 420601123456, dt.date(2024, 3, 1), 2.5]])

    shape = shape_read(path)

    assert (shape.format, shape.sheet, shape.headers) == ("xlsx", "Customers", ["Name", "IČO", "Phone", "Since",
                                                                                  "Score"])
    assert [cells for _n, cells in records(path, shape)] == [
        ["Alfa s.r.o.", "25596641", "420601123456", "2024-03-01", "2.5"]]


def test_an_xlsx_renamed_to_csv_is_read_as_xlsx(tmp_path):
    path = xlsx_file(tmp_path / "c.xlsx", [["Name", "E-mail"], ["Jana", "jana@example.cz"]])
    renamed = path.rename(tmp_path / "customers.csv")

    shape = shape_read(renamed)

    assert shape.format == "xlsx"
    assert list(records(renamed, shape)) == [(2, ["Jana", "jana@example.cz"])]


@pytest.mark.parametrize(("content", "message"), [
    (b"", "The file is empty."),
    (b"\xef\xbb\xbf\r\n\r\n  \n", "The file is empty."),
    (bytes(range(256)) * 40, "binary data"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00\x01\x02" * 500, "binary data"),
    (b"Name,E-mail\r\n", "no rows"),
    (b"x" * (10 * 1024 * 1024), "longer than 1 MB"),
    (b"a," * 600 + b"a\r\n" + b"1," * 600 + b"1", "601 columns"),
])
def test_junk_gets_a_sentence_not_a_crash(tmp_path, content, message):
    path = tmp_path / "junk.csv"
    path.write_bytes(content)

    with pytest.raises(ImportFileError, match=message):
        shape_read(path)


def test_a_zip_that_is_no_spreadsheet_is_refused_clearly(tmp_path):
    path = tmp_path / "photos.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("photo.txt", "not a spreadsheet")

    with pytest.raises(ImportFileError, match="ZIP archive, not a spreadsheet"):
        shape_read(path)


def test_a_damaged_xlsx_is_refused_clearly(tmp_path):
    path = xlsx_file(tmp_path / "c.xlsx", [["Name"], ["Jana"]])
    path.write_bytes(path.read_bytes()[:300])

    with pytest.raises(ImportFileError, match="damaged"):
        shape_read(path)


def test_a_ten_megabyte_cell_reaches_its_row_instead_of_stopping_the_file(tmp_path):
    path = tmp_path / "c.csv"
    path.write_bytes(b"Name,Note\r\nJana,short\r\nPetr," + b"y" * (10 * 1024 * 1024) + b"\r\n")

    shape = shape_read(path)
    rows = list(records(path, shape))

    assert [n for n, _cells in rows] == [2, 3]
    assert len(rows[1][1][1]) == 10 * 1024 * 1024
