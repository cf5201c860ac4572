"""Movement between two periodic reviews, and what became of each year's exited households.

Reads only. The statuses are those of households.review_status (a closed round's frozen results);
the categories are households.movement's. Each review is read once per `PeriodicReviews`, so the
movement between two reviews and the exit cohorts of every year share the same reads.

Villages: a household is counted in the village it lives in at the end review (its last village
when it has left), at the start as at the end, so that each village's table adds up and the
villages sum to the commune.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q

from households import review_status
from households.classification import Level
from households.models import Assessment, Commune, Household, ReviewRound, Village
from households.movement import DECREASES, FLOWS, INCREASES, Movement, movement
from households.review_status import ON_A_LIST, CommuneStatus, counted_assessments
from povertyplan.text import vietnamese_sort_key

ID_BATCH = review_status.ID_BATCH


class PeriodicReviews:
    """The commune's periodic reviews: the years held and the status at the end of each, read once.

    A year "has a review" when it has a periodic round or periodic results (the results of a year
    imported without a round count too). One query for the rounds, one for the years when asked;
    then one per year whose status is asked for (without the deprived indicators, which these
    readers do not use), whatever the number of households.
    """

    def __init__(self, commune: Commune):
        self.commune = commune
        rounds = ReviewRound.objects.filter(commune=commune, kind=ReviewRound.Kind.PERIODIC)
        self.rounds: dict[int, ReviewRound] = {}
        for review_round in rounds:
            review_round.commune = commune  # the status reads it: no query per round
            self.rounds[review_round.year] = review_round
        self._years: list[int] | None = None
        self._statuses: dict[int, CommuneStatus] = {}

    @property
    def years(self) -> list[int]:
        """Years with a periodic review, oldest first."""
        if self._years is None:
            recorded = (
                Assessment.objects.filter(household__commune=self.commune, kind=Assessment.Kind.PERIODIC)
                .order_by()
                .values_list("review_year", flat=True)
                .distinct()
            )
            self._years = sorted(set(self.rounds) | set(recorded))
        return self._years

    def status(self, year: int) -> CommuneStatus:
        """The status at the end of the year's periodic review (review_status's rule)."""
        if year not in self._statuses:
            self._statuses[year] = review_status.status_after_round_of(
                commune=self.commune, year=year, review_round=self.rounds.get(year), with_deprived=False
            )
        return self._statuses[year]


# --- movement between two reviews -----------------------------------------------------------------


@dataclass(frozen=True)
class ListFigures:
    """One movement table's line (poor or near-poor) for a village or the commune."""

    start: int
    decreases: dict[str, int]  # Cause → households
    increases: dict[str, int]
    end: int

    @property
    def decreased(self) -> int:
        return sum(self.decreases.values())

    @property
    def increased(self) -> int:
        return sum(self.increases.values())

    @property
    def balances(self) -> bool:
        return self.start - self.decreased + self.increased == self.end


@dataclass(frozen=True)
class MovedHousehold:
    household_id: int
    code: str
    head_name: str
    village_id: int
    village: str
    before: str | None  # Level code at the start review; None: not resident then
    after: str | None
    category: str  # a Movement code


@dataclass
class PlaceMovement:
    """A village's movement (village_id None: the commune's, the sum of its villages)."""

    village_id: int | None
    name: str
    counts: Counter = field(default_factory=Counter)  # Movement → households
    poor: ListFigures | None = None
    near_poor: ListFigures | None = None


@dataclass
class CommuneMovement:
    commune: Commune
    start_year: int
    end_year: int
    start: CommuneStatus
    end: CommuneStatus
    villages: list[PlaceMovement]  # every village of the commune, in Vietnamese order
    total: PlaceMovement
    households: list[MovedHousehold]  # every reported household, by category, village and head

    def group(self, category: str) -> list[MovedHousehold]:
        return [household for household in self.households if household.category == category]


def _figures(moved: list[tuple[str | None, str | None, str]], which: str, attribute: str) -> ListFigures:
    """The table line of `which` list: start and end counted from the statuses, the changes from
    the categories (so that start − decreases + increases = end is a check, not a construction)."""
    decreases = dict.fromkeys(DECREASES, 0)
    increases = dict.fromkeys(INCREASES, 0)
    for _before, _after, category in moved:
        flow = getattr(FLOWS[category], attribute)
        if flow in decreases:
            decreases[flow] += 1
        elif flow in increases:
            increases[flow] += 1
    return ListFigures(
        start=sum(before == which for before, _after, _category in moved),
        decreases=decreases,
        increases=increases,
        end=sum(after == which for _before, after, _category in moved),
    )


def _place(village_id, name, moved) -> PlaceMovement:
    return PlaceMovement(
        village_id=village_id,
        name=name,
        counts=Counter(category for _before, _after, category in moved),
        poor=_figures(moved, Level.POOR, "poor"),
        near_poor=_figures(moved, Level.NEAR_POOR, "near_poor"),
    )


def _households_with_history(ids: list[int], until: datetime.date) -> dict[int, tuple]:
    """id → (code, head, was poor, was near-poor up to `until`), one query for any commune."""
    counted = counted_assessments(until).filter(household=OuterRef("pk"))
    found = {}
    for start in range(0, len(ids), ID_BATCH):
        rows = (
            Household.objects.filter(pk__in=ids[start : start + ID_BATCH])
            .annotate(
                was_poor=Exists(counted.filter(classification=Level.POOR)),
                was_near_poor=Exists(counted.filter(classification=Level.NEAR_POOR)),
            )
            .values_list("pk", "code", "head_name", "was_poor", "was_near_poor")
        )
        found.update({row[0]: row[1:] for row in rows})
    return found


@dataclass(frozen=True)
class Moved:
    """A household on a list at either of two statuses, with its category between them."""

    household_id: int
    code: str
    head_name: str
    village_id: int  # its village at the end (its last one when it has left)
    before: str | None  # Level code at the start; None: not resident then
    after: str | None
    category: str  # a Movement code


def movements(*, start: CommuneStatus, end: CommuneStatus) -> list[Moved]:
    """Every household on a list at `start` or `end` with its movement between them (households.
    movement's rule, the history read up to `start`). One query whatever the number of households.

    The periodic reviews' movement (movement_between) and a round's decision recognising the lists
    (the households that exited since the previous review) both read it."""
    before = {status.household_id: status for status in start.households}
    after = {status.household_id: status for status in end.households}
    listed = sorted(
        pk
        for pk in before.keys() | after.keys()
        if (pk in before and before[pk].classification in ON_A_LIST)
        or (pk in after and after[pk].classification in ON_A_LIST)
    )
    history = _households_with_history(listed, start.until)
    moved = []
    for pk in listed:
        code, head, was_poor, was_near_poor = history.get(pk, ("", "", False, False))
        was = before[pk].classification if pk in before else None
        now = after[pk].classification if pk in after else None
        category = movement(was, now, was_poor=was_poor, was_near_poor=was_near_poor)
        village_id = (after.get(pk) or before[pk]).village_id
        moved.append(Moved(pk, code, head, village_id, was, now, category))
    return moved


def movement_between(
    *, commune: Commune, start_year: int, end_year: int, reviews: PeriodicReviews | None = None
) -> CommuneMovement:
    """Every household's movement from the periodic review of `start_year` to that of `end_year`,
    counted per village and for the commune, with the households of each category.

    Five queries whatever the number of households: the rounds, the two statuses, the listed
    households with their history, the villages (fewer when `reviews` has read them already).
    """
    reviews = reviews or PeriodicReviews(commune)
    start, end = reviews.status(start_year), reviews.status(end_year)
    found = movements(start=start, end=end)
    villages = {
        pk: name
        for pk, name in Village.objects.filter(
            Q(commune=commune) | Q(pk__in={item.village_id for item in found})
        ).values_list("pk", "name")
    }
    moved: list[MovedHousehold] = [
        MovedHousehold(
            item.household_id,
            item.code,
            item.head_name,
            item.village_id,
            villages.get(item.village_id, ""),
            item.before,
            item.after,
            item.category,
        )
        for item in found
    ]
    order = {category: index for index, category in enumerate(Movement)}
    moved.sort(
        key=lambda h: (order[h.category], vietnamese_sort_key(h.village), vietnamese_sort_key(h.head_name))
    )

    by_village: dict[int, list] = {}
    for household in moved:
        by_village.setdefault(household.village_id, []).append(
            (household.before, household.after, household.category)
        )
    rows = [
        _place(pk, name, by_village.get(pk, []))
        for pk, name in sorted(villages.items(), key=lambda item: vietnamese_sort_key(item[1]))
    ]
    total = _place(None, commune.name, [(h.before, h.after, h.category) for h in moved])
    return CommuneMovement(
        commune=commune,
        start_year=start_year,
        end_year=end_year,
        start=start,
        end=end,
        villages=rows,
        total=total,
        households=moved,
    )


# --- re-entry by exit cohort ----------------------------------------------------------------------


@dataclass(frozen=True)
class CohortFollowUp:
    """Where a cohort's households stand at a later periodic review."""

    year: int
    near_poor: int
    poor: int  # poor again (tái nghèo), whatever the way back
    neither: int  # average-living or on no list
    gone: int  # no longer resident

    @property
    def households(self) -> int:
        return self.near_poor + self.poor + self.neither + self.gone


@dataclass(frozen=True)
class ExitCohort:
    """The households that exited poverty in `year`: resident and poor at the periodic review of
    year − 1, resident and not poor at that of `year` (to near-poor or off both lists)."""

    year: int
    households: int
    to_near_poor: int  # near-poor at the exit review itself
    follow_ups: list[CohortFollowUp]


def exit_cohorts(
    *, commune: Commune, until_year: int | None = None, reviews: PeriodicReviews | None = None
) -> list[ExitCohort]:
    """Each year's exit cohort (every review year after the first, up to `until_year`), followed
    at every later periodic review held, as far as reviews exist.

    Queries: the rounds and the years (two), then one or two per review year read (the statuses),
    whatever the number of households.
    """
    reviews = reviews or PeriodicReviews(commune)
    years = reviews.years
    cohorts = []
    for year in years:
        if year == years[0] or (until_year is not None and year > until_year):
            continue
        before = {s.household_id: s.classification for s in reviews.status(year - 1).households}
        exited = {
            s.household_id: s.classification
            for s in reviews.status(year).households
            if before.get(s.household_id) == Level.POOR and s.classification != Level.POOR
        }
        follow_ups = []
        for later in (y for y in years if y > year):
            now = {s.household_id: s.classification for s in reviews.status(later).households}
            levels = Counter(now.get(pk) for pk in exited)
            follow_ups.append(
                CohortFollowUp(
                    year=later,
                    near_poor=levels[Level.NEAR_POOR],
                    poor=levels[Level.POOR],
                    gone=levels[None],
                    neither=len(exited) - levels[Level.NEAR_POOR] - levels[Level.POOR] - levels[None],
                )
            )
        cohorts.append(
            ExitCohort(
                year=year,
                households=len(exited),
                to_near_poor=sum(level == Level.NEAR_POOR for level in exited.values()),
                follow_ups=follow_ups,
            )
        )
    return cohorts
