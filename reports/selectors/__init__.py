"""Report data: each report's rows as a `reports.data.Report`, the same for the PDF and the XLSX.

`build_report(slug, commune=…, plan_year=…)` is the one entry point; one module per report. The
village statistics of the web page (village_statistics and the commune/year pickers) live in
village_stats and stay importable from here. Area reports (one report over all the communes of an
upper office, `?commune=all`) are built by `build_area_report(slug, scope=…, plan_year=…)` (area).

Permission is the caller's business: these functions read one commune's data, whoever asks.
"""

import datetime

from households.models import Commune
from reports.data import Report

from . import (
    area,
    assignments,
    deprivations,
    exit_households,
    movement,
    plan,
    progress,
    village_stats,
    year_end,
)
from .area import AREA_SLUGS, Area, area_from_scope, area_scope, build_area_report
from .common import ReportUnavailable
from .village_stats import (
    STATISTICS_ROLES,
    CommuneStatistics,
    VillageStatsRow,
    review_years,
    statistics_commune_pick,
    statistics_communes_for_user,
    village_statistics,
)

# slug → module with build(*, commune, plan_year, review_year=None, **options) -> Report
BUILDERS = {
    "plan": plan,
    "exit-households": exit_households,
    "assignments": assignments,
    "progress": progress,
    "village-stats": village_stats,
    "deprivations": deprivations,
    "movement": movement,
    "year-end": year_end,
}
REPORT_SLUGS = tuple(BUILDERS)
# Reports about the plan's households (need the commune's plan for the year) and statistics
# reports (read a review: N−1 for plan year N unless `review_year` is given; the movement report
# runs from that review to the plan year's).
PLAN_REPORTS = ("plan", "exit-households", "assignments", "progress", "year-end")
STATISTICS_REPORTS = ("village-stats", "deprivations", "movement")


def build_report(
    slug: str,
    *,
    commune: Commune,
    plan_year: int,
    review_year: int | None = None,
    as_of: datetime.date | None = None,
) -> Report:
    """The report `slug` for a commune and plan year.

    `review_year` chooses the review of the statistics (default: the year before the plan year;
    for the plan and the exit list, the plan's baseline review). `as_of` is the progress report's
    date (default: today, or the plan's last day once the plan year is over).
    Raises KeyError for an unknown slug and ReportUnavailable (a 404) when the commune has no plan
    for a report that needs one.
    """
    try:
        module = BUILDERS[slug]
    except KeyError:
        raise KeyError(f"unknown report {slug!r}; expected one of {REPORT_SLUGS}") from None
    return module.build(commune=commune, plan_year=plan_year, review_year=review_year, as_of=as_of)


__all__ = [
    "AREA_SLUGS",
    "Area",
    "area",
    "area_from_scope",
    "area_scope",
    "build_area_report",
    "REPORT_SLUGS",
    "STATISTICS_ROLES",
    "CommuneStatistics",
    "ReportUnavailable",
    "VillageStatsRow",
    "build_report",
    "review_years",
    "statistics_commune_pick",
    "statistics_communes_for_user",
    "village_statistics",
]
