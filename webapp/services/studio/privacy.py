"""Reviews of the privacy notice: who confirmed that the notice, as it reads in the draft, is right."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from webapp.extensions import db
from webapp.models.content import PrivacyReview, SiteVersion
from webapp.services.site import content_from_version


def notice_digest(row: SiteVersion) -> str:
    """A fingerprint of the privacy notice (heading and text) a version shows."""
    content = content_from_version(row)
    text = content.text("privacy_heading") + "\n" + content.text("privacy_body")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class PrivacyStatus:
    """Whether the draft's privacy notice was reviewed as it reads now, and the last review."""

    reviewed: bool  # the last review was of exactly this text
    reviewed_by: str | None
    reviewed_at: datetime | None
    ever_reviewed: bool


def privacy_status(draft: SiteVersion) -> PrivacyStatus:
    """The review state of the draft's privacy notice."""
    last = db.session.scalar(
        select(PrivacyReview).order_by(PrivacyReview.reviewed_at.desc(), PrivacyReview.id.desc())
    )
    if last is None:
        return PrivacyStatus(False, None, None, False)
    by = last.reviewed_by.email if last.reviewed_by else None
    return PrivacyStatus(last.text_digest == notice_digest(draft), by, last.reviewed_at, True)


class NoticeChanged(Exception):
    """The notice was edited after the page asking to mark it reviewed was shown."""


def mark_reviewed(draft: SiteVersion, shown_digest: str, reviewer_id: int | None) -> PrivacyReview:
    """Record that ``reviewer_id`` reviewed the notice they were shown, if it still reads so."""
    if shown_digest != notice_digest(draft):
        raise NoticeChanged("the privacy notice changed since it was shown")
    review = PrivacyReview(text_digest=shown_digest, reviewed_by_id=reviewer_id)
    db.session.add(review)
    db.session.commit()
    return review
