"""Text normalisation shared by every entry point (admin, pages, API, imports) and by search."""

import re
import unicodedata
from functools import lru_cache

_NON_WORD = re.compile(r"[^0-9a-z]+")


def nfc(text: str) -> str:
    """Composed (NFC) form: what we store, so comparisons and PDFs behave."""
    return unicodedata.normalize("NFC", text or "")


_SPACES = re.compile(r"[^\S\n]+")  # runs of white space other than line breaks
_LINE_BREAKS = re.compile(r"\r\n?|[\n\v\f\x1c-\x1e\x85\u2028\u2029]")


def _invisible(char: str) -> bool:
    """Characters a person cannot see but a screen obeys or hides: controls (Cc) other than white
    space, and format characters (Cf): bidirectional controls such as U+202E, which can make a
    list show "Hliêu" for a stored "uêilH", zero-width spaces and joiners, the BOM, soft hyphens."""
    category = unicodedata.category(char)
    return (category == "Cc" and not char.isspace()) or category == "Cf"


def clean_text(text: str | None, *, multiline: bool = False) -> str:
    """Text as we store it, from whatever a person or a file typed: the one rule of every entry point.

    NFC; invisible characters removed (see `_invisible`); tabs and other spaces become one space;
    line breaks become spaces too, unless `multiline` (then they are kept as "\n", trailing spaces
    of each line dropped); outer white space removed.
    """
    text = "".join(char for char in nfc(text) if not _invisible(char))
    text = _LINE_BREAKS.sub("\n", text)
    if not multiline:
        return _SPACES.sub(" ", text.replace("\n", " ")).strip()
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n")).strip()


@lru_cache(maxsize=8192)  # imports fold the same village and choice names thousands of times
def fold(text: str) -> str:
    """Search key: no diacritics, lower case, punctuation as single spaces.

    "Mơhven-Ôr" and a decomposed "Mơhven-Ôr" both become "mohven or"; đ/Đ become d
    (đ is a letter of its own, not d plus a mark, so NFD alone leaves it).
    """
    decomposed = unicodedata.normalize("NFD", text or "")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.replace("đ", "d").replace("Đ", "D").lower()
    return _NON_WORD.sub(" ", stripped).strip()


# Vietnamese alphabetical order: letters with a breve, circumflex or horn, and đ, are letters of
# their own that follow their base letter; tone marks only break ties.
_LETTER_MARKS = {"\u0306": 1, "\u0302": 2, "\u031b": 3}  # breve, circumflex, horn
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền, hỏi, ngã, sắc, nặng


def vietnamese_sort_key(text: str) -> tuple:
    """Sort key for Vietnamese words: "Dơng" < "Đăk Pơ Kao" < "Hợp Thành" (code points put Đ last)."""
    letters, tones = [], []
    for char in unicodedata.normalize("NFC", text or "").lower():
        decomposed = unicodedata.normalize("NFD", char)
        base, marks = decomposed[0], decomposed[1:]
        if base == "đ":
            base_rank, letter_mark = "d", 4
        else:
            base_rank, letter_mark = base, 0
        tone = 0
        for mark in marks:
            letter_mark = _LETTER_MARKS.get(mark, letter_mark)
            tone = _TONES.get(mark, tone)
        letters.append((base_rank, letter_mark))
        tones.append(tone)
    return tuple(letters), tuple(tones)
