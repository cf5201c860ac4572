"""The exit outcome of a registration follows the plan year's periodic review (plans.outcomes)."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from households import services as household_services
from households.classification import Level
from plans import outcomes
from plans.models import ExitRegistration
from reports.selectors import build_report
from tests import factories
from tests.plans.world import close_round, review

Outcome = ExitRegistration.Outcome

# stored status, classification at the end of the decided review (None: not decided) → outcome
RULE = [
    ("registered", None, Outcome.REGISTERED),
    ("in_progress", None, Outcome.IN_PROGRESS),
    ("exited", None, Outcome.IN_PROGRESS),  # a stored claim of old data waits for the review
    ("not_exited", None, Outcome.IN_PROGRESS),
    ("registered", Level.POOR, Outcome.NOT_EXITED),
    ("in_progress", Level.POOR, Outcome.NOT_EXITED),
    ("exited", Level.POOR, Outcome.NOT_EXITED),  # the stored status disagrees: the review wins
    ("not_exited", Level.NEAR_POOR, Outcome.EXITED),  # and the other way round
    ("in_progress", Level.NEAR_POOR, Outcome.EXITED),
    ("registered", Level.AVERAGE_LIVING, Outcome.EXITED),
    ("in_progress", Level.OTHER, Outcome.EXITED),
]


@pytest.mark.parametrize("stored, at_review, expected", RULE)
def test_the_outcome_rule(stored, at_review, expected):
    assert outcomes.exit_outcome(stored=stored, at_review=at_review) == expected


# --- with the database ---------------------------------------------------------------------------


@pytest.fixture
def plan(commune):
    return factories.PlanFactory(commune=commune, year=2023, baseline_review_year=2022)


def registered(plan, village, level_2023, *, deprived=(4, 7, 9), status="in_progress", income=1_200_000):
    household = factories.HouseholdFactory(village=village)
    review(household, 2022, Level.POOR, deprived=(4, 7, 9, 10))
    if level_2023:
        review(household, 2023, level_2023, deprived=deprived, income=income)
    registration = factories.ExitRegistrationFactory(household=household, plan=plan)
    ExitRegistration.objects.filter(pk=registration.pk).update(status=status)  # old data included
    return household


def test_a_closed_round_decides_every_registration_against_any_stored_status(plan, village):
    poor = registered(plan, village, Level.POOR, status="exited")  # stored "exited": contradicted
    near_poor = registered(plan, village, Level.NEAR_POOR, deprived=(9,), status="not_exited")
    unsurveyed = registered(plan, village, None)  # not surveyed in 2023: keeps its 2022 status (poor)
    close_round(plan.commune, 2022)
    close_round(plan.commune, 2023)

    found = outcomes.plan_outcomes(plan)

    assert found[poor.pk].outcome == Outcome.NOT_EXITED
    assert found[poor.pk].classification == Level.POOR
    assert found[poor.pk].remaining_numbers == [4, 7, 9]
    assert found[poor.pk].remaining_text == (
        "4 (bảo hiểm y tế), 7 (chất lượng nhà ở), 9 (nguồn nước sinh hoạt)"
    )
    assert found[near_poor.pk].outcome == Outcome.EXITED and found[near_poor.pk].remaining_numbers == [9]
    assert found[unsurveyed.pk].outcome == Outcome.NOT_EXITED
    assert found[unsurveyed.pk].remaining_numbers == [4, 7, 9, 10]


def test_an_open_round_decides_nothing_yet(plan, village):
    poor = registered(plan, village, Level.POOR, status="registered")
    near_poor = registered(plan, village, Level.NEAR_POOR, status="exited")
    household_services.review_round_open(commune=plan.commune, year=2023)

    found = outcomes.plan_outcomes(plan)

    assert (found[poor.pk].outcome, found[poor.pk].decided) == (Outcome.REGISTERED, False)
    assert (found[near_poor.pk].outcome, found[near_poor.pk].remaining) == (Outcome.IN_PROGRESS, ())


def test_without_a_round_a_households_own_result_of_the_year_decides(plan, village):
    exited = registered(plan, village, Level.NEAR_POOR)
    not_reviewed = registered(plan, village, None, status="not_exited")

    found = outcomes.plan_outcomes(plan)

    assert found[exited.pk].outcome == Outcome.EXITED
    assert (found[not_reviewed.pk].outcome, found[not_reviewed.pk].decided) == (Outcome.IN_PROGRESS, False)


def test_the_village_meetings_adjusted_classification_decides(plan, village):
    kept_poor = registered(plan, village, None)
    review(kept_poor, 2023, Level.NEAR_POOR, adjusted=Level.POOR, deprived=(4, 7))
    close_round(plan.commune, 2023)
    assert outcomes.plan_outcomes(plan)[kept_poor.pk].outcome == Outcome.NOT_EXITED


def test_the_year_end_report_counts_the_outcomes_not_the_stored_statuses(plan, village):
    registered(plan, village, Level.POOR, status="exited")
    registered(plan, village, Level.NEAR_POOR, status="not_exited")
    registered(plan, village, Level.AVERAGE_LIVING, status="registered")
    close_round(plan.commune, 2023)

    by_village, _by_official, remaining, *_others = build_report(
        "year-end", commune=plan.commune, plan_year=2023
    ).tables

    totals = by_village.totals.values
    assert (totals["registered"], totals["exited"], totals["not_exited"], totals["undecided"]) == (3, 2, 1, 0)
    (row,) = remaining.rows
    assert row.values["status"] == str(Outcome.NOT_EXITED.label)
    assert row.values["deprivations"] == "4, 7, 9"


def test_the_migration_puts_stored_outcomes_back_in_progress(plan, village):
    household = registered(plan, village, Level.POOR, status="exited")
    kept = registered(plan, village, Level.POOR, status="registered")
    migration = importlib.import_module("plans.migrations.0003_registration_status_follows_the_work")
    migration.forwards(apps, None)
    statuses = dict(ExitRegistration.objects.values_list("household_id", "status"))
    assert statuses == {household.pk: "in_progress", kept.pk: "registered"}


# --- the pages -----------------------------------------------------------------------------------


def test_the_household_page_shows_the_outcome_and_what_is_still_lacking(client, commune_admin, plan, village):
    household = registered(plan, village, Level.POOR, status="exited")
    close_round(plan.commune, 2023)
    client.force_login(commune_admin)
    page = client.get(reverse("households:detail", args=[household.pk])).content.decode()
    exit_section = page[page.index('id="exit"') :]
    assert str(Outcome.NOT_EXITED.label).capitalize() in exit_section
    assert str(Outcome.EXITED.label).capitalize() not in exit_section
    assert "4 (bảo hiểm y tế), 7 (chất lượng nhà ở), 9 (nguồn nước sinh hoạt)" in exit_section


def test_the_list_pages_show_the_outcome(client, commune_admin, plan, village, case_worker):
    household = registered(plan, village, Level.NEAR_POOR, status="not_exited")
    factories.AssignmentFactory(household=household, plan=plan, official=case_worker.official)
    close_round(plan.commune, 2023)
    exited = outcomes.plan_outcomes(plan)[household.pk].label

    client.force_login(commune_admin)
    listed = client.get(reverse("households:list")).content.decode()
    assert exited in listed
    client.force_login(case_worker)
    mine = client.get(reverse("assignments:my_households") + "?year=2023").content.decode()
    assert exited in mine


# --- support after exit ----------------------------------------------------------------------------


def test_households_that_exited_stay_in_post_exit_support_for_the_set_years(settings, commune, village):
    settings.POST_EXIT_SUPPORT_YEARS = 2
    exited = factories.HouseholdFactory(village=village)
    review(exited, 2022, Level.POOR, deprived=(1, 2, 3))
    review(exited, 2023, Level.NEAR_POOR, deprived=(1,))
    stayed = factories.HouseholdFactory(village=village)
    review(stayed, 2022, Level.POOR, deprived=(1, 2, 3))
    review(stayed, 2023, Level.POOR, deprived=(1, 2, 3))
    never_poor = factories.HouseholdFactory(village=village)
    review(never_poor, 2022, Level.NEAR_POOR)
    review(never_poor, 2023, Level.OTHER)
    close_round(commune, 2022)
    close_round(commune, 2023)

    assert outcomes.exited_at_review(commune=commune, year=2023) == {exited.pk}
    assert set(outcomes.post_exit_support(commune=commune, year=2023)) == set()
    assert outcomes.post_exit_support(commune=commune, year=2024) == {exited.pk: outcomes.PostExit(2023)}
    assert set(outcomes.post_exit_support(commune=commune, year=2025)) == {exited.pk}
    assert set(outcomes.post_exit_support(commune=commune, year=2026)) == set()
    settings.POST_EXIT_SUPPORT_YEARS = 3
    assert set(outcomes.post_exit_support(commune=commune, year=2026)) == {exited.pk}
    assert outcomes.PostExit(2023).last_year == 2026


def test_an_exit_waits_for_the_round_to_close(commune, village):
    household = factories.HouseholdFactory(village=village)
    review(household, 2022, Level.POOR, deprived=(1, 2, 3))
    review(household, 2023, Level.NEAR_POOR)
    household_services.review_round_open(commune=commune, year=2023)
    assert outcomes.post_exit_support(commune=commune, year=2024) == {}


def test_the_household_page_marks_a_household_in_post_exit_support(client, case_worker, household):
    last_year = timezone.localdate().year - 1
    review(household, last_year - 1, Level.POOR, deprived=(1, 2, 3))
    review(household, last_year, Level.NEAR_POOR, deprived=(2,))
    other = factories.HouseholdFactory(village=household.village)
    factories.AssignmentFactory(
        household=other, plan=household.assignments.get().plan, official=case_worker.official
    )
    review(other, last_year - 1, Level.POOR, deprived=(1, 2, 3))
    review(other, last_year, Level.POOR, deprived=(1, 2, 3))
    client.force_login(case_worker)

    marked = client.get(reverse("households:detail", args=[household.pk])).content.decode()
    unmarked = client.get(reverse("households:detail", args=[other.pk])).content.decode()

    assert "post-exit-mark" in marked and f"{last_year}" in marked
    assert "post-exit-mark" not in unmarked
