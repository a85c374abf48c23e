"""Funnel counters: page views added up per day, position, step and source, nothing personal."""

from __future__ import annotations

from datetime import date

from sqlalchemy import BigInteger, Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import db

# The steps counted as page views; the later steps are read from the applications themselves.
JOB_VIEW, APPLY_VIEW = "job_view", "apply_view"
SOURCE_LENGTH = 100


class FunnelCount(db.Model):  # type: ignore[name-defined,misc]
    """How many counted views one step had on one day, for one position and one source.

    The source columns are never NULL ('' when absent) so that the unique key, and with it the
    additive upsert of every web process, treats "no source" as one value.
    """

    __tablename__ = "funnel_counts"
    __table_args__ = (
        UniqueConstraint(
            "day",
            "position_id",
            "step",
            "utm_source",
            "utm_medium",
            "utm_campaign",
            "referrer_host",
            name="uq_funnel_counts_key",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    position_id: Mapped[int] = mapped_column(ForeignKey("positions.id"), index=True)
    step: Mapped[str] = mapped_column(String(16))
    utm_source: Mapped[str] = mapped_column(String(SOURCE_LENGTH), default="")
    utm_medium: Mapped[str] = mapped_column(String(SOURCE_LENGTH), default="")
    utm_campaign: Mapped[str] = mapped_column(String(SOURCE_LENGTH), default="")
    referrer_host: Mapped[str] = mapped_column(String(SOURCE_LENGTH), default="")
    count: Mapped[int] = mapped_column(BigInteger, default=0)
