"""Text that leaves the application in a spreadsheet: never read back as a formula.

A cell whose text starts with ``=``, ``+``, ``-`` or ``@`` (and tab or carriage return, which some
programs skip before reading what follows) is taken for a formula by Excel and LibreOffice: a
household head typed as ``=HYPERLINK(…)`` would become a live link (CSV injection, OWASP).
Shared by every export; `reports/builders/xlsx.py` has the same rule for its own workbooks.
"""

import unicodedata

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TEXT_LIMIT = 32767  # characters in one Excel cell


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_TRIGGERS)


def csv_text(text: str) -> str:
    """Text for a CSV cell: formula-looking text gets a leading single quote (OWASP's advice)."""
    return "'" + text if looks_like_formula(text) else text


def xlsx_text(value) -> str:
    """Any value as text an XLSX cell can hold: NFC, no XML-illegal characters, at most 32,767 characters.

    The caller still stores it with the string type, so that "=…" is never written as a formula.
    """
    text = unicodedata.normalize("NFC", str(value))
    return ILLEGAL_CHARACTERS_RE.sub("", text)[:XLSX_TEXT_LIMIT]
