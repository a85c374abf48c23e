"""The jobs widget's settings: one row, changed by marketers, read by the widget and its frame."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import db
from webapp.models.common import UTCDateTime, utcnow


class WidgetSettings(db.Model):  # type: ignore[name-defined,misc]
    """Which filters the widget offers, how many jobs it lists, and who may frame its page."""

    __tablename__ = "widget_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    show_department: Mapped[bool] = mapped_column(Boolean, default=True)
    show_location: Mapped[bool] = mapped_column(Boolean, default=True)
    job_limit: Mapped[int] = mapped_column(Integer, default=10)
    # Origins such as "https://www.example.com" that may frame /embed/jobs; empty: nobody.
    allowed_origins: Mapped[list[str]] = mapped_column(JSON, default=list)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
