"""Support aimed at what a household lacks, and whether it worked: the rule (no database), then a
registered household's progress on its page."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assignments import indicators
from assignments.indicators import DEPRIVED, MET, NOT_REVIEWED, IndicatorProgress
from households import services as household_services
from households.classification import Level
from households.models import Indicator, ReviewRound
from households.review_status import CommuneStatus, HouseholdStatus
from tests import factories

NAMES = {1: "Việc làm", 4: "Bảo hiểm y tế", 9: "Nguồn nước sinh hoạt", 10: "Nhà tiêu hợp vệ sinh"}


def row(number, at_baseline, actions, value, at_closing) -> IndicatorProgress:
    return IndicatorProgress(number, NAMES.get(number, ""), at_baseline, actions, value, at_closing)


# --- The rule --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "baseline, supports, closing, expected",
    [
        # deprived at baseline, supported, met at the closing review: the support worked
        ((9,), [(5_000_000, [9])], (), [row(9, DEPRIVED, 1, 5_000_000, MET)]),
        # deprived, supported, still deprived
        ((9,), [(5_000_000, [9])], (9,), [row(9, DEPRIVED, 1, 5_000_000, DEPRIVED)]),
        # deprived, not supported: listed all the same
        ((4,), [], (4,), [row(4, DEPRIVED, 0, 0, DEPRIVED)]),
        ((4,), [], (), [row(4, DEPRIVED, 0, 0, MET)]),
        # supported without being deprived at baseline: listed
        ((), [(100_000, [1])], (), [row(1, MET, 1, 100_000, MET)]),
        # neither deprived nor supported: not listed
        ((), [], (10,), []),
        ((), [(100_000, [])], (), []),
        # the closing review has no result for the household yet
        ((9,), [(5_000_000, [9])], None, [row(9, DEPRIVED, 1, 5_000_000, NOT_REVIEWED)]),
        # no baseline result
        (None, [(200_000, [4])], (4,), [row(4, NOT_REVIEWED, 1, 200_000, DEPRIVED)]),
        (None, [], None, []),
        # one action naming several indicators counts under each; two actions add up
        (
            (4, 9),
            [(1_000_000, [4, 9]), (300_000, [9])],
            (4,),
            [row(4, DEPRIVED, 1, 1_000_000, DEPRIVED), row(9, DEPRIVED, 2, 1_300_000, MET)],
        ),
        # an indicator named twice by one action counts once; rows by number
        (
            (10, 1),
            [(50_000, [10, 10])],
            (1, 10),
            [row(1, DEPRIVED, 0, 0, DEPRIVED), row(10, DEPRIVED, 1, 50_000, DEPRIVED)],
        ),
    ],
)
def test_indicator_progress(baseline, supports, closing, expected):
    assert (
        indicators.indicator_progress(names=NAMES, baseline=baseline, closing=closing, supports=supports)
        == expected
    )


def status(*, assessment_id=7, surveyed=True, deprived=(4, 9)) -> HouseholdStatus:
    return HouseholdStatus(
        household_id=1,
        commune_id=1,
        village_id=1,
        is_ethnic_minority=False,
        classification=Level.POOR if assessment_id else Level.OTHER,
        assessment_id=assessment_id,
        surveyed=surveyed,
        deprived=deprived,
    )


def review(state: str | None) -> CommuneStatus:
    """The plan year's review: no round recorded (None), or a round open or closed."""
    review_round = None
    if state is not None:
        review_round = ReviewRound(year=2023, state=getattr(ReviewRound.State, state.upper()))
    return CommuneStatus(commune=None, until=datetime.date(2023, 12, 14), round=review_round, households=[])


@pytest.mark.parametrize(
    "given, at_baseline",
    [
        (None, None),  # not resident then
        (status(assessment_id=None, surveyed=False, deprived=()), None),  # never assessed
        (status(surveyed=False), (4, 9)),  # an earlier result is the status at the baseline review
        (status(surveyed=True), (4, 9)),
        (status(surveyed=True, deprived=()), ()),
    ],
)
def test_what_the_baseline_review_says(given, at_baseline):
    assert indicators.baseline_deprived(given) == at_baseline


@pytest.mark.parametrize(
    "given, state, at_closing",
    [
        # results imported without a round: the household's own result of that review decides
        (status(surveyed=True), None, (4, 9)),
        (status(surveyed=True, deprived=()), None, ()),
        (status(surveyed=False), None, None),
        # a round: nothing is decided while it is open, everything once it is closed
        (status(surveyed=True), "open", None),
        (status(surveyed=True), "closed", (4, 9)),
        (status(surveyed=False), "closed", (4, 9)),  # not surveyed: its status carried into the lists
        # no result at all
        (None, None, None),
        (None, "closed", None),
        (status(assessment_id=None, surveyed=False, deprived=()), "closed", None),
    ],
)
def test_what_the_closing_review_says(given, state, at_closing):
    assert indicators.closing_deprived(given, review(state)) == at_closing


def test_the_forms_boxes_put_the_deprived_indicators_first(db):
    twelve = list(Indicator.objects.filter(standard__code="2022-2025").order_by("number"))
    choices = indicators.indicator_choices(twelve, {"water_source", "employment"})
    assert [(choice.indicator.number, choice.deprived) for choice in choices] == [
        (1, True),
        (9, True),
        *[(number, False) for number in range(2, 13) if number != 9],
    ]


# --- A registered household's page -------------------------------------------------------------------


def by_code(*codes) -> list[Indicator]:
    return list(Indicator.objects.filter(standard__code="2022-2025", code__in=codes))


@pytest.fixture
def registered(household):
    """The test household in the 2023 plan: deprived on employment, health insurance and water at the
    2022 review."""
    plan = household.assignments.get().plan
    factories.ExitRegistrationFactory(household=household, plan=plan)
    baseline = factories.AssessmentFactory(household=household, review_year=2022)
    baseline.deprivations.set(by_code("health_insurance", "water_source", "employment"))
    return household


def support(household, official, *, codes=(), value=0, on=datetime.date(2023, 4, 2), **fields):
    action = factories.SupportActionFactory(
        household=household, official=official, date=on, value_vnd=value, **fields
    )
    action.indicators.set(by_code(*codes))
    return action


def progress_of(client, household):
    response = client.get(reverse("households:detail", args=[household.pk]))
    assert response.status_code == 200
    return response, response.context["progress"]


def test_deprived_on_two_supported_on_one_met_on_it_at_the_closing_review(client, case_worker, registered):
    household = registered
    official = case_worker.official
    household.assessments.get(review_year=2022).deprivations.set(by_code("health_insurance", "water_source"))
    tank = support(household, official, codes=["water_source"], value=4_000_000)
    # the tank's entry is corrected: the correction counts, once
    support(
        household,
        official,
        codes=["water_source"],
        value=4_500_000,
        corrects=tank,
        on=datetime.date(2023, 4, 3),
    )
    support(household, official, value=200_000)  # names no indicator
    support(
        household, official, codes=["water_source"], value=9_000_000, on=datetime.date(2022, 12, 1)
    )  # before the plan
    closing = factories.AssessmentFactory(household=household, review_year=2023)
    closing.deprivations.set(by_code("health_insurance"))

    client.force_login(case_worker)
    response, progress = progress_of(client, household)

    assert (progress.plan.year, progress.baseline_year) == (2023, 2022)
    assert progress.rows == [
        IndicatorProgress(4, "Bảo hiểm y tế", DEPRIVED, 0, 0, DEPRIVED),
        IndicatorProgress(9, "Nguồn nước sinh hoạt", DEPRIVED, 1, 4_500_000, MET),
    ]
    html = response.content.decode()
    section = html[html.index('id="indicator-progress"') :]
    section = section[: section.index("</section>")]
    assert "Thiếu hụt và hỗ trợ trong kế hoạch năm 2023" in section
    water = section[section.index('data-indicator="9"') :]
    water = water[: water.index("</li>")]
    for text in ("9. Nguồn nước sinh hoạt", "2022: thiếu hụt", "hỗ trợ 1 lần", "4.500.000 đ", "2023: đã đạt"):
        assert text in water, text
    health = section[section.index('data-indicator="4"') :]
    health = health[: health.index("</li>")]
    assert "chưa được hỗ trợ" in health and "2023: còn thiếu hụt" in health


def test_before_the_closing_review_the_indicators_are_not_yet_reviewed(client, case_worker, registered):
    support(registered, case_worker.official, codes=["water_source"], value=1_000_000)
    client.force_login(case_worker)
    response, progress = progress_of(client, registered)
    assert {item.at_closing for item in progress.rows} == {NOT_REVIEWED}
    assert "2023: chưa rà soát" in response.content.decode()


def test_the_closing_review_decides_once_its_round_is_closed(client, case_worker, registered):
    household = registered
    support(household, case_worker.official, codes=["water_source"], value=1_000_000)
    closing = factories.AssessmentFactory(household=household, review_year=2023)
    closing.deprivations.set(by_code("employment"))
    review_round = factories.ReviewRoundFactory(commune=household.commune, year=2023)
    client.force_login(case_worker)

    _response, progress = progress_of(client, household)  # the round is open: not decided yet
    assert [(item.number, item.at_closing) for item in progress.rows] == [
        (1, NOT_REVIEWED),
        (4, NOT_REVIEWED),
        (9, NOT_REVIEWED),
    ]
    household_services.review_round_close(
        review_round=review_round, decision_number="45/QĐ-UBND", decision_date=datetime.date(2023, 12, 20)
    )
    _response, progress = progress_of(client, household)
    assert [(item.number, item.at_closing) for item in progress.rows] == [(1, DEPRIVED), (4, MET), (9, MET)]


def test_a_household_never_registered_has_no_progress_section(client, case_worker, household):
    client.force_login(case_worker)
    response, progress = progress_of(client, household)
    assert progress is None
    assert 'id="indicator-progress"' not in response.content.decode()


def test_the_timeline_shows_the_indicators_a_support_addressed(client, case_worker, household):
    support(household, case_worker.official, codes=["water_source", "latrine"], description="Xây bể nước")
    client.force_login(case_worker)
    html = client.get(reverse("households:detail", args=[household.pk])).content.decode()
    entry = html[html.index("Xây bể nước") :]
    entry = entry[: entry.index("</li>")]
    assert "Nhằm khắc phục:" in entry
    assert entry.index("9. Nguồn nước sinh hoạt") < entry.index("10. Nhà tiêu hợp vệ sinh")


@pytest.mark.parametrize("persona", ["commune_admin", "case_worker", "viewer"])
def test_the_page_takes_the_same_queries_for_1_and_30_supports_naming_indicators(
    client, personas, registered, persona
):
    official = personas["case_worker"].official
    support(registered, official, codes=["water_source"], value=100_000)
    client.force_login(personas[persona])
    url = reverse("households:detail", args=[registered.pk])
    client.get(url)  # warm up
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(29):
        support(registered, official, codes=["water_source", "health_insurance"][: 1 + n % 2], value=100_000)
    with CaptureQueriesContext(connection) as thirty:
        response = client.get(url)
    assert len(thirty.captured_queries) == len(one.captured_queries)
    assert response.context["progress"].rows[-1] == IndicatorProgress(
        9, "Nguồn nước sinh hoạt", DEPRIVED, 30, 3_000_000, NOT_REVIEWED
    )
