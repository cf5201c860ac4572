"""Importing review results: the rule classifies, a reason keeps an adjustment, round trips change nothing."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from households import services
from households.imports import engine
from households.imports.kinds import AssessmentImporter
from households.models import Assessment
from tests import factories
from tests.spreadsheets import exported_xlsx, keyed_xlsx

TODAY = date(2025, 6, 30)
REASON = "Họp thôn 12/11: mất mùa, ốm đau kéo dài"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def second_household(village):
    return factories.HouseholdFactory(village=village, code="KLK-0002")


def xlsx(rows: list[dict]) -> bytes:
    return keyed_xlsx(AssessmentImporter(commune=None, user=None, today=TODAY), rows)


def review(**changes) -> dict:
    """A poor household's review: income under the line, three deprived indicators."""
    row = {
        "household_code": "KLK-0001",
        "review_year": 2024,
        "kind": "",
        "reviewed_on": None,
        "income_per_capita_month": "1.200.000",
        "b1_score": 40,
        "computed_classification": None,
        "classification": None,
        "adjustment_reason": None,
        "indicator_health_insurance": "thiếu hụt",
        "indicator_latrine": "x",
        "indicator_water_source": "Có",
        "indicator_telecom": "không",
        "indicator_employment": None,
    }
    return {**row, **changes}


def run(action, user, content: bytes, **options):
    return action(
        kind="assessments",
        commune=user.official.commune,
        user=user,
        file_bytes=content,
        filename="rasoat.xlsx",
        today=TODAY,
        **options,
    )


def snapshot() -> list:
    return [
        (row, sorted(indicator.code for indicator in Assessment.objects.get(pk=row["id"]).deprivations.all()))
        for row in Assessment.objects.order_by("pk").values()
    ]


def codes(assessment: Assessment) -> set[str]:
    return set(assessment.deprivations.values_list("code", flat=True))


def test_new_reviews_are_counted_then_written_with_the_rule_s_class(
    commune_admin, household, second_household
):
    content = xlsx([review(), review(household_code="KLK-0002", income_per_capita_month=1_800_000)])

    result = run(engine.check, commune_admin, content)
    assert (result.new, result.updated, result.unchanged, result.invalid) == (2, 0, 0, 0)
    assert result.problems == [] and result.warnings == []
    assert not Assessment.objects.exists()

    run(engine.apply, commune_admin, content)
    poor = Assessment.objects.get(household=household)
    assert (poor.review_year, poor.kind, poor.standard.code, poor.b1_score) == (
        2024,
        "periodic",
        "2022-2025",
        40,
    )
    assert (poor.income_per_capita_month, poor.computed_classification, poor.classification) == (
        1_200_000,
        "poor",
        "poor",
    )
    assert codes(poor) == {"health_insurance", "latrine", "water_source"}
    assert poor.created_by == commune_admin == poor.updated_by
    assert Assessment.objects.get(household=second_household).classification == "average_living"


def test_reimporting_the_same_file_changes_nothing(commune_admin, household):
    content = xlsx([review(), review(review_year=2023)])
    run(engine.apply, commune_admin, content)
    before = snapshot()

    result = run(engine.apply, commune_admin, content)

    assert (result.new, result.updated, result.unchanged) == (0, 0, 2)
    assert snapshot() == before  # updated_at included


def test_a_corrected_file_updates_the_review_without_duplicating_it(commune_admin, household):
    run(engine.apply, commune_admin, xlsx([review(), review(review_year=2023)]))

    corrected = review(indicator_latrine="", income_per_capita_month="1.300.000")
    result = run(engine.apply, commune_admin, xlsx([corrected, review(review_year=2023)]))

    assert (result.new, result.updated, result.unchanged) == (0, 1, 1)
    assert Assessment.objects.count() == 2
    assessment = Assessment.objects.get(review_year=2024)
    assert assessment.income_per_capita_month == 1_300_000
    assert codes(assessment) == {"health_insurance", "water_source"}
    assert assessment.classification == assessment.computed_classification == "near_poor"


INVALID = [
    (
        {"income_per_capita_month": -500000},
        "Income per person per month (VND)",
        "an amount cannot be negative (-500000)",
    ),
    (
        {"income_per_capita_month": "1,2"},  # 1,2 đồng? 12? (parse_vnd reads "1,2 triệu")
        "Income per person per month (VND)",
        "'1,2' is not an amount of money (write it like 1.500.000)",
    ),
    ({"income_per_capita_month": None}, "Income per person per month (VND)", "this column must not be empty"),
    ({"review_year": 2021}, "Review year", "no poverty standard covers the year 2021"),
    (
        {"indicator_latrine": "chưa rõ"},
        "Indicator 10: Hygienic latrine",
        "'chưa rõ' is neither deprived nor met (write 'deprived', or leave the cell empty)",
    ),
    (
        {"household_code": "KLK-9999"},
        "Household code",
        "there is no household with the code 'KLK-9999' in the commune",
    ),
    ({"reviewed_on": date(2025, 7, 1)}, "Reviewed on", "the date 01/07/2025 is in the future"),
    ({"kind": "regular (in-year) review"}, "Reviewed on", "a regular review needs its date"),
    (
        {"kind": "monthly"},
        "Review kind",
        "'monthly' is not in the review kinds (rà soát định kỳ (hằng năm), rà soát thường xuyên (trong năm))",
    ),
    ({"b1_score": 40000}, "B1 score", "40000 is more than 32767"),
]


@pytest.mark.parametrize("changes, column, reason", INVALID)
def test_an_invalid_value_is_reported_and_nothing_is_written(
    commune_admin, household, changes, column, reason
):
    factories.AssessmentFactory(household=household, review_year=2022)  # must stay as it is
    before = snapshot()
    content = xlsx([review(review_year=2023), review(**changes)])

    result = run(engine.check, commune_admin, content)

    assert [problem.message for problem in result.problems] == [f"Row 3, column '{column}': {reason}"]
    assert (result.new, result.invalid, result.invalid_rows) == (1, 1, [3])
    with pytest.raises(engine.ImportRefused):
        run(engine.apply, commune_admin, content)
    assert snapshot() == before


@pytest.mark.parametrize(
    "written, deprived",
    [
        ("có", True),
        ("X", True),
        ("thiếu hụt", True),
        ("yes", True),
        (1, True),
        ("deprived", True),
        ("không", False),
        ("Đạt", False),
        ("no", False),
        (0, False),
        ("met", False),
        (None, False),
    ],
)
def test_the_usual_ways_of_writing_an_indicator_are_understood(commune_admin, household, written, deprived):
    result = run(engine.apply, commune_admin, xlsx([review(indicator_telecom=written)]))

    assert result.invalid == 0
    assert ("telecom" in codes(Assessment.objects.get())) is deprived


def test_valid_only_writes_the_valid_rows(commune_admin, household):
    content = xlsx([review(review_year=2021), review()])

    result = run(engine.apply, commune_admin, content, valid_only=True)

    assert (result.new, result.invalid) == (1, 1)
    assert list(Assessment.objects.values_list("review_year", flat=True)) == [2024]


def test_the_rule_overrides_a_class_written_without_reason(commune_admin, household):
    row = review(
        indicator_latrine=None,
        indicator_water_source=None,
        classification="Hộ nghèo",
        computed_classification="poor",
    )

    result = run(engine.apply, commune_admin, xlsx([row]))

    assert result.warnings == [
        "Row 2, column 'Classification': the file says 'Poor household', the rule gives "
        "'Near-poor household' (recorded)"
    ]
    assessment = Assessment.objects.get()
    assert (assessment.computed_classification, assessment.classification) == ("near_poor", "near_poor")


def test_a_stale_rule_column_is_reported_as_a_warning(commune_admin, household):
    result = run(engine.check, commune_admin, xlsx([review(computed_classification="Near-poor household")]))

    assert result.warnings == [
        "Row 2, column 'Classification by the rule': the file says 'Near-poor household', the rule gives "
        "'Poor household' (recorded)"
    ]


def test_a_village_meeting_adjustment_with_its_reason_is_kept_and_round_trips(commune_admin, household):
    row = review(
        indicator_latrine=None, indicator_water_source=None, classification="poor", adjustment_reason=REASON
    )
    content = xlsx([row])

    first = run(engine.apply, commune_admin, content)
    assessment = Assessment.objects.get()
    before = snapshot()
    again = run(engine.apply, commune_admin, content)

    assert first.warnings == [] and first.new == 1
    assert (assessment.computed_classification, assessment.classification) == ("near_poor", "poor")
    assert assessment.adjustment_reason == REASON
    assert (again.unchanged, again.updated) == (1, 0)
    assert snapshot() == before


def test_regular_reviews_are_told_apart_by_their_date(commune_admin, household):
    regular = "regular (in-year) review"
    content = xlsx(
        [
            review(kind=regular, reviewed_on=date(2024, 3, 1)),
            review(kind=regular, reviewed_on=date(2024, 9, 1)),
        ]
    )

    first = run(engine.apply, commune_admin, content)
    again = run(engine.check, commune_admin, content)

    assert first.new == 2 and (again.new, again.unchanged) == (0, 2)
    assert sorted(Assessment.objects.values_list("reviewed_on", flat=True)) == [
        date(2024, 3, 1),
        date(2024, 9, 1),
    ]


def test_causes_and_needs_replace_the_household_s(commune_admin, household):
    row = review(causes="Thiếu vốn sản xuất; thieu lao dong", needs="Hỗ trợ y tế")

    first = run(engine.apply, commune_admin, xlsx([row]))
    again = run(engine.apply, commune_admin, xlsx([row]))

    household.refresh_from_db()
    assert sorted(household.causes.values_list("code", flat=True)) == ["no_capital", "no_labour"]
    assert list(household.needs.values_list("name", flat=True)) == ["Hỗ trợ y tế"]
    assert household.updated_by == commune_admin
    assert (first.new, again.unchanged) == (1, 1)


def test_two_rows_of_a_household_must_agree_on_its_causes(commune_admin, household):
    rows = [review(review_year=2023, causes="Thiếu vốn sản xuất"), review(causes="Thiếu lao động")]

    result = run(engine.check, commune_admin, xlsx(rows))

    assert [problem.message for problem in result.problems] == [
        "Row 3, column 'Causes of poverty': row 2 of this file gives this household a different list"
    ]


def test_an_export_imports_back_without_any_change(commune_admin, household, second_household):
    services.assessment_record(
        household=household,
        review_year=2023,
        income_per_capita_month=1_200_000,
        deprived=["latrine", "telecom", "nutrition"],
        b1_score=118,
    )
    services.assessment_record(
        household=household,
        review_year=2024,
        income_per_capita_month=1_400_000,
        deprived=["latrine"],
        adjusted_classification="poor",
        adjustment_reason=REASON,
        reviewed_on=date(2024, 11, 12),
    )
    services.assessment_record(
        household=second_household,
        review_year=2024,
        income_per_capita_month=2_000_000,
        deprived=[],
        kind="regular",
        reviewed_on=date(2024, 5, 2),
    )
    result = run(engine.check, commune_admin, exported_xlsx(commune_admin, "assessments"))

    assert (result.new, result.updated, result.invalid, result.unchanged) == (0, 0, 0, 3)
    assert result.problems == [] and result.warnings == []


def test_the_query_count_does_not_grow_with_the_rows(commune_admin, village):
    households = factories.HouseholdFactory.create_batch(31, village=village)
    rows = [review(household_code=household.code, causes="Thiếu vốn sản xuất") for household in households]

    def queries(content: bytes) -> int:
        with CaptureQueriesContext(connection) as context:
            run(engine.apply, commune_admin, content)
        return len(context.captured_queries)

    assert queries(xlsx(rows[:1])) == queries(xlsx(rows[1:]))
    assert Assessment.objects.count() == 31
