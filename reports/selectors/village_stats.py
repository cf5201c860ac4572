"""Village statistics of one review: the web statistics page and the `village-stats` report.

The same rows feed the page, the PDF and the spreadsheet.
"""

from dataclasses import dataclass, replace
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.selectors import scope_for_user
from households import review_status
from households import selectors as household_selectors
from households.merger import as_merged
from households.models import Assessment, Commune, ReviewRound, Village
from households.review_status import HouseholdStatus
from povertyplan.formatting import format_number, format_percent, rate
from povertyplan.roles import Role
from reports.data import Bar, Chart, Column, Report, Row, Table

from .common import by_vietnamese, now, statistics_year

# Roles that read whole-commune statistics. Officials follow their own households only, so the
# commune's figures are not theirs to read (see README).
STATISTICS_ROLES = (Role.ADMINISTRATOR, Role.COMMUNE_OFFICER, Role.UPPER_OFFICE)


@dataclass(frozen=True)
class VillageStatsRow:
    """One line of the village statistics; the commune total is a row too (village_id None)."""

    village_id: int | None
    name: str
    households: int = 0
    poor: int = 0
    near_poor: int = 0
    minority: int = 0
    minority_poor: int = 0

    @property
    def poor_rate(self) -> Decimal:
        return rate(self.poor, self.households)

    @property
    def near_poor_rate(self) -> Decimal:
        return rate(self.near_poor, self.households)

    @property
    def minority_poor_rate(self) -> Decimal:
        return rate(self.minority_poor, self.minority)


@dataclass(frozen=True)
class CommuneStatistics:
    commune: Commune
    year: int
    rows: list[VillageStatsRow]
    total: VillageStatsRow
    surveyed: int = 0  # households the review itself assessed
    frozen: bool = False  # read from the closed round's frozen results


def statistics_communes_for_user(*, user) -> list[Commune]:
    """Communes whose statistics the user may read; 403 for roles that read no commune figures."""
    if scope_for_user(user).role not in STATISTICS_ROLES:
        raise PermissionDenied
    return list(household_selectors.commune_list_for_user(user=user))


def statistics_commune_pick(communes: list[Commune], code: str | None) -> Commune | None:
    """The commune asked for by its code (404 when not among the user's), else the first one."""
    if not code:
        return communes[0] if communes else None
    matches = [commune for commune in communes if commune.code == code]
    if not matches:
        raise Http404
    # A code may be reused by the successor of a merged unit: prefer the current unit.
    return min(matches, key=lambda commune: commune.valid_until is not None)


def review_years(*, commune: Commune) -> list[int]:
    """Years with a periodic review in the commune (a round, or results recorded), latest first."""
    rounds = ReviewRound.objects.filter(commune=commune, kind=ReviewRound.Kind.PERIODIC)
    results = Assessment.objects.filter(household__commune=commune, kind=Assessment.Kind.PERIODIC)
    years = set(rounds.values_list("year", flat=True)) | set(results.values_list("review_year", flat=True))
    return sorted(years, reverse=True)


def rows_by_place(statuses: list[HouseholdStatus], key) -> dict[int, VillageStatsRow]:
    """The statistics of each place (`key(status)`: the village's or the commune's id)."""
    counts: dict[int, list[int]] = {}
    for status in statuses:
        line = counts.setdefault(key(status), [0, 0, 0, 0, 0])
        line[0] += 1
        line[1] += status.is_poor
        line[2] += status.is_near_poor
        line[3] += status.is_ethnic_minority
        line[4] += status.is_poor and status.is_ethnic_minority
    return {
        place: VillageStatsRow(
            village_id=place,
            name="",
            households=line[0],
            poor=line[1],
            near_poor=line[2],
            minority=line[3],
            minority_poor=line[4],
        )
        for place, line in counts.items()
    }


def village_statistics(*, commune: Commune, year: int) -> CommuneStatistics:
    """Households, poor and near-poor per village at the end of the year's periodic review, with the
    commune total.

    The plan defines the rate over every resident household: "242 hộ nghèo, chiếm 20,86 % tổng số hộ
    dân cư trên địa bàn" (Kế hoạch 18/KH-UBND, 2023). A review surveys only the households on the
    lists and those who apply or are identified (Decision 24/2021), so the figures are each resident
    household's status at the end of the review (households.review_status), and `surveyed` says how
    many the review itself assessed. Villages without households are rows of zeros.
    """
    status = review_status.status_after_periodic_review(commune=commune, year=year, with_deprived=False)
    figures = rows_by_place(status.households, lambda item: item.village_id)
    villages = report_villages(commune, also=figures)
    rows = [
        replace(
            figures.get(village["pk"], VillageStatsRow(village_id=village["pk"], name="")),
            name=village["name"],
        )
        for village in villages
    ]
    return CommuneStatistics(
        commune=commune,
        year=year,
        rows=rows,
        total=total_of(rows, name=commune.name),
        surveyed=status.surveyed,
        frozen=status.frozen,
    )


def report_villages(commune: Commune, *, also) -> list[dict]:
    """The villages a commune's report lists ({"pk", "name"}, in Vietnamese order): the commune's,
    and those its households were in then (`also`: ids). A commune merged since keeps the villages
    it had, by the names they had (households.merger.as_merged): they now belong to the new commune,
    and the merger may have renamed one. One query (two for a merged commune)."""
    merged = as_merged(commune)
    villages = Village.objects.filter(Q(commune=commune) | Q(pk__in=[*also, *merged.villages]))
    return by_vietnamese(
        [
            {"pk": pk, "name": merged.village_name(pk, name)}
            for pk, name in villages.values_list("pk", "name")
        ],
        lambda v: v["name"],
    )


def total_of(rows: list[VillageStatsRow], *, name: str) -> VillageStatsRow:
    """The sum of the rows: the commune's (or the area's) line, from the same numbers."""
    return VillageStatsRow(
        village_id=None,
        name=name,
        households=sum(row.households for row in rows),
        poor=sum(row.poor for row in rows),
        near_poor=sum(row.near_poor for row in rows),
        minority=sum(row.minority for row in rows),
        minority_poor=sum(row.minority_poor for row in rows),
    )


# --- the village-stats report ------------------------------------------------------------------


def figure_columns() -> list[Column]:
    """The review figures of a statistics row (a village's, a commune's), as table columns."""
    return [
        Column("households", _("Households"), "int", 10),
        Column("poor", _("Poor households"), "int", 10),
        Column("poor_rate", _("Poor rate"), "percent", 9),
        Column("near_poor", _("Near-poor households"), "int", 10),
        Column("near_poor_rate", _("Near-poor rate"), "percent", 9),
        Column("minority", _("Ethnic-minority households"), "int", 11),
        Column("minority_poor", _("Poor ethnic-minority households"), "int", 11),
        Column("minority_poor_rate", _("Ethnic-minority poor rate"), "percent", 10),
    ]


def figure_values(row: VillageStatsRow) -> dict:
    """A statistics row's values for the columns of figure_columns()."""
    return {column.key: getattr(row, column.key) for column in figure_columns()}


def figures_table(
    rows: list[VillageStatsRow],
    total: VillageStatsRow,
    *,
    place: Column,
    total_label: str,
    title: str,
    note: str,
) -> Table:
    """A statistics table: one numbered row per place (village, commune), the sum as the totals row."""
    return Table(
        title=title,
        columns=[Column("no", _("No."), "int", 5), place, *figure_columns()],
        rows=[
            Row({"no": number, place.key: row.name, **figure_values(row)})
            for number, row in enumerate(rows, start=1)
        ],
        totals=Row({"no": None, place.key: total_label, **figure_values(total)}, style="subtotal"),
        note=note,
    )


def village_table(statistics: CommuneStatistics) -> Table:
    """The review statistics table of the plan: one row per village, the commune as the totals row."""
    return figures_table(
        statistics.rows,
        statistics.total,
        place=Column("village", _("Village"), "text", 18),
        total_label=_("Whole commune"),
        title=_("Poor and near-poor households by village, %(year)s review") % {"year": statistics.year},
        note=surveyed_note(statistics),
    )


def surveyed_note(statistics: CommuneStatistics) -> str:
    """What the figures count, and how many households the review itself surveyed."""
    return _(
        "Households are all those resident at the end of the review, each with its latest review "
        "result (not surveyed: the status it had; never reviewed: on no list); rates are shares of "
        "them (ethnic-minority poor rate: of the ethnic-minority households). The review surveyed "
        "%(surveyed)s of the %(households)s households."
    ) % {
        "surveyed": format_number(statistics.surveyed),
        "households": format_number(statistics.total.households),
    }


def poor_rate_chart(statistics: CommuneStatistics) -> Chart:
    """The poor rate of each village, with the commune's rate as a highlighted bar."""
    bars = [Bar(label=row.name, value=row.poor_rate) for row in statistics.rows]
    bars.append(Bar(label=_("Whole commune"), value=statistics.total.poor_rate, highlight=True))
    return Chart(title=_("Poor rate by village, %(year)s review") % {"year": statistics.year}, bars=bars)


def build(*, commune: Commune, plan_year: int, review_year: int | None = None, **_options) -> Report:
    year = statistics_year(commune=commune, plan_year=plan_year, review_year=review_year)
    statistics = village_statistics(commune=commune, year=year)
    total = statistics.total
    return Report(
        slug="village-stats",
        title=_("Results of the %(year)s review of poor and near-poor households by village")
        % {"year": year},
        commune=commune,
        plan_year=plan_year,
        review_year=year,
        generated_at=now(),
        landscape=True,
        summary=[
            (_("Households"), format_number(total.households)),
            (_("Households surveyed in the review"), format_number(statistics.surveyed)),
            (_("Poor households"), format_number(total.poor)),
            (_("Poor rate"), format_percent(total.poor_rate)),
            (_("Near-poor households"), format_number(total.near_poor)),
            (_("Near-poor rate"), format_percent(total.near_poor_rate)),
            (_("Poor ethnic-minority households"), format_number(total.minority_poor)),
            (_("Ethnic-minority poor rate"), format_percent(total.minority_poor_rate)),
        ],
        tables=[village_table(statistics)],
        charts=[poor_rate_chart(statistics)],
    )
