"""Small communes for the yearly-cycle tests: households with their reviews, a plan, review rounds."""

import datetime

from households import services as household_services
from households.models import Indicator
from tests import factories


def indicators() -> dict[int, Indicator]:
    return {i.number: i for i in Indicator.objects.filter(standard__code="2022-2025")}


def review(household, year: int, level: str, *, income: int = 1_200_000, deprived=(), adjusted: str = ""):
    """A periodic result of the year: `level` as computed (or as the village meeting adjusted it)."""
    by_number = indicators()
    assessment = factories.AssessmentFactory(
        household=household,
        review_year=year,
        income_per_capita_month=income,
        computed_classification=level,
        classification=adjusted or level,
        adjustment_reason="Họp thôn điều chỉnh" if adjusted else "",
    )
    assessment.deprivations.set([by_number[number] for number in deprived])
    return assessment


def close_round(commune, year: int, *, by=None):
    """The year's periodic round, opened if needed and closed under a decision."""
    from households.review_status import periodic_round

    review_round = periodic_round(commune=commune, year=year) or household_services.review_round_open(
        commune=commune, year=year, by=by
    )
    return household_services.review_round_close(
        review_round=review_round,
        decision_number=f"{year}/QĐ-UBND",
        decision_date=datetime.date(year, 12, 20),
        by=by,
    )
