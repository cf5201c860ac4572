"""Reading an uploaded file into rows: formats, encodings and every file-level problem."""

import codecs
import io
import os
import random
import re
import unicodedata
import zipfile
from datetime import date, datetime

import pytest
from django.utils import translation
from openpyxl import Workbook

from households.imports.reading import OLE2_SIGNATURE, ImportFileError, read_table

KNOWN = ["Mã hộ", "Họ và tên chủ hộ", "Làng", "Thu nhập", "Ngày sinh"]
REQUIRED = ["Mã hộ", "Họ và tên chủ hộ", "Làng"]
HEADER = ["Mã hộ", "Họ và tên chủ hộ", "Làng", "Thu nhập"]
DATA = [
    ["H001", "Nguyễn Văn Đức", "Mơhven-Ôr", "1200000"],
    ["H002", "Đinh Thị H'Bia", "Kông Lơng Khơng", "950000"],
]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def read(content: bytes, filename: str = "ho.xlsx", **options):
    settings = {
        "required_columns": REQUIRED,
        "known_columns": KNOWN,
        "max_rows": 1000,
        "max_bytes": 5 * 1024 * 1024,
    }
    settings.update(options)
    return read_table(content, filename, **settings)


def error_of(content: bytes, filename: str = "ho.xlsx", **options) -> str:
    with pytest.raises(ImportFileError) as caught:
        read(content, filename, **options)
    assert caught.value.message == str(caught.value)
    return caught.value.message


def xlsx(*rows, sheets=None) -> bytes:
    workbook = Workbook()
    sheets = sheets or {"Hộ": rows}
    workbook.remove(workbook.active)
    for title, sheet_rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in sheet_rows:
            sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_text(rows, delimiter=",") -> str:
    return "\r\n".join(delimiter.join(row) for row in rows) + "\r\n"


def plain(result):
    return [(row.number, row.values) for row in result.rows]


EXPECTED = [
    (2, {"Mã hộ": "H001", "Họ và tên chủ hộ": "Nguyễn Văn Đức", "Làng": "Mơhven-Ôr", "Thu nhập": "1200000"}),
    (
        3,
        {
            "Mã hộ": "H002",
            "Họ và tên chủ hộ": "Đinh Thị H'Bia",
            "Làng": "Kông Lơng Khơng",
            "Thu nhập": "950000",
        },
    ),
]


# --- formats and encodings ---------------------------------------------------------------------


def test_xlsx_rows_keep_spreadsheet_numbers_and_types():
    content = xlsx(
        ["DANH SÁCH HỘ NGHÈO"],  # a title above the header
        [],
        ["  MÃ HỘ ", "Ho va ten chu ho", "làng", "Thu nhập", "Ngày sinh"],
        ["H001", "  Nguyễn Văn Đức ", "Mơhven-Ôr", 1200000, datetime(1980, 5, 1)],
        [None, None, "", None],  # blank row: skipped
        ["H002", unicodedata.normalize("NFD", "Đinh Thị Hương"), "Mơhven-Ôr", 950000.5, None],
    )
    result = read(content)
    assert result.header == ["MÃ HỘ", "Ho va ten chu ho", "làng", "Thu nhập", "Ngày sinh"]
    assert result.header_row == 3
    assert result.sheet == "Hộ"
    assert plain(result) == [
        (
            4,
            {
                "Mã hộ": "H001",
                "Họ và tên chủ hộ": "Nguyễn Văn Đức",
                "Làng": "Mơhven-Ôr",
                "Thu nhập": 1200000,
                "Ngày sinh": date(1980, 5, 1),
            },
        ),
        (
            6,
            {
                "Mã hộ": "H002",
                "Họ và tên chủ hộ": "Đinh Thị Hương",  # NFD → NFC
                "Làng": "Mơhven-Ôr",
                "Thu nhập": 950000.5,
                "Ngày sinh": None,
            },
        ),
    ]
    assert result.warnings == []
    assert result.cell_errors == []


def test_xlsx_data_sheet_is_found_after_an_instructions_sheet():
    content = xlsx(
        sheets={"Hướng dẫn": [["Điền mỗi hộ một dòng"], ["Mã hộ: bắt buộc"]], "Hộ": [HEADER, *DATA]}
    )
    result = read(content)
    assert result.sheet == "Hộ"
    assert plain(result) == [
        (2, {**EXPECTED[0][1], "Thu nhập": "1200000"}),
        (3, {**EXPECTED[1][1], "Thu nhập": "950000"}),
    ]


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(csv_text([HEADER, *DATA]).encode("utf-8"), id="utf-8"),
        pytest.param(codecs.BOM_UTF8 + csv_text([HEADER, *DATA]).encode("utf-8"), id="utf-8-bom"),
        pytest.param(csv_text([HEADER, *DATA], ";").encode("utf-8"), id="semicolon"),
        pytest.param(
            codecs.BOM_UTF16_LE + csv_text([HEADER, *DATA], "\t").encode("utf-16-le"), id="utf-16-le"
        ),
        pytest.param(
            codecs.BOM_UTF16_BE + csv_text([HEADER, *DATA], "\t").encode("utf-16-be"), id="utf-16-be"
        ),
        pytest.param(csv_text([HEADER, *DATA], "\t").encode("utf-16"), id="utf-16-python"),
        pytest.param(csv_text([HEADER, *DATA], "\t").encode("utf-16-le"), id="utf-16-without-bom"),
        pytest.param(unicodedata.normalize("NFD", csv_text([HEADER, *DATA])).encode("utf-8"), id="nfd"),
    ],
)
def test_csv_encodings_and_delimiters_read_the_same_rows(content):
    result = read(content, "ho.csv")
    assert plain(result) == EXPECTED
    assert result.warnings == []


def test_csv_quoted_fields_and_blank_lines():
    text = (
        "Mã hộ,Họ và tên chủ hộ,Làng\r\n"
        "\r\n"
        'H001,"Nguyễn, Văn ""Đức""",Mơhven-Ôr\r\n'
        ",,\r\n"
        "H002,Lê Văn Thành,A\r\n"
    )
    result = read(text.encode(), "ho.csv")
    assert [row.number for row in result.rows] == [3, 5]
    assert result.rows[0].values["Họ và tên chủ hộ"] == 'Nguyễn, Văn "Đức"'


def test_format_is_decided_by_content_not_extension():
    assert plain(read(csv_text([HEADER, *DATA]).encode(), "ho.xlsx")) == EXPECTED
    assert len(read(xlsx(HEADER, *DATA), "ho.csv").rows) == 2


# --- bad files ---------------------------------------------------------------------------------


def test_random_bytes_are_not_a_spreadsheet():
    noise = random.Random(5).randbytes(4000)
    for filename in ("ho.xlsx", "ho.csv", "ho.pdf"):
        assert "not a spreadsheet" in error_of(noise, filename)


def test_a_zip_that_is_not_a_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert "not a spreadsheet" in error_of(buffer.getvalue())


def test_an_opendocument_spreadsheet_is_named():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    assert ".ods" in error_of(buffer.getvalue(), "ho.ods")


@pytest.mark.parametrize("cut", [0.5, 0.9])
def test_truncated_xlsx_is_damaged(cut):
    content = xlsx(HEADER, *DATA)
    assert "damaged" in error_of(content[: int(len(content) * cut)])


def test_xlsx_with_broken_sheet_xml_is_damaged():
    content = rewrite(xlsx(HEADER, *DATA), "xl/worksheets/sheet1.xml", lambda xml: xml[: len(xml) // 2])
    assert "damaged" in error_of(content)


def test_password_protected_or_old_xls():
    content = OLE2_SIGNATURE + bytes(504) + os.urandom(1024)
    message = error_of(content, "ho.xlsx")
    assert "password" in message
    assert ".xls" in message
    assert ".xlsx" in message


@pytest.mark.parametrize("content", [b"", b"   \r\n", xlsx(), codecs.BOM_UTF8 + b"\r\n\r\n"])
def test_empty_file_or_sheet(content):
    assert "empty" in error_of(content)


@pytest.mark.parametrize(
    "content", [xlsx(HEADER, [None, None], []), csv_text([HEADER]).encode()], ids=["xlsx", "csv"]
)
def test_header_without_data_rows(content):
    assert error_of(content) == "The file has no data rows under the header (row 1)."


def test_missing_required_columns_are_all_named():
    message = error_of(xlsx(["Mã hộ", "Thu nhập"], ["H001", 5]))
    assert "'Họ và tên chủ hộ', 'Làng'" in message
    assert "'Mã hộ'" not in message


def test_duplicate_headers_are_named():
    message = error_of(
        xlsx(["Mã hộ", "Họ và tên chủ hộ", "Làng", "LANG", "Ghi chú", "Ghi chú"], ["H1", "A", "B"])
    )
    assert "'Làng' / 'LANG'" in message
    assert "'Ghi chú'" in message


def test_unknown_columns_are_a_warning_and_ignored():
    result = read(xlsx([*HEADER, "Ghi chú", "Số điện thoại"], [*DATA[0], "xa", "0905"]))
    assert result.unknown_columns == ["Ghi chú", "Số điện thoại"]
    assert result.warnings == [
        "These columns are not used by this import and were ignored: 'Ghi chú', 'Số điện thoại'."
    ]
    assert set(result.rows[0].values) == set(HEADER)


def test_data_under_a_blank_header_is_a_warning():
    result = read(xlsx(["Mã hộ", "Họ và tên chủ hộ", "Làng", None, "Thu nhập"], ["H1", "A", "B", "lạc", 5]))
    assert result.warnings == ["Column D has data but no header: it was ignored."]
    assert result.rows[0].values["Thu nhập"] == 5


def test_trailing_empty_columns_are_ignored():
    text = "Mã hộ,Họ và tên chủ hộ,Làng,,,\r\nH1,A,B,,,\r\n"
    result = read(text.encode(), "ho.csv")
    assert result.header == ["Mã hộ", "Họ và tên chủ hộ", "Làng"]
    assert result.warnings == []


def test_too_many_rows_names_the_limit():
    rows = [[f"H{n}", "A", "B"] for n in range(1, 1502)]
    message = error_of(xlsx(["Mã hộ", "Họ và tên chủ hộ", "Làng"], *rows), max_rows=1500)
    assert message.startswith("The file has more than 1.500 data rows")
    assert len(read(xlsx(["Mã hộ", "Họ và tên chủ hộ", "Làng"], *rows[:1500]), max_rows=1500).rows) == 1500


def test_too_many_bytes_names_the_limits():
    content = csv_text([HEADER, *DATA * 20000]).encode()
    message = error_of(content, "ho.csv", max_bytes=1_000_000)
    assert re.search(r"The file is \d+,\d MB, more than the limit of 1,0 MB", message), message


def test_windows_1258_csv_is_refused_naming_the_encoding():
    content = csv_text([HEADER, *DATA]).encode("utf-8").decode("utf-8")
    legacy = content.replace("ộ", "o").replace("ễ", "e").replace("ơ", "o").replace("Ơ", "O")
    raw = legacy.encode("cp1258", errors="replace")
    for filename in ("ho.csv", "ho.xlsx"):
        message = error_of(raw, filename)
        assert message.startswith("The CSV file is not in UTF-8 or UTF-16"), message
    assert re.search(r"position \d+", message)


# --- formulas and cell errors --------------------------------------------------------------------


def rewrite(content: bytes, member: str, change) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info, change(data) if info.filename == member else data)
    return buffer.getvalue()


def formula_workbook(cached: str | None) -> bytes:
    content = xlsx(
        ["Mã hộ", "Họ và tên chủ hộ", "Làng", "Thu nhập"], ["H1", "A", "B", "=100*12"], ["H2", "C", "D", 7]
    )
    if cached is None:
        return content  # openpyxl writes formulas without a cached value
    return rewrite(
        content,
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(b"<f>100*12</f><v />", f"<f>100*12</f><v>{cached}</v>".encode()),
    )


def test_formula_with_cached_value_uses_the_value():
    result = read(formula_workbook("1200"))
    assert result.rows[0].values["Thu nhập"] == 1200
    assert result.cell_errors == []


def test_formula_without_cached_value_is_a_cell_error():
    result = read(formula_workbook(None))
    assert [row.number for row in result.rows] == [2, 3]
    assert result.rows[0].values["Thu nhập"] is None
    [error] = result.cell_errors
    assert (error.row, error.column) == (2, "Thu nhập")
    assert error.message == "Row 2, column 'Thu nhập': the cell holds a formula that has no value yet"


def test_formula_with_empty_text_result_is_a_value():
    content = rewrite(
        formula_workbook(None),
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(b'<c r="D2"><f>100*12</f><v />', b'<c r="D2" t="str"><f>100*12</f><v></v>'),
    )
    result = read(content)
    assert result.cell_errors == []
    assert result.rows[0].values["Thu nhập"] is None


def test_excel_error_values_are_cell_errors():
    result = read(xlsx(["Mã hộ", "Họ và tên chủ hộ", "Làng", "Thu nhập"], ["H1", "A", "B", "#DIV/0!"]))
    assert [e.message for e in result.cell_errors] == [
        "Row 2, column 'Thu nhập': the cell shows the Excel error #DIV/0!"
    ]


# --- TCVN3 -----------------------------------------------------------------------------------------


def test_tcvn3_values_are_converted_with_a_warning():
    content = xlsx(
        ["Mã hộ", "Họ và tên chủ hộ", "Làng"], ["H1", "NguyÔn V¨n A", "M¬hven-¤r"], ["H2", "Tô Lâm", "B"]
    )
    result = read(content)
    assert result.rows[0].values["Họ và tên chủ hộ"] == "Nguyễn Văn A"
    assert result.rows[0].values["Làng"] == "Mơhven-Ôr"
    assert result.rows[1].values["Họ và tên chủ hộ"] == "Tô Lâm"
    assert result.warnings == [
        "Row 2, column 'Họ và tên chủ hộ': 'NguyÔn V¨n A' was converted from TCVN3 to 'Nguyễn Văn A'.",
        "Row 2, column 'Làng': 'M¬hven-¤r' was converted from TCVN3 to 'Mơhven-Ôr'.",
    ]


def test_tcvn3_in_a_utf8_csv_and_in_headers():
    text = "M· hé,Hä vµ tªn chñ hé,Lµng\r\nH1,§inh ThÞ H'Bia,K«ng L¬ng Kh¬ng\r\n"
    result = read(text.encode(), "ho.csv")
    assert result.header == ["Mã hộ", "Họ và tên chủ hộ", "Làng"]
    assert result.rows[0].values == {
        "Mã hộ": "H1",
        "Họ và tên chủ hộ": "Đinh Thị H'Bia",
        "Làng": "Kông Lơng Khơng",
    }
    assert len(result.warnings) == 5


def test_messages_are_translatable():
    with translation.override("vi"):
        # whatever the catalogue holds, the useful parts survive translation
        message = error_of(xlsx(["Mã hộ"], ["H1"]))
    assert "'Họ và tên chủ hộ', 'Làng'" in message


def test_data_sheet_first_then_other_sheets():
    # the header lacks optional columns, so the other sheets are looked at while the first is half read
    rows = [["Mã hộ", "Họ và tên chủ hộ", "Làng"], *[[f"H{n}", "A", "B"] for n in range(1, 31)]]
    content = xlsx(sheets={"Hộ": rows, "Hướng dẫn": [["Mã hộ", "ghi chú"], ["x", "y"]], "Trống": []})
    result = read(content)
    assert result.sheet == "Hộ"
    assert [row.number for row in result.rows] == list(range(2, 32))
