"""A `Report` as an Excel workbook: openpyxl in write-only mode, streamed row by row.

Each table of the report gets its own sheet (a report without tables gets one sheet with its title
block), laid out as the upper office expects to find it:

- a title block: the issuing People's Committee, the report title, the plan and review years, the
  date it was made, the report's summary lines and, when a report has several tables, the table's
  title;
- one header row (translated, bold, filled, wrapped), frozen with everything above it, auto-filtered
  together with the data rows, and repeated on every printed page;
- the data rows, then the totals row (bold, heavy top border), outside the filter so that sorting
  never moves it; the table's note under it.

Values are written as the `Report` holds them, never recomputed: numbers as numbers (int and VND
with ``#,##0``; decimals with the places they have; percentages as fractions, 20.86 → 0.2086, with
``0.00%``), dates as dates (``dd/mm/yyyy``). Every string is written as a string: text starting with
``=``, ``+``, ``-`` or ``@`` is stored with the string type and Excel's quote prefix, and text
columns have the Text number format (``@``), so that neither opening nor editing the cell turns it
into a formula. Characters that XML cannot hold are dropped; text is stored in NFC.
"""

import datetime
import io
import math
import os
import re
import textwrap
import unicodedata
from decimal import Decimal

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from reports.data import Column, Report, Row, Table, percent_fraction

CREATOR = "povertyplan"
SHEET_NAME_LIMIT = 31  # Excel's limit, in UTF-16 code units
TEXT_LIMIT = 32767  # characters in one cell

# First characters that make a spreadsheet read typed text as a formula (tab and carriage return
# too: some programs skip them and read what follows).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_SPACES = re.compile(r"\s+")

NUMBER_FORMATS = {
    "text": "@",
    "int": "#,##0",
    "vnd": "#,##0",
    "percent": "0.00%",
    "date": "dd/mm/yyyy",
}
MAX_DECIMAL_PLACES = 6

FILLS = {"header": PatternFill("solid", fgColor="DDEBF7"), "group": PatternFill("solid", fgColor="F2F2F2")}
THIN = Side(style="thin", color="808080")
BORDERS = {
    "grid": Border(left=THIN, right=THIN, top=THIN, bottom=THIN),
    "totals": Border(left=THIN, right=THIN, top=Side(style="medium", color="000000"), bottom=THIN),
    # A group heading runs over the cells of its row: no lines inside it.
    "band": Border(top=THIN, bottom=THIN),
    "band-first": Border(left=THIN, top=THIN, bottom=THIN),
    "band-last": Border(right=THIN, top=THIN, bottom=THIN),
}
MIN_DATE_WIDTH = 11.5
LINE_HEIGHT = 15  # points per line of 11 pt text


def build_xlsx(report: Report) -> bytes:
    """The report as the bytes of an .xlsx file."""
    workbook = Workbook(write_only=True)
    _set_properties(workbook, report)
    styles = None
    tables = report.tables or [None]
    names = sheet_names([(table.title if table else "") or report.title for table in tables])
    for table, name in zip(tables, names, strict=True):
        sheet = workbook.create_sheet(title=name)
        styles = styles or _Styles(sheet)
        _write_sheet(sheet, styles, report, table, several=len(tables) > 1)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- names and text --------------------------------------------------------------------------------


def clean_text(value) -> str:
    """Any value as text a cell can hold: NFC, no XML-illegal characters, at most 32,767 characters."""
    text = unicodedata.normalize("NFC", str(value))
    return ILLEGAL_CHARACTERS_RE.sub("", text)[:TEXT_LIMIT]


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_TRIGGERS)


def _utf16_prefix(text: str, limit: int) -> str:
    """The longest prefix of text that is at most `limit` UTF-16 code units (Excel counts those)."""
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit:
            return text[:index]
    return text


def _shorten(text: str, limit: int) -> str:
    """text cut to `limit` UTF-16 units, at a space when one is not too far back (no trailing comma)."""
    prefix = _utf16_prefix(text, limit)
    if prefix != text:
        space = prefix.rfind(" ")
        if text[len(prefix)] != " " and space >= limit // 2:
            prefix = prefix[:space]
    return prefix.rstrip(" ',;:")


def _units(text: str) -> int:
    return sum(2 if ord(char) > 0xFFFF else 1 for char in text)


def _abridge(common: str, tail: str, limit: int) -> str:
    """The start of `common`, "…", then `tail`: keeps what tells apart titles that begin alike."""
    tail = _shorten(tail, limit)
    room = limit - _units(tail) - 2
    head = _shorten(common.strip(), room) if room >= 4 else ""
    return f"{head}… {tail}" if head else tail


def _sheet_base(title, number: int) -> str:
    base = _SPACES.sub(" ", _SHEET_NAME_FORBIDDEN.sub(" ", clean_text(title or ""))).strip(" '")
    if not base or base.casefold() == "history":
        base = _("Table %(number)s") % {"number": number}
    return base


def sheet_names(titles: list[str]) -> list[str]:
    """Valid, distinct sheet names for the titles, in order.

    Excel wants 1–31 characters, none of ``[]:*?/\\``, no apostrophe at either end, not "History",
    and names that differ other than by case. Long titles are cut at a word; titles that differ only
    after the cut keep their start and their different ends ("Households exiting… village");
    repeated titles get " (2)", " (3)"…
    """
    bases = [_sheet_base(title, number) for number, title in enumerate(titles, 1)]
    cut = [_shorten(base, SHEET_NAME_LIMIT) for base in bases]
    alike: dict[str, list[int]] = {}
    for index, name in enumerate(cut):
        alike.setdefault(name.casefold(), []).append(index)
    for indexes in alike.values():
        if len({bases[index].casefold() for index in indexes}) > 1:
            common = os.path.commonprefix([bases[index].casefold() for index in indexes])
            common = bases[indexes[0]][: common.rfind(" ") + 1] if " " in common else ""
            for index in indexes:
                tail = bases[index][len(common) :].strip()
                if tail:
                    cut[index] = _abridge(common, tail, SHEET_NAME_LIMIT)
    used: set[str] = set()
    names = []
    for base, name in zip(bases, cut, strict=True):
        counter = 1
        while name.casefold() in used:
            counter += 1
            suffix = f" ({counter})"
            name = _shorten(base, SHEET_NAME_LIMIT - len(suffix)) + suffix
        used.add(name.casefold())
        names.append(name)
    return names


# --- values ----------------------------------------------------------------------------------------


def _integral(value):
    """Decimal("3") → 3; other numbers unchanged; NaN and infinities → None (Excel has no such number)."""
    if isinstance(value, Decimal):
        if not value.is_finite():
            return None
        return int(value) if value == value.to_integral_value() else value
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _decimal_places(value) -> int:
    if isinstance(value, Decimal):
        exponent = value.normalize().as_tuple().exponent
        return min(MAX_DECIMAL_PLACES, max(0, -exponent)) if isinstance(exponent, int) else 0
    if isinstance(value, float):
        return _decimal_places(Decimal(repr(value)))
    return 0


def cell_value(kind: str, value):
    """What to store for a value of the column kind, and its number format.

    Returns (value, number_format); value is a str, int, Decimal, date or None.
    """
    if value is None:
        return None, None
    if isinstance(value, (str, Promise)) or kind == "text" or isinstance(value, bool):
        return clean_text(value), NUMBER_FORMATS["text"]
    if kind == "date":
        if isinstance(value, datetime.datetime):
            if timezone.is_aware(value):
                value = timezone.localtime(value)
            return value.date(), NUMBER_FORMATS["date"]
        if isinstance(value, datetime.date):
            return value, NUMBER_FORMATS["date"]
    elif isinstance(value, (int, float, Decimal)):
        if kind == "percent":
            number = value if isinstance(value, Decimal) else Decimal(str(value))
            return (percent_fraction(number) if number.is_finite() else None), NUMBER_FORMATS["percent"]
        value = _integral(value)
        if kind in ("int", "vnd"):
            return value, NUMBER_FORMATS[kind]
        places = _decimal_places(value)
        return value, "#,##0." + "0" * places if places else "#,##0"
    # Anything else (a date in a number column, an object): its text, never a guess.
    return clean_text(value), NUMBER_FORMATS["text"]


# --- styles ----------------------------------------------------------------------------------------


class _Styles:
    """Cell style arrays built once per workbook and shared by the cells (cheap for big sheets)."""

    def __init__(self, sheet):
        self.sheet = sheet
        self._cache: dict[tuple, StyleArray] = {}

    def array(
        self,
        *,
        bold=False,
        italic=False,
        size=None,
        fill=None,
        border=None,
        wrap=False,
        centre=False,
        number_format=None,
        quote=False,
    ) -> StyleArray:
        """Fill and border are names (keys of FILLS, BORDERS): cheap to hash, unlike style objects."""
        key = (bold, italic, size, fill, border, wrap, centre, number_format, quote)
        if key not in self._cache:
            scratch = WriteOnlyCell(self.sheet)
            if bold or italic or size:
                scratch.font = Font(bold=bold, italic=italic, size=size)
            if fill:
                scratch.fill = FILLS[fill]
            if border:
                scratch.border = BORDERS[border]
            if border or wrap or centre:  # table cells: a row's cells line up in the middle
                scratch.alignment = Alignment(
                    wrap_text=wrap or None, vertical="center", horizontal="center" if centre else None
                )
            if number_format:
                scratch.number_format = number_format
            if quote:
                scratch.quotePrefix = True
            self._cache[key] = scratch._style
        return self._cache[key]

    def cell(self, value, **style):
        """A cell holding value (already converted by `cell_value` or `clean_text`)."""
        cell = WriteOnlyCell(self.sheet)
        if isinstance(value, str):
            style["quote"] = looks_like_formula(value)
        if any(style.values()):
            # Shared, not copied: a write-only cell is written as soon as its row is appended and
            # never restyled. Set before the value, so that a date keeps its format.
            cell._style = self.array(**style)
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"  # "=…" would otherwise be a formula and "#N/A" an error value
        return cell


# --- layout ----------------------------------------------------------------------------------------


def _local(moment: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(moment) if timezone.is_aware(moment) else moment


def _title_lines(report: Report, table: Table | None, several: bool) -> list[tuple[str, dict]]:
    commune = report.commune
    commune_name = getattr(commune, "full_name", "") or str(commune or "")
    if commune is None and (report.issuer or report.area_name):  # an area report: its issuing body
        issuer = " – ".join(line for line in report.issuer if line) or report.area_name.upper()
    else:
        issuer = (_("People's Committee of %(commune)s") % {"commune": commune_name}).upper()
    if report.plan_year is None:  # a review round's lists: no plan year
        years = _("Review of %(review_year)s") % {"review_year": report.review_year}
    elif report.review_year:
        years = _("Plan year %(plan_year)s, review of %(review_year)s") % {
            "plan_year": report.plan_year,
            "review_year": report.review_year,
        }
    else:
        years = _("Plan year %(plan_year)s") % {"plan_year": report.plan_year}
    generated = _local(report.generated_at)
    made = _("Made on: %(date)s") % {
        "date": f"{generated.day:02d}/{generated.month:02d}/{generated.year:04d}"
    }
    lines = [
        issuer,
        str(report.title),
        years,
        made,
    ]
    styles = [{"bold": True}, {"bold": True, "size": 14}, {}, {}]
    for label, formatted in report.summary:
        lines.append(f"{label}: {formatted}")
        styles.append({})
    if table is not None and table.title and (several or str(table.title) != str(report.title)):
        lines.append(str(table.title))
        styles.append({"bold": True})
    return [(clean_text(line), style) for line, style in zip(lines, styles, strict=True)]


def _width(column: Column) -> float:
    """The column's width; a date column is wide enough for a bold dd/mm/yyyy, never "###"."""
    return max(column.width, MIN_DATE_WIDTH) if column.kind == "date" else column.width


def _lines(text: str, width) -> int:
    """About how many lines text takes wrapped in a column `width` characters wide."""
    characters = max(1, int(width) - 1)
    return sum(max(1, len(textwrap.wrap(part, characters))) for part in text.split("\n"))


def _height(lines: int) -> float | None:
    """A row height for that many lines (None: the default height of one line).

    Set explicitly because LibreOffice does not always fit rows to wrapped text when it opens a file.
    """
    return LINE_HEIGHT * lines if lines > 1 else None


def _write_sheet(sheet, styles: _Styles, report: Report, table: Table | None, several: bool) -> None:
    title_lines = _title_lines(report, table, several)
    columns = list(table.columns) if table else []
    header_row = len(title_lines) + 2  # the title block, one blank row, then the header
    first_data_row = header_row + 1
    last_column = get_column_letter(max(1, len(columns)))

    # Everything before the first row is written: widths, panes, page setup, print titles.
    for index, column in enumerate(columns, 1):
        sheet.column_dimensions[get_column_letter(index)].width = _width(column)
    if columns:
        sheet.freeze_panes = f"A{first_data_row}"
        sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if report.landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)

    for number, (text, style) in enumerate(title_lines, 1):
        _line(sheet, styles, number, columns, text, **style)
    sheet.append([])
    if not columns:
        return

    headers = [clean_text(column.header) for column in columns]
    _append(
        sheet,
        header_row,
        [
            styles.cell(text, bold=True, fill="header", border="grid", wrap=True, centre=True)
            for text in headers
        ],
        max(_lines(text, _width(column)) for text, column in zip(headers, columns, strict=True)),
    )
    last_data_row = header_row
    for row in table.rows:
        last_data_row += 1
        _append(sheet, last_data_row, *_row_cells(styles, columns, row))
    sheet.auto_filter.ref = f"A{header_row}:{last_column}{last_data_row}"
    last_row = last_data_row
    if table.totals is not None:
        last_row += 1
        _append(sheet, last_row, *_row_cells(styles, columns, table.totals, totals=True))
    if table.note:
        sheet.append([])
        _line(sheet, styles, last_row + 2, columns, clean_text(table.note), italic=True)


def _line(sheet, styles: _Styles, number: int, columns: list[Column], text: str, size=None, **style) -> None:
    """A line of text above or below the table: across the table's width (merged), wrapped to it.

    Left to run over the cells to its right, a long line would widen the printed page.
    """
    if len(columns) < 2:
        sheet.append([styles.cell(text, size=size, **style)])
        return
    scale = (size or 11) / 11
    width = sum(_width(column) for column in columns) / scale
    lines = _lines(text, width)
    if lines > 1 or scale > 1:
        sheet.row_dimensions[number].height = LINE_HEIGHT * scale * lines
    sheet.append([styles.cell(text, size=size, wrap=True, **style)])
    sheet.row_dimensions.pop(number, None)
    sheet.merged_cells.add(f"A{number}:{get_column_letter(len(columns))}{number}")


def _append(sheet, number: int, cells: list, lines: int) -> None:
    """Write row `number`, as tall as its wrapped text."""
    height = _height(lines)
    if height:
        sheet.row_dimensions[number].height = height
    sheet.append(cells)
    if height:  # written already: keep memory flat
        del sheet.row_dimensions[number]


def _row_cells(styles: _Styles, columns: list[Column], row: Row, totals: bool = False) -> tuple[list, int]:
    """The row's cells and the number of lines its tallest cell needs."""
    bold = totals or row.style in ("subtotal", "group")
    fill = "group" if row.style == "group" else None
    border = "totals" if totals else "grid"
    values = {column.key: row.values.get(column.key) for column in columns}
    present = [key for key, value in values.items() if value is not None and value != ""]
    heading = row.style == "group" and len(present) == 1
    if heading:  # a heading spanning the table: its text in the first cell, running over the others
        values = {column.key: None for column in columns}
        values[columns[0].key] = clean_text(row.values[present[0]])
    cells, lines = [], 1
    for index, column in enumerate(columns):
        if heading and len(columns) > 1:
            border = "band-first" if index == 0 else "band-last" if index == len(columns) - 1 else "band"
        value, number_format = cell_value(column.kind, values[column.key])
        if number_format is None:  # an empty cell keeps the row's look
            number_format = NUMBER_FORMATS.get(column.kind)
        wrap = not heading and (column.kind == "text" or isinstance(value, str))
        if wrap and value and (len(value) >= column.width - 1 or "\n" in value):
            lines = max(lines, _lines(value, column.width))
        cells.append(
            styles.cell(value, bold=bold, fill=fill, border=border, wrap=wrap, number_format=number_format)
        )
    return cells, lines


def _set_properties(workbook: Workbook, report: Report) -> None:
    properties = workbook.properties
    properties.title = clean_text(report.title)[:255]
    properties.creator = CREATOR
    properties.lastModifiedBy = CREATOR
    properties.language = get_language() or "vi"
    properties.keywords = report.slug
    commune = getattr(report.commune, "full_name", "") or report.area_name
    if commune:
        properties.subject = clean_text(commune)
    moment = report.generated_at
    if timezone.is_aware(moment):
        moment = moment.astimezone(datetime.UTC).replace(tzinfo=None)  # openpyxl writes it as UTC
    properties.created = moment
