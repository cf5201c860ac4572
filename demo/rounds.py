"""The demo's review rounds: 2022 closed (the plan's baseline), 2023 surveyed and left open.

2022: the periodic round whose results the 2023 plan quotes (242 poor households, 20,86%), closed
under a decision marked as synthetic: the real decision's number is not in the seed.

2023: the periodic round that surveyed the households on the lists at the end of 2022 (the
households registered to exit, whose review demo.year_end draws, and every other poor and near-poor
household, whose 2023 result repeats its 2022 one: INVENTED, the seed says nothing of them), with a
village meeting in each village that had households to discuss (minutes references marked as
synthetic). It is left open, so that the commune officer closes it in the application and starts
the 2024 plan from it: the seed's year is 2023, and the commune's later history is not invented.

Idempotent: the rounds are found by commune and year, the copied results by household and year.
"""

import datetime

from households import review_status, services
from households.classification import Level
from households.models import Assessment, Commune, ReviewRound, VillageMeeting

from . import data

BASELINE_DECISION = ("Số liệu mô phỏng – QĐ công nhận 2022", datetime.date(2022, 12, 20))
MINUTES = "Biên bản họp thôn (mô phỏng)"
MEETING_DAY = datetime.date(2023, 11, 20)


def load_rounds(commune: Commune, *, by) -> int:
    """The 2022 round closed, the 2023 round surveyed and open; returns how many rows were created."""
    created = 0
    baseline = review_status.periodic_round(commune=commune, year=data.REVIEW_YEAR)
    if baseline is None:
        baseline = services.review_round_open(commune=commune, year=data.REVIEW_YEAR, by=by)
        created += 1
    if not baseline.is_closed:
        number, day = BASELINE_DECISION
        services.review_round_close(review_round=baseline, decision_number=number, decision_date=day, by=by)
        created += baseline.results.count()
    year_end = review_status.periodic_round(commune=commune, year=data.YEAR_END_REVIEW_YEAR)
    if year_end is None:
        year_end = services.review_round_open(commune=commune, year=data.YEAR_END_REVIEW_YEAR, by=by)
        created += 1
    if not year_end.is_closed:
        created += survey_the_lists(year_end, baseline, by=by)
        created += hold_meetings(year_end, by=by)
    return created


def survey_the_lists(year_end: ReviewRound, baseline: ReviewRound, *, by) -> int:
    """Each household on the 2022 lists without a 2023 result gets its 2022 result again."""
    listed = [
        result.assessment_id
        for result in baseline.results.all()
        if result.classification in (Level.POOR, Level.NEAR_POOR)
    ]
    done = set(
        Assessment.objects.filter(
            household__commune=year_end.commune, review_year=year_end.year, kind=Assessment.Kind.PERIODIC
        ).values_list("household_id", flat=True)
    )
    earlier = (
        Assessment.objects.filter(pk__in=listed)
        .exclude(household_id__in=done)
        .prefetch_related("deprivations")
        .order_by("household_id")
    )
    copies = []
    for old in earlier:
        copies.append(
            (
                Assessment(
                    household_id=old.household_id,
                    review_year=year_end.year,
                    kind=Assessment.Kind.PERIODIC,
                    reviewed_on=MEETING_DAY - datetime.timedelta(days=10),
                    standard_id=old.standard_id,
                    income_per_capita_month=old.income_per_capita_month,
                    b1_score=old.b1_score,
                    computed_classification=old.computed_classification,
                    classification=old.classification,
                    adjustment_reason=old.adjustment_reason,
                    created_by=by,
                    updated_by=by,
                ),
                [indicator.pk for indicator in old.deprivations.all()],
            )
        )
    Assessment.objects.bulk_create([assessment for assessment, _deprived in copies], batch_size=500)
    Link = Assessment.deprivations.through
    Link.objects.bulk_create(
        [
            Link(assessment_id=assessment.pk, indicator_id=indicator_id)
            for assessment, deprived in copies
            for indicator_id in deprived
        ],
        batch_size=1000,
    )
    return len(copies)


def hold_meetings(year_end: ReviewRound, *, by) -> int:
    """A meeting in each village with households surveyed; each result agreed by most of those present."""
    surveyed = Assessment.objects.filter(review_status.round_assessments(year_end)).select_related(
        "household"
    )
    by_village: dict[int, list[Assessment]] = {}
    for assessment in surveyed.order_by("household__village_id", "household_id"):
        by_village.setdefault(assessment.household.village_id, []).append(assessment)
    created = 0
    for village_id, assessments in by_village.items():
        meeting = VillageMeeting.objects.filter(round=year_end, village_id=village_id).first()
        if meeting is None:
            attendance = 20 + len(assessments) % 25
            meeting = VillageMeeting.objects.create(
                round=year_end,
                village_id=village_id,
                held_on=MEETING_DAY,
                attendance=attendance,
                minutes_reference=MINUTES,
                created_by=by,
                updated_by=by,
            )
            created += 1
        for number, assessment in enumerate(assessments):
            if assessment.meeting_id is None:
                assessment.meeting = meeting
                assessment.votes_for = meeting.attendance - number % 4  # all well over half
        Assessment.objects.bulk_update(assessments, ["meeting", "votes_for"])
    return created
