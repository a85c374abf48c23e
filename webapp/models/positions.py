"""Positions: the jobs a company offers and how their interviews are set up."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

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
