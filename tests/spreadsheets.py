"""Spreadsheets for the import tests: built as Excel saves them, or exported by the application."""

import io

from django.utils import translation
from openpyxl import Workbook

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
