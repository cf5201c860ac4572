"""The demo's 2023: a year of support for the 51 registered households and their end-of-2023 review.

The demo is loaded once for the module inside a transaction rolled back at the end.
"""

import datetime
import random
from collections import Counter, defaultdict

import pytest
from django.db import transaction
from django.db.models import Count

from assignments.models import Assignment, SupportAction
from demo import data, loader, year_end
from households import review_status, services
from households.classification import Level, classify
from households.models import Assessment, Commune, Indicator, PovertyStandard, ReviewRound
from plans import outcomes
from plans.models import ExitRegistration, Plan
from reports.selectors import village_statistics


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        result = loader.load_demo()
        yield result
        transaction.set_rollback(True)


@pytest.fixture
def plan(loaded, db):
    return Plan.objects.get(commune=loaded.commune, year=2023)


@pytest.fixture
def rule(db):
    standard = PovertyStandard.objects.get(code="2022-2025")
    return standard.to_rule(tuple(Indicator.objects.filter(standard=standard).values_list("code", flat=True)))


def registered_ids(plan) -> set[int]:
    return set(ExitRegistration.objects.filter(plan=plan).values_list("household_id", flat=True))


# --- the end-of-2023 review ------------------------------------------------------------------------


def test_the_2023_review_surveys_the_registered_households_and_the_rest_of_the_2022_lists(plan):
    reviews = Assessment.objects.filter(review_year=2023)
    listed = Assessment.objects.filter(review_year=2022, classification__in=[Level.POOR, Level.NEAR_POOR])
    listed_ids = set(listed.values_list("household_id", flat=True))
    assert registered_ids(plan) < listed_ids
    assert set(reviews.values_list("household_id", flat=True)) == listed_ids
    assert set(reviews.values_list("kind", flat=True)) == {Assessment.Kind.PERIODIC}
    for review in reviews:
        assert datetime.date(2023, 11, 1) <= review.reviewed_on <= datetime.date(2023, 12, 14)
        review.full_clean()


def test_2023_classifications_are_the_rules(plan, rule):
    reviews = (
        Assessment.objects.filter(review_year=2023)
        .select_related("household")
        .prefetch_related("deprivations")
    )
    for review in reviews:
        codes = [indicator.code for indicator in review.deprivations.all()]
        expected = classify(review.income_per_capita_month, codes, area=review.household.area, standard=rule)
        assert review.computed_classification == review.classification == expected
        assert review.standard.code == "2022-2025"
    levels = Counter(
        reviews.filter(household__exit_registrations__plan=plan).values_list("classification", flat=True)
    )
    assert levels[Level.POOR] == data.NOT_EXITED == 13
    assert levels[Level.NEAR_POOR] > 0 and levels[Level.AVERAGE_LIVING] > 0  # both ways out


def close_2023(plan):
    year_end = ReviewRound.objects.get(commune=plan.commune, year=2023)
    services.review_round_close(
        review_round=year_end, decision_number="01/QĐ-UBND", decision_date=datetime.date(2023, 12, 20)
    )


def test_registration_outcomes_follow_the_2023_review_once_it_is_closed(plan):
    level = dict(Assessment.objects.filter(review_year=2023).values_list("household_id", "classification"))
    registrations = ExitRegistration.objects.filter(plan=plan)
    assert set(registrations.values_list("status", flat=True)) == {ExitRegistration.Status.IN_PROGRESS}
    assert all(registration.status_note.strip() for registration in registrations)
    open_round = outcomes.plan_outcomes(plan)
    assert {result.outcome for result in open_round.values()} == {ExitRegistration.Outcome.IN_PROGRESS}
    with transaction.atomic():
        close_2023(plan)
        found = outcomes.plan_outcomes(plan)
        transaction.set_rollback(True)
    for household_id, result in found.items():
        exited = level[household_id] != Level.POOR
        assert result.outcome == (
            ExitRegistration.Outcome.EXITED if exited else ExitRegistration.Outcome.NOT_EXITED
        )
    assert Counter(result.outcome for result in found.values()) == {"exited": 38, "not_exited": 13}


def test_households_not_exiting_have_a_realistic_mix_of_reasons(plan):
    poor = Assessment.objects.filter(review_year=2023, classification=Level.POOR)
    notes = list(
        ExitRegistration.objects.filter(plan=plan, household__in=poor.values("household")).values_list(
            "status_note", flat=True
        )
    )
    assert len(notes) == data.NOT_EXITED
    reasons = {reason["note"]: reason["code"] for reason in data.NOT_EXITED_REASONS}
    assert all(note in reasons for note in notes)
    mix = Counter(reasons[note] for note in notes)
    assert len(mix) >= 5 and max(mix.values()) <= 4
    assert {"illness", "livestock"} <= set(mix)
    assert sum(reason["count"] for reason in data.NOT_EXITED_REASONS) == data.NOT_EXITED


def test_exits_follow_an_income_rise_or_fewer_deprivations(plan):
    before = {
        a.household_id: a
        for a in Assessment.objects.filter(review_year=2022, household_id__in=registered_ids(plan)).annotate(
            n=Count("deprivations")
        )
    }
    after = Assessment.objects.filter(review_year=2023, household_id__in=registered_ids(plan)).annotate(
        n=Count("deprivations")
    )
    for review in after:
        baseline = before[review.household_id]
        assert baseline.classification == Level.POOR
        assert review.n <= baseline.n  # the year's support never adds a deprivation
        if review.classification == Level.AVERAGE_LIVING:
            assert review.income_per_capita_month > 1_500_000
        elif review.classification == Level.NEAR_POOR:
            assert review.income_per_capita_month <= 1_500_000 and review.n < 3 <= baseline.n
        else:
            assert review.income_per_capita_month <= 1_500_000 and review.n >= 3


def test_the_2022_figures_are_unchanged(loaded, db):
    total = village_statistics(commune=loaded.commune, year=2022).total
    assert (total.households, total.poor, total.minority, total.minority_poor) == (1160, 242, 914, 233)
    assert Assessment.objects.filter(review_year=2022).count() == 1160


# --- a year of support -------------------------------------------------------------------------------


def test_each_household_gets_several_supports_of_all_three_kinds_across_2023(plan):
    actions = SupportAction.objects.filter(plan=plan)
    in_charge = dict(
        Assignment.objects.filter(plan=plan, ended_on=None).values_list("household_id", "official_id")
    )
    registered_on = dict(
        ExitRegistration.objects.filter(plan=plan).values_list("household_id", "registered_on")
    )
    kinds, months = defaultdict(set), defaultdict(set)
    for action in actions:
        assert action.official_id == in_charge[action.household_id]
        assert registered_on[action.household_id] <= action.date <= datetime.date(2023, 12, 31)
        kinds[action.household_id].add(action.kind)
        months[action.household_id].add(action.date.month)
        if action.kind == SupportAction.Kind.LABOUR:
            assert action.unit == "ngày công" and action.quantity > 0
            assert action.value_vnd == action.quantity * data.LABOUR_DAY_VND
        if action.kind == SupportAction.Kind.MATERIALS:
            assert action.value_vnd > 0 and action.quantity > 0 and action.unit
        action.full_clean()
    assert set(kinds) == registered_ids(plan)
    assert all(found == {"knowledge", "labour", "materials"} for found in kinds.values())
    per_household = Counter(actions.values_list("household_id", flat=True))
    assert min(per_household.values()) >= 5
    assert all(len(found) >= 3 for found in months.values())  # spread over the year
    december = {action.household_id for action in actions if action.date.month == 12}
    assert 30 <= len(december) < 51  # most are visited during the year-end review


def test_the_year_end_draw_is_deterministic(rule):
    households = [
        {
            "pk": n,
            "income": 900_000 + 10_000 * n,
            "deprived": ["latrine", "water_source", "employment"],
            "farming": f,
        }
        for n, f in enumerate(["livestock", "crops", "work"] * 17)
    ]
    first = year_end.draw_year_end(random.Random(1), households, rule=rule, year=2023)
    second = year_end.draw_year_end(random.Random(1), households, rule=rule, year=2023)
    assert first == second
    assert sum(result.level == Level.POOR for result in first.values()) == data.NOT_EXITED


# --- idempotence and speed --------------------------------------------------------------------------


def test_load_demo_is_fast_and_adds_nothing_the_second_time(loaded, plan):
    assert loaded.seconds < 5
    assert loaded.created["year_end_reviews"] == 51 and loaded.created["support_follow_ups"] > 200
    before = (
        Assessment.objects.count(),
        SupportAction.objects.count(),
        sorted(ExitRegistration.objects.values_list("household_id", "status", "status_note")),
        sorted(Assessment.deprivations.through.objects.values_list("assessment_id", "indicator_id")),
    )
    again = loader.load_demo()
    assert again.created_total == 0 and again.seconds < 5
    after = (
        Assessment.objects.count(),
        SupportAction.objects.count(),
        sorted(ExitRegistration.objects.values_list("household_id", "status", "status_note")),
        sorted(Assessment.deprivations.through.objects.values_list("assessment_id", "indicator_id")),
    )
    assert after == before
    assert Commune.objects.filter(code=data.COMMUNE["code"]).count() == 1


# --- the review rounds ------------------------------------------------------------------------------


def test_the_2022_round_is_closed_and_frozen_under_a_decision_marked_synthetic(plan):
    baseline = ReviewRound.objects.get(commune=plan.commune, year=2022)
    assert baseline.is_closed and "mô phỏng" in baseline.decision_number
    results = baseline.results.all()
    assert results.count() == 1160
    assert results.filter(classification=Level.POOR).count() == 242
    assert results.filter(classification=Level.POOR, is_ethnic_minority=True).count() == 233


def test_the_2023_round_is_open_with_every_village_meeting_agreeing(plan):
    year_end = ReviewRound.objects.get(commune=plan.commune, year=2023)
    assert not year_end.is_closed
    surveyed = Assessment.objects.filter(review_year=2023)
    assert not surveyed.filter(meeting__isnull=True).exists()
    for assessment in surveyed.select_related("meeting"):
        assert assessment.meeting.round_id == year_end.pk
        assert assessment.votes_for * 2 >= assessment.meeting.attendance
        assert "mô phỏng" in assessment.meeting.minutes_reference
    assert review_status.sent_back_in(year_end) == []


def test_the_officer_can_close_2023_and_its_figures_stay_those_of_the_open_round(plan):
    year_end = ReviewRound.objects.get(commune=plan.commune, year=2023)
    with transaction.atomic():
        before = village_statistics(commune=plan.commune, year=2023)
        services.review_round_close(
            review_round=year_end, decision_number="01/QĐ-UBND", decision_date=datetime.date(2023, 12, 20)
        )
        after = village_statistics(commune=plan.commune, year=2023)
        assert after.frozen and not before.frozen
        assert (after.rows, after.total, after.surveyed) == (before.rows, before.total, before.surveyed)
        assert (after.total.households, after.total.poor) == (1160, 242 - 38)
        transaction.set_rollback(True)


def test_the_other_households_on_the_lists_repeat_their_2022_result_in_2023(plan):
    before = dict(Assessment.objects.filter(review_year=2022).values_list("household_id", "classification"))
    others = Assessment.objects.filter(review_year=2023).exclude(household_id__in=registered_ids(plan))
    assert others.count() > 200
    for household_id, level in others.values_list("household_id", "classification"):
        assert level == before[household_id] and level in (Level.POOR, Level.NEAR_POOR)
