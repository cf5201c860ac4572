"""Importing review results never adds to, nor changes, a closed round: each such row is refused with
the round named, and the commune's closed rounds are read once per import."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from households import services
from households.imports import engine
from households.models import Assessment
from tests import factories
from tests.households.test_import_assessments import review, run, xlsx

FROZEN = "is closed: its results are frozen. Record a correction in a later round, with its reason."
CLOSED_2023 = f"Periodic review 2023 {FROZEN}"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def close(review_round):
    return services.review_round_close(
        review_round=review_round, decision_number="45/QĐ-UBND", decision_date=datetime.date(2023, 12, 20)
    )


def test_a_row_in_a_closed_periodic_round_is_refused_and_an_open_one_taken(commune_admin, household):
    close(services.review_round_open(commune=household.commune, year=2023))
    rows = [review(review_year=2023), review(review_year=2024)]

    result = run(engine.check, commune_admin, xlsx(rows))

    assert [problem.message for problem in result.problems] == [f"Row 2, column 'Review year': {CLOSED_2023}"]
    assert (result.new, result.invalid) == (1, 1)
    run(engine.apply, commune_admin, xlsx(rows), valid_only=True)
    assert list(Assessment.objects.values_list("review_year", flat=True)) == [2024]


def test_a_row_that_would_change_a_closed_round_s_result_is_refused(commune_admin, household):
    review_round = services.review_round_open(commune=household.commune, year=2023)
    services.assessment_record(
        household=household, review_year=2023, income_per_capita_month=1_200_000, deprived=["latrine"]
    )
    close(review_round)

    result = run(
        engine.check, commune_admin, xlsx([review(review_year=2023, income_per_capita_month="3.000.000")])
    )

    assert [problem.message for problem in result.problems] == [f"Row 2, column 'Review year': {CLOSED_2023}"]
    assert Assessment.objects.get().income_per_capita_month == 1_200_000


def test_a_regular_row_is_refused_only_within_a_closed_regular_round(commune_admin, household):
    close(
        services.review_round_open(
            commune=household.commune,
            year=2023,
            kind="regular",
            starts_on=datetime.date(2023, 4, 15),
            ends_on=datetime.date(2023, 4, 30),
        )
    )
    rows = [
        review(review_year=2023, kind="Regular (in-year) review", reviewed_on="20/04/2023"),
        review(review_year=2023, kind="Regular (in-year) review", reviewed_on="02/05/2023"),
    ]

    result = run(engine.check, commune_admin, xlsx(rows))

    assert [problem.message for problem in result.problems] == [
        f"Row 2, column 'Reviewed on': Regular review from 15/04/2023 {FROZEN}"
    ]
    assert result.new == 1


def test_the_closed_rounds_are_read_once_whatever_the_rows(commune_admin, village):
    for year in (2022, 2023):
        close(services.review_round_open(commune=village.commune, year=year))
    households = factories.HouseholdFactory.create_batch(31, village=village)
    rows = [review(household_code=household.code, review_year=2023) for household in households]

    def queries(content: bytes):
        with CaptureQueriesContext(connection) as context:
            result = run(engine.check, commune_admin, content)
        return len(context.captured_queries), result.invalid

    one, thirty = queries(xlsx(rows[:1])), queries(xlsx(rows[1:]))
    assert (one[1], thirty[1]) == (1, 30)  # every row refused
    assert one[0] == thirty[0]
