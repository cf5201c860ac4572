from urllib.parse import quote, urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.http import require_GET, require_POST

from povertyplan.text import fold, nfc
from reports import access, charts, selectors, services
from reports.models import ReportFile

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _year(value: str | None, default: int | None) -> int | None:
    """The year asked for, if it is one; else the default."""
    if value and value.isdigit() and 1990 <= int(value) <= 2100:
        return int(value)
    return default


@login_required
def village_statistics(request):
    communes = selectors.statistics_communes_for_user(user=request.user)
    commune = selectors.statistics_commune_pick(communes, request.GET.get("commune"))
    years = selectors.review_years(commune=commune) if commune else []
    year = _year(request.GET.get("year"), years[0] if years else None)
    statistics = selectors.village_statistics(commune=commune, year=year) if commune and year else None
    # The same chart as the village-stats PDF, drawn by the same component.
    chart = statistics and statistics.rows and selectors.village_stats.poor_rate_chart(statistics)
    return render(
        request,
        "reports/statistics.html",
        {
            "communes": communes,
            "commune": commune,
            "years": sorted({*years, year} - {None}, reverse=True),
            "year": year,
            "has_review": year in years,
            "statistics": statistics,
            "surveyed_note": selectors.village_stats.surveyed_note(statistics) if statistics else "",
            "exit_cohort_lines": (
                selectors.movement.exit_cohort_lines(commune=commune, until_year=year) if statistics else []
            ),
            "poor_rate_chart": charts.bar_chart_svg(chart) if chart else None,
        },
    )


# --- Report centre, downloads and background builds ----------------------------------------------


def _year_param(value: str | None) -> int | None:
    """A year from the query string; 404 for anything but a plausible year, None when absent."""
    if value is None or value == "":
        return None
    if not (value.isdigit() and 1990 <= int(value) <= 2100):
        raise Http404
    return int(value)


def _query(commune, plan_year: int, review_year: int) -> str:
    """?commune=…&review=…, the review only when it is not the default (the year before the plan)."""
    params = {"commune": commune.code} if commune.code else {}
    if review_year != plan_year - 1:
        params["review"] = review_year
    return f"?{urlencode(params)}" if params else ""


def _area_query(plan_year: int, review_year: int) -> str:
    """?commune=all&review=…: an area report's query (the review only when not the default)."""
    params = {"commune": access.AREA_PARAM}
    if review_year != plan_year - 1:
        params["review"] = review_year
    return f"?{urlencode(params)}"


def _download_url(entry: ReportFile) -> str:
    """The stable download URL the entry answers (the commune and review spelled out as needed)."""
    url = reverse("reports:download", kwargs={"year": entry.plan_year, "slug": entry.slug, "fmt": entry.fmt})
    if entry.is_area:
        return url + _area_query(entry.plan_year, entry.review_year)
    return url + _query(entry.commune, entry.plan_year, entry.review_year)


def _unit_name(entry: ReportFile) -> str:
    """What the entry is about: its commune, or its area ("huyện Kbang")."""
    return selectors.area_from_scope(entry.scope).name if entry.is_area else entry.commune.full_name


def _filenames(entry: ReportFile, kind: access.ReportKind) -> tuple[str, str]:
    """An ASCII-safe name and the Vietnamese one, both dated by the file's making."""
    made = timezone.localdate(entry.finished_at or timezone.now()).strftime("%Y%m%d")
    unit_name = _unit_name(entry)
    if entry.is_area:
        code = fold(unit_name).replace(" ", "-") or entry.scope.replace(":", "-")
    else:
        code = entry.commune.code or str(entry.commune.pk)
    ascii_name = "-".join([fold(kind.title).replace(" ", "-"), code, str(entry.plan_year), made])
    readable = " - ".join([kind.title, unit_name, str(entry.plan_year), made])
    readable = nfc("".join("-" if char in '/\\:*?"<>|' else char for char in readable))
    return f"{ascii_name}.{entry.fmt}", f"{readable}.{entry.fmt}"


def _file_response(entry: ReportFile, kind: access.ReportKind) -> FileResponse:
    ascii_name, readable = _filenames(entry, kind)
    response = FileResponse(entry.file.open("rb"), content_type=CONTENT_TYPES[entry.fmt])
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(readable, safe='')}"
    )
    response["Cache-Control"] = "private, no-store"  # personal data
    return response


def _job_page(request, entry: ReportFile, kind: access.ReportKind):
    status = {ReportFile.Status.FAILED: 500, ReportFile.Status.DONE: 200}.get(entry.status, 202)
    return render(
        request,
        "reports/job.html",
        {
            "entry": entry,
            "kind": kind,
            "unit_name": _unit_name(entry),
            "download_url": _download_url(entry),
            "status_url": reverse("reports:job_status", args=[entry.pk]),
            "retry_url": reverse("reports:job_retry", args=[entry.pk]),
            "centre_url": reverse("reports:centre") + _centre_query(entry),
        },
        status=status,
    )


def _centre_query(entry: ReportFile) -> str:
    params = {"commune": entry.commune.code} if entry.commune and entry.commune.code else {}
    params["year"] = entry.plan_year
    if entry.review_year != entry.plan_year - 1:
        params["review"] = entry.review_year
    return f"?{urlencode(params)}"


@login_required
@require_GET
def report_centre(request):
    communes = access.report_communes_for_user(user=request.user)
    commune = access.report_commune_pick(communes, request.GET.get("commune"))
    years = access.plan_years(commune=commune) if commune else []
    year = _year_param(request.GET.get("year"))
    if year is not None and year not in years:
        raise Http404
    year = year or (years[0] if years else None)
    review_year = _year_param(request.GET.get("review")) or (year - 1 if year else None)
    rows = []
    if year:
        kinds = access.report_kinds()
        entries = access.report_files_current(
            commune=commune,
            plan_year=year,
            review_year=review_year,
            language=translation.get_language(),
            slugs=[kind.slug for kind in kinds],
        )
        previews = access.report_previews(
            commune=commune, plan_year=year, review_year=review_year, kinds=kinds
        )
        query = _query(commune, year, review_year)
        for kind in kinds:
            links = [
                {
                    "fmt": fmt,
                    "label": fmt.upper(),
                    "url": reverse("reports:download", kwargs={"year": year, "slug": kind.slug, "fmt": fmt})
                    + query,
                    "entry": entries.get((kind.slug, fmt)),
                }
                for fmt in kind.formats
            ]
            rows.append({"kind": kind, "links": links, "preview": previews.get(kind.slug, [])})
    area_row = _area_row(request, year, review_year) if year else None
    review_choices = access.review_years(commune=commune) if commune else []
    return render(
        request,
        "reports/centre.html",
        {
            "communes": communes,
            "commune": commune,
            "years": years,
            "year": year,
            "review_year": review_year,
            "review_years": sorted({*review_choices, review_year} - {None}, reverse=True),
            "default_review": year - 1 if year else None,
            "rows": rows,
            "area_row": area_row,
        },
    )


def _area_row(request, year: int, review_year: int) -> dict | None:
    """The centre's line of the area report (upper office and administrator): its links and state."""
    if not access.can_read_area_reports(user=request.user):
        return None
    try:
        area = access.report_area_for_user(user=request.user)
    except PermissionDenied:  # an upper-office account without a district or province
        return None
    slug = "village-stats"
    entries = access.area_report_files_current(
        area=area, plan_year=year, review_year=review_year, language=translation.get_language(), slugs=[slug]
    )
    query = _area_query(year, review_year)
    return {
        "area": area,
        "kind": access.area_report_kind(slug, "pdf"),
        "links": [
            {
                "fmt": fmt,
                "label": fmt.upper(),
                "url": reverse("reports:download", kwargs={"year": year, "slug": slug, "fmt": fmt}) + query,
                "entry": entries.get((slug, fmt)),
            }
            for fmt in ("pdf", "xlsx")
        ],
    }


@login_required
@require_GET
def report_download(request, year: int, slug: str, fmt: str):
    communes = access.report_communes_for_user(user=request.user)
    if request.GET.get("commune") == access.AREA_PARAM:
        return _area_download(request, year, slug, fmt)
    kind = access.report_kind(slug, fmt)
    commune = access.report_commune_pick(communes, request.GET.get("commune"), required=True)
    if not (1990 <= year <= 2100 and access.plan_exists(commune=commune, year=year)):
        raise Http404
    review_year = _year_param(request.GET.get("review")) or year - 1
    entry = services.report_file_request(
        commune=commune,
        slug=slug,
        fmt=fmt,
        plan_year=year,
        review_year=review_year,
        language=translation.get_language(),
        by=request.user,
    )
    if entry.status == ReportFile.Status.DONE:
        return _file_response(entry, kind)
    return _job_page(request, entry, kind)


def _area_download(request, year: int, slug: str, fmt: str):
    """The area report (every commune of the user's area): always built by the background worker."""
    area = access.report_area_for_user(user=request.user)  # 403 for commune officers
    kind = access.area_report_kind(slug, fmt)
    if not 1990 <= year <= 2100:
        raise Http404
    review_year = _year_param(request.GET.get("review")) or year - 1
    entry = services.report_file_request(
        commune=None,
        area=area,
        slug=slug,
        fmt=fmt,
        plan_year=year,
        review_year=review_year,
        language=translation.get_language(),
        by=request.user,
    )
    if entry.status == ReportFile.Status.DONE:
        return _file_response(entry, kind)
    return _job_page(request, entry, kind)


@login_required
@require_GET
def report_job_status(request, pk: int):
    entry = access.report_file_get_for_user(user=request.user, pk=pk)
    entry = services.report_file_check(entry=entry)
    return JsonResponse(
        {
            "id": entry.pk,
            "status": entry.status,
            "status_label": entry.get_status_display(),
            "progress": entry.progress,
            "message": entry.message,
            "done": entry.status == ReportFile.Status.DONE,
            "failed": entry.status == ReportFile.Status.FAILED,
            "download_url": _download_url(entry),
        },
        headers={"Cache-Control": "no-store"},
    )


@login_required
@require_POST
def report_job_retry(request, pk: int):
    entry = access.report_file_get_for_user(user=request.user, pk=pk)
    services.report_file_retry(entry=entry, by=request.user)
    return redirect(_download_url(entry), permanent=False)
