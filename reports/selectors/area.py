"""Area reports: one report over every commune an upper office (or the administrator) may read.

Today the only one is `village-stats` by commune: one row per commune of the area (households,
poor, near-poor, rates, ethnic-minority households and the poor among them: the columns of the
per-village table), the area's total and the same poor-rate chart. An area is named by a scope
string, stored on the report file (reports.models.ReportFile.scope) so the background worker can
rebuild it without the user: "district:<pk>", "province:<pk>" or "all".

Permission is the caller's business (reports.access.report_area_for_user): these functions read
the area's data, whoever asks. The area's communes are those households.selectors
.commune_list_for_user gives the user: the district's, the province's, or every commune.
"""

from dataclasses import dataclass, replace

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from households import review_status
from households.models import Commune, District, Province
from povertyplan.formatting import format_number, format_percent
from povertyplan.text import vietnamese_sort_key
from reports.data import Bar, Chart, Column, Report, Table

from .common import now
from .village_stats import VillageStatsRow, figures_table, rows_by_place, total_of

ALL = "all"
# Reports offered for an area (`?commune=all`).
AREA_SLUGS = ("village-stats",)

PEOPLES_COMMITTEE = "ỦY BAN NHÂN DÂN"
# The unit word of the issuing body and the signing authority, by the unit's kind.
UNIT_WORDS = {
    "district": "huyện",
    "urban_district": "quận",
    "town": "thị xã",
    "city": "thành phố",
    "province": "tỉnh",
}


@dataclass(frozen=True)
class Area:
    """Every commune of a district ("district:<pk>"), of a province ("province:<pk>"), or all."""

    scope: str
    unit: District | Province | None = None

    @property
    def level(self) -> str:
        return self.scope.split(":", 1)[0]

    @property
    def name(self) -> str:
        """ "huyện Kbang", "tỉnh Gia Lai"; for every commune "toàn quốc"."""
        return self.unit.full_name if self.unit is not None else _("nationwide")

    def where(self, prefix: str = "") -> Q:
        """The area's communes as a condition on `<prefix>` a commune ("" on Commune itself)."""
        if self.level == "district":
            return Q(**{f"{prefix}district_id": self.unit.pk})
        if self.level == "province":
            return Q(**{f"{prefix}province_id": self.unit.pk})
        return Q()

    def communes(self) -> QuerySet[Commune]:
        return Commune.objects.filter(self.where()).select_related("district", "province")


def area_scope(*, district_id: int | None = None, province_id: int | None = None) -> str:
    if district_id:
        return f"district:{district_id}"
    if province_id:
        return f"province:{province_id}"
    return ALL


def area_from_scope(scope: str) -> Area:
    """The area a scope string names; 404 for a malformed one or a unit that is gone."""
    if scope == ALL:
        return Area(scope=ALL)
    level, _sep, pk = scope.partition(":")
    model = {"district": District, "province": Province}.get(level)
    unit = model.objects.filter(pk=int(pk)).first() if model is not None and pk.isdigit() else None
    if unit is None:
        raise Http404
    return Area(scope=scope, unit=unit)


@dataclass(frozen=True)
class AreaStatistics:
    area: Area
    year: int
    rows: list[VillageStatsRow]  # one per commune (village_id: the commune's pk)
    total: VillageStatsRow


def area_statistics(*, area: Area, year: int) -> AreaStatistics:
    """Households, poor and near-poor per commune of the area at the end of the year's periodic
    review, with the total: each commune's households as its statistics count them
    (households.review_status: every resident household; a closed review's frozen results).
    Five queries whatever the number of communes."""
    communes = list(area.communes())
    statuses = review_status.statuses_after_periodic_reviews(communes=communes, year=year)
    several_districts = area.level != "district"
    rows = []
    for commune in communes:
        name = commune.name
        if several_districts and commune.district_id:
            name = f"{commune.name} ({commune.district.name})"
        figures = rows_by_place(statuses[commune.pk], lambda item: item.commune_id)
        row = figures.get(commune.pk, VillageStatsRow(village_id=commune.pk, name=""))
        rows.append(replace(row, village_id=commune.pk, name=name))
    rows.sort(key=lambda row: (vietnamese_sort_key(row.name), row.village_id))
    return AreaStatistics(area=area, year=year, rows=rows, total=total_of(rows, name=area.name))


def total_label(area: Area) -> str:
    if area.unit is None:
        return _("All communes")
    return _("Whole %(area)s") % {"area": area.name}


def commune_table(statistics: AreaStatistics) -> Table:
    """The per-village table's columns, one row per commune, the area as the totals row."""
    return figures_table(
        statistics.rows,
        statistics.total,
        place=Column("commune", _("Commune"), "text", 22),
        total_label=total_label(statistics.area),
        title=_("Poor and near-poor households by commune, %(year)s review") % {"year": statistics.year},
        note=_(
            "Households are all those resident in each commune at the end of its review, each with "
            "its latest review result (never reviewed: on no list); rates are shares of them "
            "(ethnic-minority poor rate: of the ethnic-minority households)."
        ),
    )


def poor_rate_chart(statistics: AreaStatistics) -> Chart:
    """The poor rate of each commune, with the area's rate as a highlighted bar."""
    bars = [Bar(label=row.name, value=row.poor_rate) for row in statistics.rows]
    bars.append(Bar(label=total_label(statistics.area), value=statistics.total.poor_rate, highlight=True))
    return Chart(title=_("Poor rate by commune, %(year)s review") % {"year": statistics.year}, bars=bars)


def _issuer(area: Area) -> tuple[tuple[str, ...], str, str]:
    """The header's issuing body, the place and the signing authority of the area's report."""
    if area.unit is None:
        return ("", area.name.upper()), "", ""
    word = UNIT_WORDS.get(area.unit.kind, area.level)
    return (
        (PEOPLES_COMMITTEE, f"{word} {area.unit.name}".upper()),
        area.unit.name,
        f"TM. {PEOPLES_COMMITTEE} {word.upper()}",
    )


def build_area_report(
    slug: str, *, scope: str, plan_year: int, review_year: int | None = None, **_options
) -> Report:
    """The area report `slug` (one of AREA_SLUGS) for the area a scope string names."""
    if slug not in AREA_SLUGS:
        raise KeyError(f"no area report {slug!r}; expected one of {AREA_SLUGS}")
    area = area_from_scope(scope)
    year = review_year if review_year is not None else plan_year - 1
    statistics = area_statistics(area=area, year=year)
    total = statistics.total
    issuer, place, signer = _issuer(area)
    return Report(
        slug=slug,
        title=_("Results of the %(year)s review of poor and near-poor households by commune, %(area)s")
        % {"year": year, "area": area.name},
        commune=None,
        plan_year=plan_year,
        review_year=year,
        generated_at=now(),
        landscape=True,
        summary=[
            (_("Communes"), format_number(len(statistics.rows))),
            (_("Households"), format_number(total.households)),
            (_("Poor households"), format_number(total.poor)),
            (_("Poor rate"), format_percent(total.poor_rate)),
            (_("Near-poor households"), format_number(total.near_poor)),
            (_("Near-poor rate"), format_percent(total.near_poor_rate)),
            (_("Poor ethnic-minority households"), format_number(total.minority_poor)),
            (_("Ethnic-minority poor rate"), format_percent(total.minority_poor_rate)),
        ],
        tables=[commune_table(statistics)],
        charts=[poor_rate_chart(statistics)],
        area_name=area.name,
        issuer=issuer,
        place=place,
        signer=signer,
    )
