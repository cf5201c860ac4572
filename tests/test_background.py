"""How a running job's process is told alive or lost (povertyplan.background), without a database.
tests/test_worker_stops.py does the same with real workers killed mid-job."""

import datetime
import subprocess
import time

import pytest
from django.utils import timezone

from povertyplan import background

NOW = timezone.now()


def identity_of(process: subprocess.Popen) -> str:
    mine = background.process_identity().split(".")
    with open(f"/proc/{process.pid}/stat") as file:
        start = file.read().rsplit(")", 1)[1].split()[19]
    return ".".join([mine[0], mine[1], str(process.pid), start])


def test_this_process_is_alive_and_an_ended_one_is_gone_even_before_it_is_reaped():
    assert not background.process_gone(background.process_identity())
    child = subprocess.Popen(["sleep", "30"])
    identity = identity_of(child)
    assert not background.process_gone(identity)
    child.kill()
    deadline = time.monotonic() + 5
    while not background.process_gone(identity):  # a zombie until waited for
        assert time.monotonic() < deadline
        time.sleep(0.01)
    child.wait()
    assert background.process_gone(identity)


@pytest.mark.parametrize(
    "identity",
    [
        "",
        "not an identity",
        "deadbeef.4026531836.1.1",  # another machine (or boot): its heartbeat tells, not this one
        "{boot}.1.1.1",  # another process namespace (a container)
        "{boot}.{namespace}.x.1",
    ],
)
def test_a_process_elsewhere_or_unreadable_is_never_judged_gone(identity):
    boot, namespace, _pid, _start = background.process_identity().split(".")
    assert not background.process_gone(identity.format(boot=boot, namespace=namespace))


def test_a_process_given_a_reused_pid_is_another_process():
    boot, namespace, pid, start = background.process_identity().split(".")
    assert background.process_gone(f"{boot}.{namespace}.{pid}.{int(start) - 1}")


@pytest.mark.parametrize(
    "seconds_ago, lost",
    [(0, False), (44, False), (45, False), (46, True), (600, True)],
)
def test_a_heartbeat_older_than_job_stale_seconds_means_lost(settings, seconds_ago, lost):
    settings.JOB_STALE_SECONDS = 45
    beat = NOW - datetime.timedelta(seconds=seconds_ago)
    reason = background.lost_because(runner=background.process_identity(), heartbeat_at=beat, now=NOW)
    assert bool(reason) is lost
    if lost:
        assert reason.startswith("no heartbeat since")


def test_a_job_not_started_by_any_process_is_left_to_its_own_rule():
    assert background.lost_because(runner="", heartbeat_at=None, now=NOW) == ""


def test_a_job_whose_process_ended_is_lost_though_its_heartbeat_is_fresh():
    child = subprocess.Popen(["sleep", "30"])
    identity = identity_of(child)
    assert background.lost_because(runner=identity, heartbeat_at=NOW, now=NOW) == ""
    child.kill()
    child.wait()
    reason = background.lost_because(runner=identity, heartbeat_at=NOW, now=NOW)
    assert reason == f"the process {identity} that ran it has ended"


def test_the_heartbeat_beats_while_the_block_runs_and_stops_after(settings):
    settings.JOB_STALE_SECONDS = 1.8  # a beat every 0.2 s
    beats = []
    with background.Heartbeat(lambda: beats.append(time.monotonic())):
        time.sleep(1.1)
    count = len(beats)
    assert 3 <= count <= 6
    time.sleep(0.5)
    assert len(beats) == count
