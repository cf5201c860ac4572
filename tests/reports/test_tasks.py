"""Reports built in the background: request → 202 and progress → the real database worker → file.

The worker is django-tasks-db's own `db_worker`, run in batch mode in the test process, so these
tests need real transactions (the worker reads what the request committed).
"""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from households import services as household_services
from reports import services
from reports.models import ReportFile
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=io.StringIO())


@pytest.fixture
def background(settings, media):
    """Every build goes to the worker, however quick."""
    settings.REPORTS_BACKGROUND_SECONDS = 0
    return settings


@pytest.fixture
def data(commune, village, case_worker):
    plan = factories.PlanFactory(commune=commune, year=2023)
    for level in ("poor", "poor", "near_poor"):
        home = factories.HouseholdFactory(village=village)
        factories.AssessmentFactory(household=home, review_year=2022, computed_classification=level)
    factories.ExitRegistrationFactory(household=home, plan=plan)
    factories.AssignmentFactory(household=home, plan=plan, official=case_worker.official)
    return plan


def download_url(slug="progress", fmt="pdf"):
    return reverse("reports:download", kwargs={"year": 2023, "slug": slug, "fmt": fmt})


def status(client, entry) -> dict:
    response = client.get(reverse("reports:job_status", args=[entry.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    return response.json()


def test_a_background_report_runs_end_to_end_through_the_worker(client, commune_admin, data, background):
    client.force_login(commune_admin)

    response = client.get(download_url())

    assert response.status_code == 202
    entry = ReportFile.objects.get()
    assert entry.status == ReportFile.Status.QUEUED
    task = DBTaskResult.objects.get(id=entry.task_id)
    assert task.task_path == "reports.tasks.build_report_file"
    html = response.content.decode()
    assert '<meta http-equiv="refresh" content="3">' in html  # without JavaScript
    assert re.search(r'<progress id="report-job-progress" max="100" value="0">', html)
    assert f'data-status-url="{reverse("reports:job_status", args=[entry.pk])}"' in html
    assert "js/report-progress.js" in html
    state = status(client, entry)
    assert (state["status"], state["done"], state["progress"]) == ("queued", False, 0)

    # The officer leaves and comes back: the same URL shows the same build, no second one.
    assert client.get(download_url()).status_code == 202
    assert ReportFile.objects.count() == 1 and DBTaskResult.objects.count() == 1

    run_worker()

    entry.refresh_from_db()
    assert (entry.status, entry.progress) == (ReportFile.Status.DONE, 100)
    assert entry.started_at <= entry.finished_at
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL"
    state = status(client, entry)
    assert state["done"] is True and state["progress"] == 100
    assert state["download_url"] == download_url() + f"?commune={commune_admin.official.commune.code}"

    response = client.get(state["download_url"])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    assert len(reader.pages) >= 1


def test_the_progress_page_is_in_vietnamese(client, commune_admin, data, background):
    # Needs the Vietnamese catalogue with locale/fragments/report-views.po merged in.
    client.force_login(commune_admin)
    html = client.get(download_url()).content.decode()
    assert "Tệp sẽ sẵn sàng trong giây lát" in html
    assert "Đang chờ bắt đầu…" in html


def test_a_failing_report_ends_failed_with_a_message_and_can_be_retried(
    client, commune_admin, data, background, monkeypatch, caplog
):
    def broken(slug, **kwargs):
        raise ValueError("dữ liệu hỏng")

    client.force_login(commune_admin)
    assert client.get(download_url("village-stats", "xlsx")).status_code == 202
    entry = ReportFile.objects.get()

    monkeypatch.setattr(services, "build_report", broken)
    run_worker()

    entry.refresh_from_db()
    assert entry.status == ReportFile.Status.FAILED
    assert entry.message  # the Vietnamese explanation shown to the user
    assert entry.error == "ValueError: dữ liệu hỏng"
    assert entry.finished_at is not None
    assert "failed" in caplog.text and "dữ liệu hỏng" in caplog.text  # logged with its traceback
    state = status(client, entry)
    assert state["failed"] is True and state["message"] == entry.message

    response = client.get(download_url("village-stats", "xlsx"))
    assert response.status_code == 500
    html = response.content.decode()
    assert entry.message in html and "dữ liệu hỏng" in html
    retry = reverse("reports:job_retry", args=[entry.pk])
    assert f'<form method="post" action="{retry}"' in html

    monkeypatch.undo()
    response = client.post(retry)
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == ReportFile.Status.QUEUED and entry.error == ""
    run_worker()
    response = client.get(response["Location"])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_a_queued_build_overtaken_by_newer_data_is_dropped(client, commune_admin, data, background):
    client.force_login(commune_admin)
    client.get(download_url())
    stale = ReportFile.objects.get()
    household = data.exit_registrations.get().household
    household_services.household_update(household=household, head_name="Đinh Thị Hiên", by=commune_admin)
    background.REPORTS_BACKGROUND_SECONDS = 60  # the next one is built in the request
    assert client.get(download_url()).status_code == 200
    fresh = ReportFile.objects.exclude(pk=stale.pk).get()

    run_worker()

    assert list(ReportFile.objects.all()) == [fresh]
    assert DBTaskResult.objects.get(id=stale.task_id).return_value == "gone"
    assert client.get(reverse("reports:job_status", args=[stale.pk])).status_code == 404


def test_a_build_lost_by_a_stopped_worker_is_failed_after_a_while(client, commune_admin, data, background):
    client.force_login(commune_admin)
    client.get(download_url())
    entry = ReportFile.objects.get()
    ReportFile.objects.filter(pk=entry.pk).update(
        status=ReportFile.Status.RUNNING,
        progress=40,
        started_at=timezone.now() - services.STALLED_AFTER - datetime.timedelta(minutes=1),
    )

    state = status(client, entry)

    assert state["failed"] is True
    entry.refresh_from_db()
    assert entry.error.startswith("stalled")
    assert client.get(download_url()).status_code == 500


def test_a_running_build_is_not_failed_too_early(client, commune_admin, data, background):
    client.force_login(commune_admin)
    client.get(download_url())
    entry = ReportFile.objects.get()
    ReportFile.objects.filter(pk=entry.pk).update(
        status=ReportFile.Status.RUNNING,
        progress=40,
        started_at=timezone.now() - datetime.timedelta(minutes=5),
    )
    state = status(client, entry)
    assert (state["status"], state["progress"]) == ("running", 40)
    assert client.get(download_url()).status_code == 202


def test_the_worker_builds_in_the_language_of_the_request(client, commune_admin, data, background):
    client.force_login(commune_admin)
    client.cookies["django_language"] = "en"  # the language switch's cookie
    client.get(download_url("village-stats", "pdf"))
    entry = ReportFile.objects.get()
    assert entry.language == "en"
    run_worker()
    entry.refresh_from_db()
    assert entry.status == ReportFile.Status.DONE
    text = "".join(page.extract_text() for page in PdfReader(entry.file.open("rb")).pages)
    assert "2022 review" in text  # the English title, though the worker has no request
