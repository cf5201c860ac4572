import unicodedata

import pytest

from households.imports import tcvn3

NAMES = [
    "Nguyễn Văn Đức",
    "Đinh Thị Hương",
    "Kông Lơng Khơng",
    "Bờ-Chư pâu",
    "Mơhven-Ôr",
    "Trần Văn Nhơn",
    "Phạm Thị Thu Hà",
    "Lê Văn Thành",
    "Hoàng Thị Mỹ Linh",
    "Võ Chí Công",
    "Đắk Pơ Kao",
]


@pytest.mark.parametrize(
    ("legacy", "unicode"),
    [
        ("NguyÔn V¨n A", "Nguyễn Văn A"),
        ("§inh ThÞ H'Bia", "Đinh Thị H'Bia"),
        ("K«ng L¬ng Kh¬ng", "Kông Lơng Khơng"),
        ("Bê-Ch\xad p©u", "Bờ-Chư pâu"),
        ("M¬hven-¤r", "Mơhven-Ôr"),
        ("TrÇn V¨n Nh¬n", "Trần Văn Nhơn"),
        ("Ph¹m ThÞ Thu Hµ", "Phạm Thị Thu Hà"),
        ("Lª V¨n Thµnh", "Lê Văn Thành"),
        ("Hoµng ThÞ Mü Linh", "Hoàng Thị Mỹ Linh"),
    ],
)
def test_known_legacy_spellings_convert(legacy, unicode):
    assert tcvn3.looks_like_tcvn3(legacy)
    assert tcvn3.to_unicode(legacy) == unicode


@pytest.mark.parametrize("name", NAMES)
def test_round_trip(name):
    legacy = tcvn3.from_unicode(name)
    assert legacy != name
    assert all(ord(ch) <= 0xFF for ch in legacy)
    assert tcvn3.looks_like_tcvn3(legacy)
    assert tcvn3.to_unicode(legacy) == name


def test_chart_has_every_vietnamese_letter_once():
    vowels = "aăâeêioôơuưy"
    tones = "\u0300\u0309\u0303\u0301\u0323"
    toned = {unicodedata.normalize("NFC", vowel + tone) for vowel in vowels for tone in tones}
    letters = toned | set("ăâêôơưđ") | set("ĂÂÊÔƠƯĐ")
    assert set(tcvn3.TO_UNICODE.values()) == letters
    assert len(tcvn3.TO_UNICODE) == 74
    assert all(0xA1 <= ord(ch) <= 0xFE for ch in tcvn3.TO_UNICODE)
    # a few code points checked against the VN3 chart
    assert tcvn3.TO_UNICODE["\xa7"] == "Đ"
    assert tcvn3.TO_UNICODE["\xae"] == "đ"
    assert tcvn3.TO_UNICODE["\xb5"] == "à"
    assert tcvn3.TO_UNICODE["\xc6"] == "ặ"
    assert tcvn3.TO_UNICODE["\xd4"] == "ễ"
    assert tcvn3.TO_UNICODE["\xde"] == "ị"
    assert tcvn3.TO_UNICODE["\xfe"] == "ỵ"


@pytest.mark.parametrize(
    "text",
    [
        *NAMES,
        "Tô Lâm",
        "TÔ LÂM",
        "Hà Giang",
        "Bé Tí",
        "Cà Mau",
        "Nguyen Van A",
        "H'Bia Niê",
        "MO TON",
        "",
        "12.500.000",
        unicodedata.normalize("NFD", "Nguyễn Văn Đức"),
        unicodedata.normalize("NFD", "Tô Lâm"),
    ],
)
def test_normal_text_is_not_taken_for_tcvn3(text):
    assert not tcvn3.looks_like_tcvn3(text)


def test_capitals_typed_for_an_h_font():
    # .VnTimeH draws small code points as capitals: a word of Latin capitals is upper case
    assert tcvn3.to_unicode("NGUYÔN V¡N A") == "NGUYỄN VĂN A"
    assert tcvn3.to_unicode("TRÇN THÞ HµNG") == "TRẦN THỊ HÀNG"
    # one capital then toned letters: an ordinary title-case word
    assert tcvn3.to_unicode("Hµ") == "Hà"
    # capital toned vowels have no code of their own: from_unicode gives the small one
    assert tcvn3.from_unicode("Ấ") == tcvn3.from_unicode("ấ") == "\xca"


def test_text_outside_the_chart_is_kept():
    assert tcvn3.to_unicode("Sè 12, th«n 3 (x· A)") == "Số 12, thôn 3 (xã A)"
