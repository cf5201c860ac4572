"""Whether a household registered to exit poverty did exit: the plan year's periodic review says so.

A registration is local practice; a household leaves the poor list only through the review
(Decision 24/2021/QĐ-TTg; shared/docs/domain.md §3). So the outcome of a registration in plan year
N is read from the household's status at the end of the periodic review of N
(households.review_status), never from a stored value someone could set against it: exited when
the household is no longer poor then, not exited when it still is. The review decides once its
round is closed (its results frozen); for a year whose results were imported without a round, a
household's own periodic result of the year decides. Until then the page shows the stored progress
(registered / in progress).

Households that exited poverty at a review keep some support for a few years after
(settings.POST_EXIT_SUPPORT_YEARS): `post_exit_support` lists them for a year.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from households import review_status
from households.classification import Level
from households.models import Indicator
from households.review_status import HouseholdStatus
from plans.models import ExitRegistration

Outcome = ExitRegistration.Outcome
PROGRESS = (Outcome.REGISTERED, Outcome.IN_PROGRESS)


def exit_outcome(*, stored: str, at_review: str | None) -> str:
    """The outcome of a registration: `stored` is its stored status, `at_review` the household's
    classification at the end of the plan year's periodic review once that review has decided
    (None before). The review always wins; a stored "exited"/"did not exit" of old data counts as
    "in progress" until the review decides."""
    if at_review is not None:
        return Outcome.NOT_EXITED if at_review == Level.POOR else Outcome.EXITED
    return stored if stored in PROGRESS else Outcome.IN_PROGRESS


@dataclass(frozen=True)
class Deprivation:
    number: int
    name: str

    def __str__(self):
        return f"{self.number} ({self.name.lower()})" if self.name else str(self.number)


@dataclass(frozen=True)
class ExitResult:
    """A registration's outcome, with the household's status at the end of the review that decided it."""

    outcome: str  # an ExitRegistration.Outcome code
    review_year: int
    classification: str | None  # at the end of the review; None while it has not decided
    remaining: tuple[Deprivation, ...] = ()  # the indicators still deprived then

    @property
    def label(self) -> str:
        return str(Outcome(self.outcome).label)

    @property
    def decided(self) -> bool:
        return self.classification is not None

    @property
    def exited(self) -> bool:
        return self.outcome == Outcome.EXITED

    @property
    def remaining_numbers(self) -> list[int]:
        return [item.number for item in self.remaining]

    @property
    def remaining_text(self) -> str:
        """ "4 (bảo hiểm y tế), 7 (chất lượng nhà ở)"; "" when none."""
        return ", ".join(str(item) for item in self.remaining)


def decided_statuses(*, commune, year: int, with_deprived: bool = True) -> dict[int, HouseholdStatus]:
    """household id → its status at the end of the year's periodic review, for the households the
    review has decided: all resident ones once the round is closed; where no round was recorded
    (results imported), those with a periodic result of the year; none while the round is open.
    At most four queries whatever the number of households."""
    review_round = review_status.periodic_round(commune=commune, year=year)
    if review_round is not None and not review_round.is_closed:
        return {}
    status = review_status.status_after_round_of(
        commune=commune, year=year, review_round=review_round, with_deprived=with_deprived
    )
    return {
        item.household_id: item for item in status.households if review_round is not None or item.surveyed
    }


def indicator_names(year: int) -> dict[int, str]:
    """Indicator number → name in the standard of the review year (one query)."""
    return dict(
        Indicator.objects.filter(standard__start_year__lte=year, standard__end_year__gte=year).values_list(
            "number", "name"
        )
    )


def outcomes_of(
    *, commune, year: int, stored: dict[int, str], with_remaining: bool = True
) -> dict[int, ExitResult]:
    """household id → the outcome of its registration in the plan of `year`, for the households of
    `stored` (household id → stored status) in `commune` (a Commune or its id). Constant queries;
    two fewer without the remaining deprivations."""
    if not stored:
        return {}
    decided = decided_statuses(commune=commune, year=year, with_deprived=with_remaining)
    names = indicator_names(year) if decided and with_remaining else {}
    found = {}
    for household_id, status in stored.items():
        at_review = decided.get(household_id)
        found[household_id] = ExitResult(
            outcome=exit_outcome(
                stored=status, at_review=at_review.classification if at_review is not None else None
            ),
            review_year=year,
            classification=at_review.classification if at_review is not None else None,
            remaining=tuple(Deprivation(number, names.get(number, "")) for number in at_review.deprived)
            if at_review is not None
            else (),
        )
    return found


def outcomes_for(entries: Iterable[tuple[int, int, int, str]]) -> dict[tuple[int, int], ExitResult]:
    """(household id, plan year) → the outcome, for entries (household id, commune id, plan year,
    stored status) of any communes and years: constant queries per distinct commune and year."""
    grouped: dict[tuple[int, int], dict[int, str]] = defaultdict(dict)
    for household_id, commune_id, year, stored in entries:
        grouped[(commune_id, year)][household_id] = stored
    found = {}
    for (commune_id, year), stored in grouped.items():
        for household_id, result in outcomes_of(commune=commune_id, year=year, stored=stored).items():
            found[(household_id, year)] = result
    return found


def registration_outcomes(registrations: Iterable[ExitRegistration]) -> dict[int, ExitResult]:
    """registration id → its outcome; the registrations' plans must be loaded (select_related)."""
    registrations = list(registrations)
    found = outcomes_for((r.household_id, r.plan.commune_id, r.plan.year, r.status) for r in registrations)
    return {r.pk: found[(r.household_id, r.plan.year)] for r in registrations}


def plan_outcomes(plan, *, with_remaining: bool = True) -> dict[int, ExitResult]:
    """household id → the outcome of its registration in the plan (constant queries)."""
    stored = dict(ExitRegistration.objects.filter(plan=plan).values_list("household_id", "status"))
    return outcomes_of(commune=plan.commune_id, year=plan.year, stored=stored, with_remaining=with_remaining)


# --- Support after exit ---------------------------------------------------------------------------


def _exits(decided: dict[int, HouseholdStatus], poor_before: set[int]) -> set[int]:
    return {pk for pk in poor_before if pk in decided and not decided[pk].is_poor}


def _poor_at(*, commune, year: int) -> set[int]:
    status = review_status.status_after_periodic_review(commune=commune, year=year, with_deprived=False)
    return {item.household_id for item in status.households if item.is_poor}


def exited_at_review(*, commune, year: int) -> set[int]:
    """Households that exited poverty at the year's periodic review: poor at the end of the review
    before it, no longer poor at the end of this one, as this one has decided (constant queries)."""
    decided = decided_statuses(commune=commune, year=year, with_deprived=False)
    return _exits(decided, _poor_at(commune=commune, year=year - 1)) if decided else set()


def post_exit_years(exit_year: int) -> tuple[int, int]:
    """The first and last year of support after an exit at the end of `exit_year`'s review."""
    return exit_year + 1, exit_year + settings.POST_EXIT_SUPPORT_YEARS


@dataclass(frozen=True)
class PostExit:
    exit_year: int

    @property
    def first_year(self) -> int:
        return post_exit_years(self.exit_year)[0]

    @property
    def last_year(self) -> int:
        return post_exit_years(self.exit_year)[1]


def post_exit_support(*, commune, year: int) -> dict[int, PostExit]:
    """household id → its exit, for the households in post-exit support in `year`: those that
    exited poverty at the periodic review of one of the POST_EXIT_SUPPORT_YEARS years before it
    (the latest exit when a household exited twice). Constant queries for a given setting."""
    found: dict[int, PostExit] = {}
    for exit_year in range(year - settings.POST_EXIT_SUPPORT_YEARS, year):
        for household_id in exited_at_review(commune=commune, year=exit_year):
            found[household_id] = PostExit(exit_year=exit_year)
    return found


def household_post_exit(*, household, assessments, today: datetime.date | None = None) -> PostExit | None:
    """The household's post-exit support this year, if any (its page's mark). Only the years where
    one of its `assessments` (all of them, already loaded) left it off the poor list can be exit
    years, so a household with none asks nothing of the database."""
    year = (today or timezone.localdate()).year
    window = range(year - settings.POST_EXIT_SUPPORT_YEARS, year)
    years = {a.review_year for a in assessments if a.classification != Level.POOR and a.review_year in window}
    for exit_year in sorted(years, reverse=True):
        if household.pk in exited_at_review(commune=household.commune_id, year=exit_year):
            return PostExit(exit_year=exit_year)
    return None
