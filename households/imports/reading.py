"""First layer of every import: an uploaded file becomes numbered rows, or one clear error.

`read_table` recognises the file by its content (XLSX, CSV in UTF-8/UTF-16), finds the header row,
matches its columns to the importer's known columns (ignoring case and diacritics), and returns the
data rows with the row numbers the officer sees in Excel. Anything wrong with the file as a whole
raises `ImportFileError` with a message for the officer; a problem in one cell (a formula without a
value, an Excel error value) is a `CellError` for the next layer to report with the row's other
problems. Names typed in TCVN3 are converted, with a warning. No database, no side effects.

An XLSX is measured (`xlsx_scan`) before its reader builds anything: a sheet that reaches beyond the
importer's columns or the rows allowed, or holds too much text, is refused without being read.
"""

import codecs
import csv
import io
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils.translation import gettext as _

from households.imports import tcvn3, xlsx_scan
from povertyplan.formatting import format_number
from povertyplan.spreadsheet import looks_like_formula
from povertyplan.text import fold

Value = str | int | float | date | None

OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, or an XLSX encrypted with a password
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")
HEADER_SEARCH_ROWS = 10  # a title or a note may sit above the header
UNPACKED_RATIO = 30  # an XLSX is compressed XML: more than this many times its limit is a zip bomb
# How far a sheet may reach beyond the importer's columns (unknown columns are only a warning) and
# beyond the data rows allowed (title, header and blank rows). A sheet that reaches farther is refused
# before it is read: the XLSX reader builds a grid as large as the sheet's extent.
EXTRA_COLUMNS = 20
EXTRA_ROWS = 1000
EXCEL_ERRORS = frozenset(
    {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA"}
)


class ImportFileError(Exception):
    """The file as a whole cannot be read; `message` is for the officer (already translated)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class SourceRow:
    number: int  # the row number the officer sees in Excel (the header's row counts)
    values: dict[str, Value]  # canonical known column name → value; empty cells are None


@dataclass(frozen=True)
class CellError:
    row: int
    column: str
    message: str  # complete sentence for the officer, row and column included


@dataclass
class ReadResult:
    header: list[str]  # the header cells as written in the file (NFC, stripped), trailing blanks dropped
    rows: list[SourceRow]
    warnings: list[str] = field(default_factory=list)
    cell_errors: list[CellError] = field(default_factory=list)
    header_row: int = 1
    unknown_columns: list[str] = field(default_factory=list)  # in the file, not known: ignored
    sheet: str = ""  # XLSX: the worksheet read


@dataclass
class _RawRow:
    number: int
    cells: list  # raw values, position = column
    formulas_without_value: frozenset[int] = frozenset()  # positions


def read_table(
    file_bytes: bytes,
    filename: str,
    *,
    required_columns: list[str],
    known_columns: list[str],
    max_rows: int,
    max_bytes: int,
    aliases: dict[str, str] | None = None,
) -> ReadResult:
    """Read an uploaded XLSX or CSV file; raise `ImportFileError` for anything wrong with the file itself.

    `filename` is only used to tell a badly encoded CSV from a file that is not a spreadsheet at all;
    the format is decided by the content. `aliases` maps other names of a column (its header in the
    other language) to its canonical name.
    """
    if len(file_bytes) > max_bytes:
        raise ImportFileError(
            _("The file is %(size)s MB, more than the limit of %(limit)s MB. Split it into smaller files.")
            % {"size": _megabytes(len(file_bytes)), "limit": _megabytes(max_bytes)}
        )
    if not file_bytes.strip():
        raise ImportFileError(_("The file is empty."))
    if file_bytes.startswith(OLE2_SIGNATURE):
        raise ImportFileError(
            _(
                "The file is protected by a password or is in the old Excel 97-2003 (.xls) format. "
                "Open it in Excel and save it as an Excel workbook (.xlsx) without a password."
            )
        )
    columns = _Columns(required_columns, known_columns, aliases or {})
    if file_bytes.startswith(ZIP_SIGNATURES):
        sheets = _xlsx_sheets(file_bytes, max_bytes, _Extent(columns.names, max_rows))
    else:
        sheets = [("", _csv_rows(file_bytes, filename))]
    return _Reader(columns, max_rows).read(sheets)


# --- columns -------------------------------------------------------------------------------------


class _Columns:
    def __init__(self, required: list[str], known: list[str], aliases: dict[str, str]):
        self.required = list(required)
        self.by_key: dict[str, str] = {}
        for name in [*known, *required]:
            self.by_key.setdefault(fold(name), name)
        self.names = len(self.by_key)
        for alias, name in aliases.items():
            self.by_key.setdefault(fold(alias), name)

    def canonical(self, header_text: str) -> str | None:
        return self.by_key.get(fold(header_text))

    def score(self, cells: list) -> int:
        return sum(
            1 for cell in cells if isinstance(cell, str) and self.canonical(_unlegacy(_clean_text(cell)))
        )


# --- turning raw rows into the result ------------------------------------------------------------


class _Reader:
    def __init__(self, columns: _Columns, max_rows: int):
        self.columns = columns
        self.max_rows = max_rows
        self.warnings: list[str] = []
        self.cell_errors: list[CellError] = []

    def read(self, sheets: Iterable[tuple[str, Iterator[_RawRow]]]) -> ReadResult:
        sheet_name, header_row, rows = self._find_header(sheets)
        header = self._header_texts(header_row)
        positions = self._map_columns(header)
        data: list[SourceRow] = []
        ignored_with_data: set[int] = set()
        for raw in rows:
            values, blank_headed = self._values(raw, header, positions)
            if values is None:
                continue
            ignored_with_data |= blank_headed
            data.append(SourceRow(number=raw.number, values=values))
            if len(data) > self.max_rows:
                raise ImportFileError(
                    _(
                        "The file has more than %(limit)s data rows. "
                        "Split it into files of at most %(limit)s rows."
                    )
                    % {"limit": format_number(self.max_rows)}
                )
        if not data:
            raise ImportFileError(
                _("The file has no data rows under the header (row %(row)s).") % {"row": header_row.number}
            )
        for position in sorted(ignored_with_data):
            self.warnings.append(
                _("Column %(column)s has data but no header: it was ignored.")
                % {"column": _column_letter(position)}
            )
        unknown = [text for position, text in enumerate(header) if text and position not in positions]
        return ReadResult(
            header=header,
            rows=data,
            warnings=self.warnings,
            cell_errors=self.cell_errors,
            header_row=header_row.number,
            unknown_columns=unknown,
            sheet=sheet_name,
        )

    def _find_header(self, sheets) -> tuple[str, _RawRow, Iterator[_RawRow]]:
        """The row among the first few of any sheet that names the most known columns."""
        best = None  # (score, sheet name, header row, remaining rows)
        for sheet_name, rows in sheets:
            rows = iter(rows)
            leading = []
            for raw in rows:
                if _is_blank(raw.cells):
                    continue
                leading.append(raw)
                if len(leading) == HEADER_SEARCH_ROWS:
                    break
            for index, raw in enumerate(leading):
                score = self.columns.score(raw.cells)
                if best is None or score > best[0]:
                    remaining = _chain(leading[index + 1 :], rows)
                    best = (score, sheet_name, raw, remaining)
            if best and best[0] == self.columns.names:
                break  # every known column found: no need to look at other sheets
        if best is None:
            raise ImportFileError(_("The file is empty: there is no header row and no data."))
        return best[1], best[2], best[3]

    def _header_texts(self, raw: _RawRow) -> list[str]:
        header = []
        for cell in raw.cells:
            text = _clean_text(_text(cell))
            if tcvn3.looks_like_tcvn3(text):
                converted = tcvn3.to_unicode(text)
                self.warnings.append(
                    _("Row %(row)s: the header '%(original)s' was converted from TCVN3 to '%(converted)s'.")
                    % {"row": raw.number, "original": text, "converted": converted}
                )
                text = converted
            header.append(text)
        while header and not header[-1]:
            header.pop()
        return header

    def _map_columns(self, header: list[str]) -> dict[int, str]:
        """Column position → canonical name; raises for duplicate headers and missing required columns."""
        seen: dict[str, str] = {}
        duplicates: list[str] = []
        positions: dict[int, str] = {}
        for position, text in enumerate(header):
            if not text:
                continue
            key = fold(text) or text
            if key in seen:
                duplicates.append(f"'{seen[key]}'" if seen[key] == text else f"'{seen[key]}' / '{text}'")
                continue
            seen[key] = text
            canonical = self.columns.canonical(text)
            if canonical:
                positions[position] = canonical
        if duplicates:
            raise ImportFileError(
                _("These columns appear more than once in the header: %(columns)s. Keep one of each.")
                % {"columns": ", ".join(duplicates)}
            )
        found = set(positions.values())
        missing = [name for name in self.columns.required if name not in found]
        if missing:
            raise ImportFileError(
                _("The file lacks these required columns: %(columns)s. Use the import template's headers.")
                % {"columns": ", ".join(f"'{name}'" for name in missing)}
            )
        unknown = [text for position, text in enumerate(header) if text and position not in positions]
        if unknown:
            self.warnings.append(
                _("These columns are not used by this import and were ignored: %(columns)s.")
                % {"columns": ", ".join(f"'{text}'" for text in unknown)}
            )
        return positions

    def _values(self, raw: _RawRow, header: list[str], positions: dict[int, str]):
        """The row's values by canonical column (None for a blank row), and blank-headed columns with data."""
        values: dict[str, Value] = {name: None for name in positions.values()}
        present = False
        blank_headed: set[int] = set()
        for position, cell in enumerate(raw.cells):
            name = positions.get(position)
            value = _clean_value(cell)
            if position in raw.formulas_without_value:
                present = True
                if name:
                    self._cell_error(raw.number, name, _("the cell holds a formula that has no value yet"))
                continue
            if value is None:
                continue
            present = True
            if name is None:
                if position >= len(header) or not header[position]:
                    blank_headed.add(position)
                continue
            if isinstance(value, str):
                if value in EXCEL_ERRORS:
                    self._cell_error(
                        raw.number, name, _("the cell shows the Excel error %(error)s") % {"error": value}
                    )
                    continue
                if tcvn3.looks_like_tcvn3(value):
                    converted = tcvn3.to_unicode(value)
                    self.warnings.append(
                        _(
                            "Row %(row)s, column '%(column)s': '%(original)s' was converted "
                            "from TCVN3 to '%(converted)s'."
                        )
                        % {"row": raw.number, "column": name, "original": value, "converted": converted}
                    )
                    value = converted
            values[name] = value
        if not present:
            return None, set()
        return values, blank_headed

    def _cell_error(self, row: int, column: str, reason: str) -> None:
        message = _("Row %(row)s, column '%(column)s': %(reason)s") % {
            "row": row,
            "column": column,
            "reason": reason,
        }
        self.cell_errors.append(CellError(row=row, column=column, message=message))


def _chain(first: list[_RawRow], rest: Iterator[_RawRow]) -> Iterator[_RawRow]:
    yield from first
    yield from rest


def _is_blank(cells: list) -> bool:
    return all(_clean_value(cell) is None for cell in cells)


def _clean_text(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


def _unlegacy(text: str) -> str:
    return tcvn3.to_unicode(text) if tcvn3.looks_like_tcvn3(text) else text


def _text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)


def _clean_value(cell) -> Value:
    if cell is None:
        return None
    if isinstance(cell, str):
        return _clean_text(cell) or None
    if isinstance(cell, datetime):
        return cell.date() if cell.time() == time(0) else cell
    if isinstance(cell, int | float | date):
        return cell
    if isinstance(cell, time | timedelta):
        return str(cell)
    return _clean_text(str(cell)) or None


def _column_letter(position: int) -> str:
    return xlsx_scan.column_letters(position + 1)


def _megabytes(size: int) -> str:
    return format_number(size / 1_000_000, places=1)  # decimal megabytes, as the settings state them


# --- XLSX --------------------------------------------------------------------------------------


def _corrupted() -> ImportFileError:
    return ImportFileError(
        _(
            "The Excel file is damaged and cannot be read. Open it in Excel, check its content "
            "and save it again as .xlsx."
        )
    )


def _not_a_spreadsheet() -> ImportFileError:
    return ImportFileError(
        _("The file is not a spreadsheet. Upload an Excel workbook (.xlsx) or a CSV file (UTF-8 or UTF-16).")
    )


@dataclass(frozen=True)
class _Extent:
    """How far a sheet may reach for this import, and the officer's words when it reaches farther."""

    columns: int  # the importer's columns
    max_rows: int  # data rows allowed

    @property
    def limits(self) -> xlsx_scan.Limits:
        return xlsx_scan.Limits(rows=self.max_rows + EXTRA_ROWS, columns=self.columns + EXTRA_COLUMNS)

    def explain(self, refusal: xlsx_scan.Refusal) -> ImportFileError:
        limits = self.limits
        if isinstance(refusal, xlsx_scan.TooWide):
            return ImportFileError(
                _(
                    "The sheet '%(sheet)s' has data in cell %(cell)s (column %(column)s), but this list "
                    "has only %(columns)s columns: a sheet may use the columns up to %(last)s. Delete the "
                    "columns to the right of the table (cells that look empty too) and upload the file again."
                )
                % {
                    "sheet": refusal.sheet,
                    "cell": refusal.cell,
                    "column": format_number(refusal.column),
                    "columns": format_number(self.columns),
                    "last": xlsx_scan.column_letters(limits.columns),
                }
            )
        if isinstance(refusal, xlsx_scan.TooLong):
            return ImportFileError(
                _(
                    "The sheet '%(sheet)s' has data in cell %(cell)s (row %(row)s), but a file may hold "
                    "at most %(limit)s data rows: a sheet may use the rows up to %(last)s. Delete the rows "
                    "below the table (cells that look empty too) and upload the file again, or split it "
                    "into files of at most %(limit)s rows."
                )
                % {
                    "sheet": refusal.sheet,
                    "cell": refusal.cell,
                    "row": format_number(refusal.row),
                    "limit": format_number(self.max_rows),
                    "last": format_number(limits.rows),
                }
            )
        if isinstance(refusal, xlsx_scan.TooMuchText) and refusal.sheet:
            return ImportFileError(
                _(
                    "The sheet '%(sheet)s' holds too much text to be read (at least %(size)s MB; the limit "
                    "is %(limit)s MB). Delete the columns and rows the import does not need, or split the "
                    "file into smaller files."
                )
                % {
                    "sheet": refusal.sheet,
                    "size": _megabytes(refusal.size),
                    "limit": _megabytes(limits.text_bytes),
                }
            )
        if isinstance(refusal, xlsx_scan.TooMuchText):
            return ImportFileError(
                _(
                    "The Excel file holds too much text to be read (at least %(size)s MB in its table of "
                    "texts; the limit is %(limit)s MB). Delete the sheets, columns and rows the import "
                    "does not need, or split the file into smaller files."
                )
                % {"size": _megabytes(refusal.size), "limit": _megabytes(limits.strings_bytes)}
            )
        if isinstance(refusal, xlsx_scan.TooManyMerged):
            return ImportFileError(
                _(
                    "The sheet '%(sheet)s' has too many merged cells (more than %(count)s). Unmerge the "
                    "cells (Home, Merge & Center, Unmerge Cells) and upload the file again."
                )
                % {"sheet": refusal.sheet, "count": format_number(limits.merged_ranges)}
            )
        if isinstance(refusal, xlsx_scan.PartTooLarge):
            return ImportFileError(
                _(
                    "A part of the Excel file is too large to be read (%(part)s: %(size)s MB once unpacked; "
                    "the limit is %(limit)s MB). Copy the table into a new workbook and upload that one."
                )
                % {
                    "part": refusal.part,
                    "size": _megabytes(refusal.size),
                    "limit": _megabytes(refusal.limit),
                }
            )
        return _corrupted()


def _xlsx_sheets(file_bytes: bytes, max_bytes: int, extent: _Extent) -> list[tuple[str, Iterator[_RawRow]]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(file_bytes))
        names = set(archive.namelist())
        # checked first: calamine reads an OpenDocument file when its Excel reader fails
        opendocument = "mimetype" in names and b"opendocument.spreadsheet" in _head(archive, "mimetype")
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError) as error:
        raise _corrupted() from error
    if opendocument:
        raise ImportFileError(
            _(
                "OpenDocument spreadsheets (.ods) are not supported. "
                "Save the file as an Excel workbook (.xlsx)."
            )
        )
    if "xl/workbook.xml" not in names:
        if any(name.startswith("xl/") for name in names):
            raise _corrupted()
        raise _not_a_spreadsheet()
    if sum(info.file_size for info in archive.infolist()) > max_bytes * UNPACKED_RATIO:
        raise ImportFileError(
            _(
                "The Excel file is too large once unpacked (limit %(limit)s MB for the file). "
                "Split it into smaller files."
            )
            % {"limit": _megabytes(max_bytes)}
        )
    try:
        workbook = xlsx_scan.Workbook(archive, extent.limits)
    except xlsx_scan.Refusal as refusal:
        raise extent.explain(refusal) from refusal
    try:
        from python_calamine import CalamineWorkbook

        book = CalamineWorkbook.from_filelike(io.BytesIO(file_bytes))
        sheet_names = list(book.sheet_names)
    except Exception as error:  # calamine raises many kinds of errors for a damaged file
        raise _corrupted() from error
    return [(name, _xlsx_rows(book, workbook, name, extent)) for name in sheet_names]


def _head(archive: zipfile.ZipFile, name: str) -> bytes:
    with archive.open(name) as stream:
        return stream.read(100)


def _xlsx_rows(book, workbook: xlsx_scan.Workbook, name: str, extent: _Extent) -> Iterator[_RawRow]:
    """The sheet's rows, measured before calamine builds them, then handed over one at a time."""
    try:
        marks = workbook.scan(name)
        sheet = book.get_sheet_by_name(name)
    except xlsx_scan.Refusal as refusal:
        raise extent.explain(refusal) from refusal
    except Exception as error:
        raise _corrupted() from error
    if sheet.start is None:
        return  # an empty sheet (iter_rows would fail on it)
    # iter_rows yields every row from the first, but the columns from the sheet's first used one
    padding = [None] * sheet.start[1]
    for number, cells in enumerate(sheet.iter_rows(), start=1):
        cells = [*padding, *(None if cell == "" else cell for cell in cells)]
        for position, error in marks.errors.get(number, {}).items():
            cells.extend([None] * (position + 1 - len(cells)))
            cells[position] = error
        yield _RawRow(
            number=number,
            cells=cells,
            formulas_without_value=frozenset(marks.without_value.get(number, ())),
        )


# --- CSV ---------------------------------------------------------------------------------------

_TEXT_SUFFIXES = (".csv", ".txt", ".tsv", ".tab")


def _decode(file_bytes: bytes, filename: str) -> str:
    """UTF-8 (with or without BOM) or UTF-16 with its BOM, as Excel's "Unicode text" writes it."""
    if file_bytes.startswith(codecs.BOM_UTF8):
        encoding, body = "utf-8", file_bytes[len(codecs.BOM_UTF8) :]
    elif file_bytes.startswith(codecs.BOM_UTF16_LE):
        encoding, body = "utf-16-le", file_bytes[2:]
    elif file_bytes.startswith(codecs.BOM_UTF16_BE):
        encoding, body = "utf-16-be", file_bytes[2:]
    else:
        encoding, body = _guess_bomless(file_bytes), file_bytes
    if encoding is None:
        raise _not_a_spreadsheet()
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as error:
        if encoding == "utf-8" and not _looks_binary(file_bytes, filename):
            raise ImportFileError(
                _(
                    "The CSV file is not in UTF-8 or UTF-16 (the byte at position %(position)s is not valid "
                    "UTF-8; the file may be in Windows-1258, TCVN3 or VNI). In Excel, save it as "
                    '"CSV UTF-8" or "Unicode Text", or upload the .xlsx file.'
                )
                % {"position": error.start + 1}
            ) from error
        raise _not_a_spreadsheet() from error
    if "\x00" in text:
        raise _not_a_spreadsheet()
    return text


def _guess_bomless(file_bytes: bytes) -> str | None:
    """UTF-8 unless the file is UTF-16 without its BOM (a NUL beside most ASCII bytes) or binary."""
    if b"\x00" not in file_bytes:
        return "utf-8"
    sample = file_bytes[: 1 << 16]
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def _looks_binary(file_bytes: bytes, filename: str) -> bool:
    """Bytes that are no text in any encoding: control characters other than tab and line ends."""
    sample = file_bytes[: 1 << 16]
    controls = sum(1 for byte in sample if byte < 32 and byte not in (9, 10, 12, 13))
    if controls > len(sample) // 100:
        return True
    return not filename.lower().endswith(_TEXT_SUFFIXES) and controls > 0


def _delimiter(text: str) -> str:
    """Tab, semicolon or comma: the one that splits the first line (the header) into the most cells."""
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    counts = dict.fromkeys("\t;,", 0)
    quoted = False
    for char in first_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(counts, key=lambda char: counts[char])  # ties: tab, then semicolon, then comma
    return best if counts[best] else ","


def _unneutralised(cell: str) -> str:
    """Our CSV exports write formula-looking text as "'=…" (povertyplan.spreadsheet.csv_text): read
    back, that quote is not part of the value. The text stays text: nothing here is ever evaluated."""
    if cell.startswith("'") and looks_like_formula(cell[1:]):
        return cell[1:]
    return cell


def _csv_rows(file_bytes: bytes, filename: str) -> Iterator[_RawRow]:
    text = _decode(file_bytes, filename)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        for number, cells in enumerate(reader, start=1):
            yield _RawRow(number=number, cells=[_unneutralised(cell) for cell in cells])
    except csv.Error as error:
        raise ImportFileError(
            _("The CSV file cannot be read near row %(row)s: %(problem)s.")
            % {"row": reader.line_num, "problem": str(error)}
        ) from error


__all__ = ["CellError", "ImportFileError", "ReadResult", "SourceRow", "read_table"]
