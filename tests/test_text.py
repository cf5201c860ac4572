import unicodedata

import pytest

from povertyplan.text import clean_text, fold, nfc, vietnamese_sort_key


@pytest.mark.parametrize(
    "text, folded",
    [
        ("Mơhven-Ôr", "mohven or"),
        (unicodedata.normalize("NFD", "Mơhven-Ôr"), "mohven or"),
        ("ĐINH THỊ H'BIA", "dinh thi h bia"),
        ("Bờ-Chư pâu", "bo chu pau"),
        ("  KLK-0001 ", "klk 0001"),
        ("", ""),
    ],
)
def test_fold_ignores_case_diacritics_normalisation_and_punctuation(text, folded):
    assert fold(text) == folded


def test_nfc_composes_decomposed_text():
    assert nfc(unicodedata.normalize("NFD", "Kông Lơng Khơng")) == "Kông Lơng Khơng"


def test_vietnamese_order_puts_d_stroke_after_d_and_modified_letters_after_their_base():
    names = ["Hợp Thành", "Đăk Pơ Kao", "Dơng", "Ân", "An", "Ăn", "Bờ-Chư pâu", "Ông", "Ơi", "Oa"]
    assert sorted(names, key=vietnamese_sort_key) == [
        "An", "Ăn", "Ân", "Bờ-Chư pâu", "Dơng", "Đăk Pơ Kao", "Hợp Thành", "Oa", "Ông", "Ơi",
    ]  # fmt: skip


def test_tones_only_break_ties():
    assert sorted(["mà", "ma", "mả", "má", "mạ", "mã", "mb"], key=vietnamese_sort_key) == [
        "ma", "mà", "mả", "mã", "má", "mạ", "mb",
    ]  # fmt: skip


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("Đinh Văn Hliêu", "Đinh Văn Hliêu"),
        (unicodedata.normalize("NFD", "Đinh Văn Hliêu"), "Đinh Văn Hliêu"),
        ("\u202euêilH năV hniĐ", "uêilH năV hniĐ"),  # right-to-left override: removed, shown as stored
        ("Đinh\u202a Văn\u202c Hliêu", "Đinh Văn Hliêu"),  # embeddings and their pop
        ("\u2066Đinh Văn Hliêu\u2069", "Đinh Văn Hliêu"),  # isolates
        ("Đinh\u200e Văn\u200f Hliêu\u061c", "Đinh Văn Hliêu"),  # direction marks
        ("Đinh\u200bVăn Hliêu", "ĐinhVăn Hliêu"),  # zero-width space: removed, not a space
        ("\ufeffĐinh\u200c Văn\u200d Hliêu\u2060", "Đinh Văn Hliêu"),  # BOM, joiners, word joiner
        ("Hli\u00adêu", "Hliêu"),  # soft hyphen
        ("Đinh\tVăn\t\tHliêu", "Đinh Văn Hliêu"),
        ("Đinh Văn\nHliêu\r\n", "Đinh Văn Hliêu"),
        ("Đinh\x00 Văn\x07 Hliêu\x1b", "Đinh Văn Hliêu"),  # NUL, bell, escape
        ("Đinh\u00a0Văn\u3000Hliêu", "Đinh Văn Hliêu"),  # no-break and ideographic spaces
        ("  Đinh   Văn  Hliêu  ", "Đinh Văn Hliêu"),
        ("", ""),
        (None, ""),
        ("\u202e\u200b\t", ""),
    ],
)
def test_clean_text_keeps_what_a_person_sees_and_nothing_else(typed, stored):
    assert clean_text(typed) == stored


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("Hỗ trợ 2 con bò.\r\nGiống bò vàng.", "Hỗ trợ 2 con bò.\nGiống bò vàng."),
        ("Dòng 1  \n\n  Dòng\t2\u202e", "Dòng 1\n\nDòng 2"),
        ("\u2028Dòng 1\u2029Dòng 2\n", "Dòng 1\nDòng 2"),
    ],
)
def test_clean_text_keeps_line_breaks_of_multiline_text(typed, stored):
    assert clean_text(typed, multiline=True) == stored
