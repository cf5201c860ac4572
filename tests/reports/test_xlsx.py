"""The XLSX builder: title block, header, values and formats, totals, formula-like text, sheet names.

Workbooks are read back with openpyxl (and, for formulas, as raw XML) and compared cell by cell
with the `Report` they were built from. The tests against real reports run once
`reports.selectors.build_report` exists.
"""

import datetime
import io
import math
import re
import tracemalloc
import unicodedata
import zipfile
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import translation
from openpyxl import load_workbook

from reports.builders.xlsx import build_xlsx, sheet_names
from reports.data import Column, Report, Row, Table, percent_fraction

# 20:00 UTC on 4 February is 03:00 on 5 February in Vietnam: the date written is the local one.
GENERATED = datetime.datetime(2023, 2, 4, 20, 0, tzinfo=datetime.UTC)
FORMULA_LIKE = ['=HYPERLINK("http://x")', "+84", "-1", "@SUM(A1)", "#N/A"]  # household names below

COLUMNS = [
    Column("no", "STT", "int", 5),
    Column("name", "Họ và tên chủ hộ", "text", 24),
    Column("village", "Thôn, làng", "text", 14),
    Column("members", "Số nhân khẩu", "int", 8),
    Column("value", "Giá trị hỗ trợ (đồng)", "vnd", 14),
    Column("rate", "Tỷ lệ (%)", "percent", 9),
    Column("visited", "Lần thăm gần nhất", "date", 12),
    Column("days", "Ngày công", "decimal", 9),
]
PEOPLE = [
    ("Đinh Thị Hlen", "Mơhven-Ôr", 5, 1_350_000, Decimal("20.86"), datetime.date(2023, 2, 5), Decimal("1.5")),
    ("Đinh Văn Ngưm", "Mơhven-Ôr", 3, 0, Decimal("0.00"), None, Decimal("2")),
    ("Đinh Thị Thơ", "Bờ-Chư pâu", 7, 12_500_000, Decimal("100.00"), datetime.date(2023, 12, 31), None),
    (
        '=HYPERLINK("http://x")',
        "Dơng",
        1,
        250_000,
        Decimal("3.13"),
        datetime.date(2023, 6, 1),
        Decimal("0.25"),
    ),
    ("+84", "Dơng", 2, 1, Decimal("25.49"), datetime.date(2023, 1, 1), Decimal("10")),
    ("-1", "Dơng", 4, 2, Decimal("35.87"), None, None),
    ("@SUM(A1)", "Dơng", 6, 3, Decimal("27.27"), None, None),
    ("#N/A", "Dơng", 1, 4, Decimal("28.68"), None, None),
]


def person_rows():
    return [
        Row(
            {
                "no": number,
                "name": name,
                "village": village,
                "members": members,
                "value": value,
                "rate": rate,
                "visited": visited,
                "days": days,
            }
        )
        for number, (name, village, members, value, rate, visited, days) in enumerate(PEOPLE, 1)
    ]


def totals_of(rows):
    plain = [row for row in rows if row.style == ""]
    return Row(
        {
            "name": "Tổng cộng",
            "members": sum(row.values["members"] for row in plain),
            "value": sum(row.values["value"] for row in plain),
            "days": sum(row.values["days"] or 0 for row in plain),
        }
    )


def make_report(
    commune, *, tables=None, summary=None, title="Danh sách hộ đăng ký thoát nghèo năm 2023", **extra
):
    if tables is None:
        rows = person_rows()
        tables = [
            Table(
                title=title, columns=COLUMNS, rows=rows, totals=totals_of(rows), note="Ghi chú: số liệu thử"
            )
        ]
    return Report(
        slug="exit-households",
        title=title,
        commune=commune,
        plan_year=2023,
        review_year=2022,
        generated_at=GENERATED,
        summary=summary if summary is not None else [("Số hộ đăng ký thoát nghèo", "51")],
        tables=tables,
        **extra,
    )


def open_book(data: bytes):
    return load_workbook(io.BytesIO(data))


def sheet_xml(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {
            name: archive.read(name).decode("utf-8")
            for name in archive.namelist()
            if name.startswith("xl/worksheets/") and name.endswith(".xml")
        }


def header_row_of(sheet, table: Table) -> int:
    """The row holding the table's headers (the title block above it has a variable height)."""
    headers = [str(column.header) for column in table.columns]
    for row in sheet.iter_rows(min_row=1, max_row=40):
        if [cell.value for cell in row[: len(headers)]] == headers:
            return row[0].row
    raise AssertionError(f"no header row {headers!r} in {sheet.title!r}")


def expected(kind, value):
    """What openpyxl gives back for a report value of that kind (None for an empty cell)."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if kind == "percent":
        return float(percent_fraction(Decimal(value)))
    if kind == "date":
        return value
    if kind == "text":
        return str(value)
    return value


def side(cell, name):
    """The style of a cell's border on that side (None: no line)."""
    line = getattr(cell.border, name)
    return line.style if line is not None else None


def read_back(cell):
    value = cell.value
    return value.date() if isinstance(value, datetime.datetime) else value


def assert_row_matches(cells, table: Table, row: Row):
    for cell, column in zip(cells, table.columns, strict=False):
        value = row.values.get(column.key)
        want = expected(column.kind, value)
        if row.style == "group" and want is None:
            continue
        got = read_back(cell)
        assert got == want, f"{column.key} at {cell.coordinate}: {got!r} != {want!r}"
        if want is None:
            continue
        if isinstance(want, str):
            assert cell.data_type == "s", cell.coordinate
        elif column.kind in ("int", "vnd"):
            assert cell.number_format == "#,##0", cell.coordinate
        elif column.kind == "percent":
            assert cell.number_format == "0.00%", cell.coordinate
        elif column.kind == "date":
            assert cell.is_date and cell.number_format == "dd/mm/yyyy", cell.coordinate


def assert_table_matches(sheet, table: Table) -> int:
    """Every data cell, then the totals, equal the report's; returns the header row's number."""
    header = header_row_of(sheet, table)
    width = len(table.columns)
    rows = list(sheet.iter_rows(min_row=header + 1, max_row=header + len(table.rows) + 1, max_col=width))
    for cells, row in zip(rows, table.rows, strict=False):
        if row.style == "group" and sum(v not in (None, "") for v in row.values.values()) == 1:
            label = next(v for v in row.values.values() if v not in (None, ""))
            assert cells[0].value == expected("text", str(label)), cells[0].coordinate
            continue
        assert_row_matches(cells, table, row)
    if table.totals is not None:
        assert_row_matches(rows[len(table.rows)], table, table.totals)
    return header


@pytest.fixture
def vietnamese():
    with translation.override("vi"):
        yield


# --- title block, header, layout ----------------------------------------------------------------


@pytest.mark.django_db
def test_title_block_names_the_commune_report_years_and_date(commune, vietnamese):
    report = make_report(commune, summary=[("Số hộ đăng ký thoát nghèo", "51"), ("Tỷ lệ hộ nghèo", "20,86%")])
    sheet = open_book(build_xlsx(report)).active
    column_a = [sheet.cell(row=number, column=1).value for number in range(1, 9)]
    assert column_a == [
        "ỦY BAN NHÂN DÂN XÃ KÔNG LƠNG KHƠNG",
        "Danh sách hộ đăng ký thoát nghèo năm 2023",
        "Năm kế hoạch 2023 · Rà soát năm 2022",
        "Ngày lập: 05/02/2023",
        "Số hộ đăng ký thoát nghèo: 51",
        "Tỷ lệ hộ nghèo: 20,86%",
        None,
        "STT",
    ]
    assert sheet["A1"].font.b
    assert sheet["A2"].font.b and sheet["A2"].font.sz == 14
    assert not sheet["A3"].font.b


@pytest.mark.django_db
def test_title_block_without_review_year(commune, vietnamese):
    report = make_report(commune, summary=[])
    report.review_year = None
    sheet = open_book(build_xlsx(report)).active
    assert sheet["A3"].value == "Năm kế hoạch 2023"
    assert sheet["A4"].value == "Ngày lập: 05/02/2023"
    assert sheet["A5"].value is None and sheet["A6"].value == "STT"


def test_header_row_is_bold_filled_frozen_and_filtered():
    report = make_report(None)
    table = report.tables[0]
    sheet = open_book(build_xlsx(report)).active
    header = header_row_of(sheet, table)
    first_data, last_data = header + 1, header + len(table.rows)
    cells = sheet[header][: len(COLUMNS)]
    assert [cell.value for cell in cells] == [column.header for column in COLUMNS]
    for cell in cells:
        assert cell.font.b and cell.alignment.wrap_text, cell.coordinate
        assert cell.fill.fill_type == "solid" and cell.fill.fgColor.rgb.endswith("DDEBF7")
    assert sheet.freeze_panes == f"A{first_data}"
    # Header and data rows only: the totals row (just after) stays out of sorting and filtering.
    assert sheet.auto_filter.ref == f"A{header}:H{last_data}"
    assert sheet.cell(row=last_data + 1, column=2).value == "Tổng cộng"
    assert sheet.print_title_rows == f"${header}:${header}"  # repeated on every printed page
    assert [sheet.column_dimensions[letter].width for letter in "ABCDEFGH"] == [c.width for c in COLUMNS]


def test_lines_above_and_below_the_table_span_its_width_and_wrap():
    rows = person_rows()
    note = "Chỉ số thiếu hụt: " + "; ".join(f"{n}. Chỉ số thứ {n}" for n in range(1, 40))
    table = Table("Danh sách", COLUMNS, rows, totals=totals_of(rows), note=note)
    sheet = open_book(build_xlsx(make_report(None, tables=[table]))).active
    header = header_row_of(sheet, table)
    note_row = header + len(rows) + 3  # the rows, the totals, a blank row
    assert sheet.cell(row=note_row, column=1).value == note
    merged = {str(cell_range) for cell_range in sheet.merged_cells.ranges}
    assert merged == {f"A{n}:H{n}" for n in [*range(1, header - 1), note_row]}
    assert sheet.cell(row=note_row, column=1).alignment.wrap_text
    width = sum(column.width for column in COLUMNS)  # 95 characters
    least = math.ceil(len(note) / width)  # 8 lines for its 739 characters
    assert least * 15 <= sheet.row_dimensions[note_row].height <= (least + 1) * 15
    assert sheet.row_dimensions[2].height == pytest.approx(15 * 14 / 11)  # the 14 pt title


def test_a_date_column_is_wide_enough_for_a_date():
    columns = [Column("no", "STT", "int", 4), Column("visited", "Ngày", "date", 8)]
    table = Table("T", columns, [Row({"no": 1, "visited": datetime.date(2023, 12, 19)})])
    sheet = open_book(build_xlsx(make_report(None, tables=[table]))).active
    assert sheet.column_dimensions["A"].width == 4
    assert sheet.column_dimensions["B"].width == 11.5


def test_page_setup_follows_the_report_orientation():
    portrait = open_book(build_xlsx(make_report(None))).active
    landscape = open_book(build_xlsx(make_report(None, landscape=True))).active
    assert portrait.page_setup.orientation == "portrait"
    assert landscape.page_setup.orientation == "landscape"
    assert str(landscape.page_setup.paperSize) == landscape.PAPERSIZE_A4
    assert landscape.sheet_properties.pageSetUpPr.fitToPage


def test_document_properties():
    with translation.override("vi"):
        data = build_xlsx(make_report(None, title="Tiến độ hỗ trợ năm 2023"))
    properties = open_book(data).properties
    assert properties.title == "Tiến độ hỗ trợ năm 2023"
    assert properties.creator == "povertyplan"
    assert properties.language == "vi"
    assert properties.keywords == "exit-households"
    assert properties.created == GENERATED.replace(tzinfo=None)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
    assert not [name for name in names if "externalLink" in name]


# --- values, formats, totals --------------------------------------------------------------------


def test_every_cell_equals_the_report_with_numbers_and_dates_stored_as_such():
    report = make_report(None)
    table = report.tables[0]
    sheet = open_book(build_xlsx(report)).active
    header = assert_table_matches(sheet, table)
    first = sheet[header + 1]
    assert first[4].value == 1_350_000 and isinstance(first[4].value, int)
    assert first[5].value == 0.2086 and first[5].number_format == "0.00%"
    assert first[6].value == datetime.datetime(2023, 2, 5) and first[6].number_format == "dd/mm/yyyy"
    assert first[7].value == 1.5 and first[7].number_format == "#,##0.0"
    third = sheet[header + 3]
    assert third[5].value == 1 and third[5].number_format == "0.00%"  # 100,00%
    second = sheet[header + 2]
    assert second[7].value == 2 and second[7].number_format == "#,##0"  # a whole quantity: no "2,"


def test_totals_row_equals_the_report_totals_and_the_sum_of_the_rows():
    report = make_report(None)
    table = report.tables[0]
    sheet = open_book(build_xlsx(report)).active
    header = header_row_of(sheet, table)
    data = list(sheet.iter_rows(min_row=header + 1, max_row=header + len(table.rows), values_only=True))
    totals = sheet[header + len(table.rows) + 1]
    assert totals[3].value == table.totals.values["members"] == sum(row[3] for row in data) == 29
    assert totals[4].value == table.totals.values["value"] == sum(row[4] for row in data) == 14_100_010
    assert totals[7].value == pytest.approx(sum(row[7] or 0 for row in data)) == 13.75
    assert totals[4].number_format == "#,##0"
    for cell in totals[: len(COLUMNS)]:
        assert cell.font.b and cell.border.top.style == "medium", cell.coordinate
    # The note comes after a blank row.
    assert sheet.cell(row=totals[0].row + 2, column=1).value == "Ghi chú: số liệu thử"


def test_group_and_subtotal_rows_are_bold_and_group_headings_start_in_the_first_cell():
    rows = [Row({"name": "Làng Mơhven-Ôr"}, "group"), *person_rows()[:2]]
    rows.append(Row({"name": "Cộng làng Mơhven-Ôr", "members": 8, "value": 1_350_000}, "subtotal"))
    table = Table("Tiến độ", COLUMNS, rows, totals=totals_of(rows))
    sheet = open_book(build_xlsx(make_report(None, tables=[table]))).active
    header = assert_table_matches(sheet, table)
    group, first, _second, subtotal = sheet[header + 1 : header + 4]
    assert group[0].value == "Làng Mơhven-Ôr" and group[1].value is None
    assert all(cell.font.b and cell.fill.fill_type == "solid" for cell in group[: len(COLUMNS)])
    # No lines inside the heading, which runs over its row's cells.
    assert [(side(cell, "left"), side(cell, "right")) for cell in group[: len(COLUMNS)]] == [
        ("thin", None),
        *[(None, None)] * (len(COLUMNS) - 2),
        (None, "thin"),
    ]
    assert (side(group[3], "top"), side(group[3], "bottom")) == ("thin", "thin")
    assert side(first[3], "left") == side(first[3], "right") == "thin"
    assert not first[1].font.b
    assert subtotal[1].value == "Cộng làng Mơhven-Ôr" and subtotal[3].value == 8
    assert all(cell.font.b for cell in subtotal[: len(COLUMNS)])
    totals = sheet[header + 5]
    assert totals[3].value == 8  # the subtotal is not counted twice: the totals are the report's


# --- text safety ----------------------------------------------------------------------------------


def test_formula_like_text_stays_plain_text():
    report = make_report(None, summary=[("=1+1", "-5")])
    report.tables[0].rows[0].values["village"] = "=SUM(1,2)"
    data = build_xlsx(report)
    sheet = open_book(data).active
    table = report.tables[0]
    header = header_row_of(sheet, table)
    names = {cell.value: cell for (cell,) in sheet.iter_rows(min_row=header + 1, min_col=2, max_col=2)}
    for text in FORMULA_LIKE:
        cell = names[text]
        assert cell.data_type == "s", text
        # Editing the cell keeps it text: Excel honours the quote prefix, LibreOffice the Text format.
        assert cell.number_format == "@", text
        if text[0] in "=+-@":
            assert cell.quotePrefix, text
    assert not names["Đinh Thị Hlen"].quotePrefix
    assert sheet.cell(row=header + 1, column=3).value == "=SUM(1,2)"
    assert sheet["A5"].value == "=1+1: -5" and sheet["A5"].data_type == "s"
    for name, xml in sheet_xml(data).items():
        assert "<f>" not in xml and "<f " not in xml, name
        assert 't="e"' not in xml, name
    raw = next(iter(sheet_xml(data).values()))
    assert '<t>=HYPERLINK("http://x")</t>' in raw


def test_formula_like_text_in_read_only_mode_too():
    data = build_xlsx(make_report(None))
    book = load_workbook(io.BytesIO(data), read_only=True)
    values = [value for row in book.active.iter_rows(values_only=True) for value in row]
    for text in FORMULA_LIKE:
        assert text in values
    book.close()


def test_vietnamese_text_round_trips_exactly_and_in_nfc():
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Ngọc Ánh")
    rows = person_rows()
    rows[0].values["name"] = decomposed
    rows[1].values["village"] = "Mơhra-Đáp ĐẮK ƠƯ ỹỵỷ"
    table = Table("Danh sách", COLUMNS, rows)
    sheet = open_book(build_xlsx(make_report(None, tables=[table]))).active
    header = header_row_of(sheet, table)
    assert sheet.cell(row=header + 1, column=2).value == "Nguyễn Thị Ngọc Ánh"
    assert unicodedata.is_normalized("NFC", sheet.cell(row=header + 1, column=2).value)
    assert sheet.cell(row=header + 2, column=3).value == "Mơhra-Đáp ĐẮK ƠƯ ỹỵỷ"
    assert sheet.cell(row=header + 3, column=2).value == "Đinh Thị Thơ"


def test_characters_xml_cannot_hold_are_dropped_not_fatal():
    rows = person_rows()
    rows[0].values["name"] = "Đinh\x00 Văn\x0b A\x1f"
    rows[1].values["name"] = "Hai\tdòng\nmột ô"
    table = Table("Tiêu đề\x07", COLUMNS, rows)
    sheet = open_book(build_xlsx(make_report(None, tables=[table], summary=[("Ghi\x01 chú", "x")]))).active
    header = header_row_of(sheet, table)
    assert sheet.cell(row=header + 1, column=2).value == "Đinh Văn A"
    assert sheet.cell(row=header + 2, column=2).value == "Hai\tdòng\nmột ô"
    assert sheet.title == "Tiêu đề"


def test_unexpected_values_are_written_as_text_not_guessed():
    rows = [Row({"no": 1, "name": 12345, "members": "—", "value": Decimal("1500000.00"), "rate": 7})]
    table = Table("T", COLUMNS, rows)
    sheet = open_book(build_xlsx(make_report(None, tables=[table]))).active
    header = header_row_of(sheet, table)
    row = sheet[header + 1]
    assert row[1].value == "12345" and row[1].data_type == "s"
    assert row[3].value == "—" and row[3].data_type == "s"
    assert row[4].value == 1_500_000 and isinstance(row[4].value, int)
    assert row[5].value == 0.07


# --- sheets -----------------------------------------------------------------------------------------


def test_one_sheet_per_table_with_valid_distinct_names():
    long_title = "Danh sách hộ nghèo, hộ cận nghèo thiếu hụt các chỉ số dịch vụ xã hội cơ bản"
    titles = [
        long_title,
        long_title,
        "Tỷ lệ [%]: 2022/2023 *?\\",
        "",
        "history",
        "'Trích'",
        "DANH SÁCH HỘ NGHÈO",
    ]
    titles.append("danh sách hộ nghèo")
    tables = [Table(title, COLUMNS, person_rows()[:1]) for title in titles]
    data = build_xlsx(make_report(None, tables=tables))
    book = open_book(data)
    names = book.sheetnames
    assert len(names) == len(titles)
    assert len({name.casefold() for name in names}) == len(names)
    for name in names:
        assert 1 <= len(name) <= 31 and not re.search(r"[\[\]:*?/\\]", name), name
        assert not name.startswith("'") and not name.endswith("'"), name
        assert name.casefold() != "history"
    assert names[0] == "Danh sách hộ nghèo, hộ cận"  # cut at a word, within 31
    assert names[1].endswith(" (2)") and names[1].startswith("Danh sách hộ")
    assert names[2] == "Tỷ lệ % 2022 2023"
    assert names[7] == "danh sách hộ nghèo (2)"
    # Each sheet carries its own table (and its title, since there are several).
    for sheet, table in zip(book.worksheets, tables, strict=True):
        assert_table_matches(sheet, table)
        if table.title:
            assert any(row[0].value == table.title for row in sheet.iter_rows(max_row=8, max_col=1))


def test_titles_that_differ_only_after_the_cut_keep_their_different_ends():
    titles = [
        "Households exiting poverty by village",
        "Households exiting poverty by official in charge",
        "Households that have not exited poverty",
    ]
    assert sheet_names(titles) == [
        "Households exiting… village",
        "Households… official in charge",
        "Households that have not exited",
    ]


def test_a_sheet_name_cut_after_a_comma_does_not_end_with_it():
    assert sheet_names(["Biến động hộ nghèo theo thôn, làng từ rà soát năm 2022 đến năm 2023"]) == [
        "Biến động hộ nghèo theo thôn"
    ]


def test_sheet_names_for_wide_characters_count_utf16_units():
    [name] = sheet_names(["😀" * 20])
    assert len(name.encode("utf-16-le")) // 2 <= 31


def test_a_report_without_tables_gives_one_sheet_with_its_title_block():
    report = make_report(None, tables=[])
    book = open_book(build_xlsx(report))
    assert book.sheetnames == ["Danh sách hộ đăng ký thoát"]  # the report's title, cut at a word
    sheet = book.active
    assert sheet["A2"].value == report.title
    assert sheet.freeze_panes is None and not sheet.auto_filter.ref


def test_a_single_table_titled_like_the_report_is_not_repeated():
    report = make_report(None, summary=[])
    sheet = open_book(build_xlsx(report)).active
    assert [sheet.cell(row=n, column=1).value for n in (2, 5, 6)] == [report.title, None, "STT"]


def test_a_table_without_rows_still_has_its_header_and_filter():
    table = Table("Trống", COLUMNS, [], totals=Row({"name": "Tổng cộng", "members": 0}))
    sheet = open_book(build_xlsx(make_report(None, tables=[table]))).active
    header = header_row_of(sheet, table)
    assert sheet.auto_filter.ref == f"A{header}:H{header}"
    assert sheet.cell(row=header + 1, column=4).value == 0


def test_rows_with_wrapped_text_are_made_tall_enough():
    rows = person_rows()[:3]
    rows[0].values["name"] = "Đinh Thị Hlen " * 6  # 84 characters in a column 24 wide: 4 lines
    rows[1].values["village"] = "Mơhven-Ôr\nBờ-Chư pâu"  # a line break: 2 lines
    table = Table("Danh sách", COLUMNS, rows)
    sheet = open_book(build_xlsx(make_report(None, tables=[table]))).active
    header = header_row_of(sheet, table)
    assert sheet.row_dimensions[header].height == 30  # "Giá trị hỗ trợ (đồng)" 14 wide: 2 lines
    assert sheet.row_dimensions[header + 1].height == 60
    assert sheet.row_dimensions[header + 2].height == 30
    assert sheet.row_dimensions[header + 3].height is None  # one line: the default height


# --- size -----------------------------------------------------------------------------------------


def test_ten_thousand_rows_build_in_flat_memory():
    """Streamed: under 1 MB at the peak here; a workbook held in memory takes about 14 MB for this one."""
    columns = [COLUMNS[0], COLUMNS[1], COLUMNS[4]]  # narrow: the time goes to openpyxl's writer
    rows = [Row({"no": n, "name": f"Chủ hộ số {n}", "value": n * 1000}) for n in range(1, 10_001)]
    total = Row({"name": "Tổng cộng", "value": sum(row.values["value"] for row in rows)})
    report = make_report(None, tables=[Table("Lớn", columns, rows, totals=total)])
    tracemalloc.start()
    try:
        data = build_xlsx(report)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 10 * 1024 * 1024, f"peak {peak / 2**20:.1f} MB"
    book = load_workbook(io.BytesIO(data), read_only=True)
    *others, totals = (
        row for row in book.active.iter_rows(values_only=True) if any(v is not None for v in row)
    )
    assert totals[1] == "Tổng cộng" and totals[2] == sum(n * 1000 for n in range(1, 10_001))
    assert others[-1][:3] == (10_000, "Chủ hộ số 10000", 10_000_000)
    assert len(others) == 10_000 + 7  # four title lines, a summary line, the table title, the header
    book.close()


# --- real reports (once the selectors exist) ----------------------------------------------------


def _build_report():
    from reports.selectors import REPORT_SLUGS, build_report

    return build_report, REPORT_SLUGS


@pytest.fixture(scope="module")
def demo_commune(django_db_setup, django_db_blocker):
    from django.core.management import call_command

    from demo import data
    from households.models import Commune

    _build_report()
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", "--quiet")
        yield Commune.objects.get(code=data.COMMUNE["code"], valid_until__isnull=True)
        transaction.set_rollback(True)


def test_every_real_report_matches_its_workbook(demo_commune, db):
    build_report, slugs = _build_report()
    for slug in slugs:
        if slug == "plan":  # PDF only
            continue
        report = build_report(slug, commune=demo_commune, plan_year=2023)
        data = build_xlsx(report)
        book = open_book(data)
        assert len(book.sheetnames) == max(1, len(report.tables)), slug
        for sheet, table in zip(book.worksheets, report.tables, strict=False):
            assert_table_matches(sheet, table)
        for name, xml in sheet_xml(data).items():
            assert "<f>" not in xml, (slug, name)


def test_real_village_statistics_carry_the_published_figures(demo_commune, db):
    build_report, _slugs = _build_report()
    report = build_report("village-stats", commune=demo_commune, plan_year=2023)
    book = open_book(build_xlsx(report))
    rows = [row for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)]
    commune_row = next(row for row in rows if 1160 in row and 242 in row)
    assert any(isinstance(v, float) and abs(v - 0.2086) < 1e-9 for v in commune_row)
    for poor, households in [(42, 146), (33, 92), (12, 44), (58, 209), (39, 136)]:
        assert any(poor in row and households in row for row in rows), (poor, households)
