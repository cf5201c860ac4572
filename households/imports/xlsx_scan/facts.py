"""What the scan measures against, and what it reports."""

from array import array
from dataclasses import dataclass, field

MAX_COLUMNS, MAX_ROWS = 16384, 1048576  # Excel's own: XFD, row 1,048,576
CELL_COST = 16  # bytes calamine spends beyond the text on a cell's own copy of a text
STRING_COST = 48  # bytes calamine spends on each entry of the table of texts, beyond its text


@dataclass(frozen=True)
class Limits:
    rows: int  # the last row a sheet may fill (1-based)
    columns: int  # the last column a sheet may fill (1-based)
    text_bytes: int = 64_000_000  # the text a sheet's cells may hold, all copies counted
    strings_bytes: int = 64_000_000  # the table of shared texts, as calamine holds it
    merged_ranges: int = 1_000_000  # a sheet's merged cell ranges (16 bytes each in calamine)


class Refusal(Exception):
    """The file cannot be read safely; the subclasses carry what the officer needs to fix it."""


class Damaged(Refusal):
    pass


@dataclass
class TooWide(Refusal):
    sheet: str
    cell: str  # the first cell found beyond the limit, "XFD1048576"
    column: int


@dataclass
class TooLong(Refusal):
    sheet: str
    cell: str
    row: int


@dataclass
class TooMuchText(Refusal):
    sheet: str  # "" for the workbook's table of shared texts
    size: int  # bytes, at least


@dataclass
class PartTooLarge(Refusal):
    part: str
    size: int
    limit: int


@dataclass
class TooManyMerged(Refusal):
    sheet: str
    count: int


@dataclass
class CellMarks:
    """What calamine does not tell: formulas without a saved value, and Excel error values."""

    without_value: dict[int, set[int]] = field(default_factory=dict)  # row (1-based) → column positions
    errors: dict[int, dict[int, str]] = field(default_factory=dict)  # row → position → "#N/A"…


@dataclass
class Texts:
    """The table of shared texts: each entry's length in bytes (at least), and the longest."""

    lengths: array
    longest: int = 0


def column_letters(column: int) -> str:
    """1 → A, 27 → AA, 16384 → XFD."""
    letters = ""
    while column:
        column, remainder = divmod(column - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters
