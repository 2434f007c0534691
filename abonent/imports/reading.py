"""Reading what users upload: tell the format by the content, find the encoding, delimiter and header row,
then give the rows one by one without holding the file in memory.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import math
import re
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from abonent.core.services import AbonentError
from abonent.imports.models import SourceFormat

MAX_COLUMNS = 500
MAX_CELL = 32_767  # what a spreadsheet cell holds; longer cells reject their row
MAX_LINE = 1024 * 1024  # a first line longer than this is not a table's header
SAMPLE_ROWS = 20
HEAD_ROWS = 50  # rows read to find the delimiter and the header row
DETECT_BYTES = 64 * 1024 * 1024  # files up to this size are checked whole for UTF-8
LEGACY_ENCODINGS = ("windows-1250", "iso-8859-2", "windows-1251")

csv.field_size_limit(16 * 1024 * 1024)  # a 10 MB cell reaches the row's check instead of stopping the reader


class ImportFileError(AbonentError):
    """The file is not a table Abonent can read; the message says why in words."""


@dataclass
class FileShape:
    """How to read a file: its format and, for text, encoding and delimiter; where the header is; a sample."""

    format: str
    encoding: str = ""
    delimiter: str = ""
    sheet: str = ""
    header_row: int | None = None  # the header's row number (1 = the first row); None when the file has none
    headers: list[str] = field(default_factory=list)
    sample: list[list[str]] = field(default_factory=list)


# --- the format -----------------------------------------------------------------------------------------


def detect_format(head: bytes, path: Path) -> str:
    """Tell CSV from XLSX, XLS and ODS by the first bytes, whatever the file is called."""
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
                if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
                    return SourceFormat.XLSX
                if "mimetype" in names and archive.read("mimetype").startswith(
                        b"application/vnd.oasis.opendocument.spreadsheet"):
                    return SourceFormat.ODS
        except zipfile.BadZipFile:
            raise ImportFileError(_("The file looks like a spreadsheet but it is damaged or cut short.")) from None
        raise ImportFileError(_("The file is a ZIP archive, not a spreadsheet. Upload a CSV or XLSX file."))
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return SourceFormat.XLS
    return SourceFormat.CSV


# --- text files -----------------------------------------------------------------------------------------

# Letters of the languages whose files come in the legacy 8-bit encodings: a decoding that yields words in one
# of these alphabets is the right one ("š" in Czech, "ą" in Polish, "ț" in Romanian).
ALPHABETS = {
    "cs": set("áčďéěíňóřšťúůýž"), "sk": set("áäčďéíĺľňóôŕšťúýž"), "pl": set("ąćęłńóśźż"),
    "ro": set("ăâîșşțţ"), "hu": set("áéíóöőúüű"), "de": set("äöüß"),
}


def _latin_score(text: str) -> float:
    letters = [ch.lower() for ch in text if ord(ch) > 127]
    if not letters:
        return 0.0
    return max(sum(ch in alphabet for ch in letters) for alphabet in ALPHABETS.values()) / len(letters)


def _cyrillic_share(text: str) -> float:
    letters = [ch for ch in text if ch.isalpha()]
    return sum("\u0400" <= ch <= "\u04ff" for ch in letters) / len(letters) if letters else 0.0


def detect_encoding(data: bytes) -> str:
    """Return the encoding of a text file: UTF-8 (with or without BOM), UTF-16, or a legacy 8-bit one."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    high = bytes(b for b in data if b > 127)
    # Russian words are all letters above 127; Czech, Polish or Romanian words have a few among ASCII letters.
    if _cyrillic_share(data.decode("windows-1251", errors="replace")) > 0.5:
        return "windows-1251"
    # 0x80-0x9F are letters (Š, Ś, Ž, Ź ...) in Windows-1250 and control codes in ISO-8859-2.
    if any(0x80 <= b <= 0x9F for b in high):
        return "windows-1250"
    cp, iso = high.decode("windows-1250", errors="replace"), high.decode("iso-8859-2", errors="replace")
    return "iso-8859-2" if _latin_score(iso) > _latin_score(cp) else "windows-1250"


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _check_text(text: str) -> None:
    if "\x00" in text:
        raise ImportFileError(_("The file is not a CSV or a spreadsheet: it contains binary data."))
    controls = len(_CONTROL.findall(text))
    if controls > max(3, len(text) // 200):
        raise ImportFileError(_("The file is not a CSV or a spreadsheet: it contains binary data."))


def detect_delimiter(text: str) -> str:
    """Return the delimiter (, ; tab |) that splits the first lines into the same number of columns."""
    best, best_score = ",", (0.0, 0)
    for delimiter in (",", ";", "\t", "|"):
        try:
            counts = [len(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter) if any(row)][:HEAD_ROWS]
        except csv.Error:
            continue
        if not counts:
            continue
        width, times = Counter(counts).most_common(1)[0]
        if width < 2:
            continue
        score = (times / len(counts), width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _text_head(path: Path) -> tuple[str, str]:
    """Return (encoding, the first part of the text) of a text file; raise ImportFileError for junk."""
    with path.open("rb") as handle:
        data = handle.read(DETECT_BYTES)
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise ImportFileError(_("The file is empty."))
    encoding = detect_encoding(data)
    text = codecs.getincrementaldecoder(encoding)(errors="replace").decode(data[: 4 * MAX_LINE], final=False)
    _check_text(text[:MAX_LINE])
    first_line = re.search(r"[\r\n]", text[:MAX_LINE + 1])
    if first_line is None and len(text) > MAX_LINE:
        raise ImportFileError(
            _("The first line of the file is longer than 1 MB: this is not a table Abonent can read.")
        )
    return encoding, text


def _csv_rows(path: Path, encoding: str, delimiter: str) -> Iterator[list[str]]:
    with path.open("r", encoding=encoding, errors="replace", newline="") as handle:
        yield from csv.reader(handle, delimiter=delimiter)


# --- spreadsheets ---------------------------------------------------------------------------------------


def cell_text(value: object) -> str:
    """A spreadsheet cell as the text a person sees: 420601123456 not 420601123456.0, dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _sheet(path: Path):
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception:  # noqa: BLE001 - calamine raises its own errors for every kind of damage
        raise ImportFileError(_("The spreadsheet cannot be read: it is damaged or protected by a password.")) from None
    for name in workbook.sheet_names:
        sheet = workbook.get_sheet_by_name(name)
        if sheet.height and sheet.width:
            return name, sheet
    raise ImportFileError(_("The spreadsheet is empty."))


def _sheet_rows(path: Path, sheet_name: str = "") -> Iterator[list[str]]:
    name, sheet = _sheet(path)
    if sheet_name and sheet_name != name:
        from python_calamine import CalamineWorkbook

        sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet_name)
    for row in sheet.iter_rows():
        yield [cell_text(v) for v in row]


# --- the header -----------------------------------------------------------------------------------------

_DATA_LIKE = re.compile(r"^[\s+()\d./:-]+$|@")


def _looks_like_data(row: list[str]) -> bool:
    cells = [c.strip() for c in row if c.strip()]
    return bool(cells) and sum(bool(_DATA_LIKE.search(c)) for c in cells) * 2 >= len(cells)


def find_header(rows: list[list[str]]) -> int | None:
    """Return the index of the header among the first rows (titles above it are skipped), or None."""
    from abonent.imports.fields import field_for_header

    filled = [sum(1 for c in row if c.strip()) for row in rows]
    if not any(filled):
        return None
    width = Counter(n for n in filled if n).most_common(1)[0][0]
    for index, row in enumerate(rows[:10]):
        if filled[index] < max(1, math.ceil(width / 2)):
            continue
        known = sum(field_for_header(c) is not None for c in row if c.strip())
        if known or not _looks_like_data(row):
            return index
        return None
    return None


def unique_headers(row: list[str], width: int) -> list[str]:
    """Name every column: blanks become "Column 3", repeats "Phone (2)"."""
    headers, seen = [], Counter()
    for index in range(width):
        name = " ".join((row[index] if index < len(row) else "").split())[:200] or _("Column %(n)s") % {"n": index + 1}
        seen[name] += 1
        headers.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return headers


# --- together -------------------------------------------------------------------------------------------


def _raw_rows(path: Path, shape: FileShape) -> Iterator[list[str]]:
    if shape.format == SourceFormat.CSV:
        return _csv_rows(path, shape.encoding, shape.delimiter)
    return _sheet_rows(path, shape.sheet)


def shape_read(path: Path) -> FileShape:
    """Read how the file is built and its first rows; raise ImportFileError when it is not a usable table."""
    path = Path(path)
    with path.open("rb") as handle:
        head = handle.read(8)
    if not head:
        raise ImportFileError(_("The file is empty."))
    shape = FileShape(format=detect_format(head, path))
    if shape.format == SourceFormat.CSV:
        shape.encoding, text = _text_head(path)
        shape.delimiter = detect_delimiter(text[:MAX_LINE])
    else:
        shape.sheet, _sheet_obj = _sheet(path)
    rows: list[list[str]] = []
    try:
        for row in _raw_rows(path, shape):
            rows.append(row)
            if len(rows) >= HEAD_ROWS + SAMPLE_ROWS:
                break
    except csv.Error as error:
        raise ImportFileError(_("The file cannot be read as CSV: %(error)s.") % {"error": error}) from None
    header_index = find_header(rows)
    data_start = 0 if header_index is None else header_index + 1
    width = max((len(r) for r in rows), default=0)
    if width > MAX_COLUMNS:
        raise ImportFileError(_("The file has %(n)s columns; Abonent reads at most %(max)s.")
                              % {"n": width, "max": MAX_COLUMNS})
    if header_index is not None:
        header = rows[header_index]
        if any(len(c) > 1000 for c in header):
            raise ImportFileError(_("The header row has a cell longer than 1,000 characters: this is not a table "
                                    "Abonent can read."))
        shape.header_row = header_index + 1
    else:
        header = []
    shape.headers = unique_headers(header, width)
    shape.sample = [[c[:200] for c in row] for row in rows[data_start:] if any(c.strip() for c in row)][:SAMPLE_ROWS]
    if not shape.sample:
        raise ImportFileError(_("The file has column headers but no rows."))
    return shape


def records(path: Path, shape: FileShape) -> Iterator[tuple[int, list[str]]]:
    """Yield (row number, cells) of every data row; blank rows are left out."""
    start = shape.header_row or 0
    try:
        for number, row in enumerate(_raw_rows(Path(path), shape), start=1):
            if number > start and any(row) and "".join(row).strip():
                yield number, row
    except csv.Error as error:
        raise ImportFileError(_("The file cannot be read as CSV: %(error)s.") % {"error": error}) from None
