"""The platform's own list of the interview languages it offers, as last fetched (one row)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Text
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import db
from webapp.models.common import UTCDateTime


class PlatformLanguageList(db.Model):  # type: ignore[name-defined,misc]
    """The codes ``platform-languages-list`` last answered, and how the latest refresh went."""

    __tablename__ = "platform_languages"

    id: Mapped[int] = mapped_column(primary_key=True)
    codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    # When the platform last answered a usable list; None until it ever has.
    fetched_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When a refresh last ran, and what went wrong with it (None when it worked).
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
