"""The candidate's interview page kept rendered, per process, by an exact fingerprint of what it shows.

Rendering the page (17 KB: the studio's texts, the translated strings, the links) was three
quarters of its cost, and between two visits of the same candidate almost nothing in it changes.
So the page is rendered once with placeholders where the per-request values go (the signed frame
link, the CSRF token) and kept under a fingerprint of everything else it shows: the application's
state columns and the status derived from them, its position's row version and whether it holds an
embed, the published content version (texts, brand, languages), the link itself, the host, and the
settings that change the page. Any change of these is a new fingerprint, so the next visit renders
the new page; what cannot be fingerprinted cheaply (the masked address of a replacement
application) lives at most ``PAGE_SECONDS``. Every served copy gets a link signed at that moment
with the position's current key (``webapp.services.interviews.signed_link``).

The view renders for this store only when ``webapp.views.room_lane`` asks it to (a plain GET of a
proven candidate's page); the lane then serves the copies. ``make bench`` "interview_page" measures
why it exists (before: 0.05× hello).
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from webapp.models import Application, Position
from webapp.services.applications import CandidateStatus
from webapp.services.candidate_poll import STATUS_COLUMNS

FRAME_PLACEHOLDER = "__careerframe_frame_src__"
# WSGI environ keys between the lane and the view (never holding a secret beyond this request).
RENDER_KEY = "careerframe.room.render"  # the lane asks: render for the store
STORED_KEY = "careerframe.room.fingerprint"  # the view answers: this is what it rendered
VALUES_KEY = "careerframe.room.values"  # and the values its placeholders stand for, this request
PAGE_SECONDS = 2.0
MAX_PAGES = 256

# The columns the page shows or that decide what it shows; the position's under their own names.
PAGE_COLUMNS = (
    *STATUS_COLUMNS,
    Application.id,
    Application.withdrawn_at,
    Application.recovered,
    Application.verified_at,
    Application.locale,
    Application.full_name,
    Application.email,
    Application.replaced_by_id,
    Application.position_id,
    Position.updated_at.label("position_updated_at"),
    Position.embed_id.label("position_embed_id"),
    Position.embed_signing_key_encrypted.label("position_key"),
)
_SHOWN = tuple(
    column.key
    for column in PAGE_COLUMNS
    if column.key not in ("created_at", "position_key", "position_embed_id")
)


def facts_of(application: Application) -> dict[str, Any]:
    """The page columns of a loaded application, under the names ``PAGE_COLUMNS`` reads them."""
    position = application.position
    facts = {name: getattr(application, name) for name in _SHOWN if name != "position_updated_at"}
    facts["created_at"] = application.created_at
    facts["position_updated_at"] = position.updated_at
    facts["position_embed_id"] = position.embed_id
    facts["position_key"] = position.embed_signing_key_encrypted
    return facts


def fingerprint(
    facts: Mapping[str, Any],
    status: CandidateStatus,
    *,
    token: str,
    proven: bool,
    setting: tuple[object, ...],
) -> bytes:
    """A digest of everything the page shows but its per-request values.

    ``setting`` is what the app and request add: content version, host, settings. The signing key
    is left out (the link is signed per request); whether the position holds an embed is not.
    """
    shown = (
        tuple(facts[name] for name in _SHOWN),
        bool(facts["position_embed_id"] and facts["position_key"]),
        (status.stage, status.step, status.slow, status.retrying),
        (status.interview_incomplete, status.letter_pending),
        token,
        proven,
        setting,
    )
    return hashlib.blake2b(repr(shown).encode(), digest_size=20).digest()


@dataclass(frozen=True)
class StoredPage:
    """A rendered page with its placeholders, and the status line and headers Flask sent with it."""

    expires: float
    status: str
    headers: tuple[tuple[str, str], ...]  # without Content-Length
    body: bytes


class PageStore:
    """The rendered pages of one app, by fingerprint, for ``PAGE_SECONDS`` each (thread-safe)."""

    def __init__(self, seconds: float = PAGE_SECONDS, size: int = MAX_PAGES) -> None:
        self.seconds, self.size = seconds, size
        self._pages: dict[bytes, StoredPage] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"PageStore({len(self._pages)} pages)"

    def get(self, key: bytes) -> StoredPage | None:
        """The page stored under ``key`` while it is fresh."""
        page = self._pages.get(key)
        return page if page is not None and page.expires > time.monotonic() else None

    def keep(self, key: bytes, status: str, headers: list[tuple[str, str]], body: bytes) -> None:
        """Store a page Flask rendered (its headers as sent, Content-Length left out)."""
        kept = tuple((name, value) for name, value in headers if name.lower() != "content-length")
        page = StoredPage(time.monotonic() + self.seconds, status, kept, body)
        with self._lock:
            self._pages.pop(key, None)
            self._pages[key] = page
            while len(self._pages) > self.size:
                del self._pages[next(iter(self._pages))]  # the oldest: dicts keep their order

    def clear(self) -> None:
        """Forget every page."""
        with self._lock:
            self._pages.clear()


def page_setting(
    config: Mapping[str, Any], environ: Mapping[str, Any], content_version: str
) -> tuple[object, ...]:
    """What the app and the request add to the page: content version, host, settings."""
    return (
        content_version,
        environ.get("HTTP_HOST"),
        environ.get("wsgi.url_scheme"),
        environ.get("SCRIPT_NAME", ""),
        bool(config.get("CANDIDATE_EMAIL_VERIFICATION", True)),
        bool(config.get("SHOW_REJECTION_REASON")),
    )
