"""The import page's workbooks: the empty template of each list, and the rows a check rejected.

Both have the importer's own headers on row 1 of their first sheet, so that the file the officer
fills in (or corrects) is read back by the same import. Built in openpyxl's normal mode: a template
holds one example row, and the rejected rows are a part of one uploaded file.
"""

import io
from datetime import date, datetime
from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from households.imports.engine import ImportColumn
from povertyplan.spreadsheet import looks_like_formula, xlsx_text

DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
SHEET_NAME_LIMIT = 31
SHEET_NAME_FORBIDDEN = "[]:*?/\\"
INLINE_LIST_LIMIT = 255  # characters Excel accepts in a list typed into the validation rule itself
WIDTH_MIN, WIDTH_MAX = 10, 40
AUTHOR = "povertyplan"

BOLD = Font(bold=True)
EXAMPLE_FONT = Font(italic=True, color="7F7F7F")
TITLE_FONT = Font(bold=True, size=14)
WARNING_FONT = Font(bold=True, color="C00000")
REQUIRED_FILL = PatternFill("solid", start_color="FFD966")
EXTRA_FILL = PatternFill("solid", start_color="D9D9D9")  # columns the import ignores
TABLE_FILL = PatternFill("solid", start_color="D9E1F2")
PROBLEM_FILL = PatternFill("solid", start_color="F8CBAD")
WRAP_TOP = Alignment(wrap_text=True, vertical="top")


def template_workbook(importer) -> bytes:
    """The file to fill in for one list: headers, an example row, dropdowns, and the instructions."""
    columns = [column for column in importer.columns() if column.read]
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title(importer.title)
    _write_header(sheet, [(column.header, column.required) for column in columns])
    for position, column in enumerate(columns, start=1):
        if column.example is not None and column.example != "":
            cell = sheet.cell(row=2, column=position)
            put(cell, column.example)
            cell.font = EXAMPLE_FONT
            if column.key == importer.example_key:
                cell.comment = Comment(_example_note(column), AUTHOR)
    _set_widths(sheet)
    _write_instructions(
        book.create_sheet(pgettext("import workbook", "Instructions")), importer, columns, sheet.title
    )
    _add_dropdowns(book, sheet, list(enumerate(columns, start=1)))  # its hidden lists come last
    return _saved(book)


def rejected_rows_workbook(result) -> bytes:
    """The rows a check found invalid, as read, with their source row number and their problems."""
    present = set(result.rows[0].values) if result.rows else set()
    # A column the officer's file did not have stays out: read back present but empty, it would
    # erase what the application holds for it.
    columns = [column for column in result.columns if column.read and column.header in present]
    row_header, errors_header = _("Row in the original file"), pgettext("import workbook", "Errors")
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title(result.title)
    _write_header(
        sheet,
        [
            (row_header, False),
            *[(column.header, column.required) for column in columns],
            (errors_header, False),
        ],
    )
    ignored = _("Not read by the import: keep this column or delete it.")
    for position in (1, len(columns) + 2):
        sheet.cell(row=1, column=position).fill = EXTRA_FILL
        sheet.cell(row=1, column=position).comment = Comment(ignored, AUTHOR)
    positions = {column.header: index for index, column in enumerate(columns, start=2)}
    sources = {source.number: source for source in result.rows}
    messages: dict[int, list] = {}
    for problem in result.problems:
        messages.setdefault(problem.row, []).append(problem)
    for line, number in enumerate(result.invalid_rows, start=2):
        sheet.cell(row=line, column=1, value=number)
        source = sources.get(number)
        for column in columns:
            value = source.values.get(column.header) if source else None
            if value is not None:
                put(sheet.cell(row=line, column=positions[column.header]), value)
        for problem in messages.get(number, []):
            if problem.column in positions:
                sheet.cell(row=line, column=positions[problem.column]).fill = PROBLEM_FILL
        errors = sheet.cell(row=line, column=len(columns) + 2)
        put(errors, "\n".join(problem.message for problem in messages.get(number, [])))
        errors.alignment = WRAP_TOP
    _set_widths(sheet)
    sheet.column_dimensions[get_column_letter(len(columns) + 2)].width = 60
    _write_rejected_instructions(
        book.create_sheet(pgettext("import workbook", "Instructions")),
        result.title,
        row_header,
        errors_header,
    )
    _add_dropdowns(book, sheet, list(enumerate(columns, start=2)))
    return _saved(book)


# --- cells -------------------------------------------------------------------------------------------


def sheet_title(title: str) -> str:
    """A worksheet name Excel accepts: at most 31 characters, none of []:*?/\\."""
    cleaned = "".join(char for char in str(title) if char not in SHEET_NAME_FORBIDDEN).strip("' ")
    return cleaned[:SHEET_NAME_LIMIT] or "Sheet"


def put(cell, value) -> None:
    """Write a value so that the import reads it back as it is: dates as dates, text never as a formula."""
    if isinstance(value, bool):
        value = _("Yes") if value else _("No")
    if isinstance(value, datetime):
        cell.value, cell.number_format = value, DATETIME_FORMAT
    elif isinstance(value, date):
        cell.value, cell.number_format = value, DATE_FORMAT
    elif isinstance(value, int | float | Decimal):
        cell.value = value
    else:
        text = xlsx_text(value)
        cell.value = text
        cell.data_type = "s"  # openpyxl would take "=…" for a formula and "#N/A" for an error value
        if looks_like_formula(text) or text in ERROR_CODES:
            cell.quotePrefix = True  # and Excel keeps it text when the officer edits the cell


def _write_header(sheet, headers: list[tuple[str, bool]]) -> None:
    required_note = pgettext("import workbook", "Required")
    for position, (header, required) in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=position)
        put(cell, header)
        cell.font = BOLD
        cell.alignment = WRAP_TOP
        if required:
            cell.fill = REQUIRED_FILL
            cell.comment = Comment(required_note, AUTHOR)
    sheet.freeze_panes = "A2"


def _set_widths(sheet) -> None:
    widths: dict[int, int] = {}
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value is None:
                continue
            shown = "dd/mm/yyyy" if isinstance(cell.value, date) else str(cell.value)
            longest = max(len(part) for part in shown.split("\n"))
            widths[cell.column] = max(widths.get(cell.column, 0), longest)
    for position, longest in widths.items():
        width = min(WIDTH_MAX, max(WIDTH_MIN, longest + 2))
        sheet.column_dimensions[get_column_letter(position)].width = width


def _saved(book) -> bytes:
    book.properties.creator = AUTHOR
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- dropdowns ---------------------------------------------------------------------------------------


def _add_dropdowns(book, sheet, placed: list[tuple[int, ImportColumn]]) -> None:
    """A list validation on each column with fixed choices, for every data row an import accepts.

    The range reaches IMPORT_MAX_ROWS + 1 (row 1 is the header): a longer file is refused anyway,
    and the rule is one range in the file whatever its length.
    """
    last_row = settings.IMPORT_MAX_ROWS + 1
    for position, column in placed:
        choices = [xlsx_text(choice) for choice in column.choices or [] if str(choice)]
        if not choices:
            continue
        validation = DataValidation(
            type="list",
            formula1=_list_formula(book, choices),
            allow_blank=True,
            showErrorMessage=True,
            # A warning, not a stop: the import also accepts "x", "co" or a name typed without
            # diacritics, which the officer may keep.
            errorStyle="warning",
            errorTitle=_("Not in the list"),
            error=_("Choose a value from the list."),
        )
        letter = get_column_letter(position)
        validation.add(f"{letter}2:{letter}{last_row}")
        sheet.add_data_validation(validation)


def _list_formula(book, choices: list[str]) -> str:
    inline = ",".join(choices)
    if len(inline) <= INLINE_LIST_LIMIT and not any("," in choice or '"' in choice for choice in choices):
        return f'"{inline}"'
    lists_title = sheet_title(pgettext("import workbook", "Lists"))
    if lists_title in book.sheetnames:
        lists = book[lists_title]
        position = lists.max_column + 1
    else:
        lists = book.create_sheet(lists_title)
        lists.sheet_state = "hidden"
        position = 1
    for row, choice in enumerate(choices, start=1):
        put(lists.cell(row=row, column=position), choice)
    letter = get_column_letter(position)
    return f"{quote_sheetname(lists_title)}!${letter}$1:${letter}${len(choices)}"


# --- instructions ------------------------------------------------------------------------------------


def _write_instructions(sheet, importer, columns: list[ImportColumn], data_sheet: str) -> None:
    item = apps.get_model(importer.model_path)._meta.verbose_name
    rules = [
        _("Fill in the sheet '%(sheet)s', one row per %(item)s, from row 2 down.")
        % {"sheet": data_sheet, "item": item},
        _("Keep the header row (row 1) as it is: the columns are recognised by their names, in any order."),
        _("Columns with a coloured header are required; the others may be left empty."),
        _(
            "An optional column you delete is left as it is in the application; an empty cell in a "
            "column you keep clears the stored value."
        ),
        _("Write dates as dd/mm/yyyy, for example 15/03/2024."),
        _("Write amounts of money in whole đồng, with or without dots: 1.500.000 or 1500000."),
        _("Answer the yes/no columns with '%(yes)s' or '%(no)s'.") % {"yes": _("Yes"), "no": _("No")},
        _("Choose from the dropdown where a column has one; the allowed values are listed below."),
        _(
            "Type Vietnamese in Unicode (in Unikey: the Unicode character set). Text typed in the old "
            "TCVN3 (ABC) encoding is converted, with a warning."
        ),
        _(
            "Importing the same file again changes nothing: rows are matched to the records already in "
            "the application by the household code (members by the household code and the member's "
            "number), and a matched record is updated, never duplicated."
        ),
        _(
            "The application checks the whole file before writing anything and lists each problem by "
            "row and column; the rows with errors can be downloaded, corrected and imported again."
        ),
    ]
    put(
        sheet.cell(row=1, column=1),
        _("How to fill in the import file: %(title)s") % {"title": importer.title},
    )
    sheet.cell(row=1, column=1).font = TITLE_FONT
    # Above the rules: the officer should know why the example row is left out of the import.
    marked = next((column for column in columns if column.key == importer.example_key), None)
    warning = sheet.cell(row=2, column=1)
    put(
        warning,
        _("Row 2 of the sheet '%(sheet)s' is an example. %(note)s")
        % {"sheet": data_sheet, "note": _example_note(marked)}
        if marked
        else _("Row 2 of the sheet '%(sheet)s' is an example: replace it or delete it before importing.")
        % {"sheet": data_sheet},
    )
    warning.font = WARNING_FONT
    line = 4
    for number, rule in enumerate(rules, start=1):
        put(sheet.cell(row=line, column=1), f"{number}. {rule}")
        line += 1
    line += 1
    table = [
        pgettext("import workbook", "Column"),
        pgettext("import workbook", "Required"),
        _("What to write"),
        _("Allowed values"),
    ]
    for position, text in enumerate(table, start=1):
        cell = sheet.cell(row=line, column=position)
        put(cell, text)
        cell.font, cell.fill = BOLD, TABLE_FILL
    for column in columns:
        line += 1
        cells = [
            column.header,
            _("Yes") if column.required else _("No"),
            column.help,
            ", ".join(str(choice) for choice in column.choices) if column.choices else "—",
        ]
        for position, text in enumerate(cells, start=1):
            cell = sheet.cell(row=line, column=position)
            if text:
                put(cell, text)
            cell.alignment = WRAP_TOP
        if column.required:
            sheet.cell(row=line, column=1).font = BOLD
    for letter, width in zip("ABCD", (28, 10, 60, 45), strict=True):
        sheet.column_dimensions[letter].width = width


def _example_note(column: ImportColumn) -> str:
    return _(
        "The import skips every row whose '%(column)s' is '%(code)s': write your rows below it, or over "
        "it with real codes."
    ) % {"column": column.header, "code": column.example}


def _write_rejected_instructions(sheet, title: str, row_header: str, errors_header: str) -> None:
    put(sheet.cell(row=1, column=1), _("Rows with errors: %(title)s") % {"title": title})
    sheet.cell(row=1, column=1).font = TITLE_FONT
    lines = [
        _(
            "These rows were not imported. Correct the cells marked in colour, following the messages "
            "in the column '%(errors)s', then import this file again."
        )
        % {"errors": errors_header},
        _("The columns '%(row)s' and '%(errors)s' are not read by the import: keep them or delete them.")
        % {"row": row_header, "errors": errors_header},
        _(
            "If nothing of the original file was imported yet, you may instead correct the original file "
            "(the column '%(row)s' gives each row's number there) and import it whole."
        )
        % {"row": row_header},
    ]
    for line, text in enumerate(lines, start=3):
        put(sheet.cell(row=line, column=1), f"{line - 2}. {text}")
    sheet.column_dimensions["A"].width = 120
