"""The commune's status at the end of a review: every resident household, surveyed or not."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from households import review_status, services
from households.classification import Level
from households.models import Assessment, Household, RoundResult
from tests import factories

POOR_INCOME, AVERAGE_INCOME = 1_200_000, 3_000_000


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def village(db):
    return factories.VillageFactory()


def assessed(household, year, level, *, kind=Assessment.Kind.PERIODIC, on=None, **extra):
    return factories.AssessmentFactory(
        household=household,
        review_year=year,
        kind=kind,
        reviewed_on=on,
        computed_classification=level,
        classification=level,
        **extra,
    )


def by_household(status):
    return {item.household_id: item for item in status.households}


def test_a_household_not_surveyed_keeps_the_status_it_had(village):
    kept, exited, never = factories.HouseholdFactory.create_batch(3, village=village)
    assessed(kept, 2022, Level.POOR)
    assessed(exited, 2022, Level.POOR)
    assessed(exited, 2023, Level.AVERAGE_LIVING)
    status = review_status.status_after_periodic_review(commune=village.commune, year=2023)
    found = by_household(status)
    assert [found[h.pk].classification for h in (kept, exited, never)] == [
        Level.POOR,
        Level.AVERAGE_LIVING,
        Level.OTHER,
    ]
    assert len(status.households) == 3  # every resident household, not only the surveyed one


def test_surveyed_counts_the_households_the_round_itself_assessed(village):
    households = factories.HouseholdFactory.create_batch(4, village=village)
    for household in households:
        assessed(household, 2022, Level.POOR)
    assessed(households[0], 2023, Level.NEAR_POOR)
    review_round = factories.ReviewRoundFactory(commune=village.commune, year=2023)
    status = review_status.status_at_round(review_round)
    assert status.surveyed == 1
    assert [item.surveyed for item in status.households] == [True, False, False, False]


def test_a_later_assessment_is_not_read_at_an_earlier_review(village):
    household = factories.HouseholdFactory(village=village)
    assessed(household, 2022, Level.POOR)
    assessed(household, 2023, Level.NEAR_POOR)
    status = review_status.status_after_periodic_review(commune=village.commune, year=2022)
    assert status.households[0].classification == Level.POOR


def test_a_regular_review_counts_from_its_date(village):
    household = factories.HouseholdFactory(village=village)
    assessed(household, 2022, Level.NEAR_POOR)
    assessed(household, 2023, Level.POOR, kind=Assessment.Kind.REGULAR, on=datetime.date(2023, 4, 10))
    commune = village.commune
    before = review_status.status_at(commune=commune, until=datetime.date(2023, 4, 9))
    after = review_status.status_at(commune=commune, until=datetime.date(2023, 4, 10))
    assert (before.households[0].classification, after.households[0].classification) == (
        Level.NEAR_POOR,
        Level.POOR,
    )


def test_a_household_archived_after_the_review_is_counted_and_before_it_is_not(village):
    gone_before, gone_after = factories.HouseholdFactory.create_batch(2, village=village)
    gone_before.archived_at = timezone.make_aware(datetime.datetime(2023, 6, 1))
    gone_before.save()
    gone_after.archived_at = timezone.make_aware(datetime.datetime(2024, 6, 1))
    gone_after.save()
    status = review_status.status_after_periodic_review(commune=village.commune, year=2023)
    assert [item.household_id for item in status.households] == [gone_after.pk]


@pytest.mark.parametrize("votes_for, counted", [(19, False), (20, True), (40, True)])
def test_under_half_agreement_sends_the_result_back(village, votes_for, counted):
    household = factories.HouseholdFactory(village=village)
    assessed(household, 2022, Level.POOR)
    meeting = factories.VillageMeetingFactory(round__commune=village.commune, village=village, attendance=40)
    assessed(household, 2023, Level.NEAR_POOR, meeting=meeting, votes_for=votes_for)
    status = review_status.status_at_round(meeting.round)
    assert status.households[0].classification == (Level.NEAR_POOR if counted else Level.POOR)
    assert review_status.sent_back_in(meeting.round) == ([] if counted else [household.pk])


def test_the_deprived_indicators_are_those_of_the_latest_assessment(village):
    household = factories.HouseholdFactory(village=village)
    old = assessed(household, 2022, Level.POOR)
    old.deprivations.set(old.standard.indicators.filter(number__in=[1, 2, 3]))
    new = assessed(household, 2023, Level.NEAR_POOR)
    new.deprivations.set(new.standard.indicators.filter(number__in=[4, 10]))
    status = review_status.status_after_periodic_review(commune=village.commune, year=2023)
    assert status.households[0].deprived == (4, 10)


@pytest.mark.parametrize("count", [10, 200])
def test_status_takes_the_same_queries_for_10_and_200_households(village, count, django_assert_num_queries):
    for household in factories.HouseholdFactory.create_batch(count, village=village):
        assessment = assessed(household, 2022, Level.POOR)
        assessment.deprivations.set(assessment.standard.indicators.filter(number__in=[1, 5]))
    review_round = factories.ReviewRoundFactory(commune=village.commune, year=2023)
    with django_assert_num_queries(2):  # households with their latest assessment; its deprivations
        status = review_status.status_at_round(review_round)
    assert len(status.households) == count


# --- closing a round -------------------------------------------------------------------------


def test_closing_freezes_the_status_so_later_edits_do_not_change_it(village, commune_admin):
    households = factories.HouseholdFactory.create_batch(3, village=village)
    for household in households:
        assessed(household, 2022, Level.POOR)
    survey = assessed(households[0], 2023, Level.NEAR_POOR)
    review_round = factories.ReviewRoundFactory(commune=village.commune, year=2023)
    before = review_status.status_at_round(review_round).households

    services.review_round_close(
        review_round=review_round, decision_number="45/QĐ-UBND", decision_date=datetime.date(2023, 12, 20)
    )
    assert RoundResult.objects.filter(round=review_round).count() == 3
    survey.classification = survey.computed_classification = Level.POOR
    survey.save()
    households[1].archived_at = timezone.now() - datetime.timedelta(days=3 * 365)
    households[1].save()
    factories.HouseholdFactory(village=village)  # a household added later

    review_round.refresh_from_db()
    assert review_round.is_closed and review_round.decision_number == "45/QĐ-UBND"
    assert review_status.status_at_round(review_round).households == before


def test_a_closed_round_takes_no_new_result(village):
    household = factories.HouseholdFactory(village=village)
    review_round = factories.ReviewRoundFactory(commune=village.commune, year=2023)
    services.review_round_close(
        review_round=review_round, decision_number="45/QĐ-UBND", decision_date=datetime.date(2023, 12, 20)
    )
    with pytest.raises(ValidationError, match="closed"):
        services.assessment_record(
            household=household, review_year=2023, income_per_capita_month=POOR_INCOME, deprived=[]
        )
    with pytest.raises(ValidationError, match="already closed"):
        services.review_round_close(
            review_round=review_round, decision_number="46/QĐ-UBND", decision_date=datetime.date(2023, 12, 21)
        )


def test_a_round_with_a_household_sent_back_cannot_close(village):
    household = factories.HouseholdFactory(village=village)
    meeting = factories.VillageMeetingFactory(round__commune=village.commune, village=village, attendance=40)
    assessed(household, 2023, Level.NEAR_POOR, meeting=meeting, votes_for=10)
    with pytest.raises(ValidationError, match="sent back 1"):
        services.review_round_close(
            review_round=meeting.round,
            decision_number="45/QĐ-UBND",
            decision_date=datetime.date(2023, 12, 20),
        )
    assert not RoundResult.objects.exists()


# --- some households over several years (a household page, the households of a plan) --------------


def _deprived(assessment, numbers):
    assessment.deprivations.set(assessment.standard.indicators.filter(number__in=numbers))
    return assessment


@pytest.mark.parametrize("round_2023", ["none", "open", "closed"])
def test_statuses_of_some_households_are_those_of_the_whole_commune(village, round_2023):
    households = factories.HouseholdFactory.create_batch(4, village=village)
    for n, household in enumerate(households):
        _deprived(assessed(household, 2022, Level.POOR), [1, 2, 3 + n])
    _deprived(assessed(households[0], 2023, Level.NEAR_POOR), [2])  # surveyed in 2023
    assessed(households[1], 2023, Level.POOR, kind=Assessment.Kind.REGULAR, on=datetime.date(2023, 5, 2))
    if round_2023 != "none":
        review_round = factories.ReviewRoundFactory(commune=village.commune, year=2023)
        if round_2023 == "closed":
            services.review_round_close(
                review_round=review_round,
                decision_number="45/QĐ-UBND",
                decision_date=datetime.date(2023, 12, 20),
            )
    some = [households[0].pk, households[1].pk, households[3].pk]

    found = review_status.statuses_after_periodic_reviews_of(
        commune=village.commune,
        years=[2022, 2023],
        households=Household.objects.filter(pk__in=some),
    )

    for year in (2022, 2023):
        whole = review_status.status_after_periodic_review(commune=village.commune, year=year)
        assert found[year].households == [s for s in whole.households if s.household_id in some]
        assert (found[year].round, found[year].until) == (whole.round, whole.until)
    assert found[2023].frozen == (round_2023 == "closed")
    first, _second, fourth = found[2023].households
    assert first.surveyed and first.deprived == (2,)
    assert not fourth.surveyed and fourth.deprived == (1, 2, 6)


@pytest.mark.parametrize("count", [1, 30])
def test_statuses_of_some_households_take_the_same_queries_for_1_and_30(
    village, count, django_assert_num_queries
):
    households = factories.HouseholdFactory.create_batch(count, village=village)
    for household in households:
        _deprived(assessed(household, 2022, Level.POOR), [1, 5])
        _deprived(assessed(household, 2023, Level.NEAR_POOR), [5])
    factories.ReviewRoundFactory(commune=village.commune, year=2023)
    chosen = Household.objects.filter(village=village)
    # the rounds; each year's households with their latest assessment; the deprived indicators
    with django_assert_num_queries(4):
        found = review_status.statuses_after_periodic_reviews_of(
            commune=village.commune, years=[2022, 2023], households=chosen
        )
    assert len(found[2022].households) == len(found[2023].households) == count
    assert {status.deprived for status in found[2023].households} == {(5,)}
