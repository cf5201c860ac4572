"""The commune's status at the end of a review: each resident household's classification then.

A review does not survey every household: the periodic review covers the households on the poor
and near-poor lists and those who apply or are identified, a regular review only those who apply
(Decision 24/2021/QĐ-TTg; shared/docs/domain.md §3). So a household's classification at the end
of a review is its latest assessment up to that review; a household not surveyed keeps the status
it had, and one never assessed is on no list. Every count of the commune (statistics, village
statistics, deprivations, the plan's situation figures, the report centre, the upper office's
area figures) is over all households resident at that date, from this one function.

A closed round froze its results (RoundResult): its statuses are read from them, so a later edit
never changes a closed year.
"""

import datetime
from dataclasses import dataclass, replace

from django.db.models import (
    Case,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractDay, ExtractMonth, ExtractYear

from households.classification import Level
from households.models import Assessment, Commune, Household, ReviewRound, RoundResult
from households.models.reviews import PERIODIC_END

ON_A_LIST = (Level.POOR, Level.NEAR_POOR)


@dataclass(frozen=True)
class HouseholdStatus:
    household_id: int
    commune_id: int
    village_id: int
    is_ethnic_minority: bool
    classification: str  # a Level code; Level.OTHER when never assessed
    assessment_id: int | None
    surveyed: bool  # assessed in the round itself
    deprived: tuple[int, ...]  # numbers of the indicators the assessment found deprived

    @property
    def is_poor(self) -> bool:
        return self.classification == Level.POOR

    @property
    def is_near_poor(self) -> bool:
        return self.classification == Level.NEAR_POOR


@dataclass(frozen=True)
class CommuneStatus:
    """The statuses at the end of a review, with what the review itself surveyed."""

    commune: Commune
    until: datetime.date
    round: ReviewRound | None
    households: list[HouseholdStatus]

    @property
    def surveyed(self) -> int:
        return sum(status.surveyed for status in self.households)

    @property
    def frozen(self) -> bool:
        return self.round is not None and self.round.is_closed


def _day_number(year, month, day):
    return year * 10000 + month * 100 + day


def assessment_day():
    """The day an assessment speaks for, as the number yyyymmdd: a periodic review's end (14 December
    of its year), a regular review's date (1 January of its year when undated). Periodic reviews carry
    a year but no reliable date, so the day is derived, not stored."""
    periodic_end = _day_number(0, *PERIODIC_END)
    regular = Coalesce(
        ExtractYear("reviewed_on") * 10000 + ExtractMonth("reviewed_on") * 100 + ExtractDay("reviewed_on"),
        F("review_year") * 10000 + Value(101),
    )
    return Case(
        When(kind=Assessment.Kind.PERIODIC, then=F("review_year") * 10000 + Value(periodic_end)),
        default=regular,
        output_field=IntegerField(),
    )


def round_assessments(review_round: ReviewRound) -> Q:
    """The assessments a round made (Q over Assessment)."""
    in_commune = Q(household__commune=review_round.commune)
    if review_round.kind == ReviewRound.Kind.PERIODIC:
        return in_commune & periodic_of(review_round.year)
    return in_commune & Q(
        kind=Assessment.Kind.REGULAR, reviewed_on__range=(review_round.starts_on, review_round.ends_on)
    )


def _sent_back() -> Q:
    """Under 50 % agreement at the village meeting sends the household back for checking: the
    assessment does not count until it is settled."""
    return Q(meeting__isnull=False, votes_for__isnull=False, votes_for__lt=F("meeting__attendance") / 2.0)


def sent_back_in(review_round: ReviewRound) -> list[int]:
    """Households of the round whose result the village meeting sent back and no later result
    of the round settled (ids)."""
    made = Assessment.objects.filter(round_assessments(review_round))
    back = set(made.filter(_sent_back()).values_list("household_id", flat=True))
    settled = set(
        made.exclude(_sent_back()).filter(household_id__in=back).values_list("household_id", flat=True)
    )
    return sorted(back - settled)


def counted_assessments(until: datetime.date) -> QuerySet[Assessment]:
    """The assessments that count at the end of `until`: speaking for a day up to it (annotated
    `day`, see assessment_day) and not sent back by their village meeting."""
    cutoff = _day_number(until.year, until.month, until.day)
    return Assessment.objects.exclude(_sent_back()).annotate(day=assessment_day()).filter(day__lte=cutoff)


def _resident(households: QuerySet[Household], until: datetime.date) -> QuerySet[Household]:
    """The households not archived by that day (archived later: they lived there then)."""
    end_of_day = datetime.datetime.combine(until, datetime.time.max, tzinfo=datetime.UTC)
    return households.filter(Q(archived_at__isnull=True) | Q(archived_at__gt=end_of_day))


def _live(
    households: QuerySet[Household], until: datetime.date, surveyed: Q | None, with_deprived: bool = True
) -> list[HouseholdStatus]:
    """Each resident household of the set with its latest counted assessment up to `until`, and
    whether it has an assessment matching `surveyed`. Two queries whatever the number (one without
    the deprived indicators)."""
    counted = counted_assessments(until).filter(household=OuterRef("pk")).order_by("-day", "-pk")
    in_round = (
        Exists(Assessment.objects.filter(surveyed, household=OuterRef("pk")))
        if surveyed is not None
        else Value(False)
    )
    rows = list(
        _resident(households, until)
        .annotate(
            latest_id=Subquery(counted.values("pk")[:1]),
            latest_class=Subquery(counted.values("classification")[:1]),
            in_round=in_round,
        )
        .order_by("pk")
        .values_list(
            "pk", "commune_id", "village_id", "is_ethnic_minority", "latest_id", "latest_class", "in_round"
        )
    )
    deprived = _deprived([row[4] for row in rows if row[4] is not None]) if with_deprived else {}
    return [
        HouseholdStatus(
            household_id=pk,
            commune_id=commune_id,
            village_id=village_id,
            is_ethnic_minority=minority,
            classification=level or Level.OTHER,
            assessment_id=assessment_id,
            surveyed=bool(was_surveyed),
            deprived=deprived.get(assessment_id, ()),
        )
        for pk, commune_id, village_id, minority, assessment_id, level, was_surveyed in rows
    ]


def status_at(
    *,
    commune: Commune,
    until: datetime.date,
    review_round: ReviewRound | None = None,
    with_deprived: bool = True,
) -> CommuneStatus:
    """Every resident household's classification at the end of `until` (the round's end when a round
    is given; its own assessments are then "surveyed"). Two queries whatever the number of
    households; a closed round's frozen results in one."""
    if review_round is not None and review_round.is_closed:
        households = _frozen(RoundResult.objects.filter(round=review_round))
    else:
        surveyed = round_assessments(review_round) if review_round is not None else None
        households = _live(Household.objects.filter(commune=commune), until, surveyed, with_deprived)
    return CommuneStatus(commune=commune, until=until, round=review_round, households=households)


def statuses_after_periodic_reviews(
    *, communes: list[Commune], year: int
) -> dict[int, list[HouseholdStatus]]:
    """For an area: each commune's statuses at the end of its periodic review of the year (frozen
    where its round is closed), by commune id. Four queries whatever the number of communes."""
    rounds = ReviewRound.objects.filter(commune__in=communes, year=year, kind=ReviewRound.Kind.PERIODIC)
    closed = [review_round.pk for review_round in rounds if review_round.is_closed]
    frozen_communes = {review_round.commune_id for review_round in rounds if review_round.is_closed}
    found: dict[int, list[HouseholdStatus]] = {commune.pk: [] for commune in communes}
    for status in _frozen(RoundResult.objects.filter(round_id__in=closed)) if closed else []:
        found[status.commune_id].append(status)
    live = [commune.pk for commune in communes if commune.pk not in frozen_communes]
    if live:
        end = datetime.date(year, *PERIODIC_END)
        for status in _live(Household.objects.filter(commune_id__in=live), end, periodic_of(year)):
            found[status.commune_id].append(status)
    return found


def status_at_round(review_round: ReviewRound, *, with_deprived: bool = True) -> CommuneStatus:
    return status_at(
        commune=review_round.commune,
        until=review_round.ends_on,
        review_round=review_round,
        with_deprived=with_deprived,
    )


ID_BATCH = 20_000  # under SQLite's 32,766 query parameters: one query for any commune


def _deprived(assessment_ids: list[int]) -> dict[int, tuple[int, ...]]:
    found: dict[int, list[int]] = {}
    for start in range(0, len(assessment_ids), ID_BATCH):
        links = Assessment.deprivations.through.objects.filter(
            assessment_id__in=assessment_ids[start : start + ID_BATCH]
        )
        for assessment_id, number in links.values_list("assessment_id", "indicator__number"):
            found.setdefault(assessment_id, []).append(number)
    return {key: tuple(sorted(numbers)) for key, numbers in found.items()}


def _frozen(results: QuerySet[RoundResult]) -> list[HouseholdStatus]:
    rows = results.order_by("household_id").values_list(
        "household_id",
        "round__commune_id",
        "village_id",
        "is_ethnic_minority",
        "classification",
        "assessment_id",
        "surveyed",
        "deprived",
    )
    return [
        HouseholdStatus(
            household_id=household_id,
            commune_id=commune_id,
            village_id=village_id,
            is_ethnic_minority=minority,
            classification=level,
            assessment_id=assessment_id,
            surveyed=surveyed,
            deprived=tuple(deprived),
        )
        for household_id, commune_id, village_id, minority, level, assessment_id, surveyed, deprived in rows
    ]


def periodic_round(*, commune: Commune, year: int) -> ReviewRound | None:
    return ReviewRound.objects.filter(commune=commune, year=year, kind=ReviewRound.Kind.PERIODIC).first()


def status_after_periodic_review(*, commune: Commune, year: int, with_deprived: bool = True) -> CommuneStatus:
    """The status at the end of the year's periodic review (its round's end, else 14 December);
    `with_deprived=False` leaves out the deprived indicators (one query less)."""
    review_round = periodic_round(commune=commune, year=year)
    return status_after_round_of(
        commune=commune, year=year, review_round=review_round, with_deprived=with_deprived
    )


def status_after_round_of(
    *, commune: Commune, year: int, review_round: ReviewRound | None, with_deprived: bool = True
) -> CommuneStatus:
    """status_after_periodic_review when the year's periodic round (or None) is already at hand:
    for a reader of several years, who fetches the rounds once (households.review_movement)."""
    if review_round is not None:  # the commune given, not review_round.commune: no query for it
        return status_at(
            commune=commune,
            until=review_round.ends_on,
            review_round=review_round,
            with_deprived=with_deprived,
        )
    end = datetime.date(year, *PERIODIC_END)  # no round recorded: results imported for the year
    households = _live(Household.objects.filter(commune=commune), end, periodic_of(year), with_deprived)
    return CommuneStatus(commune=commune, until=end, round=None, households=households)


def statuses_after_periodic_reviews_of(
    *, commune: Commune | int, years: list[int], households: QuerySet[Household]
) -> dict[int, CommuneStatus]:
    """year → the status at the end of that year's periodic review of some of the commune's
    households (a Commune or its id): what status_after_periodic_review says of each, read for
    these alone (a household page, the households of a plan), with the year's round (None when
    none was recorded; frozen once closed). One query for the rounds, one per year and one for the
    deprived indicators, whatever the number of households."""
    rounds = {
        review_round.year: review_round
        for review_round in ReviewRound.objects.filter(
            commune=commune, year__in=years, kind=ReviewRound.Kind.PERIODIC
        ).select_related("commune")  # round_assessments() reads it
    }
    found: dict[int, CommuneStatus] = {}
    for year in years:
        review_round = rounds.get(year)
        if review_round is not None and review_round.is_closed:
            statuses = _frozen(RoundResult.objects.filter(round=review_round, household__in=households))
            until = review_round.ends_on
        elif review_round is not None:
            until = review_round.ends_on
            statuses = _live(households, until, round_assessments(review_round), with_deprived=False)
        else:
            until = datetime.date(year, *PERIODIC_END)
            statuses = _live(households, until, periodic_of(year), with_deprived=False)
        found[year] = CommuneStatus(commune=commune, until=until, round=review_round, households=statuses)
    live = [
        status.assessment_id
        for review in found.values()
        if not review.frozen
        for status in review.households
        if status.assessment_id is not None
    ]
    deprived = _deprived(live) if live else {}
    for review in found.values():
        if not review.frozen:
            review.households[:] = [
                replace(status, deprived=deprived.get(status.assessment_id, ()))
                for status in review.households
            ]
    return found


def periodic_of(year: int) -> Q:
    """The periodic assessments of a year (Q over Assessment)."""
    return Q(kind=Assessment.Kind.PERIODIC, review_year=year)
