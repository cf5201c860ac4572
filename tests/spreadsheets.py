"""Spreadsheets for the import tests: built as Excel saves them, or exported by the application."""

import io
import itertools
import zipfile

from django.utils import translation
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from households import exports


def xlsx_bytes(header: list, rows) -> bytes:
    """A workbook with a header and rows. Text typed "=…" is stored as text, as Excel stores a
    formula-looking value typed after a quote (a real formula is built by the test itself)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    for cells in sheet.iter_rows():
        for cell in cells:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def keyed_xlsx(importer, rows: list[dict]) -> bytes:
    """Rows given by column key ({"household_code": …}), under the importer's headers."""
    names = {column.key: column.header for column in importer.columns()}
    return xlsx_bytes([names[key] for key in rows[0]], [list(row.values()) for row in rows])


def exported_xlsx(user, list_name: str) -> bytes:
    """The list as the user downloads it, in Vietnamese."""
    with translation.override("vi"):
        export = exports.export_for_user(user=user, list_name=list_name, fmt="xlsx")
        out = io.BytesIO()
        exports.write_xlsx(export, out)
    return out.getvalue()


# --- workbooks written by hand, part by part -------------------------------------------------------

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def hand_made_xlsx(
    sheet_data,
    *,
    dimension: str | None = None,
    shared_strings=None,
    sheet_name: str = "Hộ",
    prefix: str = "",
    folder: str = "xl",
    extra_parts: dict[str, bytes] | None = None,
) -> bytes:
    """A workbook whose XML is written here, as a careless or hostile program may write it, and no
    library would: `sheet_data` is the inside of <sheetData>, `shared_strings` the inside of <sst>
    (str or bytes, or an iterable of byte chunks for a part too large to hold in memory);
    `dimension` the sheet's declared extent, true or not; `prefix` a namespace prefix ("x") on every
    element of the sheet; `folder` where the workbook lives (the package's relationships say)."""
    p = f"{prefix}:" if prefix else ""
    xmlns = f'xmlns:{prefix}="{MAIN}"' if prefix else f'xmlns="{MAIN}"'
    declared = f'<{p}dimension ref="{dimension}"/>' if dimension else ""
    relations = [("rId1", "worksheet", "worksheets/sheet1.xml")]
    if shared_strings is not None:
        relations.append(("rId2", "sharedStrings", "sharedStrings.xml"))
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            'ContentType="application/xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELATIONSHIPS}">'
            f'<Relationship Id="rId1" Type="{OFFICE}/officeDocument" Target="{folder}/workbook.xml"/>'
            "</Relationships>"
        ),
        f"{folder}/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{OFFICE}">'
            f'<sheets><sheet name="{sheet_name}" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        f"{folder}/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELATIONSHIPS}">'
            + "".join(
                f'<Relationship Id="{key}" Type="{OFFICE}/{kind}" Target="{target}"/>'
                for key, kind, target in relations
            )
            + "</Relationships>"
        ),
        f"{folder}/worksheets/sheet1.xml": _wrapped(
            f'<?xml version="1.0" encoding="UTF-8"?><{p}worksheet {xmlns}>{declared}<{p}sheetData>',
            sheet_data,
            f"</{p}sheetData></{p}worksheet>",
        ),
        **(extra_parts or {}),
    }
    if shared_strings is not None:
        parts[f"{folder}/sharedStrings.xml"] = _wrapped(
            f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}">', shared_strings, "</sst>"
        )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, content in parts.items():
            with archive.open(name, "w", force_zip64=True) as stream:
                for chunk in [content] if isinstance(content, str | bytes) else content:
                    stream.write(chunk.encode() if isinstance(chunk, str) else chunk)
    return out.getvalue()


def _wrapped(head: str, body, tail: str):
    if isinstance(body, str | bytes):
        return head.encode() + (body.encode() if isinstance(body, str) else body) + tail.encode()
    return itertools.chain([head.encode()], body, [tail.encode()])


def text_cell(reference: str, text: str) -> str:
    return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'


def row_of(number: int, cells: str) -> str:
    return f'<row r="{number}">{cells}</row>'


# --- workbooks made to exhaust a reader --------------------------------------------------------------

HOSTILE_HEADER = row_of(
    1, text_cell("A1", "Mã hộ") + text_cell("B1", "Họ và tên chủ hộ") + text_cell("C1", "Làng")
)


def _cell_at(row: int, column: int) -> str:
    return row_of(row, text_cell(f"{get_column_letter(column)}{row}", "x"))


def _text_table(total_mb: int):
    """Texts of 1,000 characters, `total_mb` MB of them: compressed, a few hundred KB."""
    block = (b"<si><t>" + b"a" * 1000 + b"</t></si>") * 1000
    for _ in range(total_mb * 1_000_000 // len(block)):
        yield block


# Each under the header of tests/limited_read.py; the name says what it asks of the reader.
HOSTILE_WORKBOOKS = {
    # the file of the issue: 1.5 KB, whose <dimension> says A1:C3
    "A1 and XFD1048576": lambda: hand_made_xlsx(
        HOSTILE_HEADER + row_of(1048576, text_cell("XFD1048576", "x")), dimension="A1:C3"
    ),
    "2,000 rows × 16,000 columns": lambda: hand_made_xlsx(HOSTILE_HEADER + _cell_at(2000, 16000)),
    "40,000 rows × 1,000 columns": lambda: hand_made_xlsx(HOSTILE_HEADER + _cell_at(40000, 1000)),
    "1,048,576 rows × 3 columns": lambda: hand_made_xlsx(HOSTILE_HEADER + _cell_at(1048576, 3)),
    # a cell with two addresses: calamine takes the last one
    "a cell at B2 and XFD1048576": lambda: hand_made_xlsx(
        HOSTILE_HEADER + '<row r="2"><c r="B2" r="XFD1048576"><v>1</v></c></row>'
    ),
    # a table of texts that claims four billion of them: calamine reserves room for them all
    "a text table claiming 4,000,000,000 texts": lambda: hand_made_xlsx(
        HOSTILE_HEADER,
        extra_parts={
            "xl/sharedStrings.xml": f'<sst xmlns="{MAIN}" uniqueCount="4000000000"><si><t>x</t></si></sst>'
        },
    ),
    "a text table of 200 MB": lambda: hand_made_xlsx(HOSTILE_HEADER, shared_strings=_text_table(200)),
    # one shared text of 32,000 bytes, shown in 50,000 cells: calamine copies it into each
    "one 32,000-byte text in 50,000 cells": lambda: hand_made_xlsx(
        HOSTILE_HEADER
        + "".join(f'<row r="{n}"><c r="A{n}" t="s"><v>0</v></c></row>' for n in range(2, 50002)),
        shared_strings="<si><t>" + "ă" * 16000 + "</t></si>",
    ),
    # calamine reads the workbook the package's relationships name: here data/workbook.xml, while
    # xl/workbook.xml and its sheet are harmless
    "a workbook in another folder than xl/": lambda: hand_made_xlsx(
        HOSTILE_HEADER + row_of(1048576, text_cell("XFD1048576", "x")),
        folder="data",
        extra_parts={
            "xl/workbook.xml": f'<workbook xmlns="{MAIN}" xmlns:r="{OFFICE}"><sheets>'
            '<sheet name="Hộ" sheetId="1" r:id="rId1"/></sheets></workbook>',
            "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{RELATIONSHIPS}"><Relationship Id="rId1" '
            f'Type="{OFFICE}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
            "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{MAIN}"><sheetData>{HOSTILE_HEADER}'
            "</sheetData></worksheet>",
        },
    ),
    # the address after another attribute, in single quotes
    "a cell written <c s='1' r='XFD1048576'>": lambda: hand_made_xlsx(
        HOSTILE_HEADER + "<row r='1048576'><c s='1' r='XFD1048576'><v>1</v></c></row>"
    ),
    # no address: the cell follows 16,383 empty ones on row 1,048,576
    "a cell with no address after 16,383 empty ones": lambda: hand_made_xlsx(
        HOSTILE_HEADER + '<row r="1048576">' + "<c/>" * 16383 + "<c><v>1</v></c></row>"
    ),
}
