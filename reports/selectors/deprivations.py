"""The `deprivations` report: how many poor and near-poor households are deprived on each indicator.

Layout (landscape A4): rows are the indicators of the review's standard (12 for 2022–2025), columns
are the villages and the commune. Two tables with the same shape: the counts, opened by a row of
the poor and near-poor households reviewed (the denominators), then the rates. Ten villages and a
total fit the width this way; with villages as rows, 12 indicators × (count, rate) would not.
"""

from collections import defaultdict

from django.db.models import Count
from django.utils.translation import gettext as _

from households.classification import Level
from households.models import Assessment, Commune, Indicator, Village
from povertyplan.formatting import format_number, format_percent, rate
from reports.data import Bar, Chart, Column, Report, Row, Table

from .common import by_vietnamese, now, statistics_year

LISTED = (Level.POOR, Level.NEAR_POOR)
TOTAL = "total"


def village_key(village_id: int) -> str:
    return f"v{village_id}"


def build(*, commune: Commune, plan_year: int, review_year: int | None = None, **_options) -> Report:
    year = statistics_year(commune=commune, plan_year=plan_year, review_year=review_year)
    reviews = Assessment.objects.filter(
        household__commune=commune,
        review_year=year,
        kind=Assessment.Kind.PERIODIC,
        classification__in=LISTED,
    )
    villages = by_vietnamese(
        Village.objects.filter(commune=commune).values("pk", "name"), lambda v: v["name"]
    )
    # The standard's indicators: those of the standard the reviews used, else the one covering the year.
    indicators = list(Indicator.objects.filter(standard__in=reviews.values("standard")).order_by("number"))
    if not indicators:
        indicators = list(
            Indicator.objects.filter(standard__start_year__lte=year, standard__end_year__gte=year).order_by(
                "number"
            )
        )
    listed = dict(
        reviews.order_by()
        .values("household__village_id")
        .annotate(n=Count("pk"))
        .values_list("household__village_id", "n")
    )
    deprived: dict[int, dict[int, int]] = defaultdict(dict)  # indicator id → village id → households
    links = (
        Assessment.deprivations.through.objects.filter(assessment__in=reviews)
        .order_by()
        .values("indicator_id", "assessment__household__village_id")
        .annotate(n=Count("assessment_id", distinct=True))
    )
    for link in links:
        deprived[link["indicator_id"]][link["assessment__household__village_id"]] = link["n"]

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
            {"no": None, "indicator": _("Poor and near-poor households reviewed"), **counts_row(listed)},
            "subtotal",
        )
    ]
    rate_rows = []
    for indicator in indicators:
        values = deprived.get(indicator.pk, {})
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
        note=_("Rates are shares of the village's poor and near-poor households reviewed."),
    )
    chart = Chart(
        title=_("Share of poor and near-poor households deprived, by indicator (whole commune)"),
        bars=[Bar(f"{row.values['no']}. {row.values['indicator']}", row.values[TOTAL]) for row in rate_rows],
        unit="percent",
    )
    poor = reviews.filter(classification=Level.POOR)
    return Report(
        slug="deprivations",
        title=_("Deprivations of poor and near-poor households, %(year)s review") % {"year": year},
        commune=commune,
        plan_year=plan_year,
        review_year=year,
        generated_at=now(),
        landscape=True,
        summary=[
            (_("Poor and near-poor households reviewed"), format_number(total_listed)),
            (_("Poor households"), format_number(poor.count())),
            *(
                (f"{row.values['no']}. {row.values['indicator']}", format_percent(row.values[TOTAL]))
                for row in sorted(rate_rows, key=lambda row: -row.values[TOTAL])[:3]
            ),
        ],
        tables=[counts, rates],
        charts=[chart],
    )
