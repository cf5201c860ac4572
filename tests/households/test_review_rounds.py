"""Review rounds: opening, the survey list, village meetings and votes, and correcting a result, as the
services write them and the round page reads them."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from households import review_selectors, review_status, services
from households.classification import Level
from households.models import (
    Assessment,
    PovertyCause,
    ReviewRound,
    RoundCandidate,
    SupportNeed,
    VillageMeeting,
)
from households.review_selectors import ListedBecause, SurveyState, survey_state
from tests import factories

POOR, NEAR, AVERAGE = 1_200_000, 1_400_000, 2_000_000
POOR_DEPRIVED = ["employment", "nutrition", "latrine"]


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


def round_2023(commune, **extra) -> ReviewRound:
    return services.review_round_open(commune=commune, year=2023, **extra)


def close(review_round) -> ReviewRound:
    return services.review_round_close(
        review_round=review_round, decision_number="45/QĐ-UBND", decision_date=datetime.date(2023, 12, 20)
    )


def record(household, year=2023, income=POOR, deprived=POOR_DEPRIVED, **extra) -> Assessment:
    return services.assessment_record(
        household=household, review_year=year, income_per_capita_month=income, deprived=deprived, **extra
    )


# --- Which round a result belongs to ----------------------------------------------------------------


@pytest.mark.parametrize(
    "kind, year, on, taken_by_periodic, taken_by_regular",
    [
        ("periodic", 2023, None, True, False),
        ("periodic", 2023, datetime.date(2023, 3, 1), True, False),  # a periodic result's date is not read
        ("periodic", 2022, None, False, False),
        ("regular", 2023, datetime.date(2023, 3, 31), False, False),  # the day before the regular round
        ("regular", 2023, datetime.date(2023, 4, 1), False, True),  # its first day
        ("regular", 2023, datetime.date(2023, 4, 30), False, True),  # its last day
        ("regular", 2023, datetime.date(2023, 5, 1), False, False),
        ("regular", 2023, None, False, False),
    ],
)
def test_a_round_takes_the_results_of_its_kind_year_and_dates(
    kind, year, on, taken_by_periodic, taken_by_regular
):
    periodic = ReviewRound(
        kind="periodic", year=2023, starts_on=datetime.date(2023, 9, 1), ends_on=datetime.date(2023, 12, 14)
    )
    regular = ReviewRound(
        kind="regular", year=2023, starts_on=datetime.date(2023, 4, 1), ends_on=datetime.date(2023, 4, 30)
    )
    assert periodic.takes(kind=kind, year=year, on=on) is taken_by_periodic
    assert regular.takes(kind=kind, year=year, on=on) is taken_by_regular


def test_closed_round_covering_reads_preloaded_rounds_without_a_query(village, django_assert_num_queries):
    closed = close(round_2023(village.commune))
    rounds = services.closed_rounds(commune=village.commune)
    with django_assert_num_queries(0):
        found = services.closed_round_covering(
            commune=village.commune, kind="periodic", year=2023, on=None, rounds=rounds
        )
        missing = services.closed_round_covering(
            commune=village.commune, kind="periodic", year=2024, on=None, rounds=rounds
        )
    assert (found, missing) == (closed, None)


# --- Opening a round -------------------------------------------------------------------------------


def test_a_periodic_round_runs_from_1_september_to_14_december(village):
    review_round = round_2023(village.commune)
    assert (review_round.starts_on, review_round.ends_on, review_round.state) == (
        datetime.date(2023, 9, 1),
        datetime.date(2023, 12, 14),
        "open",
    )


def test_a_second_periodic_round_of_a_year_is_refused_in_words(village):
    round_2023(village.commune)
    with pytest.raises(ValidationError) as refused:
        round_2023(village.commune)
    assert refused.value.message_dict == {"year": ["The commune already has its periodic review of 2023."]}


@pytest.mark.parametrize(
    "starts_on, ends_on, message",
    [
        (None, None, "Give the first and last day of the regular review."),
        (datetime.date(2023, 4, 30), datetime.date(2023, 4, 1), "A round cannot end before it starts."),
        (
            datetime.date(2023, 4, 20),
            datetime.date(2023, 5, 10),
            "These dates overlap Regular review from 01/04/2023.",
        ),
    ],
)
def test_a_regular_round_needs_dates_that_overlap_no_other(village, starts_on, ends_on, message):
    services.review_round_open(
        commune=village.commune,
        year=2023,
        kind="regular",
        starts_on=datetime.date(2023, 4, 1),
        ends_on=datetime.date(2023, 4, 30),
    )
    with pytest.raises(ValidationError) as refused:
        services.review_round_open(
            commune=village.commune, year=2023, kind="regular", starts_on=starts_on, ends_on=ends_on
        )
    assert refused.value.messages == [message]
    assert ReviewRound.objects.count() == 1


# --- The survey list ----------------------------------------------------------------------------------


def test_a_household_that_applied_is_added_once_and_only_to_an_open_round_of_its_commune(village):
    review_round = round_2023(village.commune)
    household = factories.HouseholdFactory(village=village)
    elsewhere = factories.HouseholdFactory()
    services.round_candidate_add(
        review_round=review_round, household=household, source="applied", note="Đơn 01"
    )
    with pytest.raises(ValidationError, match="already on the round's survey list"):
        services.round_candidate_add(review_round=review_round, household=household, source="identified")
    with pytest.raises(ValidationError, match="not in the round's commune"):
        services.round_candidate_add(review_round=review_round, household=elsewhere, source="applied")
    archived = factories.HouseholdFactory(village=village, archived_at=timezone.now())
    with pytest.raises(ValidationError, match="archived"):
        services.round_candidate_add(review_round=review_round, household=archived, source="applied")
    close(review_round)
    with pytest.raises(ValidationError, match="is closed"):
        services.round_candidate_remove(review_round=review_round, household=household)
    assert list(RoundCandidate.objects.values_list("household_id", "source", "note")) == [
        (household.pk, "applied", "Đơn 01")
    ]


@pytest.mark.parametrize(
    "has_result, has_votes, sent_back, state",
    [
        (False, False, False, SurveyState.NOT_SURVEYED),
        (True, False, False, SurveyState.NO_MEETING),
        (True, True, False, SurveyState.SURVEYED),
        (True, True, True, SurveyState.SENT_BACK),
    ],
)
def test_where_a_household_on_the_survey_list_stands(has_result, has_votes, sent_back, state):
    assert survey_state(has_result=has_result, has_votes=has_votes, sent_back=sent_back) == state


def test_the_survey_list_is_the_lists_at_the_start_and_those_added_or_surveyed(village):
    commune = village.commune
    poor, near, average, never, applied, walked_in = factories.HouseholdFactory.create_batch(
        6, village=village
    )
    record(poor, 2022)
    record(near, 2022, deprived=[])
    record(average, 2022, income=AVERAGE)
    review_round = round_2023(commune)
    services.round_candidate_add(review_round=review_round, household=applied, source="applied")
    meeting = services.village_meeting_record(
        review_round=review_round, village=village, held_on=datetime.date(2023, 11, 20), attendance=40
    )
    record(poor, meeting=meeting, votes_for=30)  # surveyed, agreed
    record(near, meeting=meeting, votes_for=10)  # sent back
    record(walked_in, income=NEAR, deprived=[])  # surveyed, no votes yet

    page = review_selectors.round_page(review_round)

    rows = {row.household.pk: row for row in page.rows}
    assert set(rows) == {poor.pk, near.pk, applied.pk, walked_in.pk}  # not `average` nor `never`
    assert [(rows[h.pk].because, rows[h.pk].state) for h in (poor, near, applied, walked_in)] == [
        (ListedBecause.POOR, SurveyState.SURVEYED),
        (ListedBecause.NEAR_POOR, SurveyState.SENT_BACK),
        (ListedBecause.APPLIED, SurveyState.NOT_SURVEYED),
        (ListedBecause.SURVEYED, SurveyState.NO_MEETING),
    ]
    assert page.counts == {"not_surveyed": 1, "no_meeting": 1, "sent_back": 1, "surveyed": 1}
    assert [(row.village, row.to_survey, row.results, row.votes) for row in page.meetings] == [
        (village, 4, 3, 2)
    ]
    filtered = review_selectors.round_page(review_round, state="sent_back", village_id=str(village.pk))
    assert [row.household for row in filtered.rows] == [near] and filtered.total == 4


def test_the_list_of_rounds_counts_surveyed_and_sent_back_as_review_status_does(village):
    commune = village.commune
    households = factories.HouseholdFactory.create_batch(4, village=village)
    periodic = round_2023(commune)
    regular = services.review_round_open(
        commune=commune,
        year=2024,
        kind="regular",
        starts_on=datetime.date(2024, 4, 1),
        ends_on=datetime.date(2024, 4, 30),
    )
    meeting = services.village_meeting_record(
        review_round=periodic, village=village, held_on=datetime.date(2023, 11, 20), attendance=40
    )
    record(households[0], meeting=meeting, votes_for=30)
    record(households[1], meeting=meeting, votes_for=5)
    record(households[2])
    in_april = {"kind": "regular", "reviewed_on": datetime.date(2024, 4, 10)}
    april_meeting = services.village_meeting_record(
        review_round=regular, village=village, held_on=datetime.date(2024, 4, 20), attendance=20
    )
    record(households[3], 2024, meeting=april_meeting, votes_for=2, **in_april)
    record(
        households[3],
        2024,
        meeting=april_meeting,
        votes_for=15,
        kind="regular",
        reviewed_on=datetime.date(2024, 4, 25),
    )
    record(households[2], 2024, meeting=april_meeting, votes_for=1, **in_april)

    listed = {item.pk: item for item in review_selectors.review_round_list(commune=commune)}

    for review_round in (periodic, regular):
        status = review_status.status_at_round(review_round)
        assert listed[review_round.pk].surveyed == status.surveyed
        assert listed[review_round.pk].sent_back == len(review_status.sent_back_in(review_round))
    assert [(listed[r.pk].surveyed, listed[r.pk].sent_back) for r in (periodic, regular)] == [(3, 1), (2, 1)]


# --- Village meetings and votes -------------------------------------------------------------------------


def test_a_meeting_is_recorded_once_per_village_with_the_votes_on_each_result(village):
    review_round = round_2023(village.commune)
    first, second = factories.HouseholdFactory.create_batch(2, village=village)
    one, two = record(first), record(second, deprived=[])
    services.village_meeting_record(
        review_round=review_round, village=village, held_on=datetime.date(2023, 11, 20), attendance=40
    )
    meeting = services.village_meeting_record(
        review_round=review_round,
        village=village,
        held_on=datetime.date(2023, 11, 21),
        attendance=38,
        minutes_reference="BB-03/2023",
        votes={one.pk: 30, two.pk: 12},
    )
    assert VillageMeeting.objects.get() == meeting
    assert (meeting.held_on, meeting.attendance, meeting.minutes_reference) == (
        datetime.date(2023, 11, 21),
        38,
        "BB-03/2023",
    )
    assert list(Assessment.objects.order_by("pk").values_list("meeting_id", "votes_for")) == [
        (meeting.pk, 30),
        (meeting.pk, 12),
    ]
    assert review_status.sent_back_in(review_round) == [second.pk]


@pytest.mark.parametrize(
    "change, message",
    [
        (
            {"held_on": datetime.date(2023, 12, 15)},
            "The meeting is held during the round, from 01/09/2023 to 14/12/2023.",
        ),
        ({"votes": "too many"}, "41 agreeing is more than the 40 representatives present."),
        ({"votes": "fewer present"}, "30 agreeing is more than the 20 representatives present."),
    ],
)
def test_a_meeting_that_does_not_add_up_is_refused_and_changes_nothing(village, change, message):
    review_round = round_2023(village.commune)
    result = record(factories.HouseholdFactory(village=village))
    services.village_meeting_record(
        review_round=review_round,
        village=village,
        held_on=datetime.date(2023, 11, 20),
        attendance=40,
        votes={result.pk: 30},
    )
    arguments = {
        "review_round": review_round,
        "village": village,
        "held_on": datetime.date(2023, 11, 22),
        "attendance": 40,
    }
    if change.get("votes") == "too many":
        arguments["votes"] = {result.pk: 41}
    elif change.get("votes") == "fewer present":
        arguments["attendance"] = 20
    else:
        arguments.update(change)
    with pytest.raises(ValidationError) as refused:
        services.village_meeting_record(**arguments)
    assert refused.value.messages == [message]
    meeting = VillageMeeting.objects.get()
    assert (meeting.held_on, meeting.attendance) == (datetime.date(2023, 11, 20), 40)
    assert Assessment.objects.get().votes_for == 30


def test_votes_name_only_results_of_the_village_in_the_round(village):
    review_round = round_2023(village.commune)
    other_village = factories.VillageFactory(commune=village.commune)
    elsewhere = record(factories.HouseholdFactory(village=other_village))
    with pytest.raises(ValidationError, match="not of this village in this round"):
        services.village_meeting_record(
            review_round=review_round,
            village=village,
            held_on=datetime.date(2023, 11, 20),
            attendance=40,
            votes={elsewhere.pk: 20},
        )
    assert not VillageMeeting.objects.exists()


# --- Recording and correcting a result -------------------------------------------------------------


def test_a_result_is_corrected_in_place_while_its_round_is_open(village):
    household = factories.HouseholdFactory(village=village)
    round_2023(village.commune)
    first = record(household)
    cause = PovertyCause.objects.filter(active=True).first()
    need = SupportNeed.objects.filter(active=True).first()
    corrected = record(
        household, income=NEAR, deprived=["latrine"], assessment=first, causes=[cause.pk], needs=[need]
    )
    assert corrected.pk == first.pk and Assessment.objects.count() == 1
    corrected.refresh_from_db()
    assert (corrected.classification, corrected.income_per_capita_month) == (Level.NEAR_POOR, NEAR)
    assert list(corrected.deprivations.values_list("code", flat=True)) == ["latrine"]
    assert (list(household.causes.all()), list(household.needs.all())) == ([cause], [need])


def test_a_second_periodic_result_without_naming_the_first_is_refused_in_words(village):
    household = factories.HouseholdFactory(village=village)
    record(household)
    with pytest.raises(ValidationError) as refused:
        record(household, income=NEAR)
    assert refused.value.messages == [
        "The household already has a result in the periodic review of 2023: correct that one."
    ]


def test_a_result_of_a_closed_round_is_never_corrected(village):
    household = factories.HouseholdFactory(village=village)
    old = record(household, 2022)
    close(services.review_round_open(commune=village.commune, year=2022))
    round_2023(village.commune)
    with pytest.raises(ValidationError, match="Periodic review 2022 is closed"):
        record(household, 2023, income=NEAR, assessment=old)  # moving it into an open round too
    old.refresh_from_db()
    assert (old.review_year, old.income_per_capita_month) == (2022, POOR)


@pytest.mark.parametrize(
    "votes_for, meeting_village, message",
    [
        (20, None, "Record the village meeting before its votes."),
        (41, "own", "41 agreeing is more than the 40 representatives present."),
        (20, "other", "This is the meeting of another village."),
    ],
)
def test_votes_on_a_result_belong_to_its_village_meeting(village, votes_for, meeting_village, message):
    household = factories.HouseholdFactory(village=village)
    review_round = round_2023(village.commune)
    meetings = {
        "own": services.village_meeting_record(
            review_round=review_round, village=village, held_on=datetime.date(2023, 11, 20), attendance=40
        ),
        "other": services.village_meeting_record(
            review_round=review_round,
            village=factories.VillageFactory(commune=village.commune),
            held_on=datetime.date(2023, 11, 20),
            attendance=40,
        ),
        None: None,
    }
    with pytest.raises(ValidationError) as refused:
        record(household, meeting=meetings[meeting_village], votes_for=votes_for)
    assert refused.value.messages == [message]
    assert not Assessment.objects.exists()


def test_a_meeting_of_another_round_is_refused(village):
    household = factories.HouseholdFactory(village=village)
    review_round = round_2023(village.commune)
    meeting = services.village_meeting_record(
        review_round=review_round, village=village, held_on=datetime.date(2023, 11, 20), attendance=40
    )
    with pytest.raises(ValidationError, match="belongs to another review round"):
        record(household, 2024, meeting=meeting, votes_for=30)
