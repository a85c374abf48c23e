"""The background worker: threads that each run one loop claiming any due job of any kind."""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from datetime import timedelta

from flask import Flask, current_app
from sqlalchemy.exc import SQLAlchemyError

from webapp.extensions import db
from webapp.models import utcnow
from webapp.services import jobs
from webapp.services.outages import outage_log
from webapp.services.platform import platform
from webapp.services.platform_calls import policy_from_config
from webapp.services.reconcile import CheckPolicy, process_check, schedule_checks

log = logging.getLogger(__name__)


def check_policy_from_config(app: Flask) -> CheckPolicy:
    """The result-check policy from settings; its lease is the create call's."""
    return CheckPolicy(
        schedule=tuple(app.config["RESULT_POLL_SCHEDULE"]),
        give_up_after=float(app.config["RESULT_POLL_GIVE_UP_AFTER"]),
        silence_seconds=float(app.config["WEBHOOK_SILENCE_SECONDS"]),
        lease_seconds=float(app.config.get("UPSTREAM_LEASE_SECONDS") or 60.0),
    )


def init_app(app: Flask) -> None:
    """Register this app's four kinds of background work with their handlers."""
    from webapp.mail import sender
    from webapp.services import (
        attempts,
        platform_languages,
        position_keys,
        position_platform,
        upstream_jobs,
    )
    from webapp.services.studio import preview_jobs

    def upstream_lease() -> float:
        return policy_from_config(current_app._get_current_object()).lease_seconds  # type: ignore[attr-defined]

    def create(job: jobs.Claimed) -> jobs.Outcome:
        objects = platform()
        policy = policy_from_config(current_app._get_current_object())  # type: ignore[attr-defined]
        return upstream_jobs.process(job, objects.client, objects.vault, policy)

    def preview(job: jobs.Claimed) -> jobs.Outcome:
        objects = platform()
        policy = policy_from_config(current_app._get_current_object())  # type: ignore[attr-defined]
        return preview_jobs.process_preview(job, objects.client, objects.vault, policy)

    def check(job: jobs.Claimed) -> jobs.Outcome:
        policy = check_policy_from_config(current_app._get_current_object())  # type: ignore[attr-defined]
        return process_check(job, platform().client, policy)

    jobs.register(
        app,
        upstream_jobs.KIND,
        create,
        lease=upstream_lease,
        needs="platform",
        unrecorded=upstream_jobs.answer_not_stored,
    )
    jobs.register(
        app,
        preview_jobs.KIND,
        preview,
        lease=upstream_lease,
        needs="platform",
        unrecorded=preview_jobs.preview_not_stored,
    )
    jobs.register(app, "result_check", check, lease=upstream_lease, needs="platform")
    position_platform.register_kind(
        app,
        lambda: platform().client,
        lambda: policy_from_config(current_app._get_current_object()),  # type: ignore[attr-defined]
    )
    platform_languages.register_kind(app, lambda: platform().client)
    position_keys.register(app)
    attempts.register_kind(
        app,
        lambda: platform().client,
        lambda: policy_from_config(current_app._get_current_object()),  # type: ignore[attr-defined]
    )
    jobs.register(
        app,
        sender.KIND,
        sender.send_one,
        lease=sender.lease_seconds,
        unrecorded=sender.sent_but_not_recorded,
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


def work_once(app: Flask, owner: str, names: list[str] | None = None) -> bool:
    """Claim and run one due job of any kind whose service is not paused; whether there was one.

    Runs inside an app context. While the platform is paused, one thread at a time probes it
    with a real job, and the pause ends as soon as a call gets through, here or in any process.
    """
    outages = outage_log(app)
    registry = jobs.kinds(app)
    wanted = [name for name in (names or registry) if name in registry]
    needs = {registry[name].needs for name in wanted} - {None}
    for need in needs:
        outages.lift(need)  # type: ignore[arg-type]
    paused = {need for need in needs if outages.paused(need)}  # type: ignore[arg-type]
    allowed = [name for name in wanted if registry[name].needs not in paused]
    if "result_check" in allowed:
        policy = check_policy_from_config(app)
        if _sweep_due(app, policy):
            schedule_checks(policy)
    ran = jobs.run_next(app, owner, allowed)
    if ran is None:
        return False
    claimed, outcome = ran
    need = registry[claimed.kind].needs
    if need is not None:
        if outcome.outage == need:
            outages.failed(need, outcome.error or "unavailable", alert=outcome.alert)
        elif outcome.outage is None and (outcome.state == "done" or not outcome.error):
            outages.recovered(need)  # the service answered (a plain reschedule is an answer)
    return True


def work_loop(
    app: Flask,
    stop: threading.Event,
    owner: str,
    poll_interval: float,
    names: list[str] | None = None,
) -> None:
    """Run due jobs until ``stop`` is set; with the database down, log once and back off."""
    outages = outage_log(app)
    while not stop.is_set():
        worked = False
        wait = poll_interval
        try:
            with app.app_context():
                try:
                    if not outages.paused("database"):
                        worked = work_once(app, owner, names)
                        outages.recovered("database")
                except SQLAlchemyError as exc:
                    # Down for every thread at once: logged once, and everyone backs off.
                    db.session.rollback()
                    wait = max(poll_interval, outages.failed("database", type(exc).__name__))
                finally:
                    db.session.remove()
        except Exception:  # a worker thread must outlive any one failure; the lease guards the job
            log.exception("worker %s: unexpected error; carrying on", owner)
        if not worked:
            stop.wait(wait)


def start_workers(
    app: Flask, threads: int, poll_interval: float = 0.5, *, mail: bool = True
) -> tuple[threading.Event, list[threading.Thread]]:
    """Start ``threads`` worker threads running every kind of job (``mail=False``: all but
    e-mail); set the event to stop them."""
    stop = threading.Event()
    base = f"{socket.gethostname()[:32]}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
    names = None if mail else [name for name in jobs.kinds(app) if name != "mail"]
    workers = []
    for index in range(threads):
        thread = threading.Thread(
            target=work_loop,
            args=(app, stop, f"{base}:{index}", poll_interval, names),
            name=f"worker-{index}",
            daemon=True,
        )
        thread.start()
        workers.append(thread)
    log.info("started %d worker thread(s) as %s", threads, base)
    return stop, workers
