"""The jobs table's operations: schedule, cancel, claim (the conditional UPDATE), renew, record."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, and_, case, or_, select, update

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
from webapp.services.jobs.outcomes import Claimed, Outcome


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
