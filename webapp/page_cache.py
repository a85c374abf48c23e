"""Each app's micro-cache for public pages (Flask-Caching): rendered once, served for a second or two.

Public pages are the same for every visitor, so each web process keeps the bytes it rendered for a
short time (``PAGE_CACHE_SECONDS``). A change made by staff is visible everywhere within that time;
the app that made it forgets its own copies as soon as the change is committed. Previews and
anything with per-visitor content bypass the cache; the apply form's CSRF token is put in per
request. The store is Flask-Caching's ``SimpleCache``, one per app in ``app.extensions``. A page
served from here is marked shareable, so the front cache (``webapp.front_cache``) can answer the
next anonymous visitor with the whole response without passing through Flask again.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, Response, current_app, g, has_app_context, request
from flask_caching import Cache
from sqlalchemy import event
from sqlalchemy.orm import Session

from webapp import front_cache
from webapp.front_cache import CSRF_PLACEHOLDER, SHAREABLE_KEY
from webapp.i18n import page_locale

F = TypeVar("F", bound=Callable[..., Any])
EXTENSION_KEY = "careerframe.page_cache"
_STALE_MARK = "careerframe.pages_stale"
_MAX_ENTRIES = 512


def init_app(app: Flask) -> None:
    """Give ``app`` its own page store and forget its pages when its content changes."""
    from webapp.extensions import db

    cache = Cache()
    cache.init_app(
        app,
        config={
            "CACHE_TYPE": "SimpleCache",
            "CACHE_THRESHOLD": _MAX_ENTRIES,
            "CACHE_KEY_PREFIX": "",
            "CACHE_NO_NULL_WARNING": True,
        },
    )
    app.extensions[EXTENSION_KEY] = cache
    # The listeners live on this project's scoped session and act on the app in context only;
    # SQLAlchemy's registry keeps them once however many apps are built.
    for name, listener in (
        ("after_flush", _mark_when_content_changed),
        ("after_commit", _forget_if_marked),
        ("after_rollback", _drop_mark),
    ):
        if not event.contains(db.session, name, listener):
            event.listen(db.session, name, listener)


def forget_pages() -> None:
    """Drop the current app's cached pages (after staff changed something)."""
    cache: Cache | None = current_app.extensions.get(EXTENSION_KEY)
    if cache is not None:
        cache.clear()
    front_cache.forget(current_app)


def cached_page(view: F) -> F:
    """Serve a public GET page from the micro-cache when it may be shared."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ttl = float(current_app.config.get("PAGE_CACHE_SECONDS", 0))
        cache: Cache | None = current_app.extensions.get(EXTENSION_KEY)
        if ttl <= 0 or cache is None or request.method != "GET" or g.get("site_preview"):
            return view(*args, **kwargs)
        key = request.host + request.full_path  # a forged Host header only poisons its own entry
        # Per-request variants that change the page's links (the funnel's source, when it came
        # from the Referer rather than the query) get entries of their own.
        key += "\x1e" + g.get("page_cache_vary", "")
        # One entry per language: the same path renders in the language chosen for this visitor.
        key += "\x1e" + page_locale().ident
        entry = cache.get(key)
        if entry is None or time.monotonic() - entry[0] > ttl:
            g.page_cache_render = True  # templates put a placeholder where the CSRF token goes
            response = current_app.make_response(view(*args, **kwargs))
            if response.direct_passthrough or response.status_code not in (200, 404, 410):
                return response
            entry = (
                time.monotonic(),
                response.status_code,
                response.get_data(),
                response.mimetype or "text/html",
            )
            # The store counts whole seconds; the render time above keeps the TTL exact.
            cache.set(key, entry, timeout=math.ceil(ttl) + 1)
        rendered_at, status, body, mimetype = entry
        # The same for every anonymous visitor: the front cache may answer with it (and put in
        # a CSRF token of its own where the placeholder is).
        template = body if CSRF_PLACEHOLDER.encode() in body else None
        request.environ[SHAREABLE_KEY] = (rendered_at, ttl, template)
        if template is not None:
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


def _watched() -> tuple[type, ...]:
    from webapp.models import Position
    from webapp.models.content import SiteVersion

    return (Position, SiteVersion)


def _mark_when_content_changed(session: Session, flush_context: object) -> None:
    watched = _watched()
    if any(isinstance(obj, watched) for obj in (*session.new, *session.dirty, *session.deleted)):
        session.info[_STALE_MARK] = True


def _forget_if_marked(session: Session) -> None:
    # Forgotten after the commit, not the flush: a page rendered in between would read old rows.
    if session.info.pop(_STALE_MARK, False) and has_app_context():
        forget_pages()


def _drop_mark(session: Session) -> None:
    session.info.pop(_STALE_MARK, None)
