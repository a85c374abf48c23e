"""Background work of every kind: scheduled in the caller's transaction, claimed under a lease.

The conditional UPDATE is the lock: of several workers racing for one due job, exactly one
claims it (``FOR UPDATE SKIP LOCKED`` on PostgreSQL; SQLite has one writer at a time). A claim
holds a lease that the runner renews while the handler works, so a killed worker's job becomes
claimable again within one lease length. Handlers are registered per app, one per kind; each takes
the claimed job and says what came of it (done, retry after a delay, give up, or leave the lease to
lapse). The subject rows keep their own domain state; this module only knows when to run what.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from flask import Flask
from sqlalchemy import CursorResult, and_, case, or_, select, update
from sqlalchemy.exc import SQLAlchemyError

from webapp.extensions import db
from webapp.models.common import utcnow
from webapp.models.jobs import (
    ACTIVE_STATES,
    JOB_CANCELLED,
    JOB_FAILED,
    JOB_FINISHED,
    JOB_RUNNING,
    JOB_WAITING,
    Job,
)

log = logging.getLogger(__name__)
_KEY = "careerframe.jobs"


@dataclass(frozen=True)
class Claimed:
    """A job this worker holds the lease of."""

    id: int
    kind: str
    subject_id: int
    attempts: int
    owner: str
    deadline: datetime | None


@dataclass(frozen=True)
class Outcome:
    """What came of running a job: ``done``, ``retry``, ``give_up`` or ``leave`` (lease lapses)."""

    state: str
    delay: float = 0.0
    error: str | None = None
    count_attempt: bool = True
    deadline: datetime | None = None
    outage: str | None = None  # what is down (say "platform"): the workers pause that kind
    note: str = ""
    alert: str | None = None  # an open alert whose resolution ends the outage early


def done(note: str = "") -> Outcome:
    """The work is finished."""
    return Outcome("done", note=note)


def retry_after(
    delay: float,
    error: str | None = None,
    *,
    count_attempt: bool = True,
    deadline: datetime | None = None,
    outage: str | None = None,
    alert: str | None = None,
) -> Outcome:
    """Run again in ``delay`` seconds; ``deadline`` (kept once set) is when to give up."""
    return Outcome("retry", delay, error, count_attempt, deadline, outage, alert=alert)


def give_up(error: str, *, outage: str | None = None) -> Outcome:
    """Stop trying; the subject says why."""
    return Outcome("give_up", error=error, outage=outage)


def leave(error: str = "") -> Outcome:
    """Record nothing: the lease runs out and another worker runs the job again."""
    return Outcome("leave", error=error or None)


def backoff(attempt: int, base: float, cap: float) -> float:
    """Exponential backoff with full jitter for the given 1-based attempt."""
    return random.uniform(0, min(cap, base * 2 ** min(max(attempt, 1) - 1, 30)))


@dataclass(frozen=True)
class Kind:
    """One kind of background work: its handler, its lease length and what it needs up."""

    name: str
    handler: Callable[[Claimed], Outcome]
    lease: Callable[[], float]
    needs: str | None = None
    # Called (in a fresh transaction) when the outcome could not be committed.
    unrecorded: Callable[[Claimed, Outcome], None] | None = None


def register(
    app: Flask,
    name: str,
    handler: Callable[[Claimed], Outcome],
    *,
    lease: Callable[[], float],
    needs: str | None = None,
    unrecorded: Callable[[Claimed, Outcome], None] | None = None,
) -> None:
    """Register the handler of ``name`` for this app."""
    app.extensions.setdefault(_KEY, {})[name] = Kind(name, handler, lease, needs, unrecorded)


def kinds(app: Flask) -> dict[str, Kind]:
    """This app's kinds of background work, by name."""
    return cast(dict[str, Kind], app.extensions.get(_KEY, {}))


def schedule(
    kind: str, subject_id: int, *, run_at: datetime | None = None, deadline: datetime | None = None
) -> Job:
    """Schedule ``kind`` for ``subject_id`` in the caller's transaction (the caller commits).

    Work already waiting for the subject is reused (moved earlier if asked), so it is never
    scheduled twice; a unique index refuses a concurrent duplicate at commit.
    """
    when = run_at or utcnow()
    existing = active(kind, subject_id)
    if existing is not None:
        if existing.state == JOB_WAITING and existing.run_at > when:
            existing.run_at = when
        return existing
    job = Job(kind=kind, subject_id=subject_id, run_at=when, deadline=deadline, state=JOB_WAITING)
    db.session.add(job)
    return job


def active(kind: str, subject_id: int) -> Job | None:
    """The subject's waiting or running job of ``kind``, if any."""
    return cast(
        Job | None,
        db.session.scalar(
            select(Job).where(
                Job.kind == kind, Job.subject_id == subject_id, Job.state.in_(ACTIVE_STATES)
            )
        ),
    )


def cancel(kind: str, subject_ids: Iterable[int], *, running: bool = False) -> int:
    """Cancel waiting work (and running work when asked) of ``kind``; the caller commits."""
    states = ACTIVE_STATES if running else (JOB_WAITING,)
    ids = list(subject_ids)
    if not ids:
        return 0
    result = db.session.execute(
        update(Job)
        .where(Job.kind == kind, Job.subject_id.in_(ids), Job.state.in_(states))
        .values(
            state=JOB_CANCELLED,
            lease_owner=None,
            lease_expires_at=None,
            finished_at=utcnow(),
            updated_at=utcnow(),
        )
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def _due(now: datetime, names: list[str]) -> Any:
    return and_(
        Job.kind.in_(names),
        or_(
            and_(Job.state == JOB_WAITING, Job.run_at <= now),
            and_(Job.state == JOB_RUNNING, Job.lease_expires_at < now),
        ),
    )


def claim_next(owner: str, leases: dict[str, float], now: datetime | None = None) -> Claimed | None:
    """Claim the next due job of any of ``leases``' kinds (their lease seconds); commits."""
    now = now or utcnow()
    names = sorted(leases)
    if not names:
        return None
    due = _due(now, names)
    next_id = (
        select(Job.id)
        .where(due)
        .order_by(Job.run_at, Job.id)
        .limit(1)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    expiry = case(
        *((Job.kind == name, now + timedelta(seconds=leases[name])) for name in names),
        else_=now + timedelta(seconds=60),
    )
    row = db.session.execute(
        update(Job)
        .where(Job.id == next_id, due)
        .values(
            state=JOB_RUNNING,
            lease_owner=owner,
            lease_expires_at=expiry,
            attempts=Job.attempts + 1,
            updated_at=now,
        )
        .returning(Job.id, Job.kind, Job.subject_id, Job.attempts, Job.deadline)
        .execution_options(synchronize_session=False)
    ).first()
    db.session.commit()
    if row is None:
        return None
    return Claimed(row.id, row.kind, row.subject_id, row.attempts, owner, row.deadline)


def _ours(claimed: Claimed) -> Any:
    return and_(Job.id == claimed.id, Job.lease_owner == claimed.owner, Job.state == JOB_RUNNING)


def renew(claimed: Claimed, seconds: float) -> bool:
    """Extend our lease; False once the job is no longer ours (commits)."""
    renewed = cast(
        CursorResult[Any],
        db.session.execute(
            update(Job)
            .where(_ours(claimed))
            .values(lease_expires_at=utcnow() + timedelta(seconds=seconds))
            .execution_options(synchronize_session=False)
        ),
    )
    db.session.commit()
    return renewed.rowcount == 1


def still_ours(claimed: Claimed) -> bool:
    """Whether we still hold the job's lease."""
    return db.session.scalar(select(Job.id).where(_ours(claimed))) is not None


def record(claimed: Claimed, outcome: Outcome) -> bool:
    """Record the outcome in the caller's transaction; False when the lease was lost meanwhile."""
    now = utcnow()
    values: dict[str, Any] = {"lease_owner": None, "lease_expires_at": None, "updated_at": now}
    if outcome.state == "done":
        values.update(state=JOB_FINISHED, finished_at=now, last_error=None)
    elif outcome.state == "give_up":
        values.update(state=JOB_FAILED, finished_at=now, last_error=outcome.error)
    elif outcome.state == "retry":
        values.update(
            state=JOB_WAITING,
            run_at=now + timedelta(seconds=max(0.0, outcome.delay)),
            last_error=outcome.error,
        )
        if not outcome.count_attempt:
            values["attempts"] = Job.attempts - 1
        if outcome.deadline is not None and claimed.deadline is None:
            values["deadline"] = outcome.deadline
    else:
        return still_ours(claimed)
    updated = cast(
        CursorResult[Any],
        db.session.execute(
            update(Job)
            .where(_ours(claimed))
            .values(**values)
            .execution_options(synchronize_session=False)
        ),
    )
    return updated.rowcount == 1


@contextmanager
def heartbeat(app: Flask, claimed: Claimed, seconds: float) -> Iterator[None]:
    """Renew the lease every third of its length while the work runs, so a slow but live worker
    keeps it, and a killed worker's lease lapses within one lease length."""
    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(seconds / 3):
            try:
                with app.app_context():
                    ours = renew(claimed, seconds)
                    db.session.remove()
                if not ours:
                    return
            except Exception:  # noqa: BLE001 — a missed beat only shortens the lease
                log.warning(
                    "worker %s: could not renew the lease of job %s", claimed.owner, claimed.id
                )

    thread = threading.Thread(target=beat, name=f"lease-{claimed.id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)


def run(
    app: Flask, claimed: Claimed, handler: Callable[[Claimed], Outcome] | None = None
) -> Outcome:
    """Run a claimed job under its lease and record what came of it (inside an app context)."""
    kind = kinds(app)[claimed.kind]
    with heartbeat(app, claimed, kind.lease()):
        try:
            outcome = (handler or kind.handler)(claimed)
        except Exception:
            db.session.rollback()
            raise  # the lease lapses and the job runs again; the worker logs it
        try:
            if not record(claimed, outcome):
                db.session.rollback()
                if outcome.state != "leave":
                    log.warning(
                        "job %s (%s): the lease ran out meanwhile; the other worker's outcome "
                        "stands",
                        claimed.id,
                        claimed.kind,
                    )
                return leave()
            db.session.commit()
        except SQLAlchemyError:
            db.session.rollback()
            if kind.unrecorded is None:
                raise
            kind.unrecorded(claimed, outcome)
            return leave()
    return outcome


def run_next(
    app: Flask, owner: str, names: Iterable[str] | None = None
) -> tuple[Claimed, Outcome] | None:
    """Claim and run the next due job of the given kinds (all by default); None when none is due."""
    registry = kinds(app)
    chosen = registry if names is None else {n: registry[n] for n in names if n in registry}
    claimed = claim_next(owner, {name: kind.lease() for name, kind in chosen.items()})
    if claimed is None:
        return None
    return claimed, run(app, claimed)
