"""A worker or a server process that dies mid-job: the job is shown failed, can be retried, and
the next worker recovers what was left (povertyplan.background).

The processes are real: a `manage.py run_worker` (or a process applying an import, as the server
does for a small file) is started on the test database, made slow at one step, and killed with
SIGKILL or frozen with SIGSTOP. This needs a database another process can open: a file on SQLite
(tests/conftest.py), the test database on PostgreSQL.
"""

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from households.imports import jobs
from households.models import Household, ImportJob
from reports.models import ReportFile
from tests import factories
from tests.households.test_import_jobs import households_xlsx, new_row

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ROOT = Path(__file__).resolve().parents[1]
STOPPED = "Máy chủ dừng giữa chừng — thử lại"

# Run in the child: one step made slow (it waits, still inside the job, until killed), then the
# real worker, or the import's writing as the server runs it for a small file.
CHILD = """
import sys, time
from pathlib import Path
import django

django.setup()
marker, role = Path(sys.argv[1]), sys.argv[2]


def slow(real):
    def step(*args, **kwargs):
        result = real(*args, **kwargs)
        marker.touch()
        time.sleep(120)
        return result
    return step


if role == "worker":
    from django.core.management import call_command
    from reports import services

    services.render = slow(services.render)  # the layout, at 40 %
    call_command("run_worker", "--no-reload", "--no-startup-delay", "--interval", "0.1")
else:
    from django.contrib.auth import get_user_model
    from households.imports import jobs
    from households.imports.kinds.households import HouseholdImporter
    from households.models import ImportJob

    HouseholdImporter.write = slow(HouseholdImporter.write)  # rows written, not yet committed
    job = ImportJob.objects.select_related("commune", "created_by").get(pk=int(sys.argv[3]))
    jobs.import_job_apply(job, by=get_user_model().objects.get(pk=int(sys.argv[4])))
"""


def database_url() -> str:
    """The test database, for the child process."""
    database = connection.settings_dict
    if database["ENGINE"] == "django.db.backends.sqlite3":
        assert not connection.is_in_memory_db(), "the test database must be a file (tests/conftest.py)"
        return f"sqlite:///{database['NAME']}"
    auth = database["USER"] + (f":{database['PASSWORD']}" if database["PASSWORD"] else "")
    return (
        f"postgres://{auth}@{database['HOST'] or 'localhost'}:{database['PORT'] or 5432}/{database['NAME']}"
    )


class Child:
    """A child process on the test database, stopped when the test ends whatever happens."""

    def __init__(self, tmp_path: Path, *args, stale_seconds: float = 45):
        self.marker = tmp_path / "mid-way"
        self.log = (tmp_path / "child.log").open("w+")
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "povertyplan.settings",
            "DATABASE_URL": database_url(),
            "DEBUG": "1",
            "MEDIA_ROOT": str(tmp_path / "media"),
            "JOB_STALE_SECONDS": str(stale_seconds),
        }
        self.process = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(self.marker), *map(str, args)],
            cwd=ROOT,
            env=environment,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def wait_mid_way(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while not self.marker.exists():
            assert self.process.poll() is None, self.output()
            assert time.monotonic() < deadline, self.output()
            time.sleep(0.05)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)
            self.process.kill()
        self.process.wait(timeout=10)

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read()


@pytest.fixture
def children(tmp_path):
    started = []

    def start(*args, **kwargs) -> Child:
        child = Child(tmp_path, *args, **kwargs)
        started.append(child)
        return child

    yield start
    for child in started:
        child.kill()


@pytest.fixture
def report_in_background(client, commune_admin, village, case_worker, settings, media):
    """The progress report of a small plan, asked for by the commune officer and queued."""
    settings.REPORTS_BACKGROUND_SECONDS = 0  # every build goes to the worker
    plan = factories.PlanFactory(commune=village.commune, year=2023)
    home = factories.HouseholdFactory(village=village)
    factories.AssessmentFactory(household=home, review_year=2022, computed_classification="poor")
    factories.ExitRegistrationFactory(household=home, plan=plan)
    client.force_login(commune_admin)
    url = reverse("reports:download", kwargs={"year": 2023, "slug": "progress", "fmt": "pdf"})
    assert client.get(url).status_code == 202
    return url, ReportFile.objects.get()


def state_of(client, entry) -> dict:
    return client.get(reverse("reports:job_status", args=[entry.pk])).json()


def run_worker_batch() -> str:
    out = io.StringIO()
    call_command("run_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=out)
    return out.getvalue()


def test_a_report_whose_worker_is_killed_is_failed_recovered_by_the_next_worker_and_retried(
    client, report_in_background, children
):
    url, entry = report_in_background
    worker = children("worker")
    worker.wait_mid_way()
    entry.refresh_from_db()
    assert (entry.status, entry.progress) == (ReportFile.Status.RUNNING, 40)
    assert entry.runner.split(".")[2] == str(worker.process.pid)

    worker.process.kill()  # kill -9: no cleanup at all
    worker.process.wait(timeout=10)

    task = DBTaskResult.objects.get(id=entry.task_id)
    assert task.status == "RUNNING"  # what the dead worker left
    assert ReportFile.objects.get(pk=entry.pk).status == ReportFile.Status.RUNNING

    out = run_worker_batch()  # a new worker starts: it recovers before taking tasks

    assert "1 task(s), 1 job(s) failed" in out
    task.refresh_from_db()
    assert task.status == "FAILED" and "WorkerStopped" in task.exception_class_path
    entry.refresh_from_db()
    assert entry.status == ReportFile.Status.FAILED
    assert entry.error.startswith(f"stopped: the process {entry.runner} that ran it has ended")
    state = state_of(client, entry)
    assert (state["failed"], state["message"]) == (True, STOPPED)
    response = client.get(url)
    assert response.status_code == 500
    assert STOPPED in response.content.decode()
    retry = reverse("reports:job_retry", args=[entry.pk])
    assert f'<form method="post" action="{retry}"' in response.content.decode()

    assert client.post(retry).status_code == 302
    run_worker_batch()
    entry.refresh_from_db()
    assert entry.status == ReportFile.Status.DONE and entry.runner and entry.heartbeat_at
    assert client.get(url).status_code == 200


def test_a_build_whose_worker_stops_beating_is_failed_within_the_stale_window(
    client, report_in_background, children, settings
):
    settings.JOB_STALE_SECONDS = 2  # here and in the worker: a heartbeat every 0.22 s
    url, entry = report_in_background
    worker = children("worker", stale_seconds=2)
    worker.wait_mid_way()
    entry.refresh_from_db()
    first_beat = entry.heartbeat_at
    time.sleep(1)  # one long step (the layout), yet the heartbeat goes on
    entry.refresh_from_db()
    assert entry.heartbeat_at > first_beat
    assert state_of(client, entry)["status"] == "running"

    # Frozen: the process is still there (as a worker on another machine would be to this one),
    # but it no longer beats.
    worker.process.send_signal(signal.SIGSTOP)
    stopped_at = time.monotonic()
    while (state := state_of(client, entry))["status"] == "running":
        assert time.monotonic() - stopped_at < 10, state
        time.sleep(0.1)

    assert (state["failed"], state["message"]) == (True, STOPPED)
    assert time.monotonic() - stopped_at >= 1.5  # not before its heartbeat was stale
    entry.refresh_from_db()
    assert entry.error.startswith("stopped: no heartbeat since")
    assert client.get(url).status_code == 500


def test_an_import_whose_server_is_killed_mid_write_writes_nothing_is_failed_and_can_be_done_again(
    client, commune_admin, village, children
):
    rows = [new_row(f"KLK-{number:04d}", village) for number in range(700, 740)]
    job = jobs.import_job_create(
        kind="households",
        commune=village.commune,
        user=commune_admin,
        filename="ho.xlsx",
        data=households_xlsx(village.commune, commune_admin, rows),
    )
    assert job.status == ImportJob.Status.CHECKED  # a small file: checked in the request
    server = children("server", job.pk, commune_admin.pk)
    server.wait_mid_way()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.APPLYING
    assert job.runner.split(".")[2] == str(server.process.pid)

    server.process.kill()
    server.process.wait(timeout=10)

    assert not Household.objects.filter(code__startswith="KLK-07").exists()  # the transaction died with it
    assert "1 job(s) failed" in run_worker_batch()  # the next worker fails it
    client.force_login(commune_admin)
    state = client.get(reverse("households:import_status", args=[job.pk])).json()
    assert (state["status"], state["running"], state["message"]) == ("failed", False, STOPPED)
    html = client.get(reverse("households:import_job", args=[job.pk])).content.decode()
    assert STOPPED in html
    recheck = reverse("households:import_recheck", args=[job.pk])
    assert f'action="{recheck}"' in html

    client.post(recheck)
    assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.CHECKED
    client.post(reverse("households:import_confirm", args=[job.pk]))
    assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.APPLIED
    assert Household.objects.filter(code__startswith="KLK-07").count() == 40
