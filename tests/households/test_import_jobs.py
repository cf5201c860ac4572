"""The ImportJob lifecycle (households.imports.jobs): stored, checked, written, refused, purged.

Files are small real XLSX workbooks built here with the importer's own headers. Messages are
asserted in English (the Vietnamese catalogue is merged later), so files and checks run in English.
"""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.http import Http404
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult
from openpyxl import Workbook

from households import services as household_services
from households.imports import engine, jobs
from households.models import Household, ImportJob
from tests import factories

Status = ImportJob.Status


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def households_xlsx(commune, user, rows: list[dict]) -> bytes:
    """An XLSX of the households list: every column the import reads, rows given by column key."""
    columns = [c for c in engine.importer_for("households", commune=commune, user=user).columns() if c.read]
    book = Workbook()
    sheet = book.active
    sheet.append([column.header for column in columns])
    for row in rows:
        sheet.append([row.get(column.key) for column in columns])
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def new_row(code: str, village, head_name: str = "Đinh Văn Blơn", **extra) -> dict:
    return {
        "village": getattr(village, "name", village),
        "household_code": code,
        "head_name": head_name,
        **extra,
    }


def existing_row(household, **changes) -> dict:
    """The household as it is: importing this row changes nothing unless `changes` say so."""
    row = {
        "village": household.village.name,
        "household_code": household.code,
        "head_name": household.head_name,
        "address": household.address,
        "head_ethnicity": household.head_ethnicity.name if household.head_ethnicity else None,
        "is_ethnic_minority": "Yes" if household.is_ethnic_minority else "No",
        "is_indigenous": "Yes" if household.is_indigenous else "No",
        "area": household.get_area_display(),
        "is_merit_family": "Yes" if household.is_merit_family else "No",
        "has_no_labour_capacity": "Yes" if household.has_no_labour_capacity else "No",
        "is_female_head": "Yes" if household.is_female_head else "No",
        "phone": household.phone,
        "notes": household.notes,
        "causes": "; ".join(household.causes.values_list("name", flat=True)),
        "needs": "; ".join(household.needs.values_list("name", flat=True)),
    }
    return {**row, **changes}


def snapshot() -> list[tuple]:
    return list(
        Household.objects.order_by("code").values_list("code", "head_name", "village_id", "updated_at")
    )


def create(commune_admin, data: bytes, filename: str = "ho.xlsx") -> ImportJob:
    return jobs.import_job_create(
        kind="households",
        commune=commune_admin.official.commune,
        user=commune_admin,
        filename=filename,
        data=data,
    )


@pytest.fixture
def mixed_file(commune_admin, village, household):
    """Row 2 and 3 new, row 4 updates the household, row 5 names an unknown village."""
    return households_xlsx(
        village.commune,
        commune_admin,
        [
            new_row("KLK-0101", village),
            new_row("KLK-0102", village, head_name="Y Thị Hơn"),
            existing_row(household, head_name="Đinh Văn Hmar Mới"),
            new_row("KLK-0103", "Làng Không Có"),
        ],
    )


@pytest.mark.django_db
def test_a_check_stores_counts_and_problems_and_writes_nothing(commune_admin, mixed_file):
    before = snapshot()

    job = create(commune_admin, mixed_file)

    job.refresh_from_db()
    assert job.status == Status.CHECKED
    assert (job.summary["new"], job.summary["updated"], job.summary["unchanged"]) == (2, 1, 0)
    assert (job.summary["total"], job.summary["invalid"]) == (4, 1)
    [[row, column, message]] = job.summary["problems"]
    assert (row, column) == (5, "Village")
    assert message.startswith("Row 5, column 'Village': 'Làng Không Có' is not in the commune's villages")
    assert job.checked_at is not None and job.checked_at <= timezone.now()
    assert (job.progress_done, job.progress_total, job.percent) == (4, 4, 100)
    assert bytes(job.data) == mixed_file  # kept until written or cancelled
    assert snapshot() == before


@pytest.mark.django_db
def test_applying_a_valid_file_writes_its_rows_and_drops_the_file(commune_admin, village, household):
    data = households_xlsx(
        village.commune,
        commune_admin,
        [new_row("KLK-0201", village), existing_row(household, address="Làng Kon Mơ, nhà 3")],
    )
    job = create(commune_admin, data)

    job = jobs.import_job_apply(job, by=commune_admin)

    job.refresh_from_db()
    assert job.status == Status.APPLIED
    assert (job.summary["new"], job.summary["updated"]) == (1, 1)
    assert bytes(job.data) == b"" and job.applied_at is not None
    created = Household.objects.get(code="KLK-0201")
    assert (created.head_name, created.village, created.created_by) == (
        "Đinh Văn Blơn",
        village,
        commune_admin,
    )
    household.refresh_from_db()
    assert household.address == "Làng Kon Mơ, nhà 3"
    assert household.updated_by == commune_admin


@pytest.mark.django_db
def test_applying_a_file_with_invalid_rows_is_refused_and_writes_nothing(commune_admin, mixed_file):
    job = create(commune_admin, mixed_file)
    before = snapshot()

    job = jobs.import_job_apply(job, valid_only=False, by=commune_admin)

    job.refresh_from_db()
    assert job.status == Status.FAILED
    assert job.message.startswith("1 row has errors: nothing was imported.")
    assert snapshot() == before
    assert bytes(job.data) == mixed_file  # the officer may check it again
    assert job.summary["invalid"] == 1 and "started_at" not in job.summary


@pytest.mark.django_db
def test_importing_only_the_valid_rows_skips_the_invalid_one(commune_admin, mixed_file, household):
    job = create(commune_admin, mixed_file)

    job = jobs.import_job_apply(job, valid_only=True, by=commune_admin)

    job.refresh_from_db()
    assert (job.status, job.valid_only) == (Status.APPLIED, True)
    assert (job.summary["new"], job.summary["updated"], job.summary["invalid"]) == (2, 1, 1)
    assert set(Household.objects.values_list("code", flat=True)) == {"KLK-0001", "KLK-0101", "KLK-0102"}
    household.refresh_from_db()
    assert household.head_name == "Đinh Văn Hmar Mới"


@pytest.mark.django_db
def test_a_household_changed_after_the_check_makes_the_import_refused(commune_admin, village, household):
    data = households_xlsx(
        village.commune,
        commune_admin,
        [new_row("KLK-0301", village), existing_row(household, head_name="Tên Từ Tệp")],
    )
    job = create(commune_admin, data)
    household_services.household_update(household=household, phone="0905000111", by=commune_admin)
    before = snapshot()

    job = jobs.import_job_apply(job, by=commune_admin)

    job.refresh_from_db()
    assert job.status == Status.FAILED
    assert job.message.startswith("Rows 3 of the file concern records that were changed after your check.")
    assert snapshot() == before
    assert not Household.objects.filter(code="KLK-0301").exists()

    # Checked again, the file is seen against the current data and can be written.
    job = jobs.import_job_recheck(job=job)
    assert job.status == Status.CHECKED
    assert jobs.import_job_apply(job, by=commune_admin).status == Status.APPLIED
    household.refresh_from_db()
    assert household.head_name == "Tên Từ Tệp"
    assert Household.objects.filter(code="KLK-0301").exists()


@pytest.mark.django_db
def test_a_file_that_is_not_a_spreadsheet_is_rejected_and_not_kept(commune_admin, household):
    before = snapshot()
    png = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(256))

    job = create(commune_admin, png, filename="danh-sach.xlsx")

    job.refresh_from_db()
    assert job.status == Status.REJECTED
    assert job.message == (
        "The file is not a spreadsheet. Upload an Excel workbook (.xlsx) or a CSV file (UTF-8 or UTF-16)."
    )
    assert bytes(job.data) == b""
    assert snapshot() == before
    assert jobs.import_job_apply(job, valid_only=True).status == Status.REJECTED  # nothing to confirm


@pytest.mark.django_db
def test_a_second_confirmation_does_nothing(commune_admin, village):
    job = create(
        commune_admin, households_xlsx(village.commune, commune_admin, [new_row("KLK-0401", village)])
    )
    stale = ImportJob.objects.get(pk=job.pk)
    jobs.import_job_apply(job, by=commune_admin)

    again = jobs.import_job_apply(stale, by=commune_admin)

    assert again.status == Status.CHECKED  # the stale copy, untouched
    assert ImportJob.objects.get(pk=job.pk).status == Status.APPLIED
    assert Household.objects.filter(code="KLK-0401").count() == 1


@pytest.mark.django_db
def test_progress_is_written_at_most_every_progress_every_rows(commune_admin, village):
    job = create(
        commune_admin, households_xlsx(village.commune, commune_admin, [new_row("KLK-0501", village)])
    )
    record = jobs._progress_recorder(job)

    record(jobs.PROGRESS_EVERY - 1, 5 * jobs.PROGRESS_EVERY)
    job.refresh_from_db()
    assert (job.progress_done, job.progress_total) == (1, 1)  # from the check: not written again
    record(jobs.PROGRESS_EVERY, 5 * jobs.PROGRESS_EVERY)
    job.refresh_from_db()
    assert (job.progress_done, job.percent) == (jobs.PROGRESS_EVERY, 20)
    record(5 * jobs.PROGRESS_EVERY, 5 * jobs.PROGRESS_EVERY)  # the end is always written
    job.refresh_from_db()
    assert job.percent == 100


@pytest.mark.django_db
def test_a_job_left_running_without_a_worker_is_shown_failed(commune_admin, village, settings):
    settings.IMPORT_BACKGROUND_BYTES = 0  # queued, and no worker runs here
    job = create(
        commune_admin, households_xlsx(village.commune, commune_admin, [new_row("KLK-0601", village)])
    )
    assert job.status == Status.CHECKING

    assert jobs.import_job_get_for_user(commune_admin, job.pk).status == Status.CHECKING  # just started
    long_ago = timezone.now() - jobs.STALLED_AFTER - datetime.timedelta(minutes=1)
    ImportJob.objects.filter(pk=job.pk).update(summary={"started_at": long_ago.isoformat()})

    stalled = jobs.import_job_get_for_user(commune_admin, job.pk)

    assert stalled.status == Status.FAILED
    assert stalled.message.startswith("The check or the import was interrupted")
    assert ImportJob.objects.get(pk=job.pk).status == Status.FAILED
    assert not Household.objects.filter(code="KLK-0601").exists()


@pytest.mark.django_db
def test_only_importers_of_the_commune_reach_a_job(commune_admin, village, personas):
    job = create(
        commune_admin, households_xlsx(village.commune, commune_admin, [new_row("KLK-0701", village)])
    )
    colleague = factories.OfficialFactory(commune=village.commune, role="commune_officer").user

    assert jobs.import_job_get_for_user(colleague, job.pk) == job
    assert jobs.import_job_get_for_user(personas["administrator"], job.pk) == job
    with pytest.raises(Http404):
        jobs.import_job_get_for_user(personas["outsider"], job.pk)
    for role in ("viewer", "case_worker"):
        with pytest.raises(PermissionDenied):
            jobs.import_job_get_for_user(personas[role], job.pk)


@pytest.mark.django_db
def test_cancelling_deletes_the_job_but_not_while_it_is_written(commune_admin, village):
    data = households_xlsx(village.commune, commune_admin, [new_row("KLK-0801", village)])
    job = create(commune_admin, data)
    assert jobs.import_job_cancel(job=job) is True
    assert not ImportJob.objects.filter(pk=job.pk).exists()

    writing = create(commune_admin, data)
    ImportJob.objects.filter(pk=writing.pk).update(status=Status.APPLYING)
    assert jobs.import_job_cancel(job=writing) is False
    assert ImportJob.objects.filter(pk=writing.pk, status=Status.APPLYING).exists()


@pytest.mark.django_db
def test_purge_deletes_old_imports_and_drops_the_files_of_finished_ones(commune_admin, village):
    data = households_xlsx(village.commune, commune_admin, [new_row("KLK-0901", village)])
    old, recent, waiting = (create(commune_admin, data) for _ in range(3))
    ImportJob.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=8))
    ImportJob.objects.filter(pk=recent.pk).update(
        status=Status.APPLIED
    )  # written before the file was dropped
    out = io.StringIO()

    call_command("purge_imports", stdout=out)

    assert not ImportJob.objects.filter(pk=old.pk).exists()
    assert bytes(ImportJob.objects.get(pk=recent.pk).data) == b""
    assert bytes(ImportJob.objects.get(pk=waiting.pk).data) == data  # still waiting for the officer
    assert "Deleted 1 import(s) older than 7 day(s); dropped 1 stored file(s)." in out.getvalue()

    call_command("purge_imports", days=0, stdout=io.StringIO())
    assert not ImportJob.objects.exists()


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=io.StringIO())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_large_file_is_checked_and_written_by_the_background_worker(commune_admin, village, settings):
    settings.IMPORT_BACKGROUND_BYTES = 0  # every file counts as large
    rows = [new_row(f"KLK-{number:04d}", village) for number in range(1000, 1000 + 3 * 40)]
    job = create(commune_admin, households_xlsx(village.commune, commune_admin, rows))
    assert (job.status, job.percent) == (Status.CHECKING, 0)
    task = DBTaskResult.objects.get()
    assert task.task_path == "households.tasks.check_import_job"

    run_worker()

    job.refresh_from_db()
    assert (job.status, job.percent, job.progress_done, job.progress_total) == (Status.CHECKED, 100, 120, 120)
    assert job.summary["new"] == 120
    assert not Household.objects.exists()  # only checked

    job = jobs.import_job_apply(job, by=commune_admin)
    assert job.status == Status.APPLYING
    assert DBTaskResult.objects.filter(task_path="households.tasks.apply_import_job").count() == 1

    run_worker()

    job.refresh_from_db()
    assert (job.status, job.percent) == (Status.APPLIED, 100)
    assert Household.objects.filter(commune=village.commune).count() == 120
    assert bytes(job.data) == b""
    assert {task.status for task in DBTaskResult.objects.all()} == {"SUCCESSFUL"}
