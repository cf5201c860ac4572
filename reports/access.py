"""Reads for the report centre and the downloads: who may have which commune's reports, the plan
and review years on offer, and the stored report files.

Reports are commune-wide documents: the commune officer reads their commune's, the upper office
those of the communes under it (read-only), the administrator any commune's. The upper office and
the administrator also have area reports (`?commune=all`): one report over all their communes.
Officials follow their own households on their own pages and get no commune-wide list (README, "Reports").
"""

import logging
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.selectors import scope_for_user
from households import review_selectors
from households import selectors as household_selectors
from households.models import Assessment, Commune, ReviewRound
from plans.models import Plan
from povertyplan.roles import Role
from reports.freshness import area_data_fingerprint, data_fingerprint, report_day, report_fingerprint
from reports.models import ReportFile
from reports.selectors import AREA_SLUGS, REPORT_SLUGS, Area, area_from_scope, area_scope, build_report

logger = logging.getLogger(__name__)

REPORT_ROLES = (Role.ADMINISTRATOR, Role.COMMUNE_OFFICER, Role.UPPER_OFFICE)
# Roles with area reports (every commune they may read in one report).
AREA_ROLES = (Role.ADMINISTRATOR, Role.UPPER_OFFICE)
# What `?commune=` says for an area report.
AREA_PARAM = "all"

# Reports offered as PDF only (the plan is a signed document, not a table to sum).
PDF_ONLY = frozenset({"plan"})
# Key figures shown per report in the centre.
PREVIEW_FIGURES = 4

# Short titles (the centre, the file names) and what each report holds, by slug.
REPORT_TITLES = {
    "plan": (
        pgettext_lazy("report title", "Plan to help households exit poverty"),
        _("The plan in the official document format, its figures computed from the data."),
    ),
    "exit-households": (
        pgettext_lazy("report title", "Households registered to exit poverty"),
        _("The plan's attachment: each household, its deprivations at registration, needs and official."),
    ),
    "assignments": (
        pgettext_lazy("report title", "Officials in charge of households"),
        _("The plan's second attachment: each official with the households they help."),
    ),
    "progress": (
        pgettext_lazy("report title", "Progress report"),
        _("Support delivered per household, village, official and department, and recent visits."),
    ),
    "village-stats": (
        pgettext_lazy("report title", "Review statistics by village"),
        _("Households, poor and near-poor households and rates per village, with ethnic minorities."),
    ),
    "deprivations": (
        pgettext_lazy("report title", "Deprivations by indicator"),
        _("Poor and near-poor households deprived on each of the 12 indicators, per village."),
    ),
    "year-end": (
        pgettext_lazy("report title", "Year-end exit results"),
        _("Registered and exited households by village and official, and what remains for the others."),
    ),
    "movement": (
        pgettext_lazy("report title", "Movement of poor and near-poor households"),
        _(
            "From one periodic review to the next, per village: start, decreases and increases by cause, "
            "end; re-entry of the exited households; the households of each group."
        ),
    ),
}


# The area reports' titles (the centre's line, the file names), by slug.
AREA_TITLES = {
    "village-stats": pgettext_lazy("report title", "Review statistics by commune"),
}


@dataclass(frozen=True)
class ReportKind:
    slug: str
    title: str
    description: str
    formats: tuple[str, ...]


def report_kinds() -> list[ReportKind]:
    """Every report, in the selectors' order, with its translated title and formats."""
    kinds = []
    for slug in REPORT_SLUGS:
        title, description = REPORT_TITLES.get(slug, (slug, ""))
        formats = ("pdf",) if slug in PDF_ONLY else ("pdf", "xlsx")
        kinds.append(ReportKind(slug=slug, title=str(title), description=str(description), formats=formats))
    return kinds


def report_kind(slug: str, fmt: str) -> ReportKind:
    """The report of that slug, offered in that format; 404 otherwise."""
    for kind in report_kinds():
        if kind.slug == slug and fmt in kind.formats:
            return kind
    raise Http404


def area_report_kind(slug: str, fmt: str) -> ReportKind:
    """The area report of that slug, in that format (PDF and XLSX); 404 otherwise."""
    if slug not in AREA_SLUGS or fmt not in ("pdf", "xlsx"):
        raise Http404
    return ReportKind(
        slug=slug,
        title=str(AREA_TITLES.get(slug, slug)),
        description=str(_("Whole district/province: statistics by commune")),
        formats=("pdf", "xlsx"),
    )


def can_read_area_reports(*, user) -> bool:
    return scope_for_user(user).role in AREA_ROLES


def report_area_for_user(*, user) -> Area:
    """The area of the user's area reports: the upper office's district or province, or every
    commune for the administrator (households.selectors.commune_list_for_user's communes).

    403 for everyone else: commune officers download their commune's reports, officials none.
    """
    scope = scope_for_user(user)
    if scope.role == Role.ADMINISTRATOR:
        return area_from_scope(area_scope())
    if scope.role != Role.UPPER_OFFICE or scope.official is None:
        raise PermissionDenied
    official = scope.official
    if not (official.district_id or official.province_id):
        raise PermissionDenied
    return area_from_scope(area_scope(district_id=official.district_id, province_id=official.province_id))


def area_fingerprint(*, area: Area) -> str:
    """The fingerprint of the data of all the area's communes (one query)."""
    return area_data_fingerprint(scope=area.scope, communes=area.where)


def area_report_files_current(
    *, area: Area, plan_year: int, review_year: int, language: str, slugs
) -> dict[tuple[str, str], ReportFile]:
    """The area's report entries for the current state of its data, by (slug, format)."""
    data = area_fingerprint(area=area)
    wanted = {slug: report_fingerprint(data=data, slug=slug, day=None) for slug in slugs}
    entries = ReportFile.objects.filter(
        commune__isnull=True,
        scope=area.scope,
        plan_year=plan_year,
        review_year=review_year,
        language=language,
        fingerprint__in=set(wanted.values()),
    )
    return {
        (entry.slug, entry.fmt): entry for entry in entries if wanted.get(entry.slug) == entry.fingerprint
    }


def report_previews(
    *, commune: Commune, plan_year: int, review_year: int, kinds: list[ReportKind]
) -> dict[str, list[tuple[str, str]]]:
    """A few key figures of each report, from its own summary: what the file will say.

    Each report's selector is cheap (a handful of aggregate queries, about 10 ms on the demo
    commune), so the centre builds every report's data, not the files. The figures are the
    summary lines whose value is a number, a rate or a date (not the plan reference), four at most.
    A report that cannot be built shows none; its download tells why.
    """
    previews = {}
    for kind in kinds:
        try:
            report = build_report(kind.slug, commune=commune, plan_year=plan_year, review_year=review_year)
        except Exception:  # the centre still lists the other reports
            logger.exception("Preview of report %s for commune %s failed", kind.slug, commune.pk)
            previews[kind.slug] = []
            continue
        figures = [(str(label), str(value)) for label, value in report.summary if str(value)[:1].isdigit()]
        previews[kind.slug] = figures[:PREVIEW_FIGURES]
    return previews


def report_communes_for_user(*, user) -> list[Commune]:
    """Communes whose reports the user may download; 403 for the roles that read no commune-wide list."""
    if scope_for_user(user).role not in REPORT_ROLES:
        raise PermissionDenied
    return list(household_selectors.commune_list_for_user(user=user).order_by("name", "pk"))


def report_commune_pick(
    communes: list[Commune], code: str | None, *, required: bool = False
) -> Commune | None:
    """The commune asked for by its code (404 when not among the user's).

    Without a code: the user's only commune; with several, the first one for the centre's picker
    (`required=False`) and 404 for a download, whose URL must say which commune it is about.
    """
    if not code:
        if len(communes) == 1 or (communes and not required):
            return communes[0]
        if required:
            raise Http404
        return None
    matches = [commune for commune in communes if commune.code == code]
    if not matches:
        raise Http404
    # A code may be reused by the successor of a merged unit: prefer the current unit.
    return min(matches, key=lambda commune: commune.valid_until is not None)


def plan_years(*, commune: Commune) -> list[int]:
    """Years the commune has a plan for, latest first."""
    return list(Plan.objects.filter(commune=commune).order_by("-year").values_list("year", flat=True))


def review_years(*, commune: Commune) -> list[int]:
    """Years with a periodic review in the commune, latest first."""
    return list(
        Assessment.objects.filter(household__commune=commune, kind=Assessment.Kind.PERIODIC)
        .order_by("-review_year")
        .values_list("review_year", flat=True)
        .distinct()
    )


def plan_exists(*, commune: Commune, year: int) -> bool:
    return Plan.objects.filter(commune=commune, year=year).exists()


def report_files_current(
    *, commune: Commune, plan_year: int, review_year: int, language: str, slugs
) -> dict[tuple[str, str], ReportFile]:
    """The entries of the reports for the current state of the data, by (slug, format).

    Three queries (the data's fingerprint, the plan's last day, the entries), whatever the count
    of reports and rows.
    """
    data = data_fingerprint(commune=commune)
    day = report_day(commune=commune, plan_year=plan_year)
    wanted = {slug: report_fingerprint(data=data, slug=slug, day=day) for slug in slugs}
    entries = ReportFile.objects.filter(
        commune=commune,
        plan_year=plan_year,
        review_year=review_year,
        language=language,
        fingerprint__in=set(wanted.values()),
    )
    return {
        (entry.slug, entry.fmt): entry for entry in entries if wanted.get(entry.slug) == entry.fingerprint
    }


def review_round_for_documents(*, user, pk: int) -> ReviewRound:
    """A review round whose documents (minutes, decision, lists) the user may download: whoever may
    read the round's page (households.review_selectors: the commune officer, the upper office, the
    administrator). 403 for the other roles, 404 outside the user's communes."""
    return review_selectors.review_round_get_for_user(user=user, pk=pk)


def report_file_get_for_user(*, user, pk: int) -> ReportFile:
    """A build's record: 403 for roles without reports, 404 outside the user's communes or area."""
    if scope_for_user(user).role not in REPORT_ROLES:
        raise PermissionDenied
    entry = ReportFile.objects.select_related("commune").filter(pk=pk).first()
    if entry is None:
        raise Http404
    if entry.is_area:
        # An area report is the user's when it covers the user's area (403 for commune roles).
        if scope_for_user(user).role not in AREA_ROLES:
            raise Http404
        if entry.scope != report_area_for_user(user=user).scope:
            raise Http404
        return entry
    if not household_selectors.commune_list_for_user(user=user).filter(pk=entry.commune_id).exists():
        raise Http404
    return entry
