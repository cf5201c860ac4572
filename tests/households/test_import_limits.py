"""Workbooks made to exhaust the reader: each is refused before it is built, in bounded memory.

python-calamine builds a dense grid from a sheet's first to its farthest cell and aborts the whole
process when an allocation fails (Rust does not raise). So the hostile files are read in a child
process whose address space is limited to 500 MB: a crash fails the test, not the test run. The
child reports the outcome, its peak resident memory (VmHWM: Python and Django alone are about 85 MB)
and the time the read took. The page and worker tests first make sure the file does not crash a
child, then run in this process.
"""

import io
import zipfile
from pathlib import Path

import pytest
from django.utils import translation
from django_tasks_db.models import DBTaskResult
from openpyxl.utils import get_column_letter

from households.imports import jobs, xlsx_scan
from households.imports.reading import ImportFileError, read_table
from households.models import ImportJob
from tests.households.test_import_jobs import run_worker, snapshot
from tests.households.test_import_page import upload
from tests.limited_read import KNOWN, REQUIRED, read_in_limited_child
from tests.spreadsheets import HOSTILE_HEADER as HEADER
from tests.spreadsheets import HOSTILE_WORKBOOKS, hand_made_xlsx, row_of, text_cell

PEAK_LIMIT_MB = 200
SECONDS_LIMIT = 2.0
EXPECTED = {
    "A1 and XFD1048576": ["Trang tính 'Hộ'", "ô XFD1048576", "cột thứ 16.384"],
    "2,000 rows × 16,000 columns": ["Trang tính 'Hộ'", f"ô {get_column_letter(16000)}2000", "16.000"],
    "40,000 rows × 1,000 columns": ["Trang tính 'Hộ'", "ô ALL40000", "1.000"],
    "1,048,576 rows × 3 columns": ["Trang tính 'Hộ'", "ô C1048576", "dòng 1.048.576", "50.000"],
    "a cell at B2 and XFD1048576": ["bị hỏng"],
    "a text table claiming 4,000,000,000 texts": ["quá nhiều chữ"],
    "a text table of 200 MB": ["quá nhiều chữ"],
    "one 32,000-byte text in 50,000 cells": ["Trang tính 'Hộ'", "quá nhiều chữ"],
    "a workbook in another folder than xl/": ["Trang tính 'Hộ'", "ô XFD1048576"],
    "a cell written <c s='1' r='XFD1048576'>": ["Trang tính 'Hộ'", "ô XFD1048576"],
    "a cell with no address after 16,383 empty ones": ["Trang tính 'Hộ'", "ô XFD1048576", "đến cột Y"],
}


@pytest.fixture(scope="module")
def hostile_files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    paths = {}
    for number, (name, build) in enumerate(HOSTILE_WORKBOOKS.items()):
        paths[name] = folder / f"{number}.xlsx"
        paths[name].write_bytes(build())
    return paths


def test_the_file_of_the_issue_is_a_1_5_kb_workbook(hostile_files):
    assert hostile_files["A1 and XFD1048576"].stat().st_size < 1700


def refused_in_a_child(path: Path) -> dict:
    """The reader's verdict, from a child: a crash there fails the test instead of the test run."""
    verdict = read_in_limited_child(path)
    assert verdict["outcome"] == "refused", verdict
    return verdict


@pytest.mark.parametrize("name", list(HOSTILE_WORKBOOKS))
def test_a_hostile_workbook_is_refused_quickly_in_bounded_memory(hostile_files, name):
    verdict = refused_in_a_child(hostile_files[name])

    for fragment in EXPECTED[name]:
        assert fragment in verdict["message"], verdict
    assert verdict["peak_mb"] < PEAK_LIMIT_MB, verdict
    assert verdict["seconds"] < SECONDS_LIMIT, verdict


# --- the scan's limits, cell by cell -------------------------------------------------------------


def measured(content: bytes, rows: int, columns: int, **limits) -> tuple[xlsx_scan.CellMarks, bool]:
    """The sheet's marks, and whether only the exact pass could measure it."""
    archive = zipfile.ZipFile(io.BytesIO(content))
    workbook = xlsx_scan.Workbook(archive, xlsx_scan.Limits(rows=rows, columns=columns, **limits))
    return workbook.scan("Hộ"), "Hộ" in workbook.measured_exactly


def scan(content: bytes, rows: int, columns: int, **limits) -> xlsx_scan.CellMarks:
    return measured(content, rows, columns, **limits)[0]


# the forms a cell may take, and whether the fast pass can vouch for it (prefix "x" on every element)
FORMS = {
    "plain": ('<row r="{row}"><c r="{ref}" s="1" t="n"><v>1</v></c></row>', "", False),
    "prefixed": ('<x:row r="{row}"><x:c r="{ref}" t="n"><x:v>1</x:v></x:c></x:row>', "x", False),
    "address second": ("<row r='{row}'><c t='n' r='{ref}'><v>1</v></c></row>", "", True),
}
LIMITS = [(1, 1), (9, 26), (10, 27), (11, 52), (99, 53), (100, 701), (51000, 702), (1048575, 16383)]


@pytest.mark.parametrize("form", list(FORMS))
@pytest.mark.parametrize("rows, columns", LIMITS)
def test_a_cell_on_the_limits_is_measured_and_one_beyond_is_refused(form, rows, columns):
    template, prefix, exact = FORMS[form]

    def sheet(row, column):
        return hand_made_xlsx(
            template.format(row=row, ref=f"{get_column_letter(column)}{row}"), prefix=prefix
        )

    assert measured(sheet(rows, columns), rows, columns) == (xlsx_scan.CellMarks(), exact)
    with pytest.raises(xlsx_scan.TooWide) as wide:
        scan(sheet(rows, columns + 1), rows, columns)
    assert (wide.value.cell, wide.value.column) == (f"{get_column_letter(columns + 1)}{rows}", columns + 1)
    with pytest.raises(xlsx_scan.TooLong) as long:
        scan(sheet(rows + 1, columns), rows, columns)
    assert (long.value.cell, long.value.row) == (f"{get_column_letter(columns)}{rows + 1}", rows + 1)


MARKED = (  # formula without a value, formula with one, text formula with an empty one, error value
    '<row r="2"><c r="A2"><f>1+1</f><v/></c><c r="B2"><f>1+1</f><v>2</v></c>'
    '<c r="C2" t="str"><f>""</f><v></v></c><c r="D2" t="e"><v>#N/A</v></c></row>'
    '<row r="3"><c r="C3" s="2"><f>A2</f></c><c r="E3" s="1" t="e"><f>1/0</f><v>#DIV/0!</v></c></row>'
)
EXPECTED_MARKS = xlsx_scan.CellMarks(
    without_value={2: {0}, 3: {2}}, errors={2: {3: "#N/A"}, 3: {4: "#DIV/0!"}}
)


@pytest.mark.parametrize(
    "sheet_data, prefix, exact",
    [
        (MARKED, "", False),
        (MARKED.replace("<", "<x:").replace("<x:/", "</x:"), "x", False),
        (MARKED.replace("<c ", "<c  "), "", True),  # two spaces: not the plain form
    ],
    ids=["plain", "prefixed", "exact"],
)
def test_formulas_without_a_value_and_error_values_are_marked_by_either_pass(sheet_data, prefix, exact):
    assert measured(hand_made_xlsx(sheet_data, prefix=prefix), 10, 10) == (EXPECTED_MARKS, exact)


@pytest.mark.parametrize(
    "sheet_data, cell",
    [
        ('<row r="2"><c r="E2"><v>1</v></c><c><v>2</v></c></row>', "F2"),  # follows the previous cell
        ('<row r="2"><c r="A2"><v>1</v></c></row><row><c r="E3"/><c><v>2</v></c></row>', "F3"),
        ('<row r="1"/><row><c><v>1</v></c></row><row><c><v>1</v></c></row>', "A3"),  # rows counted
        ('<x:row r="2"><x:c r="F2"><x:v>1</x:v></x:c></x:row>', "F2"),  # any prefix: still a cell
        ('<row r="2"><c r="f2"><v>1</v></c></row>', "F2"),  # lower case
        ('<row r="2"><!-- <c r="A1"/> --><c r="F2" t="inlineStr"><is><t>x</t></is></c></row>', "F2"),
    ],
)
def test_the_exact_pass_places_cells_as_calamine_does(sheet_data, cell):
    with pytest.raises((xlsx_scan.TooWide, xlsx_scan.TooLong)) as refused:
        scan(hand_made_xlsx(sheet_data), 2, 5)
    assert refused.value.cell == cell


@pytest.mark.parametrize(
    "sheet_data",
    [
        '<row r="1"><c r="XFD1048576" s="3"/></row>',  # formatted, empty: calamine keeps nothing
        '<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576" s="2" customFormat="1"/>',
    ],
)
def test_empty_cells_beyond_the_limits_are_no_refusal(sheet_data):
    assert scan(hand_made_xlsx(sheet_data), 2, 5) == xlsx_scan.CellMarks()


@pytest.mark.parametrize(
    "sheet_data",
    [
        '<row r="1"><c r="B1" r="A1"><v>1</v></c></row>',  # two addresses
        '<row r="1"><c t="n"r="A1"><v>1</v></c></row>',  # attributes run together
        '<row r="1"><c r="A0"><v>1</v></c></row>',  # row 0
        '<row r="1"><c r="$A$1"><v>1</v></c></row>',
        "".join(f'<row r="1"><c r="A1"><v>{n}</v></c></row>' for n in range(11)),  # 11 cells, 10 places
    ],
)
def test_cells_calamine_would_misplace_make_the_file_damaged(sheet_data):
    with pytest.raises(xlsx_scan.Damaged):
        scan(hand_made_xlsx(sheet_data), 2, 5)


def test_merged_ranges_are_counted():
    merged = '<row r="1"><c r="A1"><v>1</v></c></row><mergeCells>' + '<mergeCell ref="A1:B1"/>' * 4
    assert scan(hand_made_xlsx(merged + "</mergeCells>"), 2, 5, merged_ranges=4) == xlsx_scan.CellMarks()
    with pytest.raises(xlsx_scan.TooManyMerged):
        scan(hand_made_xlsx(merged + '<mergeCell ref="C1:D1"/></mergeCells>'), 2, 5, merged_ranges=4)


# --- unusual but honest files are read as before ------------------------------------------------

TABLE = [("H001", "Nguyễn Văn Đức", "Mơhven-Ôr"), ("H002", "Đinh Thị H'Bia", "Kông Lơng Khơng")]


def written(form: str) -> bytes:
    """The header and TABLE, every cell written the way `form` says."""
    rows = [("Mã hộ", "Họ và tên chủ hộ", "Làng"), *TABLE]
    templates = {
        "plain": ('<row r="{n}">', '<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>', "</row>"),
        "address last, single quotes": (
            "<row r='{n}'>",
            "<c t='inlineStr' r='{ref}'><is><t>{text}</t></is></c>",
            "</row>",
        ),
        "no addresses": ("<row>", '<c t="inlineStr"><is><t>{text}</t></is></c>', "</row>"),
        "lower case": (
            '<row r="{n}">',
            '<c r="{ref_lower}" t="inlineStr"><is><t>{text}</t></is></c>',
            "</row>",
        ),
        "prefixed": (
            '<x:row r="{n}">',
            '<x:c r="{ref}" t="inlineStr"><x:is><x:t>{text}</x:t></x:is></x:c>',
            "</x:row>",
        ),
    }
    start, cell_template, end = templates[form]
    xml = ""
    for n, values in enumerate(rows, start=1):
        cells = "".join(
            cell_template.format(ref=f"{letter}{n}", ref_lower=f"{letter.lower()}{n}", text=text)
            for letter, text in zip("ABC", values, strict=True)
        )
        xml += start.format(n=n) + cells + end
    return hand_made_xlsx(xml, prefix="x" if form == "prefixed" else "")


def read(content: bytes):
    with translation.override("en"):
        return read_table(
            content,
            "ho.xlsx",
            required_columns=REQUIRED,
            known_columns=KNOWN,
            max_rows=1000,
            max_bytes=5_000_000,
        )


@pytest.mark.parametrize(
    "form", ["plain", "address last, single quotes", "no addresses", "lower case", "prefixed"]
)
def test_cells_in_any_form_calamine_reads_are_read_the_same(form):
    result = read(written(form))
    assert [tuple(row.values[name] for name in REQUIRED) for row in result.rows] == TABLE
    assert [row.number for row in result.rows] == [2, 3]


def test_a_sheet_declaring_the_whole_grid_with_formatted_empty_cells_is_read():
    content = hand_made_xlsx(
        HEADER
        + row_of(2, text_cell("A2", "H001") + text_cell("B2", "A") + text_cell("C2", "B"))
        + '<row r="2"><c r="XFD2" s="1"/></row><row r="1048576" s="1" customFormat="1"/>',
        dimension="A1:XFD1048576",
    )
    assert [row.values["Mã hộ"] for row in read(content).rows] == ["H001"]


@pytest.mark.parametrize("part", ["xl/workbook.bin", "xl/sharedStrings.bin", "XL/Styles.bin"])
def test_parts_of_calamines_other_formats_make_the_file_damaged(part):
    # calamine tries its xlsb reader when the xlsx one fails: these parts would be read unmeasured
    with pytest.raises(ImportFileError) as refused:
        read(hand_made_xlsx(HEADER, extra_parts={part: b"\x00" * 10}))
    assert "damaged" in refused.value.message


# --- through the import page and the background worker --------------------------------------------


def test_the_file_of_the_issue_is_refused_on_the_import_page_and_changes_nothing(
    client, commune_admin, household, hostile_files
):
    path = hostile_files["A1 and XFD1048576"]
    refused_in_a_child(path)  # before the page reads it in this process
    client.force_login(commune_admin)
    before = snapshot()

    response = upload(client, path.read_bytes(), name="danh-sach.xlsx")

    html = response.content.decode()
    assert "ô XFD1048576" in html and 'class="message message-error"' in html
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.REJECTED and "XFD1048576" in job.message
    assert bytes(job.data) == b""
    assert snapshot() == before


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_fails_the_job_with_the_message_instead_of_dying(
    settings, commune_admin, household, hostile_files
):
    path = hostile_files["40,000 rows × 1,000 columns"]
    refused_in_a_child(path)  # before the worker reads it in this process
    settings.IMPORT_BACKGROUND_BYTES = 0  # every file goes to the worker
    before = snapshot()
    with translation.override("vi"):
        job = jobs.import_job_create(
            kind="households",
            commune=household.commune,
            user=commune_admin,
            filename="ho.xlsx",
            data=path.read_bytes(),
        )
    assert job.status == ImportJob.Status.CHECKING

    run_worker()

    job.refresh_from_db()
    assert job.status == ImportJob.Status.REJECTED
    assert "ô ALL40000" in job.message
    assert [task.status for task in DBTaskResult.objects.all()] == ["SUCCESSFUL"]
    assert snapshot() == before
