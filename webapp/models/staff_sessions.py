"""Server-side records of staff sign-ins: the cookie carries a random id, we keep only its hash."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import db
from webapp.models.common import UTCDateTime, utcnow


class StaffSession(db.Model):  # type: ignore[name-defined,misc]
    """One sign-in: valid until it expires or is ended (sign-out, password change, deactivation)."""

    __tablename__ = "staff_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    # SHA-256 of the id in the cookie: a copy of this table opens no session.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # The address it was opened from: a later sign-in from there is not held back by failures
    # someone else caused for the account elsewhere.
    address: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
