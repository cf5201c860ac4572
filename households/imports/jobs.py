"""An upload's life as an ImportJob: stored, checked, confirmed, written (or refused, or dropped).

A small file is checked and written in the request; a large one (`IMPORT_BACKGROUND_BYTES` and
more) by the background worker (households.tasks), which records its progress on the job's row so
that the job page can show it. The check's counts, problems and warnings are kept in
`job.summary`, so the officer can leave and come back. The uploaded bytes live in `job.data`
(never under MEDIA_ROOT) until the list is written or the job is cancelled.

While the check or the writing runs, the job records the process that runs it and refreshes its
heartbeat (povertyplan.background): once that process is gone, or its heartbeat stale, the job is
shown as failed ("the server stopped mid-way"), to be checked again; nothing was written, since the
writing is one transaction. `summary["started_at"]` records when the current check or writing was
asked for: a job no process took up within STALLED_AFTER (no worker running) is failed as well.
"""

import logging
from contextlib import contextmanager
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.db.models.functions import Length
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.selectors import scope_for_user
from households import permissions, selectors
from households.imports import engine
from households.imports.engine import ImportFileError, ImportRefused
from households.models import Commune, ImportJob
from povertyplan import background
from povertyplan.roles import Role

logger = logging.getLogger(__name__)

PROGRESS_EVERY = engine.PROGRESS_EVERY  # rows between two progress writes
# A check or an import waiting this long for a process to take it up was lost (no worker running):
# a 50,000-row file is checked and written in well under a minute.
STALLED_AFTER = timedelta(minutes=10)
RECENT_JOBS = 20
Status = ImportJob.Status


# --- reads ---------------------------------------------------------------------------------------


def import_communes_for_user(*, user) -> list[Commune]:
    """Communes the user may import into; 403 for the roles that may not import."""
    if not permissions.imports_allowed_to(user=user):
        raise PermissionDenied
    return list(selectors.commune_list_for_user(user=user).order_by("name", "pk"))


def import_commune_pick(communes: list[Commune], code: str | None) -> Commune | None:
    """The commune asked for by its code (404 when not the user's); alone, the user's only one."""
    if not code:
        return communes[0] if len(communes) == 1 else None
    matches = [commune for commune in communes if commune.code == code]
    if not matches:
        raise Http404
    # A code may be reused by the successor of a merged unit: prefer the current unit.
    return min(matches, key=lambda commune: commune.valid_until is not None)


def _jobs_for_user(user) -> QuerySet[ImportJob]:
    scope = scope_for_user(user)
    jobs = ImportJob.objects.select_related("commune", "created_by__official").annotate(
        file_size=Length("data")
    )
    if scope.role == Role.ADMINISTRATOR:
        return jobs
    return jobs.filter(commune_id=scope.commune_id)


def import_job_get_for_user(user, pk: int, *, with_file: bool = False) -> ImportJob:
    """One import: 403 for the roles that may not import, 404 outside the user's commune."""
    if not permissions.imports_allowed_to(user=user):
        raise PermissionDenied
    jobs = _jobs_for_user(user)
    job = (jobs if with_file else jobs.defer("data")).filter(pk=pk).first()
    if job is None:
        raise Http404
    return _fail_if_stalled(job)


def import_jobs_recent(*, user, commune: Commune) -> list[ImportJob]:
    """The user's latest imports into the commune, newest first (without their files)."""
    jobs = _jobs_for_user(user).defer("data").filter(commune=commune, created_by=user)
    return [_fail_if_stalled(job) for job in jobs.order_by("-created_at", "-pk")[:RECENT_JOBS]]


def file_size(job: ImportJob) -> int:
    """The stored file's size in bytes (0 once dropped), without loading it when it was not read."""
    if "data" in job.get_deferred_fields() and hasattr(job, "file_size"):
        return job.file_size
    return len(job.data)


def import_job_result(job: ImportJob) -> engine.CheckResult:
    """The check of the stored file run again (for the rejected rows' workbook). Raises ImportFileError."""
    return engine.check(
        kind=job.kind,
        commune=job.commune,
        user=job.created_by,
        file_bytes=bytes(job.data),
        filename=job.filename,
    )


# --- writes --------------------------------------------------------------------------------------


def import_job_create(*, kind: str, commune: Commune, user, filename: str, data: bytes) -> ImportJob:
    """Store an upload and check it: now when the file is small, else in the background."""
    job = ImportJob(kind=kind, commune=commune, filename=filename[:255], data=data, created_by=user)
    job.summary = {"started_at": timezone.now().isoformat()}
    job.full_clean(exclude=["data"])
    job.save()
    return _start_check(job)


def import_job_recheck(*, job: ImportJob) -> ImportJob:
    """Check a failed or checked import's stored file again (the data may have changed since)."""
    if job.status not in (Status.CHECKED, Status.FAILED) or not file_size(job):
        return job
    ImportJob.objects.filter(pk=job.pk).update(
        status=Status.CHECKING,
        message="",
        summary={"started_at": timezone.now().isoformat()},
        progress_done=0,
        progress_total=0,
        checked_at=None,
        valid_only=False,
        runner="",
        heartbeat_at=None,
    )
    return _start_check(ImportJob.objects.select_related("commune", "created_by").get(pk=job.pk))


def _in_request(job: ImportJob) -> bool:
    return file_size(job) < settings.IMPORT_BACKGROUND_BYTES


def _start_check(job: ImportJob) -> ImportJob:
    if _in_request(job):
        return import_job_check(job)
    from households.tasks import check_import_job

    check_import_job.enqueue(job.pk, translation.get_language() or settings.LANGUAGE_CODE)
    return job


def import_job_check(job: ImportJob) -> ImportJob:
    """Check the stored file (a dry run, nothing else written) and keep its counts and problems."""
    if job.status != Status.CHECKING:
        return job
    started = timezone.now()  # a record changed after this is a conflict when the file is written
    try:
        with _running(job):
            result = engine.check(
                kind=job.kind,
                commune=job.commune,
                user=job.created_by,
                file_bytes=bytes(job.data),
                filename=job.filename,
                progress=_progress_recorder(job),
            )
    except ImportFileError as error:
        # The file itself cannot be read: nothing in it is worth keeping.
        return _finish(job, status=Status.REJECTED, message=error.message, summary={}, data=b"")
    except Exception:
        logger.exception("Import %s (%s) could not be checked", job.pk, job.kind)
        return _finish(job, status=Status.FAILED, message=_unexpected_error(), summary={})
    return _finish(
        job,
        status=Status.CHECKED,
        summary=result.summary(),
        checked_at=started,
        progress_done=result.total,
        progress_total=result.total,
    )


def import_job_apply(job: ImportJob, *, valid_only: bool = False, by=None) -> ImportJob:
    """Write a checked import: now when the file is small, else in the background."""
    summary = {**job.summary, "started_at": timezone.now().isoformat()}
    # Only one confirmation starts the writing (a double click, two officers at once).
    started = (
        ImportJob.objects.filter(pk=job.pk, status=Status.CHECKED)
        .exclude(data=b"")
        .update(
            status=Status.APPLYING,
            valid_only=valid_only,
            summary=summary,
            progress_done=0,
            message="",
            runner="",
            heartbeat_at=None,
        )
    )
    if not started:
        return job
    by = by or job.created_by
    if _in_request(job):
        return import_job_write(job_id=job.pk, by_id=by.pk)
    from households.tasks import apply_import_job

    apply_import_job.enqueue(job.pk, by.pk, translation.get_language() or settings.LANGUAGE_CODE)
    job.refresh_from_db()
    return job


def import_job_write(*, job_id: int, by_id: int) -> ImportJob | None:
    """The writing itself (in the request or the worker); a refusal leaves the database unchanged."""
    job = ImportJob.objects.select_related("commune", "created_by").filter(pk=job_id).first()
    if job is None or job.status != Status.APPLYING:
        return job
    by = get_user_model().objects.filter(pk=by_id).first() or job.created_by
    try:
        with _running(job):
            result = engine.apply(
                kind=job.kind,
                commune=job.commune,
                user=by,
                file_bytes=bytes(job.data),
                filename=job.filename,
                valid_only=job.valid_only,
                checked_at=job.checked_at,
                progress=_progress_recorder(job),
            )
    except (ImportRefused, ImportFileError) as error:
        return _finish(job, status=Status.FAILED, message=error.message, summary=_without_start(job))
    except Exception:
        logger.exception("Import %s (%s) could not be written", job.pk, job.kind)
        return _finish(job, status=Status.FAILED, message=_unexpected_error(), summary=_without_start(job))
    return _finish(
        job,
        status=Status.APPLIED,
        summary=result.summary(),
        applied_at=timezone.now(),
        data=b"",
        progress_done=result.total,
        progress_total=result.total,
    )


def import_job_cancel(*, job: ImportJob) -> bool:
    """Drop an import that is not being written (its file with it); False when it is being written."""
    deleted, _by_model = ImportJob.objects.filter(pk=job.pk).exclude(status=Status.APPLYING).delete()
    return bool(deleted)


def import_jobs_purge(*, days: int, now: datetime | None = None) -> tuple[int, int]:
    """Delete the imports older than `days`, and drop the files of the finished ones; (deleted, emptied)."""
    now = now or timezone.now()
    deleted, _by_model = ImportJob.objects.filter(created_at__lt=now - timedelta(days=days)).delete()
    finished = ImportJob.objects.filter(status__in=[Status.APPLIED, Status.REJECTED])
    emptied = finished.exclude(data=b"").update(data=b"")
    return deleted, emptied


# --- bookkeeping ---------------------------------------------------------------------------------


@contextmanager
def _running(job: ImportJob):
    """Record this process as the job's and beat until the work ends (povertyplan.background)."""
    job.runner, job.heartbeat_at = background.process_identity(), timezone.now()
    ImportJob.objects.filter(pk=job.pk).update(runner=job.runner, heartbeat_at=job.heartbeat_at)

    def beat() -> None:
        ImportJob.objects.filter(pk=job.pk, status=job.status).update(heartbeat_at=timezone.now())

    with background.Heartbeat(beat):
        yield


def _progress_recorder(job: ImportJob):
    """The engine's `progress(done, total)`: one UPDATE by primary key every PROGRESS_EVERY rows."""
    last = {"done": 0}

    def record(done: int, total: int) -> None:
        if done - last["done"] < PROGRESS_EVERY and done < total:
            return
        last["done"] = done
        ImportJob.objects.filter(pk=job.pk).update(progress_done=done, progress_total=total)
        job.progress_done, job.progress_total = done, total

    return record


def _finish(job: ImportJob, **fields) -> ImportJob:
    fields.setdefault("message", "")
    ImportJob.objects.filter(pk=job.pk).update(**fields)
    for name, value in fields.items():
        setattr(job, name, value)
    return job


def _without_start(job: ImportJob) -> dict:
    return {key: value for key, value in job.summary.items() if key != "started_at"}


def _unexpected_error() -> str:
    return _("The file could not be processed. Please try again; if it fails again, tell the administrator.")


def _started_at(job: ImportJob) -> datetime:
    started = job.summary.get("started_at") if isinstance(job.summary, dict) else None
    try:
        return datetime.fromisoformat(started) if started else job.created_at
    except ValueError:
        return job.created_at


def import_jobs_recover() -> int:
    """Fail the checks and writings left running by processes that are gone (a worker starting
    calls this); the number failed."""
    running = ImportJob.objects.defer("data").filter(status__in=[Status.CHECKING, Status.APPLYING])
    return sum(_fail_if_stalled(job).status == Status.FAILED for job in running)


def _fail_if_stalled(job: ImportJob) -> ImportJob:
    if not job.is_running:
        return job
    now = timezone.now()
    lost = background.lost_because(runner=job.runner, heartbeat_at=job.heartbeat_at, now=now)
    if lost:
        message = _("The server stopped mid-way — try again.")
    elif job.heartbeat_at is None and now - _started_at(job) >= STALLED_AFTER:
        lost = f"not taken up for {STALLED_AFTER}"
        message = _(
            "The check or the import was interrupted: the background worker did not finish it. "
            "Nothing was imported. Check the file again, or upload it again."
        )
    else:
        return job
    stalled = ImportJob.objects.filter(pk=job.pk, status=job.status).update(
        status=Status.FAILED, message=message, summary=_without_start(job)
    )
    if stalled:
        logger.warning("Import %s lost in status %s (%s); marked failed", job.pk, job.status, lost)
    job.refresh_from_db(fields=["status", "message", "summary"])
    return job
