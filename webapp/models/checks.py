"""Scheduled checks of an application's result on the platform, for what webhooks did not say.

A table of its own rather than columns on the application: the application's lease belongs to its
one create call, and a check must never be able to claim (or release) that one.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import db
from webapp.models.common import UTCDateTime, utcnow

# Why an application is checked: a recruiter must decide it, or its interview opened and no
# webhook has told us how it went.
CHECK_REVIEW, CHECK_INTERVIEW = "review", "interview"
# A check's life: waiting for its time, being made (under a lease), settled, or given up.
CHECK_PENDING, CHECK_IN_FLIGHT, CHECK_DONE, CHECK_GAVE_UP = (
    "pending",
    "in_flight",
    "done",
    "gave_up",
)


class ResultCheck(db.Model):  # type: ignore[name-defined,misc]
    """The next time the workers ask the platform about one application."""

    __tablename__ = "result_checks"
    __table_args__ = (Index("ix_result_checks_due", "state", "next_check_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), unique=True
    )
    reason: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(16), default=CHECK_PENDING)
    # Checks made for the current reason: the schedule's position.
    checks: Mapped[int] = mapped_column(Integer, default=0)
    next_check_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    lease_owner: Mapped[str | None] = mapped_column(String(128))
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
