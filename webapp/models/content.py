"""Site content: drafts, published versions, set-aside drafts, brand and section images, previews."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import db
from webapp.models.applications import JOB_PENDING
from webapp.models.common import UTCDateTime, utcnow
from webapp.models.positions import Position
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
    # The marketer's texts in languages other than English (English is ``texts`` above), by
    # Babel identifier, and the languages the site offers ({"offered", "default",
    # "require_complete"}); NULL on rows older than per-language texts.
    translations: Mapped[dict[str, dict[str, str]] | None] = mapped_column(JSON, default=dict)
    position_translations: Mapped[dict[str, dict[str, dict[str, str]]] | None] = mapped_column(
        JSON, default=dict
    )
    languages: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=dict)
    custom_css: Mapped[str] = mapped_column(Text, default="")
    # The sections of the careers home and of every job page: {"home": [...], "job": [...]}.
    sections: Mapped[dict[str, list[dict[str, Any]]]] = mapped_column(JSON, default=dict)
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


class SavedDraft(db.Model):  # type: ignore[name-defined,misc]
    """Unpublished draft content set aside when a rollback or a restore replaced the draft."""

    __tablename__ = "saved_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    brand: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    texts: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    position_texts: Mapped[dict[str, dict[str, str]]] = mapped_column(JSON, default=dict)
    # The marketer's texts in languages other than English (English is ``texts`` above), by
    # Babel identifier, and the languages the site offers ({"offered", "default",
    # "require_complete"}); NULL on rows older than per-language texts.
    translations: Mapped[dict[str, dict[str, str]] | None] = mapped_column(JSON, default=dict)
    position_translations: Mapped[dict[str, dict[str, dict[str, str]]] | None] = mapped_column(
        JSON, default=dict
    )
    languages: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=dict)
    custom_css: Mapped[str] = mapped_column(Text, default="")
    sections: Mapped[dict[str, list[dict[str, Any]]]] = mapped_column(JSON, default=dict)
    logo_id: Mapped[int | None] = mapped_column(ForeignKey("brand_assets.id"))
    logo: Mapped[BrandAsset | None] = relationship(lazy="joined")
    # The draft as it was: its revision, its last editor and when they saved it.
    draft_revision: Mapped[int] = mapped_column(Integer)
    edited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    edited_by: Mapped[User | None] = relationship(lazy="joined", foreign_keys=[edited_by_id])
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Why it was set aside ("rollback" or "restore"), by whom, and when.
    reason: Mapped[str] = mapped_column(String(16))
    saved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    saved_by: Mapped[User | None] = relationship(lazy="joined", foreign_keys=[saved_by_id])
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # The version a rollback published in its place.
    rollback_number: Mapped[int | None] = mapped_column(Integer)
    # The last time it was put back into the draft, and by whom.
    restored_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    restored_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    restored_by: Mapped[User | None] = relationship(lazy="joined", foreign_keys=[restored_by_id])


class SiteImage(db.Model):  # type: ignore[name-defined,misc]
    """One size of an uploaded section image, re-encoded; all sizes share the digest of the set."""

    __tablename__ = "site_images"
    __table_args__ = (UniqueConstraint("digest", "width"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    digest: Mapped[str] = mapped_column(String(64), index=True)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    mime: Mapped[str] = mapped_column(String(32))
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    size: Mapped[int] = mapped_column(Integer)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PrivacyReview(db.Model):  # type: ignore[name-defined,misc]
    """A marketer's word that the privacy notice, as it read then (by digest), was reviewed."""

    __tablename__ = "privacy_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    text_digest: Mapped[str] = mapped_column(String(64))
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reviewed_by: Mapped[User | None] = relationship(lazy="joined")
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class PreviewLink(db.Model):  # type: ignore[name-defined,misc]
    """A shareable link to the draft: who made it, when, for which draft revision, until when."""

    __tablename__ = "preview_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Only a hash of the link's secret part: a copy of the database opens no preview.
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    draft_revision: Mapped[int] = mapped_column(Integer)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_by: Mapped[User | None] = relationship(lazy="joined", foreign_keys=[created_by_id])
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    def is_live(self, now: datetime) -> bool:
        """Whether the link opens the preview at ``now``."""
        return self.revoked_at is None and now < self.expires_at


class PreviewInterview(db.Model):  # type: ignore[name-defined,misc]
    """The one upstream interview of the fixed preview candidate for a position."""

    __tablename__ = "preview_interviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Unique: the row is the claim, so one upstream call at most per position.
    position_id: Mapped[int] = mapped_column(
        ForeignKey("positions.id", ondelete="CASCADE"), unique=True
    )
    position: Mapped[Position] = relationship()
    # Where the upstream call stands (kept by its background job's handler), as for applications.
    job_state: Mapped[str] = mapped_column(String(16), default=JOB_PENDING, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    decision: Mapped[str | None] = mapped_column(String(32))
    profile_interview_id: Mapped[str | None] = mapped_column(String(64))
    embed_id: Mapped[str | None] = mapped_column(String(128))
    embed_signing_key_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
