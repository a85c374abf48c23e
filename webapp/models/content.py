"""Site content: the marketers' draft, every published version, brand images, preview interviews."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import db
from webapp.models.common import UTCDateTime, utcnow
from webapp.models.users import User

# Version number 0 is the one shared draft; published versions count up from 1 and never change.
DRAFT_NUMBER = 0


class BrandAsset(db.Model):  # type: ignore[name-defined,misc]
    """An uploaded logo, re-encoded, addressed by the hash of its bytes (so its URL never changes)."""

    __tablename__ = "brand_assets"

    id: Mapped[int] = mapped_column(primary_key=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    mime: Mapped[str] = mapped_column(String(32))
    # Deferred: loading a version (every second, in every process) must not drag the image along.
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def extension(self) -> str:
        """The file extension the logo is served under."""
        return {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp"}.get(self.mime, "png")


class SiteVersion(db.Model):  # type: ignore[name-defined,misc]
    """The brand, texts, per-position texts and custom CSS: the draft (number 0) or a published copy."""

    __tablename__ = "site_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    # The draft's save counter: a form carries it, and a save from a stale form is refused.
    revision: Mapped[int] = mapped_column(Integer, default=0)
    # On the draft: the revision that was last published (a publish locks the row through it).
    published_revision: Mapped[int | None] = mapped_column(Integer)
    brand: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    texts: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    position_texts: Mapped[dict[str, dict[str, str]]] = mapped_column(JSON, default=dict)
    custom_css: Mapped[str] = mapped_column(Text, default="")
    logo_id: Mapped[int | None] = mapped_column(ForeignKey("brand_assets.id"))
    logo: Mapped[BrandAsset | None] = relationship(lazy="joined")
    # For a rollback: the number of the version it copies.
    source_number: Mapped[int | None] = mapped_column(Integer)
    # The draft's last editor, or the person who published this version.
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    author: Mapped[User | None] = relationship(lazy="joined")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def is_draft(self) -> bool:
        """Whether this row is the editable draft."""
        return self.number == DRAFT_NUMBER


class PreviewInterview(db.Model):  # type: ignore[name-defined,misc]
    """The one upstream interview of the fixed preview candidate for a position."""

    __tablename__ = "preview_interviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Unique: the row is claimed before the upstream call, so one call at most per position.
    position_id: Mapped[int] = mapped_column(
        ForeignKey("positions.id", ondelete="CASCADE"), unique=True
    )
    decision: Mapped[str | None] = mapped_column(String(32))
    profile_interview_id: Mapped[str | None] = mapped_column(String(64))
    embed_id: Mapped[str | None] = mapped_column(String(128))
    embed_signing_key_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
