"""The legacy TCVN3 (ABC, TCVN 5712:1993 "VN3") encoding of Vietnamese, as typed with the .Vn fonts.

Text typed with .VnTime/.VnArial fonts is stored as ordinary single-byte characters, so it reaches us
as Latin-1-looking text: "NguyÔn V¨n A" is "Nguyễn Văn A", "§inh ThÞ H'Bia" is "Đinh Thị H'Bia".

VN3 puts the seven modified letters in both cases (Ă Â Ê Ô Ơ Ư Đ at 0xA1-0xA7, ă â ê ô ơ ư đ at
0xA8-0xAE) and the sixty toned vowels in lower case only (0xB5-0xFE). There are no upper-case toned
vowels: the ".VnTimeH" fonts draw the lower-case code points as capitals. `to_unicode` therefore
maps them to lower case, except in a word whose Latin letters are all capitals ("NGUYÔN" → "NGUYỄN"),
which can only have been typed for an H font.
"""

import re
import unicodedata

# code point → Unicode letter, straight from the VN3 chart.
_TABLE: dict[int, str] = {
    # modified letters, capitals then small
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
    0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ",
    # toned vowels, in the chart's tone order: huyền, hỏi, ngã, sắc, nặng
    0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB8: "á", 0xB9: "ạ",
    0xBB: "ằ", 0xBC: "ẳ", 0xBD: "ẵ", 0xBE: "ắ", 0xC6: "ặ",
    0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ",
    0xCC: "è", 0xCE: "ẻ", 0xCF: "ẽ", 0xD0: "é", 0xD1: "ẹ",
    0xD2: "ề", 0xD3: "ể", 0xD4: "ễ", 0xD5: "ế", 0xD6: "ệ",
    0xD7: "ì", 0xD8: "ỉ", 0xDC: "ĩ", 0xDD: "í", 0xDE: "ị",
    0xDF: "ò", 0xE1: "ỏ", 0xE2: "õ", 0xE3: "ó", 0xE4: "ọ",
    0xE5: "ồ", 0xE6: "ổ", 0xE7: "ỗ", 0xE8: "ố", 0xE9: "ộ",
    0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ", 0xED: "ớ", 0xEE: "ợ",
    0xEF: "ù", 0xF1: "ủ", 0xF2: "ũ", 0xF3: "ú", 0xF4: "ụ",
    0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ", 0xF8: "ứ", 0xF9: "ự",
    0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ", 0xFD: "ý", 0xFE: "ỵ",
}  # fmt: skip

TO_UNICODE: dict[str, str] = {chr(code): letter for code, letter in _TABLE.items()}
# Unicode → VN3; a capital toned vowel has no code of its own and takes its small letter's (as in .VnTimeH).
FROM_UNICODE: dict[str, str] = {letter: char for char, letter in TO_UNICODE.items()}
FROM_UNICODE.update(
    {letter.upper(): char for char, letter in TO_UNICODE.items() if letter.upper() not in FROM_UNICODE}
)

# What gives TCVN3 away. Latin-1 signs (0xA1-0xBF) and letters that Vietnamese never uses
# (Ç Ë Ð Ñ Ø Þ ä å ñ ü …) are strong tells next to a letter; the Latin-1 capitals that Vietnamese does
# use (È É Ê Ì Ò Ó Ô Õ Ý) only count right after a small letter, as in "NguyÔn".
_VIETNAMESE_LATIN1 = set("ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúý")
_STRONG = "".join(sorted(ch for ch in TO_UNICODE if ch not in _VIETNAMESE_LATIN1))
_WEAK_CAPITALS = "".join(sorted(ch for ch in TO_UNICODE if ch in _VIETNAMESE_LATIN1 and ch.isupper()))
_LETTER = "A-Za-z" + "".join(sorted(TO_UNICODE))
_TELL = re.compile(
    f"[{_LETTER}][{re.escape(_STRONG)}]|[{re.escape(_STRONG)}][{_LETTER}]"
    f"|[a-z\u00df-\u00f6\u00f8-\u00ff][{_WEAK_CAPITALS}]"
)
_WORD = re.compile(r"\S+")


def looks_like_tcvn3(text: str) -> bool:
    """True for "NguyÔn V¨n A"; False for Unicode Vietnamese ("Nguyễn", "Tô Lâm") and plain ASCII."""
    if not text or text.isascii():
        return False
    if any(ord(ch) > 0xFF for ch in text):  # ă ơ ư đ, toned vowels, combining marks: already Unicode
        return False
    return _TELL.search(text) is not None


def _convert_word(match: re.Match) -> str:
    word = match.group()
    converted = "".join(TO_UNICODE.get(ch, ch) for ch in word)
    latin = [ch for ch in word if ch.isascii() and ch.isalpha()]
    if len(latin) >= 2 and all(ch.isupper() for ch in latin):
        return converted.upper()  # typed for a .VnTimeH font
    return converted


def to_unicode(text: str) -> str:
    """Convert TCVN3 text to Unicode (NFC). Characters outside the VN3 chart are kept as they are."""
    return unicodedata.normalize("NFC", _WORD.sub(_convert_word, text or ""))


def from_unicode(text: str) -> str:
    """Unicode → TCVN3 (for tests and sample files). Capital toned vowels become small ones, as in VN3."""
    composed = unicodedata.normalize("NFC", text or "")
    return "".join(FROM_UNICODE.get(ch, ch) for ch in composed)
