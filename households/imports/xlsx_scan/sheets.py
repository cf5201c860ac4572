"""A worksheet, measured before calamine builds its grid: fast when the sheet is plain, else exactly."""

import re
from dataclasses import dataclass
from functools import lru_cache

from households.imports.xlsx_scan.facts import (
    CELL_COST,
    CellMarks,
    Damaged,
    Limits,
    Texts,
    TooLong,
    TooManyMerged,
    TooMuchText,
    TooWide,
    column_letters,
)
from households.imports.xlsx_scan.stream import expat_run, pieces, prolog_end, zip_errors


def scan_sheet(archive, part: str, limits: Limits, texts: Texts, sheet: str) -> tuple[CellMarks, bool]:
    """The sheet's formula and error marks, and whether the exact pass was needed; raises `Refusal`
    when calamine must not build the sheet."""
    with zip_errors():
        marks = _fast_sheet(archive, part, limits, texts, sheet)
        if marks is not None:
            return marks, False
        return _ExactSheet(sheet, limits, texts).run(archive, part), True


_ROOT = re.compile(rb"\s*<(?:([A-Za-z_][\w.-]*):)?worksheet[\s/>]")
_PLAIN_ATTRIBUTES = rb'(?: (?:s|t|cm|vm|ph)="[^"<>]*")*'  # what programs write after the address
_TAG = re.compile(rb"<[^>]*>")
_TYPE = re.compile(rb' t="([^"]*)"')
_ERROR = re.compile(rb' t="e"')


@dataclass(frozen=True)
class _Plain:
    """The fast pass's byte patterns, for a sheet whose elements carry `prefix` (b"" or b"x:")."""

    prefix: bytes
    cell: bytes  # how each cell starts: b'<c r="'
    violation: re.Pattern  # a cell tag the fast pass cannot vouch for: another form, or beyond the limits
    strays: tuple[re.Pattern, ...]  # a cell with another prefix, or none
    formula: re.Pattern
    cell_tag: re.Pattern  # address, attributes, "/" when empty
    value: re.Pattern
    shared_cell: re.Pattern  # a cell showing a shared text, written the one way that gives its index


@lru_cache(maxsize=32)
def _plain(prefix: bytes, rows: int, columns: int) -> _Plain:
    address = f"(?:{_letters_up_to(columns)})(?:{_numbers_up_to(rows)})".encode()
    p = re.escape(prefix)
    # another prefix; with ours, not our own start or end tag (the literal first keeps the search fast)
    strays = [rb":c[\s/>]"]
    if prefix:
        strays = [rb":c[\s/>](?<!<" + p + rb"c[\s/>])(?<!</" + p + rb"c>)", rb"<c[\s/>]"]
    return _Plain(
        prefix=prefix,
        cell=b"<" + prefix + b'c r="',
        violation=re.compile(
            b"<" + p + rb'c(?:[\t\r\n/>]| (?!r="' + address + b'"' + _PLAIN_ATTRIBUTES + rb"/?>))"
        ),
        strays=tuple(re.compile(pattern) for pattern in strays),
        formula=re.compile(b"<" + p + rb"f[\s/>]"),
        cell_tag=re.compile(b"<" + p + rb'c r="([A-Z]+)([0-9]+)"(' + _PLAIN_ATTRIBUTES + rb")(/?)>"),
        value=re.compile(b"<" + p + rb"v(?:\s*/>|>([^<]*)</" + p + rb"v>)"),
        shared_cell=re.compile(
            b"<"
            + p
            + rb'c r="[A-Z]+[0-9]+"(?: s="[0-9]+")? t="s"><'
            + p
            + rb"v>([0-9]+)</"
            + p
            + rb"v></"
            + p
            + rb"c>"
        ),
    )


def _letters_up_to(column: int) -> str:
    """A regular expression for the column letters A … the letters of `column` (1-based)."""
    letters = column_letters(column)
    choices = [f"[A-Z]{{1,{len(letters) - 1}}}"] if len(letters) > 1 else []
    for index, letter in enumerate(letters):
        if letter > "A":
            rest = len(letters) - index - 1
            choices.append(
                f"{letters[:index]}[A-{chr(ord(letter) - 1)}]" + (f"[A-Z]{{{rest}}}" if rest else "")
            )
    return "|".join([*choices, letters])


def _numbers_up_to(number: int) -> str:
    """A regular expression for the row numbers 1 … `number`, written without leading zeros."""
    digits = str(number)
    choices = [f"[1-9][0-9]{{0,{len(digits) - 2}}}"] if len(digits) > 1 else []
    for index, digit in enumerate(digits):
        lowest = 1 if index == 0 else 0
        if int(digit) > lowest:
            rest = len(digits) - index - 1
            choices.append(
                f"{digits[:index]}[{lowest}-{int(digit) - 1}]" + (f"[0-9]{{{rest}}}" if rest else "")
            )
    return "|".join([*choices, digits])


def _fast_sheet(archive, part: str, limits: Limits, texts: Texts, sheet: str) -> CellMarks | None:
    """The marks, when the fast pass proves every cell plain and within the limits; None when it cannot.

    The byte patterns may see cells that are not (inside a comment): that only sends the sheet to
    the exact pass. They cannot miss one: every cell starts with `<c` or `<prefix:c`.
    """
    plain = None
    cells = merged = shared = 0
    marked = False
    for piece in pieces(archive, part):
        if piece is None:
            return None
        if plain is None:
            content = prolog_end(piece)
            root = _ROOT.match(piece, content) if content is not None else None
            if root is None:
                return None
            plain = _plain(root.group(1) + b":" if root.group(1) else b"", limits.rows, limits.columns)
        if plain.violation.search(piece) or any(stray.search(piece) for stray in plain.strays):
            return None
        marked = marked or bool(plain.formula.search(piece)) or b' t="e"' in piece
        cells += piece.count(plain.cell)
        merged += piece.count(b"mergeCell")
        shared += piece.count(b' t="s"')
    if plain is None or cells > limits.rows * limits.columns or merged > limits.merged_ranges:
        return None  # the exact pass tells duplicates and empty cells apart
    size = archive.getinfo(part).file_size  # the inline texts are within the part's bytes
    if size + shared * (texts.longest + CELL_COST) > limits.text_bytes and not _fast_text(
        archive, part, limits, texts, sheet, plain
    ):
        return None
    return _fast_marks(archive, part, plain) if marked else CellMarks()


def _fast_text(archive, part: str, limits: Limits, texts: Texts, sheet: str, plain: _Plain) -> bool:
    """Whether the text the cells will hold could be added up: the character data between the tags,
    plus the shared texts the cells show when each is written `<c …t="s"><v>n</v></c>`."""
    total, count = 0, len(texts.lengths)
    for piece in pieces(archive, part, b"</" + plain.prefix + b"c>"):
        if piece is None:
            return False
        indexes = plain.shared_cell.findall(piece)
        if len(indexes) != piece.count(b' t="s"'):
            return False
        total += len(_TAG.sub(b"", piece))
        total += sum(texts.lengths[i] + CELL_COST for i in map(int, indexes) if i < count)
        if total > limits.text_bytes:
            raise TooMuchText(sheet=sheet, size=total)
    return True


def _fast_marks(archive, part: str, plain: _Plain) -> CellMarks | None:
    """Formulas without a saved value and error values, from the cells that have them: in a plain
    sheet each is `<c r="…" …>` followed by its formula, or has `t="e"` in its tag."""
    marks = CellMarks()
    for piece in pieces(archive, part, b"</" + plain.prefix + b"c>"):
        if piece is None:
            return None
        found = [match.start() for match in plain.formula.finditer(piece)]
        found += [match.start() for match in _ERROR.finditer(piece)]
        for start in sorted({piece.rfind(plain.cell, 0, position) for position in found} - {-1}):
            tag = plain.cell_tag.match(piece, start)
            if tag is None or tag.group(4):
                continue  # not a cell, or an empty one: the formula is not its
            content = piece[tag.end() : piece.find(b"</" + plain.prefix + b"c>", tag.end())]
            kinds = _TYPE.findall(tag.group(3))
            kind = kinds[-1].decode("latin-1") if kinds else None
            values = [(text or b"").decode("utf-8", "replace") for text in plain.value.findall(content)]
            value = values[-1] if values else None
            row, column = int(tag.group(2)), _column_number(tag.group(1).decode("ascii")) - 1
            _mark(marks, row, column, kind, bool(plain.formula.search(content)), value)
    return marks


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def _mark(marks: CellMarks, row: int, column: int, kind, formula: bool, value) -> None:
    """Excel saves each formula's last result, which is what we import; a file written by a program
    that does not calculate has formulas without one (`<v />`). An empty value of a text formula
    (t="str") is an empty text: that one has a value. `row` is 1-based, `column` a position."""
    if formula and not (value or (value is not None and kind == "str")):
        marks.without_value.setdefault(row, set()).add(column)
    elif kind == "e" and value:
        marks.errors.setdefault(row, {})[column] = value


# --- exactly -------------------------------------------------------------------------------------


_ADDRESS = re.compile(r"([A-Za-z]*)([0-9]+)")
_INDEX = re.compile(r"\s*([0-9]+)\s*")


def _address(value: str, *, cell: bool) -> tuple[int, int]:
    """(row, column), 0-based, as calamine reads `r`; a form calamine refuses is a damaged file."""
    match = _ADDRESS.fullmatch(value)
    if match is None or int(match.group(2)) == 0 or (cell and not match.group(1)):
        raise Damaged("a malformed cell address")
    return int(match.group(2)) - 1, _column_number(match.group(1)) - 1


class _ExactSheet:
    """calamine's walk through <sheetData>, on expat: each cell's place, and what it will cost."""

    def __init__(self, sheet: str, limits: Limits, texts: Texts):
        self.sheet, self.limits, self.texts = sheet, limits, texts
        self.places = limits.rows * limits.columns
        self.row = self.column = 0
        self.inside = self.done = False
        self.cell = None  # [row, column, type, holds something, has a formula, value text, text bytes]
        self.in_value = False
        self.cells = self.merged = 0
        self.text = 0
        self.marks = CellMarks()

    def run(self, archive, part) -> CellMarks:
        expat_run(archive, part, self.start, self.end, self.characters)
        return self.marks

    def start(self, name, attributes):
        local = name.rpartition(":")[2] if ":" in name else name
        cell = self.cell
        if cell is not None:  # a cell's content: anything in it may be a value
            cell[3] = True
            if local == "v":
                self.in_value = True
                cell[5] = cell[5] or ""
            elif local == "f":
                cell[4] = True
        elif local == "c" and self.inside and not self.done:
            address, kind = _attribute(attributes, "r"), _attribute(attributes, "t")
            if address is None:
                row = self.row
            else:
                row, self.column = _address(address, cell=True)
            self.cell = [row, self.column, kind, False, False, None, 0]
        elif local == "row" and self.inside and not self.done:
            address = _attribute(attributes, "r")
            if address is not None:
                self.row = _address(address, cell=False)[0]
        elif local == "sheetData":
            self.inside = True
        elif local == "mergeCell":
            self.merged += 1
            if self.merged > self.limits.merged_ranges:
                raise TooManyMerged(sheet=self.sheet, count=self.merged)

    def end(self, name):
        if self.done or not self.inside:
            return
        local = name.rpartition(":")[2] if ":" in name else name
        if local == "v":
            self.in_value = False
        elif local == "c" and self.cell is not None:
            self._cell_done(*self.cell)
            self.cell = None
            self.column += 1
        elif local == "row" and self.cell is None:
            self.row += 1
            self.column = 0
        elif local == "sheetData" and self.cell is None:
            self.done = True

    def characters(self, data):
        cell = self.cell
        if cell is not None:
            cell[6] += len(data) if data.isascii() else len(data.encode("utf-8"))
            if self.in_value and len(cell[5]) < 64:
                cell[5] += data

    def _cell_done(self, row, column, kind, holds, formula, value, text) -> None:
        if not holds:
            return  # calamine keeps no empty cell
        if column >= self.limits.columns:
            cell = f"{column_letters(column + 1)}{row + 1}"
            raise TooWide(sheet=self.sheet, cell=cell, column=column + 1)
        if row >= self.limits.rows:
            raise TooLong(sheet=self.sheet, cell=f"{column_letters(column + 1)}{row + 1}", row=row + 1)
        self.cells += 1
        if self.cells > self.places:
            raise Damaged("more cells than the sheet has places")
        if kind in ("s", "str", "inlineStr"):
            text += CELL_COST
            index = _INDEX.fullmatch(value or "") if kind == "s" else None
            if index and int(index.group(1)) < len(self.texts.lengths):
                text += self.texts.lengths[int(index.group(1))]
        self.text += text
        if self.text > self.limits.text_bytes:
            raise TooMuchText(sheet=self.sheet, size=self.text)
        if formula or kind == "e":
            _mark(self.marks, row + 1, column, kind, formula, value)


def _attribute(attributes: list, key: str) -> str | None:
    """An attribute's value from expat's flat list [name, value, name, value, …]."""
    for index in range(0, len(attributes), 2):
        if attributes[index] == key:
            return attributes[index + 1]
    return None
