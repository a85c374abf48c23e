"""This process's copy of the published site content, re-checked against the database once a second."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from flask import current_app, has_app_context
from sqlalchemy import select

from webapp.extensions import db
from webapp.models.content import DRAFT_NUMBER, SiteVersion

if TYPE_CHECKING:  # site.py builds the content and imports this module, so only the type comes back
    from webapp.services.site import SiteContent


class _PublishedCache:
    """The live content as last read, which version it came from, and when that was checked."""

    def __init__(self, content: SiteContent) -> None:
        self.lock = threading.Lock()
        self.content = content
        self.version_id: int | None = None
        self.checked_at: float | None = None


_CACHE_KEY = "careerframe.site_content"
_cache_creation = threading.Lock()


def _cache(default: SiteContent) -> _PublishedCache:
    extensions = current_app.extensions
    if _CACHE_KEY not in extensions:
        with _cache_creation:
            extensions.setdefault(_CACHE_KEY, _PublishedCache(default))
    return extensions[_CACHE_KEY]  # type: ignore[no-any-return]


def _live_version_id() -> int | None:
    return db.session.scalar(
        select(SiteVersion.id)
        .where(SiteVersion.number > DRAFT_NUMBER)
        .order_by(SiteVersion.number.desc())
        .limit(1)
    )


def cached_published_content(
    build: Callable[[SiteVersion], SiteContent], default: SiteContent
) -> SiteContent:
    """The live content built by ``build`` (``default`` before any publish), from memory when fresh."""
    if not has_app_context():
        return default
    cache = _cache(default)
    interval = float(current_app.config.get("SITE_CONTENT_CHECK_SECONDS", 1.0))
    checked = cache.checked_at
    if checked is not None and time.monotonic() - checked < interval:
        return cache.content
    # One thread refreshes; the others keep serving the copy they have (unless there is none yet).
    if not cache.lock.acquire(blocking=checked is None):
        return cache.content
    try:
        if cache.checked_at is not None and time.monotonic() - cache.checked_at < interval:
            return cache.content
        live_id = _live_version_id()
        if live_id != cache.version_id or cache.checked_at is None:
            row = db.session.get(SiteVersion, live_id) if live_id is not None else None
            cache.content = build(row) if row is not None else default
            cache.version_id = live_id
        cache.checked_at = time.monotonic()
        return cache.content
    finally:
        cache.lock.release()


def forget_published_content() -> None:
    """Make this process read the live version again on its next request (after a publish)."""
    if has_app_context():
        cache = current_app.extensions.get(_CACHE_KEY)
        if cache is not None:  # without a copy yet, the next request reads the live version anyway
            cache.checked_at = None
