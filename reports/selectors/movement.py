"""The `movement` report: poor and near-poor households from one periodic review to the next.

The shape an upper office tabulates (shared/docs/domain.md §3): per village, the households at the
start of the period (đầu kỳ), the decreases by cause, the increases by cause and the households at
the end (cuối kỳ), for the poor and for the near-poor, with the commune's totals row; then the
re-entry of each year's exited households at the later reviews, and the households of each group.
The categories and their definitions are households.movement's; the figures
households.review_movement's.

The period: from the periodic review `review_year` (default: the year before the plan year) to
that of the plan year, so the 2023 report runs from the 2022 review to the 2023 one. Asked for a
review of the plan year or later, it runs from that review to the next year's.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from households.classification import Level
from households.models import Commune
from households.movement import Cause, Movement
from households.review_movement import (
    CommuneMovement,
    ExitCohort,
    ListFigures,
    PeriodicReviews,
    exit_cohorts,
    movement_between,
)
from povertyplan.formatting import format_number
from reports.data import Column, Report, Row, Table

from .common import level_label, now, statistics_year


def period(*, plan_year: int, review_year: int | None) -> tuple[int, int]:
    """(start review year, end review year) of the report of a plan year."""
    start = statistics_year(commune=None, plan_year=plan_year, review_year=review_year)
    return start, plan_year if start < plan_year else start + 1


# --- the movement tables ----------------------------------------------------------------------------

# (key, cause) of the columns, in the order of the table; the headers are in _headers().
DECREASE_COLUMNS = (("exited", Cause.EXITED), ("to_other", Cause.TO_OTHER_LIST), ("left", Cause.LEFT))
INCREASE_COLUMNS = (
    ("new", Cause.NEW),
    ("fell_back", Cause.FELL_BACK),
    ("from_other", Cause.FROM_OTHER_LIST),
    ("arrived", Cause.ARRIVED),
)


def _headers(which: str, start_year: int, end_year: int) -> dict[str, str]:
    if which == Level.POOR:
        return {
            "start": _("Poor households at the start (%(year)s review)") % {"year": start_year},
            "exited": _("Decrease: exited poverty (off both lists)"),
            "to_other": _("Decrease: exited poverty to near-poor"),
            "new": _("Increase: newly poor"),
            "fell_back": _("Increase: fell back into poverty"),
            "from_other": _("Increase: from near-poor"),
            "end": _("Poor households at the end (%(year)s review)") % {"year": end_year},
        }
    return {
        "start": _("Near-poor households at the start (%(year)s review)") % {"year": start_year},
        "exited": _("Decrease: exited near-poverty"),
        "to_other": _("Decrease: became poor"),
        "new": _("Increase: newly near-poor"),
        "fell_back": _("Increase: fell back into near-poverty"),
        "from_other": _("Increase: from poor"),
        "end": _("Near-poor households at the end (%(year)s review)") % {"year": end_year},
    }


def movement_columns(which: str, start_year: int, end_year: int) -> list[Column]:
    headers = _headers(which, start_year, end_year)
    return [
        Column("no", _("No."), "int", 5),
        Column("village", _("Village"), "text", 16),
        Column("start", headers["start"], "int", 9),
        Column("decreased", _("Decreases: total"), "int", 8),
        *(Column(key, headers[key], "int", 9) for key in ("exited", "to_other")),
        Column("left", _("Decrease: left the commune"), "int", 9),
        Column("increased", _("Increases: total"), "int", 8),
        *(Column(key, headers[key], "int", 9) for key in ("new", "fell_back", "from_other")),
        Column("arrived", _("Increase: arrived"), "int", 9),
        Column("end", headers["end"], "int", 9),
    ]


def figure_values(figures: ListFigures) -> dict:
    return {
        "start": figures.start,
        "decreased": figures.decreased,
        **{key: figures.decreases[cause] for key, cause in DECREASE_COLUMNS},
        "increased": figures.increased,
        **{key: figures.increases[cause] for key, cause in INCREASE_COLUMNS},
        "end": figures.end,
    }


def movement_table(result: CommuneMovement, which: str) -> Table:
    """The poor (or near-poor) movement table: a row per village, the commune as the totals row."""
    attribute = "poor" if which == Level.POOR else "near_poor"
    rows = [
        Row({"no": number, "village": place.name, **figure_values(getattr(place, attribute))})
        for number, place in enumerate(result.villages, start=1)
    ]
    if which == Level.POOR:
        title = _("Movement of poor households by village, %(start)s review to %(end)s review")
    else:
        title = _("Movement of near-poor households by village, %(start)s review to %(end)s review")
    return Table(
        title=title % {"start": result.start_year, "end": result.end_year},
        columns=movement_columns(which, result.start_year, result.end_year),
        rows=rows,
        totals=Row(
            {"no": None, "village": _("Whole commune"), **figure_values(getattr(result.total, attribute))},
            style="subtotal",
        ),
        note=_(
            "Start − decreases + increases = end. Fell back: on neither list at the start, and on this "
            "list in a review before it. Left: no longer resident at the end (moved away, merged into "
            "another household, died out). Arrived: not resident at the start (moved in, or recorded "
            "after the start review was closed). A household is counted in its village at the end of "
            "the period."
        ),
    )


# --- re-entry by exit cohort ------------------------------------------------------------------------


@dataclass(frozen=True)
class CohortLine:
    """One line of the cohort table: a cohort at one review (its exit review, then each later one)."""

    exit_year: int
    review_year: int
    years_after: int
    households: int
    near_poor: int
    poor: int
    neither: int
    gone: int
    first: bool  # the cohort's first line (the page groups a cohort's lines under it)


def cohort_lines(cohorts: list[ExitCohort]) -> list[CohortLine]:
    """Each cohort at its exit review (near-poor or off both lists), then at every later review."""
    lines = []
    for cohort in cohorts:
        lines.append(
            CohortLine(
                exit_year=cohort.year,
                review_year=cohort.year,
                years_after=0,
                households=cohort.households,
                near_poor=cohort.to_near_poor,
                poor=0,
                neither=cohort.households - cohort.to_near_poor,
                gone=0,
                first=True,
            )
        )
        for follow in cohort.follow_ups:
            lines.append(
                CohortLine(
                    exit_year=cohort.year,
                    review_year=follow.year,
                    years_after=follow.year - cohort.year,
                    households=follow.households,
                    near_poor=follow.near_poor,
                    poor=follow.poor,
                    neither=follow.neither,
                    gone=follow.gone,
                    first=False,
                )
            )
    return lines


def exit_cohort_lines(
    *, commune: Commune, until_year: int | None = None, reviews: PeriodicReviews | None = None
) -> list[CohortLine]:
    """The re-entry table of the statistics page and the movement report (the same lines): the
    households that exited poverty in each year up to `until_year`, at every later review."""
    return cohort_lines(exit_cohorts(commune=commune, until_year=until_year, reviews=reviews))


def cohort_table(lines: list[CohortLine]) -> Table:
    return Table(
        title=_("Re-entry by exit cohort: where the households that exited poverty stand at later reviews"),
        columns=[
            Column("exit_year", _("Exited poverty in"), "text", 8),
            Column("review_year", _("At the review of"), "text", 8),
            Column("years_after", _("Years after exit"), "int", 7),
            Column("households", _("Households that exited"), "int", 9),
            Column("near_poor", _("Near-poor"), "int", 9),
            Column("poor", _("Poor again (fell back)"), "int", 9),
            Column("neither", _("On neither list"), "int", 9),
            Column("gone", _("No longer resident"), "int", 9),
        ],
        rows=[
            Row(
                {
                    "exit_year": str(line.exit_year),
                    "review_year": str(line.review_year),
                    "years_after": line.years_after,
                    "households": line.households,
                    "near_poor": line.near_poor,
                    "poor": line.poor,
                    "neither": line.neither,
                    "gone": line.gone,
                }
            )
            for line in lines
        ],
        note=_(
            "Households that exited poverty in a year: poor at the previous year's periodic review, "
            "resident and not poor at that year's. Poor again counts every way back to the poor list "
            "(from near-poor too). Each line adds up to the households that exited."
        ),
    )


# --- the households of each group -------------------------------------------------------------------


def _status_text(level: str | None) -> str:
    return level_label(level) if level is not None else _("not resident")


def household_table(result: CommuneMovement) -> Table:
    labels = dict(Movement.choices)
    return Table(
        title=_("Households of each group"),
        columns=[
            Column("no", _("No."), "int", 5),
            Column("code", _("Household code"), "text", 10),
            Column("head", _("Head of household"), "text", 20),
            Column("village", _("Village"), "text", 14),
            Column("group", _("Group"), "text", 30),
            Column("before", _("At the start (%(year)s review)") % {"year": result.start_year}, "text", 22),
            Column("after", _("At the end (%(year)s review)") % {"year": result.end_year}, "text", 22),
        ],
        rows=[
            Row(
                {
                    "no": number,
                    "code": household.code,
                    "head": household.head_name,
                    "village": household.village,
                    "group": str(labels[household.category]),
                    "before": _status_text(household.before),
                    "after": _status_text(household.after),
                }
            )
            for number, household in enumerate(result.households, start=1)
        ],
        note=_("Households on neither list at both reviews are not listed."),
    )


# --- the report -------------------------------------------------------------------------------------


def summary(result: CommuneMovement) -> list[tuple[str, str]]:
    """The report's key figures; the first four are the report centre's."""
    poor, near_poor = result.total.poor, result.total.near_poor
    counts = result.total.counts
    start, end = result.start_year, result.end_year
    return [
        (_("Poor households at the start (%(year)s review)") % {"year": start}, format_number(poor.start)),
        (_("Poor households at the end (%(year)s review)") % {"year": end}, format_number(poor.end)),
        (
            _("Households that exited poverty"),
            format_number(counts[Movement.EXITED_POVERTY] + counts[Movement.POOR_TO_NEAR_POOR]),
        ),
        (
            _("Newly poor and fell back into poverty"),
            format_number(counts[Movement.NEWLY_POOR] + counts[Movement.FELL_BACK_POOR]),
        ),
        (
            _("Near-poor households at the start (%(year)s review)") % {"year": start},
            format_number(near_poor.start),
        ),
        (
            _("Near-poor households at the end (%(year)s review)") % {"year": end},
            format_number(near_poor.end),
        ),
        (
            _("Households surveyed in the %(year)s review") % {"year": start},
            format_number(result.start.surveyed),
        ),
        (_("Households surveyed in the %(year)s review") % {"year": end}, format_number(result.end.surveyed)),
    ]


def build(*, commune: Commune, plan_year: int, review_year: int | None = None, **_options) -> Report:
    start, end = period(plan_year=plan_year, review_year=review_year)
    reviews = PeriodicReviews(commune)
    result = movement_between(commune=commune, start_year=start, end_year=end, reviews=reviews)
    lines = exit_cohort_lines(commune=commune, until_year=end, reviews=reviews)
    return Report(
        slug="movement",
        title=_("Movement of poor and near-poor households from the %(start)s review to the %(end)s review")
        % {"start": start, "end": end},
        commune=commune,
        plan_year=plan_year,
        review_year=start,
        generated_at=now(),
        landscape=True,
        summary=summary(result),
        tables=[
            movement_table(result, Level.POOR),
            movement_table(result, Level.NEAR_POOR),
            cohort_table(lines),
            household_table(result),
        ],
    )
