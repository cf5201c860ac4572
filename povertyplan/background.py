"""Work that outlives its request: how a running job shows it is alive, and how a lost one is told.

A job (a report build, an import's check or writing) runs in the background worker or, when small,
in the request. While it runs it records which process runs it (`process_identity`) and refreshes a
heartbeat every few seconds (`Heartbeat`). A job whose heartbeat is older than `JOB_STALE_SECONDS`,
or whose process is gone (`process_gone`, judged only on the same machine), was lost: the process
died (kill -9, out of memory, a restart) and nothing will finish it.

`manage.py run_worker` (households) sends `worker_starting` before it takes tasks: each app then
fails the jobs that stopped workers left running, and `task_results_recover` the task rows.
"""

import logging
import os
import threading
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, connections
from django.dispatch import Signal
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

worker_starting = Signal()


def stale_after() -> timedelta:
    return timedelta(seconds=settings.JOB_STALE_SECONDS)


def beat_every() -> float:
    """Seconds between two heartbeats: several within the stale window, so one late beat is no loss."""
    return max(0.2, settings.JOB_STALE_SECONDS / 9)


# --- which process runs a job --------------------------------------------------------------------


def _stat(pid: int | str) -> tuple[str, str] | None:
    """(state, start time in clock ticks since boot) of a process, None when there is none."""
    try:
        with open(f"/proc/{pid}/stat") as file:
            stat = file.read()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2 :].split()  # the name, in brackets, may hold spaces
    return fields[0], fields[19]


def _machine() -> str:
    """This boot of this machine and this process namespace: where a pid means one process."""
    try:
        with open("/proc/sys/kernel/random/boot_id") as file:
            boot = file.read().strip()[:8]
        namespace = os.readlink("/proc/self/ns/pid").strip("pid:[]")
    except OSError:
        return ""
    return f"{boot}.{namespace}"


def process_identity() -> str:
    """This process, in a way no other can share (the pid with its start time); "" without /proc."""
    machine, stat = _machine(), _stat("self")
    if not machine or stat is None:
        return ""
    return f"{machine}.{os.getpid()}.{stat[1]}"


def process_gone(identity: str) -> bool:
    """Whether the process is known to have ended. Another machine's process is never judged here:
    its heartbeat tells."""
    parts = identity.split(".")
    if len(parts) != 4 or not parts[2].isdigit() or f"{parts[0]}.{parts[1]}" != _machine():
        return False
    stat = _stat(parts[2])
    # A zombie has ended (its parent has not yet read its exit); a new start time means a new
    # process that was given the same pid.
    return stat is None or stat[0] in ("Z", "X") or stat[1] != parts[3]


def lost_because(*, runner: str, heartbeat_at: datetime | None, now: datetime | None = None) -> str:
    """Why a running job's process is taken as lost ("" while it is alive)."""
    if heartbeat_at is None:
        return ""  # not started by a process yet: the caller's own rule applies
    if runner and process_gone(runner):
        return f"the process {runner} that ran it has ended"
    if (now or timezone.now()) - heartbeat_at > stale_after():
        return f"no heartbeat since {heartbeat_at.isoformat()} (more than {settings.JOB_STALE_SECONDS} s)"
    return ""


# --- the heartbeat -------------------------------------------------------------------------------


class Heartbeat:
    """While the block runs, a thread calls `beat()` every `beat_every()` seconds.

    A thread, because a single long step (WeasyPrint laying out a report, one big write) gives the
    job no chance to beat. The thread has its own database connection, closed when it stops; a
    failed beat (the database busy) is logged and the next one tried.
    """

    def __init__(self, beat):
        self._beat = beat
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="heartbeat", daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self):
        try:
            while not self._stop.wait(beat_every()):
                try:
                    self._beat()
                except DatabaseError:
                    logger.warning("A heartbeat could not be recorded", exc_info=True)
        finally:
            connections.close_all()  # this thread's connections only


# --- the task rows -------------------------------------------------------------------------------


class WorkerStopped(Exception):
    """Recorded on a task whose worker process ended while it ran."""


def task_results_recover() -> int:
    """Fail the task rows left RUNNING by worker processes of this machine that have ended."""
    count = 0
    for result in DBTaskResult.objects.running():
        worker = result.worker_ids[-1] if result.worker_ids else ""
        if worker and process_gone(worker):
            result.set_failed(WorkerStopped(f"The worker process {worker} ended while it ran this task."))
            count += 1
    return count
