"""An XLSX measured before python-calamine reads it, so that a small file cannot exhaust the memory.

calamine turns a worksheet into a dense grid from its first to its farthest cell with a value
(32 bytes a cell, twice while converting), loads the whole table of shared texts when the workbook
is opened (reserving room for as many as the file claims), copies a shared text into every cell
that shows it and keeps every merged range. When an allocation fails, Rust aborts the process: a
1.5 KB file with one cell at XFD1048576 asks for 512 GB and kills the server.

So every part calamine will read is streamed here first, with bounded memory, and measured against
`Limits`: the farthest cell that holds something (the file's own `<dimension>` and `uniqueCount`
are never trusted), the number of cells and merged ranges, the size of the table of texts and the
text the cells will hold. A refusal is an exception that carries the facts; `reading` words it for
the officer. Nothing here builds the grid.

Two passes of different cost measure a sheet. The fast one only counts and searches bytes (about
0.2 s for a 27 MB sheet) and proves that every cell is written in the plain form spreadsheet
programs use (`<c r="B7" s="1" t="s">` or `<x:c …>`, the address first and within the limits);
formulas without a saved value and error values are then read from the cells that have them only.
Whatever it cannot prove (another form, a cell beyond the limits) goes to the exact one: expat,
following calamine's rules (a cell without an address follows the previous one, a row without a
number the previous row), which stops at the first cell beyond the limits.

The parts are found as calamine 0.37 finds them (names compared without case, the workbook's folder
taken from the package's relationships), so that what is measured is what calamine reads.
"""

from households.imports.xlsx_scan.facts import (
    CellMarks,
    Damaged,
    Limits,
    PartTooLarge,
    Refusal,
    TooLong,
    TooManyMerged,
    TooMuchText,
    TooWide,
    column_letters,
)
from households.imports.xlsx_scan.workbook import Workbook

__all__ = [
    "CellMarks",
    "Damaged",
    "Limits",
    "PartTooLarge",
    "Refusal",
    "TooLong",
    "TooManyMerged",
    "TooMuchText",
    "TooWide",
    "Workbook",
    "column_letters",
]
