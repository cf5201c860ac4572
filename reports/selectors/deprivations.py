"""The `deprivations` report: how many poor and near-poor households are deprived on each indicator.

Layout (landscape A4): rows are the indicators of the review's standard (12 for 2022–2025), columns
are the villages and the commune. Two tables with the same shape: the counts, opened by a row of
the poor and near-poor households at the end of the review (the denominators), then the rates.
Ten villages and a total fit the width this way; with villages as rows, 12 indicators × (count,
rate) would not.
"""

from collections import defaultdict

from django.utils.translation import gettext as _

from households import review_status
from households.classification import Level
from households.models import Commune, Indicator
from povertyplan.formatting import format_number, format_percent, rate
from reports.data import Bar, Chart, Column, Report, Row, Table

from .common import now, statistics_year
from .village_stats import report_villages

LISTED = (Level.POOR, Level.NEAR_POOR)
TOTAL = "total"


def village_key(village_id: int) -> str:
    return f"v{village_id}"


def build(*, commune: Commune, plan_year: int, review_year: int | None = None, **_options) -> Report:
    """Poor and near-poor households at the end of the review (households.review_status: every
    resident household's latest result, so households not surveyed that year count with the result
    that put them on the list) and the indicators that result found deprived."""
    year = statistics_year(commune=commune, plan_year=plan_year, review_year=review_year)
    status = review_status.status_after_periodic_review(commune=commune, year=year)
    on_lists = [item for item in status.households if item.classification in LISTED]
    villages = report_villages(commune, also={item.village_id for item in on_lists})
    indicators = list(
        Indicator.objects.filter(standard__start_year__lte=year, standard__end_year__gte=year).order_by(
            "number"
        )
    )
    listed: dict[int, int] = defaultdict(int)  # village id → poor and near-poor households
    deprived: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))  # number → village → n
    for item in on_lists:
        listed[item.village_id] += 1
        for number in item.deprived:
            deprived[number][item.village_id] += 1

    village_columns = [Column(village_key(v["pk"]), v["name"], "int", 9) for v in villages]
    label_columns = [Column("no", _("No."), "int", 4), Column("indicator", _("Indicator"), "text", 30)]
    total_listed = sum(listed.values())

    def counts_row(values: dict[int, int]) -> dict:
        row = {village_key(v["pk"]): values.get(v["pk"], 0) for v in villages}
        row[TOTAL] = sum(values.values())
        return row

    def rates_row(values: dict[int, int]) -> dict:
        row = {village_key(v["pk"]): rate(values.get(v["pk"], 0), listed.get(v["pk"], 0)) for v in villages}
        row[TOTAL] = rate(sum(values.values()), total_listed)
        return row

    count_rows = [
        Row(
            {
                "no": None,
                "indicator": _("Poor and near-poor households at the end of the review"),
                **counts_row(listed),
            },
            "subtotal",
        )
    ]
    rate_rows = []
    for indicator in indicators:
        values = deprived.get(indicator.number, {})
        label = {"no": indicator.number, "indicator": indicator.name}
        count_rows.append(Row({**label, **counts_row(values)}))
        rate_rows.append(Row({**label, **rates_row(values)}))

    counts = Table(
        title=_("Poor and near-poor households deprived on each indicator, %(year)s review") % {"year": year},
        columns=[*label_columns, *village_columns, Column(TOTAL, _("Whole commune"), "int", 10)],
        rows=count_rows,
        note=_("A household deprived on several indicators is counted on each of them."),
    )
    rates = Table(
        title=_("Share of poor and near-poor households deprived on each indicator, %(year)s review")
        % {"year": year},
        columns=[
            *label_columns,
            *(Column(c.key, c.header, "percent", 9) for c in village_columns),
            Column(TOTAL, _("Whole commune"), "percent", 10),
        ],
        rows=rate_rows,
        note=_("Rates are shares of the village's poor and near-poor households at the end of the review."),
    )
    chart = Chart(
        title=_("Share of poor and near-poor households deprived, by indicator (whole commune)"),
        bars=[Bar(f"{row.values['no']}. {row.values['indicator']}", row.values[TOTAL]) for row in rate_rows],
        unit="percent",
    )
    poor = sum(item.is_poor for item in on_lists)
    return Report(
        slug="deprivations",
        title=_("Deprivations of poor and near-poor households, %(year)s review") % {"year": year},
        commune=commune,
        plan_year=plan_year,
        review_year=year,
        generated_at=now(),
        landscape=True,
        summary=[
            (_("Poor and near-poor households at the end of the review"), format_number(total_listed)),
            (_("Poor households"), format_number(poor)),
            *(
                (f"{row.values['no']}. {row.values['indicator']}", format_percent(row.values[TOTAL]))
                for row in sorted(rate_rows, key=lambda row: -row.values[TOTAL])[:3]
            ),
        ],
        tables=[counts, rates],
        charts=[chart],
    )
