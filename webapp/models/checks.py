"""Scheduled checks of an application's result on the platform, for what webhooks did not say.

A table of its own rather than columns on the application: it holds why and how often the
application was checked; when the next check runs is its background job's business (``jobs``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import db
from webapp.models.common import UTCDateTime, utcnow

# Why an application is checked: a recruiter must decide it, or its interview opened and no
# webhook has told us how it went.
CHECK_REVIEW, CHECK_INTERVIEW = "review", "interview"
# A check's life: waiting for its time (its job says when), being made, settled, or given up.
CHECK_PENDING, CHECK_IN_FLIGHT, CHECK_DONE, CHECK_GAVE_UP = (
    "pending",
    "in_flight",
    "done",
    "gave_up",
)


class ResultCheck(db.Model):  # type: ignore[name-defined,misc]
    """The next time the workers ask the platform about one application."""

    __tablename__ = "result_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), unique=True
    )
    reason: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(16), default=CHECK_PENDING)
    # Checks made for the current reason: the schedule's position.
    checks: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
