"""Background jobs: one row per piece of work to run later, whatever its kind."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import db
from webapp.models.common import UTCDateTime, utcnow

# A job's life: waiting for its time, running under a lease, done, given up, or cancelled.
JOB_WAITING, JOB_RUNNING = "pending", "running"
JOB_FINISHED, JOB_FAILED, JOB_CANCELLED = "done", "failed", "cancelled"
ACTIVE_STATES = (JOB_WAITING, JOB_RUNNING)
_ACTIVE = text("state IN ('pending', 'running')")


class Job(db.Model):  # type: ignore[name-defined,misc]
    """One piece of background work on one subject row (an application, a message, …)."""

    __tablename__ = "jobs"
    __table_args__ = (
        Index("ix_jobs_due", "state", "run_at"),
        Index("ix_jobs_lease", "state", "lease_expires_at"),
        Index("ix_jobs_subject", "kind", "subject_id"),
        # The same work is never scheduled twice while it is waiting or running.
        Index(
            "uq_jobs_active",
            "kind",
            "subject_id",
            unique=True,
            sqlite_where=_ACTIVE,
            postgresql_where=_ACTIVE,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(16), default=JOB_WAITING)
    run_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    lease_owner: Mapped[str | None] = mapped_column(String(128))
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Past this, a failure gives up instead of retrying; None until a kind sets it.
    deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
