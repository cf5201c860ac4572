"""The table of shared texts, measured before calamine loads it whole when it opens the workbook."""

import re
import zipfile
from array import array

from households.imports.xlsx_scan.facts import STRING_COST, Limits, Texts, TooMuchText
from households.imports.xlsx_scan.stream import expat_run, pieces, prolog_end, zip_errors

_SST_START = re.compile(rb"<(?:[^\s<>/!?:]+:)?sst[\s/>]")
_ATTRIBUTES = re.compile(rb"""((?:\s+[^\s=<>/]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*/?>""")
_ATTRIBUTE = re.compile(rb"""([^\s=<>/]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_PREFIXED_SI = re.compile(rb":si[\s/>]")


def measure_texts(archive: zipfile.ZipFile, part: str, limits: Limits) -> Texts:
    """The table as calamine will hold it (its text plus STRING_COST an entry), and each entry's length.

    The declared count (`uniqueCount`) is checked before anything is read: calamine reserves room
    for that many entries before it reads the first.
    """
    size = archive.getinfo(part).file_size
    if size > limits.strings_bytes:
        raise TooMuchText(sheet="", size=size)
    with zip_errors():
        texts = _fast_texts(archive, part, limits)
        if texts is None:
            texts = _exact_texts(archive, part, limits)
    if size + STRING_COST * len(texts.lengths) > limits.strings_bytes:
        raise TooMuchText(sheet="", size=size + STRING_COST * len(texts.lengths))
    texts.longest = max(texts.lengths, default=0)
    return texts


def _check_claimed_count(value: str, limits: Limits) -> None:
    digits = re.sub(r"\D", "", value)
    if digits and int(digits) * STRING_COST > limits.strings_bytes:
        raise TooMuchText(sheet="", size=int(digits) * STRING_COST)


def _fast_texts(archive: zipfile.ZipFile, part: str, limits: Limits) -> Texts | None:
    """Each entry's length from a split on `<si>`: exact when no comment, character data section,
    processing instruction or prefixed entry can put a `<si>` where it is not one."""
    lengths = array("I")
    seen_start = False
    for piece in pieces(archive, part):
        if piece is None:
            return None
        if not seen_start:
            content = prolog_end(piece)
            if content is None:
                return None
            piece = piece[content:]
        if b"<!" in piece or b"<?" in piece or _PREFIXED_SI.search(piece):
            return None
        if not seen_start:
            start = _SST_START.search(piece)
            if start is None:
                return None
            attributes = _ATTRIBUTES.match(piece, start.end() - 1)
            if attributes is None:
                return None
            for key, double, single in _ATTRIBUTE.findall(attributes.group(1)):
                if key == b"uniqueCount":
                    _check_claimed_count((double or single).decode("latin-1"), limits)
            seen_start = True
        if piece.count(b"<si") != piece.count(b"<si>"):
            return None
        entries = piece.split(b"<si>")
        if lengths:
            lengths[-1] += len(entries[0])
        lengths.extend(map(len, entries[1:]))
    return Texts(lengths)


def _exact_texts(archive: zipfile.ZipFile, part: str, limits: Limits) -> Texts:
    lengths = array("I")
    state = {"started": False, "depth": 0}

    def start(name, attributes):
        local = name.rpartition(":")[2]
        if not state["started"] and local == "sst":
            state["started"] = True
            for key, value in zip(attributes[::2], attributes[1::2], strict=True):
                if key == "uniqueCount":
                    _check_claimed_count(value, limits)
        elif local == "si":
            if state["depth"] == 0:
                lengths.append(0)
            state["depth"] += 1

    def end(name):
        if name.rpartition(":")[2] == "si" and state["depth"]:
            state["depth"] -= 1

    def text(data):
        if state["depth"]:
            lengths[-1] += len(data.encode("utf-8"))

    expat_run(archive, part, start, end, text)
    return Texts(lengths)
