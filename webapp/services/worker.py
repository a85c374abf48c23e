"""The background worker: threads that claim applications, preview interviews and result checks."""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta

from flask import Flask
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from webapp.extensions import db
from webapp.jobmojito.client import JobMojitoClient, UpstreamError
from webapp.models import SystemAlert, utcnow
from webapp.services.outages import outage_log
from webapp.services.platform import platform
from webapp.services.reconcile import (
    CheckPolicy,
    claim_next_check,
    process_check,
    schedule_checks,
)
from webapp.services.studio.preview_jobs import (
    claim_next_preview,
    process_preview,
    renew_preview_lease,
)
from webapp.services.upstream_jobs import (
    RetryPolicy,
    claim_next,
    describe,
    process,
    renew_lease,
)

log = logging.getLogger(__name__)


def policy_from_config(app: Flask) -> RetryPolicy:
    """The retry policy from settings; the lease outlasts the client's read timeout."""
    lease = app.config.get("UPSTREAM_LEASE_SECONDS") or 60.0
    return RetryPolicy(
        give_up_after=float(app.config["UPSTREAM_GIVE_UP_AFTER"]),
        base_seconds=float(app.config.get("UPSTREAM_RETRY_BASE_SECONDS", 2.0)),
        auth_pause_seconds=float(app.config.get("UPSTREAM_AUTH_PAUSE_SECONDS", 300.0)),
        lease_seconds=float(lease),
    )


def check_policy_from_config(app: Flask) -> CheckPolicy:
    """The result-check policy from settings; its lease is the create call's."""
    return CheckPolicy(
        schedule=tuple(app.config["RESULT_POLL_SCHEDULE"]),
        give_up_after=float(app.config["RESULT_POLL_GIVE_UP_AFTER"]),
        silence_seconds=float(app.config["WEBHOOK_SILENCE_SECONDS"]),
        lease_seconds=float(app.config.get("UPSTREAM_LEASE_SECONDS") or 60.0),
    )


def _sweep_due(app: Flask, policy: CheckPolicy) -> bool:
    """Whether this process should look for applications to check now (a few times a minute)."""
    state = app.extensions.setdefault("careerframe.check_sweep", {"lock": threading.Lock()})
    interval = min(5.0, policy.schedule[0], policy.silence_seconds)
    with state["lock"]:
        now = utcnow()
        if state.get("next", now) > now:
            return False
        state["next"] = now + timedelta(seconds=interval)
        return True


def check_once(app: Flask, owner: str, client: JobMojitoClient) -> bool:
    """Create due checks, then make one due result check; whether one was made."""
    outages = outage_log(app)
    if outages.paused("platform"):
        return False
    policy = check_policy_from_config(app)
    if _sweep_due(app, policy):
        schedule_checks(policy)
    check = claim_next_check(owner, policy)
    if check is None:
        return False
    try:
        process_check(check, owner, client, policy)
    except UpstreamError as exc:
        outages.failed("platform", describe(exc))
        return False
    outages.recovered("platform")
    return True


def _auth_paused(policy: RetryPolicy, started_at: object) -> bool:
    """While the platform refuses our token, wait rather than send every application to a 401.

    A worker started after the last refusal (say, restarted with a fixed token) goes ahead.
    """
    alert = db.session.scalar(
        select(SystemAlert).where(
            SystemAlert.key == "upstream_auth", SystemAlert.resolved_at.is_(None)
        )
    )
    if alert is None or alert.last_seen_at < started_at:  # type: ignore[operator]
        return False
    return utcnow() - alert.last_seen_at < timedelta(seconds=policy.auth_pause_seconds)


@contextmanager
def lease_heartbeat(
    app: Flask,
    row_id: int,
    owner: str,
    policy: RetryPolicy,
    renew: Callable[[int, str, RetryPolicy], bool] = renew_lease,
) -> Iterator[None]:
    """Renew the lease every third of its length while the call runs, so a slow but live call
    keeps it, and a killed worker's lease lapses within one lease length."""
    done = threading.Event()

    def beat() -> None:
        while not done.wait(policy.lease_seconds / 3):
            try:
                with app.app_context():
                    still_ours = renew(row_id, owner, policy)
                    db.session.remove()
                if not still_ours:
                    return
            except Exception:  # noqa: BLE001 — a missed beat only shortens the lease; the next one may succeed
                log.warning("worker %s: could not renew the lease of row %s", owner, row_id)

    thread = threading.Thread(target=beat, name=f"lease-{row_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join(timeout=5)


def work_once(app: Flask, owner: str, policy: RetryPolicy) -> bool:
    """Claim and make one due upstream call (an application first, then a preview interview,
    then a result check); whether there was one. Runs inside an app context."""
    objects = platform()
    claimed = claim_next(owner, policy)
    if claimed is not None:
        with lease_heartbeat(app, claimed, owner, policy):
            process(claimed, owner, objects.client, objects.vault, policy)
        return True
    preview = claim_next_preview(owner, policy)
    if preview is not None:
        with lease_heartbeat(app, preview, owner, policy, renew_preview_lease):
            process_preview(preview, owner, objects.client, objects.vault, policy)
        return True
    return check_once(app, owner, objects.client)


def work_loop(app: Flask, stop: threading.Event, owner: str, poll_interval: float) -> None:
    """Claim and make upstream calls until ``stop`` is set."""
    started_at = utcnow()
    outages = outage_log(app)
    while not stop.is_set():
        worked = False
        wait = poll_interval
        try:
            policy = policy_from_config(app)  # read each time: settings can change while it runs
            with app.app_context():
                try:
                    if not outages.paused("database"):
                        if not _auth_paused(policy, started_at):
                            worked = work_once(app, owner, policy)
                        outages.recovered("database")
                except SQLAlchemyError as exc:
                    # Down for every thread at once: logged once, and everyone backs off.
                    db.session.rollback()
                    wait = max(poll_interval, outages.failed("database", type(exc).__name__))
                finally:
                    db.session.remove()
        except Exception:  # a worker thread must outlive any one failure; the lease guards the row
            log.exception("worker %s: unexpected error; carrying on", owner)
        if not worked:
            stop.wait(wait)


def start_workers(
    app: Flask, threads: int, poll_interval: float = 0.5, *, mail: bool = True
) -> tuple[threading.Event, list[threading.Thread]]:
    """Start ``threads`` upstream worker threads and a mail sender; set the event to stop them."""
    stop = threading.Event()
    base = f"{socket.gethostname()[:32]}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
    workers = []
    for index in range(threads):
        thread = threading.Thread(
            target=work_loop,
            args=(app, stop, f"{base}:{index}", poll_interval),
            name=f"worker-{index}",
            daemon=True,
        )
        thread.start()
        workers.append(thread)
    if mail:
        # One sender per worker process: mail is light, and its leases keep processes apart.
        from webapp.mail import mail_loop

        sender = threading.Thread(
            target=mail_loop,
            args=(app, stop, f"{base}:mail", max(poll_interval, 0.5)),
            name="mail-sender",
            daemon=True,
        )
        sender.start()
        workers.append(sender)
    log.info(
        "started %d worker thread(s) and %s as %s",
        threads,
        "a mail sender" if mail else "no mail sender",
        base,
    )
    return stop, workers
