import unicodedata

import pytest

from povertyplan.text import fold, nfc, vietnamese_sort_key


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
