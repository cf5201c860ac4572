"""The movement category of a household between two reviews: every pair of statuses, no database."""

import itertools

import pytest

from households.classification import Level
from households.movement import DECREASES, FLOWS, INCREASES, REPORTED, STAYED, Cause, Movement, movement

P, N, A, X, GONE = Level.POOR, Level.NEAR_POOR, Level.AVERAGE_LIVING, Level.OTHER, None
M = Movement
STATUSES = (P, N, A, X, GONE)

# (before, after) → category; a pair from neither list to a list is given as
# (never on that list before, on it before) for the history it depends on.
TABLE = {
    (P, P): M.CONTINUING_POOR,
    (P, N): M.POOR_TO_NEAR_POOR,
    (P, A): M.EXITED_POVERTY,
    (P, X): M.EXITED_POVERTY,
    (P, GONE): M.LEFT_POOR,
    (N, P): M.NEAR_POOR_TO_POOR,
    (N, N): M.CONTINUING_NEAR_POOR,
    (N, A): M.EXITED_NEAR_POVERTY,
    (N, X): M.EXITED_NEAR_POVERTY,
    (N, GONE): M.LEFT_NEAR_POOR,
    (A, P): (M.NEWLY_POOR, M.FELL_BACK_POOR),
    (A, N): (M.NEWLY_NEAR_POOR, M.FELL_BACK_NEAR_POOR),
    (A, A): M.NOT_LISTED,
    (A, X): M.NOT_LISTED,
    (A, GONE): M.NOT_LISTED,
    (X, P): (M.NEWLY_POOR, M.FELL_BACK_POOR),
    (X, N): (M.NEWLY_NEAR_POOR, M.FELL_BACK_NEAR_POOR),
    (X, A): M.NOT_LISTED,
    (X, X): M.NOT_LISTED,
    (X, GONE): M.NOT_LISTED,
    (GONE, P): M.ARRIVED_POOR,
    (GONE, N): M.ARRIVED_NEAR_POOR,
    (GONE, A): M.NOT_LISTED,
    (GONE, X): M.NOT_LISTED,
    (GONE, GONE): M.NOT_LISTED,
}
CASES = [
    (before, after, was_poor, was_near_poor)
    for before, after in itertools.product(STATUSES, STATUSES)
    for was_poor, was_near_poor in itertools.product((False, True), (False, True))
]


def expected(before, after, was_poor, was_near_poor):
    category = TABLE[(before, after)]
    if isinstance(category, tuple):
        on_it_before = was_poor if after == P else was_near_poor
        return category[on_it_before]
    return category


def test_the_table_covers_every_pair_of_statuses():
    assert set(TABLE) == set(itertools.product(STATUSES, STATUSES))
    assert {str(level) for level in Level} == {P, N, A, X}


@pytest.mark.parametrize("before, after, was_poor, was_near_poor", CASES)
def test_the_category_of_every_pair(before, after, was_poor, was_near_poor):
    assert movement(before, after, was_poor=was_poor, was_near_poor=was_near_poor) == expected(
        before, after, was_poor, was_near_poor
    )


@pytest.mark.parametrize("before, after, was_poor, was_near_poor", CASES)
def test_each_household_keeps_start_minus_decreases_plus_increases_equal_to_end(
    before, after, was_poor, was_near_poor
):
    flow = FLOWS[movement(before, after, was_poor=was_poor, was_near_poor=was_near_poor)]
    for which, cause in ((P, flow.poor), (N, flow.near_poor)):
        start, end = int(before == which), int(after == which)
        decrease, increase = int(cause in DECREASES), int(cause in INCREASES)
        assert start - decrease + increase == end, (before, after, which, cause)
        assert (cause == STAYED) == (start == end == 1)


def test_moving_between_the_lists_is_a_decrease_of_one_and_an_increase_of_the_other():
    assert (FLOWS[M.POOR_TO_NEAR_POOR].poor, FLOWS[M.POOR_TO_NEAR_POOR].near_poor) == (
        Cause.TO_OTHER_LIST,
        Cause.FROM_OTHER_LIST,
    )
    assert (FLOWS[M.NEAR_POOR_TO_POOR].poor, FLOWS[M.NEAR_POOR_TO_POOR].near_poor) == (
        Cause.FROM_OTHER_LIST,
        Cause.TO_OTHER_LIST,
    )


def test_history_only_matters_to_a_household_coming_from_neither_list():
    # A near-poor household that was poor before and is poor again moves between the lists: one
    # cause in each table, not "fell back" in the poor table with nothing in the near-poor one.
    assert movement(N, P, was_poor=True, was_near_poor=True) == M.NEAR_POOR_TO_POOR
    assert movement(GONE, P, was_poor=True, was_near_poor=False) == M.ARRIVED_POOR
    assert movement(A, P, was_poor=True, was_near_poor=False) == M.FELL_BACK_POOR
    assert movement(A, N, was_poor=True, was_near_poor=False) == M.NEWLY_NEAR_POOR


def test_every_category_has_its_flows_and_only_not_listed_is_left_out():
    assert set(FLOWS) == set(Movement)
    assert set(REPORTED) == set(Movement) - {M.NOT_LISTED}
    assert FLOWS[M.NOT_LISTED].poor is None and FLOWS[M.NOT_LISTED].near_poor is None
