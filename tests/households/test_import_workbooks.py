"""The import template of every list, and the workbook of rejected rows, read back with openpyxl."""

import io
from datetime import date

import pytest
from django.conf import settings
from django.utils import translation
from openpyxl import Workbook, load_workbook

from households.imports import engine, workbooks
from households.imports.engine import ImportColumn, Importer
from households.models import Household
from tests import factories


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def loaded(content: bytes):
    return load_workbook(io.BytesIO(content))


def header_of(sheet) -> list:
    return [cell.value for cell in sheet[1]]


def dropdown_values(book, validation) -> list[str]:
    """The values a list validation offers: typed in the rule, or a range of the lists sheet."""
    formula = validation.formula1
    if formula.startswith('"'):
        return formula.strip('"').split(",")
    sheet_name, _bang, cells = formula.rpartition("!")
    first, last = cells.replace("$", "").split(":")
    rows = book[sheet_name.strip("'")][first:last]
    return [row[0].value for row in rows]


def dropdowns_by_column(book, sheet) -> dict[str, object]:
    """Column letter → its validation, checked to cover every data row an import accepts."""
    found = {}
    for validation in sheet.data_validations.dataValidation:
        assert validation.type == "list"
        assert validation.error == "Choose a value from the list."
        (cell_range,) = validation.sqref.ranges
        assert (cell_range.min_row, cell_range.max_row) == (2, settings.IMPORT_MAX_ROWS + 1)
        found[cell_range.coord.split(":")[0].rstrip("0123456789")] = validation
    return found


def xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def check_households(content: bytes, commune, user):
    return engine.check(kind="households", commune=commune, user=user, file_bytes=content, filename="ho.xlsx")


# --- templates -----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(engine.IMPORTERS))
def test_template_headers_are_the_columns_the_import_reads(kind, village, commune_admin):
    importer = engine.importer_for(kind, commune=village.commune, user=commune_admin)
    columns = [column for column in importer.columns() if column.read]
    book = loaded(workbooks.template_workbook(importer))
    data = book.worksheets[0]
    assert data.title == workbooks.sheet_title(importer.title)
    assert book.sheetnames[1] == "Instructions"
    assert header_of(data) == [column.header for column in columns]
    assert data.freeze_panes == "A2"
    for position, column in enumerate(columns, start=1):
        header = data.cell(row=1, column=position)
        assert header.font.b
        assert (header.comment is not None) == column.required
        if column.required:
            assert header.comment.text == "Required"
            assert header.fill.fgColor.rgb.endswith(workbooks.REQUIRED_FILL.fgColor.rgb[-6:])


@pytest.mark.parametrize("kind", list(engine.IMPORTERS))
def test_template_instructions_list_every_column(kind, village, commune_admin):
    importer = engine.importer_for(kind, commune=village.commune, user=commune_admin)
    columns = [column for column in importer.columns() if column.read]
    sheet = loaded(workbooks.template_workbook(importer))["Instructions"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    start = rows.index(["Column", "Required", "What to write", "Allowed values"])
    table = rows[start + 1 :]
    assert [row[0] for row in table] == [column.header for column in columns]
    for row, column in zip(table, columns, strict=True):
        assert row[1] == ("Yes" if column.required else "No")
        assert (row[2] or "") == column.help
        assert row[3] == (", ".join(column.choices) if column.choices else "—")
    text = " ".join(str(row[0]) for row in rows[:start])
    assert "dd/mm/yyyy" in text and "1.500.000" in text and "'Yes' or 'No'" in text
    assert "Row 2 of the sheet" in text and "household code" in text


@pytest.mark.parametrize("kind", list(engine.IMPORTERS))
def test_template_has_a_dropdown_on_every_column_with_choices(kind, village, commune_admin):
    importer = engine.importer_for(kind, commune=village.commune, user=commune_admin)
    columns = [column for column in importer.columns() if column.read]
    book = loaded(workbooks.template_workbook(importer))
    dropdowns = dropdowns_by_column(book, book.worksheets[0])
    expected = {
        header_letter: column.choices
        for header_letter, column in zip(
            [cell.column_letter for cell in book.worksheets[0][1]], columns, strict=True
        )
        if column.choices
    }
    assert set(dropdowns) == set(expected)
    for letter, choices in expected.items():
        assert dropdown_values(book, dropdowns[letter]) == choices


def test_household_template_offers_the_communes_villages(village, commune_admin):
    commune = village.commune
    factories.VillageFactory(commune=commune, name="Đăk Pơ Kao")
    factories.VillageFactory(commune=commune, name="Bờ-Chư pâu")
    factories.VillageFactory(name="Làng của xã khác")
    importer = engine.importer_for("households", commune=commune, user=commune_admin)
    book = loaded(workbooks.template_workbook(importer))
    data = book.worksheets[0]
    letter = data.cell(row=1, column=header_of(data).index("Village") + 1).column_letter
    offered = dropdown_values(book, dropdowns_by_column(book, data)[letter])
    assert offered == ["Bờ-Chư pâu", "Đăk Pơ Kao", "Mơhven-Ôr"]
    assert data[f"{letter}2"].value == "Bờ-Chư pâu"
    assert "Danh sách" not in book.sheetnames and "Lists" not in book.sheetnames


def test_a_long_list_of_villages_goes_to_a_hidden_sheet(village, commune_admin):
    commune = village.commune
    names = [f"Làng định canh định cư số {number:02d}" for number in range(1, 21)]
    for name in names:
        factories.VillageFactory(commune=commune, name=name)
    importer = engine.importer_for("households", commune=commune, user=commune_admin)
    book = loaded(workbooks.template_workbook(importer))
    data = book.worksheets[0]
    letter = data.cell(row=1, column=header_of(data).index("Village") + 1).column_letter
    validation = dropdowns_by_column(book, data)[letter]
    assert validation.formula1.startswith("'Lists'!$A$1:$A$")
    assert book.sheetnames == [data.title, "Instructions", "Lists"]
    assert book["Lists"].sheet_state == "hidden"
    assert dropdown_values(book, validation) == [*names, "Mơhven-Ôr"]
    yes_no = next(v for key, v in dropdowns_by_column(book, data).items() if key != letter)
    assert yes_no.formula1 == '"Yes,No"'


def test_household_template_example_row_is_skipped_and_its_values_pass_the_check(village, commune_admin):
    importer = engine.importer_for("households", commune=village.commune, user=commune_admin)
    content = workbooks.template_workbook(importer)
    result = check_households(content, village.commune, commune_admin)
    assert (result.total, result.new, result.invalid, result.examples) == (1, 0, 0, [2])

    book = loaded(content)  # the officer gives the example a real code: it is a valid row
    header = header_of(book.worksheets[0])
    book.worksheets[0].cell(row=2, column=header.index("Household code") + 1, value="KLK-0100")
    edited = io.BytesIO()
    book.save(edited)
    result = check_households(edited.getvalue(), village.commune, commune_admin)
    assert (result.total, result.new, result.invalid, result.examples) == (1, 1, 0, [])
    assert result.problems == []
    assert result.changes[0].instance.village == village
    assert not Household.objects.exists()


class DatedImporter(Importer):
    """A list with a date column, a formula-looking example and choices Excel cannot take inline."""

    name = "households"  # its title is the households list's
    model_path = "households.Household"

    def columns(self):
        return [
            ImportColumn("code", "Code", required=True, example="KLK-0001"),
            ImportColumn("day", "Day", example=date(2024, 3, 15)),
            ImportColumn("note", "Note", example="=1+1"),
            ImportColumn("size", "Size", choices=["1,5 ha", "2 ha"], example="2 ha"),
            ImportColumn("archived", "Archived", read=False, example="x"),
        ]


def test_template_writes_dates_as_dates_and_formula_looking_text_as_text(commune, commune_admin):
    importer = DatedImporter(commune=commune, user=commune_admin, today=date(2024, 4, 1))
    book = loaded(workbooks.template_workbook(importer))
    data = book.worksheets[0]
    assert data.title == "Households"
    assert header_of(data) == ["Code", "Day", "Note", "Size"]
    assert data["B2"].is_date and data["B2"].number_format == "dd/mm/yyyy"
    assert data["B2"].value.date() == date(2024, 3, 15)
    assert (data["C2"].value, data["C2"].data_type, data["C2"].quotePrefix) == ("=1+1", "s", True)
    validation = dropdowns_by_column(book, data)["D"]
    assert validation.formula1 == "'Lists'!$A$1:$A$2"
    assert dropdown_values(book, validation) == ["1,5 ha", "2 ha"]


def test_sheet_titles_are_ones_excel_accepts():
    assert workbooks.sheet_title("Hộ [cũ]: 2024/2025?") == "Hộ cũ 20242025"
    assert len(workbooks.sheet_title("Kết quả rà soát hộ nghèo, hộ cận nghèo năm 2025")) == 31
    assert workbooks.sheet_title("*?") == "Sheet"


# --- rejected rows -------------------------------------------------------------------------------


FILE_KEYS = ("village", "household_code", "head_name", "address")


def headers_of(commune, user, keys=FILE_KEYS) -> list[str]:
    """The households import's headers (the fields' verbose names, in English here)."""
    importer = engine.importer_for("households", commune=commune, user=user)
    by_key = {column.key: column.header for column in importer.columns()}
    return [by_key[key] for key in keys]


PROBLEM = workbooks.PROBLEM_FILL.fgColor.rgb[-6:]


def households_file(commune, user, rows, keys=FILE_KEYS) -> bytes:
    return xlsx([headers_of(commune, user, keys), *rows])


def test_rejected_rows_list_each_invalid_row_with_its_number_and_problems(village, commune_admin):
    commune = village.commune
    content = households_file(
        commune,
        commune_admin,
        [
            ["Mơhven-Ôr", "KLK-0001", "Đinh Văn Hmar", "Làng Mơhven"],
            ["Làng Không Có", "KLK-0002", "Y Blă", "Làng Kon Mơ"],
            ["Mơhven-Ôr", "KLK-0003", "Đinh Thị H'Bia", ""],
        ],
    )
    result = check_households(content, commune, commune_admin)
    assert result.invalid_rows == [3]
    book = loaded(workbooks.rejected_rows_workbook(result))
    sheet = book.worksheets[0]
    village_header = headers_of(commune, commune_admin)[0]
    assert header_of(sheet) == [
        "Row in the original file",
        *headers_of(commune, commune_admin),
        "Errors",
    ]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert rows == [
        [
            3,
            "Làng Không Có",
            "KLK-0002",
            "Y Blă",
            "Làng Kon Mơ",
            f"Row 3, column '{village_header}': 'Làng Không Có' is not in the commune's villages (Mơhven-Ôr)",
        ]
    ]
    assert sheet["B2"].fill.fgColor.rgb.endswith(PROBLEM)
    assert not sheet["C2"].fill.fgColor.rgb.endswith(PROBLEM)
    assert sheet["F2"].alignment.wrap_text
    notes = " ".join(str(cell.value) for cell in book["Instructions"]["A"] if cell.value)
    assert "'Row in the original file' and 'Errors' are not read by the import" in notes

    sheet["B2"] = "mohven-or"  # the officer's correction, typed without diacritics
    corrected = io.BytesIO()
    book.save(corrected)
    again = check_households(corrected.getvalue(), commune, commune_admin)
    assert (again.total, again.new, again.invalid) == (1, 1, 0)
    assert again.changes[0].instance.code == "KLK-0002"
    assert again.changes[0].instance.village == village
    assert any(
        "'Row in the original file'" in warning and "'Errors'" in warning for warning in again.warnings
    )
    assert not Household.objects.exists()


def test_rejected_rows_join_every_problem_of_a_row(village, commune_admin):
    commune = village.commune
    content = households_file(commune, commune_admin, [["Làng Không Có", "KLK-0002", "", "x"]])
    result = check_households(content, commune, commune_admin)
    sheet = loaded(workbooks.rejected_rows_workbook(result)).worksheets[0]
    head_header = headers_of(commune, commune_admin)[2]
    messages = sheet["F2"].value.split("\n")
    assert len(messages) == 2
    assert messages[0].startswith("Row 2, column '")
    assert messages[1] == f"Row 2, column '{head_header}': this column must not be empty"
    assert sheet["B2"].fill.fgColor.rgb.endswith(PROBLEM)
    assert sheet["D2"].fill.fgColor.rgb.endswith(PROBLEM)
    assert not sheet["C2"].fill.fgColor.rgb.endswith(PROBLEM)


def test_rejected_rows_keep_formula_looking_text_as_text(village, commune_admin):
    commune = village.commune
    book = Workbook()
    book.active.append(headers_of(commune, commune_admin, FILE_KEYS[:3]))
    book.active.append(["Làng Không Có", "KLK-0002", '=HYPERLINK("http://x")'])
    book.active["C2"].data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    result = check_households(buffer.getvalue(), commune, commune_admin)
    sheet = loaded(workbooks.rejected_rows_workbook(result)).worksheets[0]
    assert sheet["D2"].value == '=HYPERLINK("http://x")'
    assert sheet["D2"].data_type == "s"


def test_rejected_rows_leave_out_columns_the_original_file_did_not_have(village, commune_admin):
    commune = village.commune
    keys = FILE_KEYS[:3]  # no address: the import leaves the stored addresses as they are
    content = households_file(commune, commune_admin, [["Nowhere", "KLK-0002", "Y Blă"]], keys)
    result = check_households(content, commune, commune_admin)
    sheet = loaded(workbooks.rejected_rows_workbook(result)).worksheets[0]
    assert header_of(sheet) == [
        "Row in the original file",
        *headers_of(commune, commune_admin, keys),
        "Errors",
    ]


def test_rejected_rows_keep_the_dropdowns(village, commune_admin):
    commune = village.commune
    content = households_file(commune, commune_admin, [["Nowhere", "KLK-0002", "Y Blă", ""]])
    result = check_households(content, commune, commune_admin)
    book = loaded(workbooks.rejected_rows_workbook(result))
    dropdowns = dropdowns_by_column(book, book.worksheets[0])
    assert list(dropdowns) == ["B"]
    assert dropdown_values(book, dropdowns["B"]) == ["Mơhven-Ôr"]
