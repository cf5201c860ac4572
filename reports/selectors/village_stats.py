"""Village statistics of one review: the web statistics page and the `village-stats` report.

The same rows feed the page, the PDF and the spreadsheet.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.selectors import scope_for_user
from households import selectors as household_selectors
from households.classification import Level
from households.models import Assessment, Commune, Village
from povertyplan.formatting import format_number, format_percent, rate
from povertyplan.roles import Role
from povertyplan.text import vietnamese_sort_key
from reports.data import Bar, Chart, Column, Report, Row, Table

from .common import now, statistics_year

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
    """Years with a periodic review in the commune, latest first."""
    return list(
        Assessment.objects.filter(household__commune=commune, kind=Assessment.Kind.PERIODIC)
        .values_list("review_year", flat=True)
        .distinct()
        .order_by("-review_year")
    )


def full_review_year(*, commune: Commune) -> int | None:
    """The latest review that covered (nearly) every household: the one statistics start from.

    A later review may cover only some households (the year-end review of those registered to
    exit, say): statistics over it would read as if the commune had shrunk.
    """
    counts = dict(
        Assessment.objects.filter(household__commune=commune, kind=Assessment.Kind.PERIODIC)
        .values_list("review_year")
        .annotate(households=Count("household", distinct=True))
    )
    if not counts:
        return None
    fullest = max(counts.values())
    return max(year for year, households in counts.items() if households >= 0.9 * fullest)


def village_statistics(*, commune: Commune, year: int) -> CommuneStatistics:
    """Households, poor and near-poor per village for one periodic review, with the commune total.

    The periodic review covers every household, so a village's households are those with a
    periodic review that year (archived ones included: they were there then). One grouped query;
    the join from Village keeps villages without households as rows of zeros.
    """
    reviewed = Q(
        households__assessments__review_year=year,
        households__assessments__kind=Assessment.Kind.PERIODIC,
    )
    poor = reviewed & Q(households__assessments__classification=Level.POOR)
    minority = Q(households__is_ethnic_minority=True)

    def count(condition: Q) -> Count:
        # At most one periodic review per household and year, so a join row is a household;
        # distinct keeps that true should the join ever fan out.
        return Count("households", filter=condition, distinct=True)

    villages = (
        Village.objects.filter(commune=commune)
        .order_by("pk")
        .values("pk", "name")
        .annotate(
            n_households=count(reviewed),
            n_poor=count(poor),
            n_near_poor=count(reviewed & Q(households__assessments__classification=Level.NEAR_POOR)),
            n_minority=count(reviewed & minority),
            n_minority_poor=count(poor & minority),
        )
    )
    rows = [
        VillageStatsRow(
            village_id=village["pk"],
            name=village["name"],
            households=village["n_households"],
            poor=village["n_poor"],
            near_poor=village["n_near_poor"],
            minority=village["n_minority"],
            minority_poor=village["n_minority_poor"],
        )
        for village in sorted(villages, key=lambda village: vietnamese_sort_key(village["name"]))
    ]
    return CommuneStatistics(commune=commune, year=year, rows=rows, total=total_of(rows, name=commune.name))


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
        note=_(
            "Households are those with a periodic review in the year; rates are shares of them "
            "(ethnic-minority poor rate: of the ethnic-minority households)."
        ),
    )


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
