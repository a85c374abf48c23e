"""Positions: the jobs a company offers and how their interviews are set up."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import db
from webapp.models.common import UTCDateTime, utcnow

POSITION_STATES = ("draft", "open", "closed")
# schema.org's employment types, as search engines read them, with the words people read.
EMPLOYMENT_TYPES = {
    "FULL_TIME": "Full time",
    "PART_TIME": "Part time",
    "CONTRACTOR": "Contract",
    "TEMPORARY": "Temporary",
    "INTERN": "Internship",
    "VOLUNTEER": "Volunteer",
    "PER_DIEM": "Paid by the day",
    "OTHER": "Other",
}
WORKPLACES = {"on-site": "On-site", "hybrid": "Hybrid", "remote": "Remote"}
# How a position's open/closed state is reaching the platform: waiting for its confirmation,
# refused by it (4xx), given up after retries, confirmed, or nothing to send (never created there).
SYNC_PENDING, SYNC_REFUSED, SYNC_FAILED = "pending", "refused", "failed"
SYNC_CONFIRMED, SYNC_NOT_CREATED = "confirmed", "not_created"
PLATFORM_SYNC_STATES = (SYNC_PENDING, SYNC_REFUSED, SYNC_FAILED, SYNC_CONFIRMED, SYNC_NOT_CREATED)


def _full_time() -> list[str]:
    return ["FULL_TIME"]


def new_external_id() -> str:
    """A stable code sent upstream as ``position_external_id``; never changes once given."""
    return "CF-" + secrets.token_hex(5).upper()


class Position(db.Model):  # type: ignore[name-defined,misc]
    """A job opening; ``interview`` holds the upstream interview options as plain values."""

    __tablename__ = "positions"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    external_id: Mapped[str] = mapped_column(String(64), unique=True, default=new_external_id)
    title: Mapped[str] = mapped_column(String(200))
    location: Mapped[str] = mapped_column(String(200))
    country_code: Mapped[str] = mapped_column(String(2))
    language_code: Mapped[str] = mapped_column(String(8))
    seniority: Mapped[str | None] = mapped_column(String(32))
    department: Mapped[str | None] = mapped_column(String(120))
    salary: Mapped[str | None] = mapped_column(String(120))
    summary: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    interview: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Our own facts for job search; never sent upstream.
    employment_types: Mapped[list[str]] = mapped_column(JSON, default=_full_time)
    workplace: Mapped[str] = mapped_column(String(16), default="on-site")
    # Where remote (or hybrid) candidates may live; empty means the position's own country.
    remote_countries: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Set after the first successful upstream call; later calls send it as position_def_set_id.
    upstream_position_id: Mapped[str | None] = mapped_column(String(255))
    # The embed key belongs to the position upstream: every candidate page of it signs with this
    # one. ``embed_key_version`` counts every change (a new answer or a rotation).
    embed_id: Mapped[str | None] = mapped_column(String(255))
    embed_signing_key_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)
    embed_key_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    embed_key_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The platform's side of open/closed: the status we want it to have (bumped version per wish,
    # so a late answer never overwrites a newer one), what it last confirmed and when, and how the
    # change is going (``PLATFORM_SYNC_STATES``) with the reason of a retry or a refusal.
    platform_status_wanted: Mapped[str | None] = mapped_column(String(16))
    platform_status_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    platform_status: Mapped[str | None] = mapped_column(String(16))
    platform_status_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    platform_sync: Mapped[str | None] = mapped_column(String(16))
    platform_sync_error: Mapped[str | None] = mapped_column(Text)

    @property
    def is_open(self) -> bool:
        """Whether candidates can see and apply to it."""
        return self.state == "open"

    @property
    def applicant_countries(self) -> list[str]:
        """The countries candidates may work from when not on site (the position's by default)."""
        return list(self.remote_countries or []) or [self.country_code]


# A rotation's life: waiting for its first step, embedding switched off (the new key not yet
# stored: interviews unavailable), finished, or given up.
ROTATION_QUEUED, ROTATION_DISABLED, ROTATION_DONE, ROTATION_FAILED = (
    "queued",
    "disabled",
    "done",
    "failed",
)
ROTATION_ACTIVE = (ROTATION_QUEUED, ROTATION_DISABLED)


class PositionKeyRotation(db.Model):  # type: ignore[name-defined,misc]
    """One revocation of a position's interview links: who asked, when, why, and how it went."""

    __tablename__ = "position_key_rotations"

    id: Mapped[int] = mapped_column(primary_key=True)
    position_id: Mapped[int] = mapped_column(
        ForeignKey("positions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[Position] = relationship()
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Kept as written, so the record still says who it was after the account is gone.
    requested_by_email: Mapped[str] = mapped_column(String(254))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reason: Mapped[str] = mapped_column(Text, default="")
    # Interviews offered and not finished when it was asked for: their pages need a reload.
    in_progress: Mapped[int] = mapped_column(Integer, default=0)
    state: Mapped[str] = mapped_column(String(16), default=ROTATION_QUEUED, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def is_active(self) -> bool:
        """Whether it still has a step to take."""
        return self.state in ROTATION_ACTIVE
