"""Movement between two periodic reviews, per village and commune, and the exit cohorts."""

import datetime
from collections import Counter

import pytest
from django.utils import timezone

from households import review_movement, review_status, services
from households.classification import Level
from households.movement import Movement
from tests import factories

P, N, A = Level.POOR, Level.NEAR_POOR, Level.AVERAGE_LIVING
M = Movement


@pytest.fixture
def commune(db):
    return factories.CommuneFactory()


def assessed(household, year, level):
    return factories.AssessmentFactory(
        household=household, review_year=year, computed_classification=level, classification=level
    )


def household_with(village, history: dict[int, str], **extra):
    household = factories.HouseholdFactory(village=village, **extra)
    for year, level in history.items():
        assessed(household, year, level)
    return household


def archive(household, on: datetime.date):
    household.archived_at = timezone.make_aware(datetime.datetime.combine(on, datetime.time(12)))
    household.save()


# Each case: (village, assessments by year, expected category from 2022 to 2023).
CASES = {
    "continuing poor": ("Làng Một", {2022: P, 2023: P}, M.CONTINUING_POOR),
    "not surveyed keeps poor": ("Làng Một", {2021: P}, M.CONTINUING_POOR),
    "exited": ("Làng Một", {2022: P, 2023: A}, M.EXITED_POVERTY),
    "poor to near-poor": ("Làng Hai", {2022: P, 2023: N}, M.POOR_TO_NEAR_POOR),
    "near-poor to poor": ("Làng Hai", {2021: P, 2022: N, 2023: P}, M.NEAR_POOR_TO_POOR),
    "newly poor": ("Làng Một", {2022: A, 2023: P}, M.NEWLY_POOR),
    "never assessed, now poor": ("Làng Hai", {2023: P}, M.NEWLY_POOR),
    "fell back": ("Làng Hai", {2020: P, 2021: A, 2023: P}, M.FELL_BACK_POOR),
    "continuing near-poor": ("Làng Một", {2022: N}, M.CONTINUING_NEAR_POOR),
    "exited near-poverty": ("Làng Một", {2022: N, 2023: A}, M.EXITED_NEAR_POVERTY),
    "newly near-poor": ("Làng Hai", {2021: P, 2022: A, 2023: N}, M.NEWLY_NEAR_POOR),
    "fell back near-poor": ("Làng Hai", {2021: N, 2022: A, 2023: N}, M.FELL_BACK_NEAR_POOR),
    "never listed": ("Làng Một", {2022: A, 2023: A}, None),
}


@pytest.fixture
def world(commune):
    villages = {
        name: factories.VillageFactory(commune=commune, name=name)
        for name in ("Làng Một", "Làng Hai", "Làng Ba")
    }
    households = {
        label: household_with(villages[village], history) for label, (village, history, _) in CASES.items()
    }
    left = household_with(villages["Làng Hai"], {2022: P})
    archive(left, datetime.date(2023, 6, 1))
    left_near = household_with(villages["Làng Một"], {2022: N})
    archive(left_near, datetime.date(2023, 6, 1))
    households["left poor"], households["left near-poor"] = left, left_near
    return villages, households


def categories(result) -> dict[int, str]:
    return {household.household_id: household.category for household in result.households}


def test_each_household_gets_its_category(world, commune):
    _villages, households = world
    result = review_movement.movement_between(commune=commune, start_year=2022, end_year=2023)
    found = categories(result)
    expected = {label: category for label, (_, _, category) in CASES.items()}
    expected |= {"left poor": M.LEFT_POOR, "left near-poor": M.LEFT_NEAR_POOR}
    for label, household in households.items():
        assert found.get(household.pk) == expected[label], label


def test_tables_balance_and_agree_with_the_statuses_and_the_lists(world, commune):
    result = review_movement.movement_between(commune=commune, start_year=2022, end_year=2023)
    start = review_status.status_after_periodic_review(commune=commune, year=2022)
    end = review_status.status_after_periodic_review(commune=commune, year=2023)
    for place in [*result.villages, result.total]:
        for figures in (place.poor, place.near_poor):
            assert figures.start - figures.decreased + figures.increased == figures.end, place.name
        listed = [h for h in result.households if place.village_id in (None, h.village_id)]
        assert place.counts == Counter(h.category for h in listed), place.name
    # The start and end figures are the review's own counts, village by village.
    for place in result.villages:
        for which, figures in ((P, place.poor), (N, place.near_poor)):
            assert figures.start == sum(
                s.classification == which and s.village_id == place.village_id for s in start.households
            )
            assert figures.end == sum(
                s.classification == which and s.village_id == place.village_id for s in end.households
            )
    total = result.total
    assert (total.poor.start, total.poor.end) == (
        sum(s.is_poor for s in start.households),
        sum(s.is_poor for s in end.households),
    )
    assert (total.near_poor.start, total.near_poor.end) == (
        sum(s.is_near_poor for s in start.households),
        sum(s.is_near_poor for s in end.households),
    )
    # The villages sum to the commune, and every village is a row (Làng Ba has nobody listed).
    assert [place.name for place in result.villages] == ["Làng Ba", "Làng Hai", "Làng Một"]
    assert sum((place.counts for place in result.villages), Counter()) == total.counts
    assert total.poor.decreases == {"exited": 1, "to_other_list": 1, "left": 1}
    assert total.poor.increases == {"new": 2, "fell_back": 1, "from_other_list": 1, "arrived": 0}
    assert total.near_poor.decreases == {"exited": 1, "to_other_list": 1, "left": 1}
    assert total.near_poor.increases == {"new": 1, "fell_back": 1, "from_other_list": 1, "arrived": 0}


def test_a_household_recorded_after_a_closed_review_has_arrived(commune):
    village = factories.VillageFactory(commune=commune)
    household_with(village, {2022: P})
    review_round = factories.ReviewRoundFactory(commune=commune, year=2022)
    services.review_round_close(
        review_round=review_round, decision_number="12/QĐ-UBND", decision_date=datetime.date(2022, 12, 20)
    )
    newcomer = household_with(village, {2023: P})
    newcomer_near = household_with(village, {2023: N})
    result = review_movement.movement_between(commune=commune, start_year=2022, end_year=2023)
    found = categories(result)
    assert (found[newcomer.pk], found[newcomer_near.pk]) == (M.ARRIVED_POOR, M.ARRIVED_NEAR_POOR)
    assert result.total.poor.increases["arrived"] == 1 and result.total.poor.end == 2
    assert result.total.poor.balances and result.total.near_poor.balances


def test_the_households_of_each_group_carry_code_head_and_village(world, commune):
    _villages, households = world
    result = review_movement.movement_between(commune=commune, start_year=2022, end_year=2023)
    (fell_back,) = result.group(M.FELL_BACK_POOR)
    expected = households["fell back"]
    assert (fell_back.code, fell_back.head_name, fell_back.village, fell_back.before, fell_back.after) == (
        expected.code,
        expected.head_name,
        "Làng Hai",
        A,
        P,
    )
    order = list(Movement)
    assert [order.index(h.category) for h in result.households] == sorted(
        order.index(h.category) for h in result.households
    )


@pytest.mark.parametrize("count", [10, 200])
def test_movement_takes_the_same_queries_for_10_and_200_households(commune, count, django_assert_num_queries):
    villages = factories.VillageFactory.create_batch(3, commune=commune)
    levels = [P, N, A]
    for n in range(count):
        household_with(villages[n % 3], {2022: levels[n % 3], 2023: levels[(n // 3) % 3]})
    # the rounds, the two statuses, the listed households with their history, the villages
    with django_assert_num_queries(5):
        result = review_movement.movement_between(commune=commune, start_year=2022, end_year=2023)
    assert result.total.poor.start == len([n for n in range(count) if n % 3 == 0])


# --- re-entry by exit cohort ----------------------------------------------------------------------


def test_the_exit_cohort_is_followed_at_every_later_review(commune):
    village = factories.VillageFactory(commune=commune)
    # Exited in 2023: poor at the 2022 review, not poor at the 2023 one.
    back_to_poor = household_with(village, {2022: P, 2023: A, 2024: P, 2025: N})
    near = household_with(village, {2022: P, 2023: N, 2025: A})  # not surveyed in 2024: still near-poor
    gone = household_with(village, {2022: P, 2023: A})
    archive(gone, datetime.date(2024, 3, 1))
    household_with(village, {2022: P, 2023: P, 2024: A})  # exits in 2024: the next cohort
    household_with(village, {2022: N, 2023: A})  # was near-poor, not poor: in no cohort
    assert back_to_poor and near

    cohorts = review_movement.exit_cohorts(commune=commune)
    assert [cohort.year for cohort in cohorts] == [2023, 2024, 2025]
    of_2023 = cohorts[0]
    assert (of_2023.households, of_2023.to_near_poor) == (3, 1)
    follow = [(f.year, f.near_poor, f.poor, f.neither, f.gone) for f in of_2023.follow_ups]
    assert follow == [(2024, 1, 1, 0, 1), (2025, 1, 0, 1, 1)]
    assert all(f.households == of_2023.households for f in of_2023.follow_ups)
    # 2024's cohort: the one poor household that exited then, and the one that fell back is not
    # in it (it became poor in 2024); in 2025 it exits again.
    of_2024, of_2025 = cohorts[1], cohorts[2]
    assert (of_2024.households, [(f.year, f.neither) for f in of_2024.follow_ups]) == (1, [(2025, 1)])
    assert (of_2025.households, of_2025.to_near_poor, of_2025.follow_ups) == (1, 1, [])
    assert [c.year for c in review_movement.exit_cohorts(commune=commune, until_year=2024)] == [2023, 2024]


def test_no_cohort_without_two_reviews(commune):
    household_with(factories.VillageFactory(commune=commune), {2022: P})
    assert review_movement.exit_cohorts(commune=commune) == []
