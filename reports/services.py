"""Writes of the report files: the cache entries, their builds and the background bookkeeping.

`report_file_request` is what a download calls: it returns the entry for the current state of the
data, creating it when there is none and building it in the request when the build is quick, or
handing it to the background worker (reports.tasks) when it is slow. An area report (every commune
of an upper office, `area=`) always goes to the worker. `report_file_build` does the
build itself, for the request and for the worker alike, and records its progress on the row.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from households.models import Commune, Village
from plans.models import ExitRegistration
from povertyplan import background
from reports.builders.pdf import build_pdf
from reports.builders.xlsx import build_xlsx
from reports.freshness import area_data_fingerprint, data_fingerprint, report_day, report_fingerprint
from reports.models import ReportFile
from reports.selectors import Area, build_area_report, build_report

logger = logging.getLogger(__name__)

# A build goes to the background worker when it is expected to take longer than this (seconds).
DEFAULT_BACKGROUND_SECONDS = 2.0
# A build queued this long ago and never started is taken as lost (no worker took it). A started
# one is lost as soon as its process is gone or its heartbeat stale (povertyplan.background).
STALLED_AFTER = timedelta(minutes=30)

# Build-time estimate before a report was ever built, measured on the demo commune (2 cores):
# WeasyPrint lays out about 100 rows of these tables a second (progress: 88 rows, 9 pages, 0.9 s;
# the plan's 7 pages of text 0.3 s); openpyxl writes thousands of rows a second.
PDF_START_SECONDS = 0.3
PDF_SECONDS_PER_ROW = 0.01
PLAN_PDF_SECONDS = 0.6
XLSX_START_SECONDS = 0.1
XLSX_SECONDS_PER_ROW = 0.0002
# Household reports have about two rows per registered household (its own, and the subtotals
# and groups); statistics reports about three per village.
ROWS_PER_REGISTRATION = 2
ROWS_PER_VILLAGE = 3
HOUSEHOLD_REPORTS = frozenset({"exit-households", "assignments", "progress", "year-end"})


def render(report, fmt: str) -> bytes:
    """The report as a file of the format: the PDF and the XLSX come from the same Report."""
    return build_pdf(report) if fmt == ReportFile.Format.PDF else build_xlsx(report)


def background_threshold() -> float:
    return float(getattr(settings, "REPORTS_BACKGROUND_SECONDS", DEFAULT_BACKGROUND_SECONDS))


def estimated_seconds(*, commune: Commune, slug: str, fmt: str, plan_year: int) -> float:
    """How long a build of this report should take: the last build's time, else from the row count."""
    last = (
        ReportFile.objects.filter(
            commune=commune,
            slug=slug,
            fmt=fmt,
            status=ReportFile.Status.DONE,
            started_at__isnull=False,
            finished_at__isnull=False,
        )
        .order_by("-finished_at")
        .first()
    )
    if last is not None:
        return last.build_seconds
    if slug == "plan" and fmt == ReportFile.Format.PDF:
        return PLAN_PDF_SECONDS
    if slug in HOUSEHOLD_REPORTS:
        registrations = ExitRegistration.objects.filter(plan__commune=commune, plan__year=plan_year).count()
        rows = ROWS_PER_REGISTRATION * registrations
    else:
        rows = ROWS_PER_VILLAGE * Village.objects.filter(commune=commune).count()
    if fmt == ReportFile.Format.XLSX:
        return XLSX_START_SECONDS + rows * XLSX_SECONDS_PER_ROW
    return PDF_START_SECONDS + rows * PDF_SECONDS_PER_ROW


def report_file_request(
    *,
    commune: Commune | None,
    slug: str,
    fmt: str,
    plan_year: int,
    review_year: int,
    language: str,
    by=None,
    area: Area | None = None,
) -> ReportFile:
    """The entry of this report for the current data: found, built now, or queued for the worker.

    With `area` (and commune None): the area report over all the area's communes, whose
    fingerprint covers every one of them.
    """
    if area is not None:
        fingerprint = report_fingerprint(
            data=area_data_fingerprint(scope=area.scope, communes=area.where), slug=slug, day=None
        )
        unit = dict(commune=None, scope=area.scope)
    else:
        fingerprint = report_fingerprint(
            data=data_fingerprint(commune=commune),
            slug=slug,
            day=report_day(commune=commune, plan_year=plan_year),
        )
        unit = dict(commune=commune, scope="")
    key = dict(
        **unit,
        slug=slug,
        fmt=fmt,
        plan_year=plan_year,
        review_year=review_year,
        language=language,
        fingerprint=fingerprint,
    )
    entry = ReportFile.objects.filter(**key).first()
    if entry is not None and entry.status == ReportFile.Status.DONE and not _stored(entry):
        logger.warning("Report file %s lost its stored file %s; building it again", entry.pk, entry.file.name)
        entry.delete()
        entry = None
    if entry is not None:
        _fail_if_stalled(entry)
        return entry
    try:
        with transaction.atomic():
            entry = ReportFile.objects.create(**key, requested_by=by, message=gettext("Waiting to start…"))
    except IntegrityError:  # another request created it a moment ago: share its build
        return ReportFile.objects.get(**key)
    return _start(entry)


def _stored(entry: ReportFile) -> bool:
    return bool(entry.file) and entry.file.storage.exists(entry.file.name)


def report_file_retry(*, entry: ReportFile, by=None) -> ReportFile:
    """Start a failed build again (a stalled one counts as failed)."""
    _fail_if_stalled(entry)
    if entry.status != ReportFile.Status.FAILED:
        return entry
    entry.status = ReportFile.Status.QUEUED
    entry.progress = 0
    entry.message = gettext("Waiting to start…")
    entry.error = ""
    entry.task_id = ""
    entry.started_at = entry.finished_at = entry.heartbeat_at = None
    entry.runner = ""
    entry.requested_by = by or entry.requested_by
    entry.save()
    return _start(entry)


def _start(entry: ReportFile) -> ReportFile:
    """Build now when quick, else hand the build to the background worker (an area report always)."""
    if not entry.is_area and (
        estimated_seconds(commune=entry.commune, slug=entry.slug, fmt=entry.fmt, plan_year=entry.plan_year)
        <= background_threshold()
    ):
        return report_file_build(report_file_id=entry.pk) or entry
    from reports.tasks import build_report_file

    result = build_report_file.enqueue(entry.pk)
    ReportFile.objects.filter(pk=entry.pk).update(task_id=str(result.id))
    entry.refresh_from_db()
    return entry


def report_file_check(*, entry: ReportFile) -> ReportFile:
    """The entry, failed first when its build stalled (a worker stopped mid-way)."""
    _fail_if_stalled(entry)
    return entry


def report_files_recover() -> int:
    """Fail the builds left running by processes that are gone (a worker starting calls this)."""
    entries = ReportFile.objects.filter(status__in=[ReportFile.Status.QUEUED, ReportFile.Status.RUNNING])
    return sum(_fail_if_stalled(entry) for entry in entries)


def _fail_if_stalled(entry: ReportFile) -> bool:
    """Fail the entry when its build was lost; True when this call failed it."""
    if entry.is_finished:
        return False
    now = timezone.now()
    lost = background.lost_because(runner=entry.runner, heartbeat_at=entry.heartbeat_at, now=now)
    if lost:
        message, error = gettext_noop("The server stopped mid-way — try again."), f"stopped: {lost}"
    elif entry.heartbeat_at is None and now - (entry.started_at or entry.created_at) >= STALLED_AFTER:
        message = gettext_noop("Making the file was interrupted. Please try again.")
        error = f"stalled: no progress for {STALLED_AFTER}"
    else:
        return False
    with translation.override(entry.language):
        message = gettext(message)
    updated = ReportFile.objects.filter(pk=entry.pk, status=entry.status).update(
        status=ReportFile.Status.FAILED, message=message, error=error, finished_at=now
    )
    if updated:
        logger.warning("Report file %s lost in status %s (%s); marked failed", entry.pk, entry.status, error)
    entry.refresh_from_db()
    return bool(updated)


def _beat(entry_id: int) -> None:
    ReportFile.objects.filter(pk=entry_id, status=ReportFile.Status.RUNNING).update(
        heartbeat_at=timezone.now()
    )


def _progress(entry: ReportFile, percent: int, message: str, **fields) -> None:
    entry.progress = percent
    entry.message = message
    for name, value in fields.items():
        setattr(entry, name, value)
    ReportFile.objects.filter(pk=entry.pk).update(
        progress=percent, message=message, heartbeat_at=timezone.now(), **fields
    )


def report_file_build(*, report_file_id: int) -> ReportFile | None:
    """Build the entry's file and store it; on any error the entry is failed, never left running.

    None when there is nothing to build: the entry is gone, or overtaken by a newer build.
    """
    entry = ReportFile.objects.select_related("commune").filter(pk=report_file_id).first()
    if entry is None or entry.status == ReportFile.Status.DONE:
        return entry
    if _same_report(entry).filter(pk__gt=entry.pk, status=ReportFile.Status.DONE).exists():
        # Queued before the data changed, and a build of the newer data is already done: the
        # pages follow the newer one, so this one is dropped rather than built for nothing.
        entry.delete()
        return None
    try:
        with translation.override(entry.language), background.Heartbeat(lambda: _beat(entry.pk)):
            _progress(
                entry,
                10,
                gettext("Reading the data…"),
                status=ReportFile.Status.RUNNING,
                started_at=timezone.now(),
                runner=background.process_identity(),
            )
            if entry.is_area:
                report = build_area_report(
                    entry.slug, scope=entry.scope, plan_year=entry.plan_year, review_year=entry.review_year
                )
            else:
                report = build_report(
                    entry.slug,
                    commune=entry.commune,
                    plan_year=entry.plan_year,
                    review_year=entry.review_year,
                )
            _progress(entry, 40, gettext("Laying out the file…"))
            content = render(report, entry.fmt)
            _progress(entry, 90, gettext("Saving the file…"))
            entry.file.save(f"{entry.slug}.{entry.fmt}", ContentFile(content), save=False)
            entry.status = ReportFile.Status.DONE
            entry.progress = 100
            entry.message = gettext("The file is ready.")
            entry.finished_at = timezone.now()
            entry.save(update_fields=["file", "status", "progress", "message", "finished_at"])
    except Exception as error:
        logger.exception("Report file %s (%s.%s) failed", entry.pk, entry.slug, entry.fmt)
        with translation.override(entry.language):
            message = gettext(
                "The file could not be made. Please try again; if it fails again, tell the administrator."
            )
        if entry.file:
            entry.file.delete(save=False)
        ReportFile.objects.filter(pk=entry.pk).update(
            status=ReportFile.Status.FAILED,
            message=message,
            error=f"{type(error).__name__}: {error}"[:2000],
            finished_at=timezone.now(),
            file="",
        )
        return ReportFile.objects.filter(pk=entry.pk).first()  # None if deleted meanwhile
    report_files_prune(entry=entry)
    return entry


def report_files_prune(*, entry: ReportFile) -> int:
    """Delete the older finished entries of the same report (other data states), with their files."""
    older = _same_report(entry).filter(
        status__in=[ReportFile.Status.DONE, ReportFile.Status.FAILED], pk__lt=entry.pk
    )
    return report_files_delete(older)


def _same_report(entry: ReportFile):
    """The entries of the same report (any state of the data), this one excluded."""
    return ReportFile.objects.filter(
        commune_id=entry.commune_id,
        scope=entry.scope,
        slug=entry.slug,
        fmt=entry.fmt,
        plan_year=entry.plan_year,
        review_year=entry.review_year,
        language=entry.language,
    ).exclude(pk=entry.pk)


def report_files_delete(entries) -> int:
    """Delete entries and their stored files."""
    count = 0
    for old in list(entries):
        if old.file:
            old.file.delete(save=False)
        old.delete()
        count += 1
    return count
