"""explain(): the figures the rule compared and what would change the class; describe(): in words.

Table-driven, no database: each threshold at, just below and one đồng (or one indicator) above.
"""

import dataclasses

import pytest
from django.utils import translation

from households import classification
from households.classification import Level, classify, default_standard, describe, explain

CODES = default_standard().indicator_codes


def deprived(count: int) -> list[str]:
    return list(CODES[:count])


P, N, A, X = Level.POOR, Level.NEAR_POOR, Level.AVERAGE_LIVING, Level.OTHER  # X: on no list

CASES = [
    # income, deprivations, area → level, (more, level then), (fewer, level then), margin to the line
    (1_500_000, 3, "rural", P, (None, None), (1, N), 0),
    (1_499_999, 3, "rural", P, (None, None), (1, N), -1),
    (1_500_001, 3, "rural", A, (None, None), (None, None), 1),
    (1_500_000, 2, "rural", N, (1, P), (None, None), 0),
    (1_499_999, 2, "rural", N, (1, P), (None, None), -1),
    (1_500_001, 2, "rural", A, (None, None), (None, None), 1),
    (1_500_000, 4, "rural", P, (None, None), (2, N), 0),
    (1_350_000, 1, "rural", N, (2, P), (None, None), -150_000),
    (0, 0, "rural", N, (3, P), (None, None), -1_500_000),
    (0, 12, "rural", P, (None, None), (10, N), -1_500_000),
    (1_500_000, 12, "rural", P, (None, None), (10, N), 0),
    (1_500_000, 11, "rural", P, (None, None), (9, N), 0),
    (2_250_000, 12, "rural", A, (None, None), (None, None), 750_000),
    (2_249_999, 0, "rural", A, (None, None), (None, None), 749_999),
    (2_250_001, 0, "rural", X, (None, None), (None, None), 750_001),
    (2_250_001, 12, "rural", X, (None, None), (None, None), 750_001),
    # urban: higher line and ceiling
    (2_000_000, 3, "urban", P, (None, None), (1, N), 0),
    (2_000_000, 2, "urban", N, (1, P), (None, None), 0),
    (2_000_001, 3, "urban", A, (None, None), (None, None), 1),
    (1_500_001, 3, "urban", P, (None, None), (1, N), -499_999),
    (3_000_000, 0, "urban", A, (None, None), (None, None), 1_000_000),
    (3_000_001, 0, "urban", X, (None, None), (None, None), 1_000_001),
]


@pytest.mark.parametrize("income, count, area, level, more, fewer, margin", CASES)
def test_explain_at_every_boundary(income, count, area, level, more, fewer, margin):
    result = explain(income, deprived(count), area=area)
    assert result.level == level
    assert (result.more_deprivations_to_change, result.level_with_more) == more
    assert (result.fewer_deprivations_to_change, result.level_with_fewer) == fewer
    assert result.margin_to_line == margin
    assert result.at_or_below_line is (margin <= 0)
    assert result.deprivations == count
    assert (result.indicator_count, result.min_deprivations) == (12, 3)
    line, ceiling = {"rural": (1_500_000, 2_250_000), "urban": (2_000_000, 3_000_000)}[area]
    assert (result.poverty_line, result.average_living_ceiling) == (line, ceiling)


@pytest.mark.parametrize("area", ["rural", "urban"])
def test_explain_agrees_with_classify_and_its_what_ifs_are_true(area):
    """Every count of deprivations at incomes around both thresholds: the level is classify()'s, and
    moving by the stated number of indicators does change the class, while one fewer step does not."""
    standard = default_standard()
    line, ceiling = standard.poverty_line[area], standard.average_living_ceiling[area]
    for income in (0, line - 1, line, line + 1, ceiling - 1, ceiling, ceiling + 1, 10 * ceiling):
        for count in range(13):
            result = explain(income, deprived(count), area=area)
            assert result.level == classify(income, deprived(count), area=area)
            if result.more_deprivations_to_change is not None:
                steps = result.more_deprivations_to_change
                assert classify(income, deprived(count + steps), area=area) == result.level_with_more
                assert classify(income, deprived(count + steps - 1), area=area) == result.level
            if result.fewer_deprivations_to_change is not None:
                steps = result.fewer_deprivations_to_change
                assert classify(income, deprived(count - steps), area=area) == result.level_with_fewer
                assert classify(income, deprived(count - steps + 1), area=area) == result.level
            assert result.level_at_line == classify(min(income, line), deprived(count), area=area)
            assert result.level_at_ceiling == classify(min(income, ceiling), deprived(count), area=area)


def test_a_period_with_another_rule_gets_its_own_what_ifs(monkeypatch):
    """The draft 2026–2030 shape: poor at or below 1.9 M, or up to 2.2 M with ≥ 3 deprivations."""

    def draft(income, deprivations, area, standard):
        if income <= 1_900_000:
            return Level.POOR
        if income <= 2_200_000:
            return Level.POOR if deprivations >= 3 else Level.NEAR_POOR
        return Level.OTHER

    monkeypatch.setitem(classification.RULES, "draft_2026", draft)
    standard = dataclasses.replace(default_standard(), code="draft", rule="draft_2026")
    between = explain(2_000_000, deprived(1), standard=standard)
    assert (between.level, between.more_deprivations_to_change, between.level_with_more) == (N, 2, P)
    below = explain(1_800_000, deprived(5), standard=standard)
    assert (below.level, below.fewer_deprivations_to_change, below.more_deprivations_to_change) == (
        P,
        None,
        None,
    )


@pytest.mark.parametrize(
    "income, codes, area",
    [(-1, [], "rural"), (1_000_000, ["no_such_indicator"], "rural"), (1_000_000, [], "mountain")],
)
def test_explain_refuses_what_classify_refuses(income, codes, area):
    with pytest.raises(ValueError):
        explain(income, codes, area=area)


def test_a_repeated_indicator_counts_once():
    assert explain(1_000_000, ["employment", "employment", "latrine"]).deprivations == 2


# --- In words ----------------------------------------------------------------------------------------------

SENTENCES = [
    (
        1_350_000,
        3,
        "rural",
        [
            "thiếu hụt 3 chỉ số (từ 3 chỉ số trở lên là hộ nghèo); "
            "thu nhập 1.350.000 đ ≤ chuẩn nghèo 1.500.000 đ",
            "để thoát nghèo: thu nhập trên 1.500.000 đ/người/tháng hoặc giảm còn dưới 3 chỉ số thiếu hụt "
            "(khi đó là hộ cận nghèo)",
        ],
    ),
    (
        1_500_000,
        2,
        "rural",
        [
            "thiếu hụt 2 chỉ số (từ 3 chỉ số trở lên là hộ nghèo); "
            "thu nhập 1.500.000 đ ≤ chuẩn nghèo 1.500.000 đ",
            "thêm 1 chỉ số thiếu hụt sẽ là hộ nghèo",
            "để thoát cận nghèo: thu nhập trên 1.500.000 đ/người/tháng",
        ],
    ),
    (
        0,
        0,
        "rural",
        [
            "thiếu hụt 0 chỉ số (từ 3 chỉ số trở lên là hộ nghèo); thu nhập 0 đ ≤ chuẩn nghèo 1.500.000 đ",
            "thêm 3 chỉ số thiếu hụt sẽ là hộ nghèo",
            "để thoát cận nghèo: thu nhập trên 1.500.000 đ/người/tháng",
        ],
    ),
    (
        1_500_001,
        4,
        "rural",
        [
            "thu nhập 1.500.001 đ > chuẩn nghèo 1.500.000 đ và ≤ 2.250.000 đ (mức sống trung bình); "
            "số chỉ số thiếu hụt không xét khi thu nhập trên chuẩn nghèo",
            "thu nhập từ 1.500.000 đ trở xuống sẽ là hộ nghèo",
        ],
    ),
    (
        2_250_000,
        1,
        "rural",
        [
            "thu nhập 2.250.000 đ > chuẩn nghèo 1.500.000 đ và ≤ 2.250.000 đ (mức sống trung bình); "
            "số chỉ số thiếu hụt không xét khi thu nhập trên chuẩn nghèo",
            "thu nhập từ 1.500.000 đ trở xuống sẽ là hộ cận nghèo",
        ],
    ),
    (
        3_000_001,
        5,
        "urban",
        [
            "thu nhập 3.000.001 đ > 3.000.000 đ (mức tối đa của hộ có mức sống trung bình)",
            "thu nhập từ 3.000.000 đ trở xuống sẽ là hộ có mức sống trung bình",
        ],
    ),
]


@pytest.mark.parametrize("income, count, area, expected", SENTENCES)
def test_describe_in_vietnamese(income, count, area, expected):
    with translation.override("vi"):
        assert describe(explain(income, deprived(count), area=area)) == expected


def test_describe_in_english_uses_singular_and_plural():
    with translation.override("en"):
        near_poor = describe(explain(1_000_000, deprived(1)))
        poor = describe(explain(1_000_000, deprived(12)))
    assert near_poor[0] == (
        "deprived on 1 indicator (3 or more make a poor household); "
        "income 1.000.000 đ ≤ poverty line 1.500.000 đ"
    )
    assert near_poor[1] == "2 more deprived indicators would make it a poor household"
    assert poor[0].startswith("deprived on 12 indicators")
    assert poor[1].startswith("to exit poverty: income above 1.500.000 đ/person/month or fewer than 3")
