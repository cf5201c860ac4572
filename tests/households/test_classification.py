"""The rule of Decree 07/2021 (domain.md §2), table-driven, no database."""

import pytest

from households.classification import Level, Standard, classify, default_standard, load_standard_data

THREE = ["employment", "nutrition", "latrine"]
TWO = ["employment", "nutrition"]

CASES = [
    # (income, deprived, area, expected) — each threshold at, just below and one đồng above
    (1_500_000, THREE, "rural", Level.POOR),
    (1_499_999, THREE, "rural", Level.POOR),
    (1_500_001, THREE, "rural", Level.AVERAGE_LIVING),
    (1_500_000, TWO, "rural", Level.NEAR_POOR),
    (1_499_999, TWO, "rural", Level.NEAR_POOR),
    (1_500_001, TWO, "rural", Level.AVERAGE_LIVING),
    (0, [], "rural", Level.NEAR_POOR),
    (0, THREE, "rural", Level.POOR),
    (2_250_000, THREE, "rural", Level.AVERAGE_LIVING),
    (2_249_999, [], "rural", Level.AVERAGE_LIVING),
    (2_250_001, THREE, "rural", Level.OTHER),
    (2_250_001, [], "rural", Level.OTHER),
    # urban lines are higher: the same income is classified differently
    (2_000_000, THREE, "urban", Level.POOR),
    (1_999_999, TWO, "urban", Level.NEAR_POOR),
    (2_000_001, THREE, "urban", Level.AVERAGE_LIVING),
    (2_000_000, TWO, "urban", Level.NEAR_POOR),
    (1_500_001, THREE, "urban", Level.POOR),
    (3_000_000, THREE, "urban", Level.AVERAGE_LIVING),
    (3_000_001, THREE, "urban", Level.OTHER),
    (2_250_001, [], "urban", Level.AVERAGE_LIVING),
    # all twelve deprived is still decided by income first
    (5_000_000, list(default_standard().indicator_codes), "rural", Level.OTHER),
]


@pytest.mark.parametrize("income, deprived, area, expected", CASES)
def test_classify_follows_decree_07_at_every_boundary(income, deprived, area, expected):
    result = classify(income, deprived, area=area)
    assert result == expected
    assert result.value == expected.value


def test_area_defaults_to_rural():
    assert classify(1_600_000, THREE) == Level.AVERAGE_LIVING


def test_result_values_are_the_documented_codes():
    assert {level.value for level in Level} == {"poor", "near_poor", "average_living", "other"}


def test_a_repeated_indicator_counts_once():
    assert classify(1_000_000, ["employment", "employment", "latrine"]) == Level.NEAR_POOR


def test_any_iterable_of_codes_is_accepted():
    assert classify(1_000_000, (code for code in THREE)) == Level.POOR
    assert classify(1_000_000, frozenset(THREE)) == Level.POOR


@pytest.mark.parametrize("deprived", [["employment", "unknown"], ["Employment"], ["viec_lam"]])
def test_unknown_indicator_codes_raise(deprived):
    with pytest.raises(ValueError, match="unknown indicator"):
        classify(1_000_000, deprived)


@pytest.mark.parametrize("income", [-1, -1_500_000])
def test_negative_income_raises(income):
    with pytest.raises(ValueError, match="income"):
        classify(income, THREE)


def test_unknown_area_raises():
    with pytest.raises(ValueError, match="area"):
        classify(1_000_000, THREE, area="mountain")


def test_the_default_standard_has_the_twelve_indicators_of_domain_md():
    standard = default_standard()
    assert standard.code == "2022-2025"
    assert standard.indicator_codes == (
        "employment", "dependants", "nutrition", "health_insurance", "adult_education", "child_schooling",
        "housing_quality", "housing_area", "water_source", "latrine", "telecom", "information_access",
    )  # fmt: skip
    assert dict(standard.poverty_line) == {"rural": 1_500_000, "urban": 2_000_000}
    assert dict(standard.average_living_ceiling) == {"rural": 2_250_000, "urban": 3_000_000}


def test_another_standard_is_data_only():
    """A later period with other thresholds and a shorter indicator list needs no code change."""
    data = load_standard_data()
    other = Standard(
        code="2026-2030-draft",
        rule=data["rule"],
        poverty_line={"rural": 1_900_000, "urban": 2_500_000},
        average_living_ceiling={"rural": 2_200_000, "urban": 2_800_000},
        indicator_codes=("employment", "nutrition", "latrine"),
        min_deprivations=3,
    )
    assert classify(1_800_000, THREE) == Level.AVERAGE_LIVING
    assert classify(1_800_000, THREE, standard=other) == Level.POOR
    assert classify(2_300_000, [], area="rural", standard=other) == Level.OTHER
    with pytest.raises(ValueError):
        classify(1_000_000, ["water_source"], standard=other)


def test_a_standard_naming_an_unknown_rule_is_refused():
    broken = Standard("x", "no_such_rule", {"rural": 1}, {"rural": 2}, ("employment",))
    with pytest.raises(ValueError, match="rule"):
        classify(0, [], standard=broken)
