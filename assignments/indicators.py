"""Support aimed at what a household lacks, and whether it worked.

A support action may name the deprivation indicators it addresses (a water tank → water_source).
For a registered household, each indicator is followed through the plan: deprived at the plan's
baseline review → supported during the plan year (how many actions, what value) → met or still
deprived at the plan year's periodic review. Statuses come from households.review_status, so the
page, the year-end report and every count of the commune read a review the same way.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Subquery
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from households import review_status
from households.models import Household, Indicator
from households.review_status import CommuneStatus, HouseholdStatus
from households.selectors import REVIEWS_LATEST_FIRST

# An indicator's reading at a review.
DEPRIVED = "deprived"
MET = "met"
NOT_REVIEWED = "not_reviewed"

BASELINE_LABELS = {
    DEPRIVED: pgettext_lazy("indicator", "deprived"),
    MET: pgettext_lazy("indicator at the baseline review", "not deprived"),
    NOT_REVIEWED: _("no review result"),
}
CLOSING_LABELS = {
    DEPRIVED: pgettext_lazy("indicator at the closing review", "still deprived"),
    MET: pgettext_lazy("indicator at the closing review", "now met"),
    NOT_REVIEWED: _("not yet reviewed"),
}


@dataclass(frozen=True)
class IndicatorProgress:
    number: int
    name: str
    at_baseline: str  # DEPRIVED, MET or NOT_REVIEWED
    actions: int  # support actions of the plan year that named it (corrected entries once)
    value_vnd: int  # their value; an action naming several indicators counts under each
    at_closing: str

    @property
    def baseline_label(self) -> str:
        return str(BASELINE_LABELS[self.at_baseline])

    @property
    def closing_label(self) -> str:
        return str(CLOSING_LABELS[self.at_closing])


def _reading(deprived: tuple[int, ...] | None, number: int) -> str:
    if deprived is None:
        return NOT_REVIEWED
    return DEPRIVED if number in deprived else MET


def indicator_progress(
    *,
    names: dict[int, str],
    baseline: Iterable[int] | None,
    closing: Iterable[int] | None,
    supports: Iterable[tuple[int, Iterable[int]]],
) -> list[IndicatorProgress]:
    """One row per indicator deprived at the baseline review or supported, by number.

    `baseline` and `closing` are the numbers deprived at each review, None when that review has
    no result for the household; `supports` are (value in đồng, numbers named) per counted action.
    """
    baseline = None if baseline is None else tuple(baseline)
    closing = None if closing is None else tuple(closing)
    actions: Counter[int] = Counter()
    values: Counter[int] = Counter()
    for value, numbers in supports:
        for number in set(numbers):
            actions[number] += 1
            values[number] += value
    listed = sorted(set(baseline or ()) | set(actions))
    return [
        IndicatorProgress(
            number=number,
            name=names.get(number, ""),
            at_baseline=_reading(baseline, number),
            actions=actions[number],
            value_vnd=values[number],
            at_closing=_reading(closing, number),
        )
        for number in listed
    ]


def baseline_deprived(status: HouseholdStatus | None) -> tuple[int, ...] | None:
    """What the baseline review says: the household's status then (None: it had no result yet)."""
    if status is None or status.assessment_id is None:
        return None
    return status.deprived


def closing_deprived(status: HouseholdStatus | None, review: CommuneStatus) -> tuple[int, ...] | None:
    """What the plan year's periodic review says, once it has decided (None: not yet reviewed): its
    round closed, the lists final; where results were imported without a round, the household's
    own result of that review. The exit outcome reads a review the same way (plans.outcomes)."""
    if status is None or status.assessment_id is None:
        return None
    if review.round is not None:
        return status.deprived if review.frozen else None
    return status.deprived if status.surveyed else None


def plan_readings(plan, households) -> tuple[dict[int, tuple | None], dict[int, tuple | None]]:
    """(baseline, closing): household id → the indicators deprived at the end of the plan's baseline
    review, and as the plan year's periodic review decided (baseline_deprived, closing_deprived),
    from households.review_status (three to four queries)."""
    years = sorted({plan.baseline_review_year, plan.year})
    found = review_status.statuses_after_periodic_reviews_of(
        commune=plan.commune_id, years=years, households=households
    )
    review = found[plan.year]
    return (
        {
            status.household_id: baseline_deprived(status)
            for status in found[plan.baseline_review_year].households
        },
        {status.household_id: closing_deprived(status, review) for status in review.households},
    )


def indicator_names(year: int) -> dict[int, str]:
    """Indicator number → short name in the standard in force in `year` (one query)."""
    return dict(
        Indicator.objects.filter(standard__start_year__lte=year, standard__end_year__gte=year).values_list(
            "number", "name"
        )
    )


@dataclass(frozen=True)
class HouseholdProgress:
    plan: object  # plans.models.Plan
    rows: list[IndicatorProgress]

    @property
    def baseline_year(self) -> int:
        return self.plan.baseline_review_year


def household_progress(
    *, household: Household, plan, counted_actions: Iterable, names: dict[int, str] | None = None
) -> HouseholdProgress:
    """The indicator progress of a household registered in `plan`, for its page.

    `counted_actions` are the household's support actions that count (an entry a later one
    corrects is left out: its correction counts), with their indicators loaded; those dated in
    the plan year are read. `names`: number → name in the plan year's standard, read when not
    given. Four queries (plan_readings) whatever the number of actions, five without `names`.
    """
    baseline, closing = plan_readings(plan, Household.objects.filter(pk=household.pk))
    supports = [
        (action.value_vnd, [indicator.number for indicator in action.indicators.all()])
        for action in counted_actions
        if plan.covers(action.date)
    ]
    rows = indicator_progress(
        names=indicator_names(plan.year) if names is None else names,
        baseline=baseline.get(household.pk),
        closing=closing.get(household.pk),
        supports=supports,
    )
    return HouseholdProgress(plan=plan, rows=rows)


def case_progress(case) -> HouseholdProgress | None:
    """The household page's indicator progress (a households.selectors.HouseholdCase), for the plan
    of its latest registration to exit poverty; None for a household never registered. The
    actions are the page's timeline less the entries a later one corrects (as counted_support)."""
    registrations = case.detail.exit_registrations  # latest plan first, plans loaded
    if not registrations:
        return None
    plan = registrations[0].plan
    counted = [entry.action for entry in case.timeline if not entry.is_corrected]
    names = {
        indicator.number: indicator.name
        for indicator in year_indicators(year=plan.year, latest_review=case.latest_review)
    }
    return household_progress(
        household=case.detail.household, plan=plan, counted_actions=counted, names=names
    )


# --- The support form's boxes ------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorChoice:
    indicator: Indicator
    deprived: bool  # at the household's latest review


def indicator_choices(indicators: Iterable[Indicator], deprived_codes: set[str]) -> list[IndicatorChoice]:
    """The boxes of the support form: the household's currently deprived indicators first, then
    the others, each group by number."""
    choices = [IndicatorChoice(indicator, indicator.code in deprived_codes) for indicator in indicators]
    return sorted(choices, key=lambda choice: (not choice.deprived, choice.indicator.number))


def standard_indicators(year: int) -> list[Indicator]:
    """The indicators of the standard in force in `year`, by number (one query)."""
    return list(
        Indicator.objects.filter(standard__start_year__lte=year, standard__end_year__gte=year).order_by(
            "number"
        )
    )


def latest_deprived_codes(household: Household) -> set[str]:
    """Codes of the indicators deprived at the household's latest review, the one its page shows
    first (one query)."""
    latest = household.assessments.order_by(*REVIEWS_LATEST_FIRST).values("pk")[:1]
    return set(Indicator.objects.filter(assessments__in=Subquery(latest)).values_list("code", flat=True))


def choices_for(*, household: Household, year: int) -> list[IndicatorChoice]:
    """The form's boxes for a support dated in `year` (two queries)."""
    return indicator_choices(standard_indicators(year), latest_deprived_codes(household))


def year_indicators(*, year: int, latest_review) -> list[Indicator]:
    """standard_indicators(year) on the household's page: taken from its latest review already read
    (a households.selectors.ReviewExplained, or None) when that review used the year's standard,
    so no query then; one otherwise."""
    if latest_review is not None and latest_review.assessment.standard.covers(year):
        return [item.indicator for item in latest_review.indicators]
    return standard_indicators(year)


def choices_for_page(*, latest_review, year: int) -> list[IndicatorChoice]:
    """choices_for on the household's page, from its latest review already read (see year_indicators)."""
    deprived = (
        {item.indicator.code for item in latest_review.indicators if item.deprived}
        if latest_review
        else set()
    )
    return indicator_choices(year_indicators(year=year, latest_review=latest_review), deprived)
