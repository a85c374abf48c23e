"""A per-process micro-cache for public pages: rendered once, served for a second or two.

Public pages are the same for every visitor, so each web process keeps the bytes it rendered for a
short time (``PAGE_CACHE_SECONDS``). A change made by staff is visible everywhere within that time;
the process that made it forgets its copies at once. Previews and anything with per-visitor
content bypass the cache; the apply form's CSRF token is put in per request.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Response, current_app, g, request

F = TypeVar("F", bound=Callable[..., Any])
CSRF_PLACEHOLDER = "__careerframe_csrf_token__"
_MAX_ENTRIES = 512


class _Store:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.entries: OrderedDict[str, tuple[float, int, bytes, str]] = OrderedDict()

    def get(self, key: str, ttl: float) -> tuple[int, bytes, str] | None:
        with self.lock:
            entry = self.entries.get(key)
            if entry is None or time.monotonic() - entry[0] > ttl:
                return None
            return entry[1], entry[2], entry[3]

    def put(self, key: str, status: int, body: bytes, mimetype: str) -> None:
        with self.lock:
            self.entries[key] = (time.monotonic(), status, body, mimetype)
            self.entries.move_to_end(key)
            while len(self.entries) > _MAX_ENTRIES:
                self.entries.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


_store = _Store()


def forget_pages() -> None:
    """Drop this process's cached pages (after staff changed something)."""
    _store.clear()


def cached_page(view: F) -> F:
    """Serve a public GET page from the micro-cache when it may be shared."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ttl = float(current_app.config.get("PAGE_CACHE_SECONDS", 0))
        if ttl <= 0 or request.method != "GET" or g.get("site_preview"):
            return view(*args, **kwargs)
        key = (
            request.host + request.full_path
        )  # a forged Host header only ever poisons its own entry
        hit = _store.get(key, ttl)
        if hit is None:
            g.page_cache_render = True  # templates put a placeholder where the CSRF token goes
            result = view(*args, **kwargs)
            response = current_app.make_response(result)
            if response.direct_passthrough or response.status_code not in (200, 404, 410):
                return response
            hit = (response.status_code, response.get_data(), response.mimetype or "text/html")
            _store.put(key, *hit)
        status, body, mimetype = hit
        if CSRF_PLACEHOLDER.encode() in body:
            from flask_wtf.csrf import generate_csrf

            body = body.replace(CSRF_PLACEHOLDER.encode(), generate_csrf().encode())
        return Response(body, status=status, mimetype=mimetype)

    return wrapper  # type: ignore[return-value]


def csrf_token_for_page() -> str:
    """The CSRF token to write into a page: a placeholder while rendering for the cache."""
    if g.get("page_cache_render"):
        return CSRF_PLACEHOLDER
    from flask_wtf.csrf import generate_csrf

    return generate_csrf()


_listening = False


def forget_pages_when_content_changes() -> None:
    """Clear this process's pages whenever a flush writes a position or site content (set up once)."""
    global _listening
    if _listening:
        return
    _listening = True
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    from webapp.models import Position

    watched: tuple[type, ...] = (Position,)
    try:
        from webapp.models.content import SiteVersion

        watched += (SiteVersion,)
    except ImportError:  # site content is optional in a trimmed build
        pass

    @event.listens_for(Session, "after_flush")
    def _after_flush(session: Session, flush_context: object) -> None:
        if any(
            isinstance(obj, watched) for obj in (*session.new, *session.dirty, *session.deleted)
        ):
            forget_pages()
