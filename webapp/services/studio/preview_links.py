"""Preview links: revocable records that show the draft to whoever holds the link's secret."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update

from webapp.extensions import db
from webapp.models import utcnow
from webapp.models.content import PreviewLink
from webapp.services.studio.draft import get_draft

# Long enough that guessing one is hopeless; short enough to paste into a chat.
SECRET_BYTES = 24
_MAX_SECRET_LENGTH = 128


class PreviewLinkUnknown(LookupError):
    """No preview link has this secret: mistyped, cut short or made up."""


class PreviewLinkExpired(LookupError):
    """The preview link was genuine but its time is over."""


class PreviewLinkRevoked(LookupError):
    """A marketer turned the preview link off."""


@dataclass(frozen=True)
class NewPreviewLink:
    """A link just made: its secret is known only now, then never again (only its hash is kept)."""

    link: PreviewLink
    secret: str


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_link(created_by_id: int | None, lifetime: timedelta) -> NewPreviewLink:
    """Record a new preview link of the draft as it is now; the secret is returned once."""
    secret = secrets.token_urlsafe(SECRET_BYTES)
    now = utcnow()
    link = PreviewLink(
        secret_hash=_hash(secret),
        draft_revision=get_draft().revision,
        created_by_id=created_by_id,
        created_at=now,
        expires_at=now + lifetime,
    )
    db.session.add(link)
    db.session.commit()
    return NewPreviewLink(link, secret)


def open_link(secret: str, now: datetime | None = None) -> PreviewLink:
    """The live link with this secret; raise PreviewLinkUnknown, -Expired or -Revoked."""
    if not secret or len(secret) > _MAX_SECRET_LENGTH:
        raise PreviewLinkUnknown(secret[:8])
    link = db.session.scalar(select(PreviewLink).where(PreviewLink.secret_hash == _hash(secret)))
    return _checked(link, now or utcnow())


def live_link(link_id: object, now: datetime | None = None) -> PreviewLink:
    """The link a preview browser's marker names, if it still works (checked on every request)."""
    if not isinstance(link_id, int) or isinstance(link_id, bool) or not 0 < link_id < 2**31:
        raise PreviewLinkUnknown("not a link id")
    return _checked(db.session.get(PreviewLink, link_id), now or utcnow())


def _checked(link: PreviewLink | None, now: datetime) -> PreviewLink:
    if link is None:
        raise PreviewLinkUnknown("no such link")
    if link.revoked_at is not None:
        raise PreviewLinkRevoked(str(link.id))
    if now >= link.expires_at:
        raise PreviewLinkExpired(str(link.id))
    return link


def live_links(now: datetime | None = None) -> list[PreviewLink]:
    """The links that work now, newest first."""
    return list(
        db.session.scalars(
            select(PreviewLink)
            .where(PreviewLink.revoked_at.is_(None), PreviewLink.expires_at > (now or utcnow()))
            .order_by(PreviewLink.created_at.desc(), PreviewLink.id.desc())
        )
    )


def revoke_link(link_id: int, revoked_by_id: int | None) -> bool:
    """Turn one link off at once; False when it was not live (unknown, expired or revoked)."""
    done = db.session.execute(
        update(PreviewLink)
        .where(
            PreviewLink.id == link_id,
            PreviewLink.revoked_at.is_(None),
            PreviewLink.expires_at > utcnow(),
        )
        .values(revoked_at=utcnow(), revoked_by_id=revoked_by_id)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return bool(getattr(done, "rowcount", 0))


def revoke_all(revoked_by_id: int | None) -> int:
    """Turn every live link off at once; how many were."""
    done = db.session.execute(
        update(PreviewLink)
        .where(PreviewLink.revoked_at.is_(None), PreviewLink.expires_at > utcnow())
        .values(revoked_at=utcnow(), revoked_by_id=revoked_by_id)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return int(getattr(done, "rowcount", 0))


@dataclass(frozen=True)
class RevisionNotice:
    """Which draft revision a preview link was made for, and which one the browser sees."""

    made_for: int
    current: int

    @property
    def changed(self) -> bool:
        """Whether the draft was saved since the link was made."""
        return self.current != self.made_for


def revision_notice(link: PreviewLink) -> RevisionNotice:
    """The link's draft revision beside the draft's current one."""
    return RevisionNotice(made_for=link.draft_revision, current=get_draft().revision)


def preview_language_root(value: str | None) -> str:
    """The path prefix a preview opens in: a language the draft offers (its default: none)."""
    from webapp.i18n.locales import parse_site_locale
    from webapp.services.studio.fields import language_settings

    chosen = parse_site_locale(value)
    settings = language_settings(get_draft())
    if chosen is None or chosen.ident not in settings.offered or chosen.ident == settings.default:
        return ""
    return "/" + chosen.url_tag
