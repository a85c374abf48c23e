"""The worker: one upstream call per application, even with many workers, and after a crash."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import httpx

from tests.conftest import Site, worker_env
from tests.helpers import Candidate, applications, seed, verify_session, wait_for
from webapp.extensions import db
from webapp.services.worker import start_workers

ROOT = Path(__file__).resolve().parent.parent
SLUG = "data-analyst-amsterdam"


def start_worker_process(site: Site, log: Path, **extra: str) -> subprocess.Popen[bytes]:
    """``flask --app wsgi worker`` as a separate process, as operators run it."""
    env = worker_env(site, **extra)
    with log.open("wb") as output:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "flask",
                "--app",
                "wsgi",
                "worker",
                "--threads",
                "1",
                "--poll",
                "0.2",
            ],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )


def test_a_worker_killed_mid_call_ends_in_exactly_one_completed_application(
    quiet_site: Site, tmp_path: Path
) -> None:
    site = quiet_site
    seed(site.app)
    candidate = Candidate(site.url)
    page = candidate.apply(SLUG, "crash@example.com")

    first = start_worker_process(site, tmp_path / "first.log", UPSTREAM_LEASE_SECONDS="2")
    try:
        # The platform has received the call (and records the interview before answering)...
        wait_for(
            lambda: site.sandbox.calls()["api_calls"] == 1,
            timeout=20,
            what="the first call to arrive",
        )
        # ...and the worker dies before the answer comes back.
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        if first.poll() is None:
            first.kill()
    assert applications(site.app)[0]["job_state"] == "in_flight"

    site.sandbox.set_latency(0.2)
    second = start_worker_process(site, tmp_path / "second.log", UPSTREAM_LEASE_SECONDS="2")
    try:
        candidate.wait_for_stage(page, "interview", timeout=30)
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=20)

    [stored] = applications(site.app)
    calls = site.sandbox.calls()
    assert calls["interviews_created"] == 1
    assert calls["api_calls"] == 2  # the lost answer was recovered, not duplicated
    assert stored["job_state"] == "done" and stored["recovered"] is True
    verify_session(candidate, site.app, page)  # the frame opens in a browser that proved it
    html = candidate.http.get(page).text
    src = (
        html.split('<iframe id="interview-frame" src="', 1)[1]
        .split('"', 1)[0]
        .replace("&amp;", "&")
    )
    assert httpx.get(src).status_code == 200
    assert "already applied" not in html  # a recovery is not the candidate's doing
    candidate.close()


def test_many_workers_in_two_processes_call_once_per_application(quiet_site: Site) -> None:
    site = quiet_site
    seed(site.app)
    site.sandbox.set_latency(0.3)
    candidate = Candidate(site.url)
    pages = [candidate.apply(SLUG, f"burst{i}@example.com") for i in range(24)]
    site.start_workers(threads=4)
    with site.second_worker_process(threads=4):
        wait_for(
            lambda: all(row["job_state"] == "done" for row in applications(site.app)),
            timeout=60,
            what="all done",
        )
    calls = site.sandbox.calls()
    assert calls["api_calls"] == 24
    assert calls["interviews_created"] == 24
    assert all(entry["calls"] == 1 for entry in calls["per_candidate"])
    assert len(pages) == 24
    candidate.close()


def test_a_worker_stops_cleanly_on_sigterm(quiet_site: Site, tmp_path: Path) -> None:
    process = start_worker_process(quiet_site, tmp_path / "w.log")
    wait_for(
        lambda: "worker running" in (tmp_path / "w.log").read_text(),
        timeout=20,
        what="worker start",
    )
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=20) == 0


def test_worker_threads_are_daemons_so_a_stuck_call_cannot_block_exit(app) -> None:
    stop, threads = start_workers(app, 1, poll_interval=0.05)
    stop.set()
    assert all(thread.daemon for thread in threads)
    for thread in threads:
        thread.join(timeout=5)
    assert not any(thread.is_alive() for thread in threads)


class _CallThatOutlivesItsLease:
    """A client whose call is still running when another worker takes over, and then times out."""

    def __init__(self, meanwhile) -> None:
        self.meanwhile = meanwhile

    def create_interview_for_candidate(self, request):
        from webapp.jobmojito.client import UpstreamError

        self.meanwhile()
        raise UpstreamError("timed out", kind="timeout")


def test_a_stale_workers_late_failure_does_not_undo_a_finished_application(site: Site) -> None:
    from datetime import timedelta

    from webapp.models import utcnow
    from webapp.models.jobs import Job
    from webapp.services import jobs
    from webapp.services.platform import platform
    from webapp.services.platform_calls import RetryPolicy
    from webapp.services.upstream_jobs import KIND, process

    seed(site.app)
    site.stop_workers()
    candidate = Candidate(site.url)
    candidate.apply(SLUG, "stale@example.com")
    policy = RetryPolicy(lease_seconds=30)

    with site.app.app_context():
        claimed = jobs.claim_next("worker-a", {KIND: 30})
        assert claimed is not None

        def worker_b_takes_over() -> None:
            with site.app.app_context():
                row = db.session.get(Job, claimed.id)
                row.lease_expires_at = utcnow() - timedelta(seconds=1)
                db.session.commit()
                again = jobs.claim_next("worker-b", {KIND: 30})
                assert again is not None and again.id == claimed.id
                jobs.run(site.app, again)
                db.session.remove()

        def late_failure(job: jobs.Claimed) -> jobs.Outcome:
            return process(
                job, _CallThatOutlivesItsLease(worker_b_takes_over), platform().vault, policy
            )

        assert jobs.run(site.app, claimed, late_failure).state == "leave"
        db.session.remove()

    [row] = applications(site.app)
    assert row["job_state"] == "done" and row["decision"] == "ai_accept"
    assert site.sandbox.calls()["api_calls"] == 1
    candidate.close()


def test_a_live_call_keeps_its_lease_beyond_the_lease_length(
    quiet_site: Site, tmp_path: Path
) -> None:
    site = quiet_site  # the platform takes ~3 s per call; the lease is 1.5 s but renewed
    seed(site.app)
    candidate = Candidate(site.url)
    page = candidate.apply(SLUG, "slow@example.com")
    site.app.config["UPSTREAM_LEASE_SECONDS"] = 1.5
    site.start_workers(threads=2)
    with site.second_worker_process(threads=2, UPSTREAM_LEASE_SECONDS="1.5"):
        candidate.wait_for_stage(page, "interview", timeout=30)
    assert site.sandbox.calls()["api_calls"] == 1  # nobody took the application over mid-call
    candidate.close()
