"""Text normalisation shared by search and imports."""

import re
import unicodedata

_NON_WORD = re.compile(r"[^0-9a-z]+")


def nfc(text: str) -> str:
    """Composed (NFC) form: what we store, so comparisons and PDFs behave."""
    return unicodedata.normalize("NFC", text or "")


def fold(text: str) -> str:
    """Search key: no diacritics, lower case, punctuation as single spaces.

    "Mơhven-Ôr" and a decomposed "Mơhven-Ôr" both become "mohven or"; đ/Đ become d
    (đ is a letter of its own, not d plus a mark, so NFD alone leaves it).
    """
    decomposed = unicodedata.normalize("NFD", text or "")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.replace("đ", "d").replace("Đ", "D").lower()
    return _NON_WORD.sub(" ", stripped).strip()
