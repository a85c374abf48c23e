"""The front cache: a public page served again, whole, before the request reaches Flask.

The page cache (``webapp.page_cache``) keeps a page's HTML for a second or two, but every request
still passes through Flask: a request context, the session, the language choice, every hook and
the response headers, which cost as much again as the page itself. For the plainest and most
common request — an anonymous GET, without a cookie other than the language choice — none of that
can change the answer, so this WSGI middleware keeps the finished response (status, headers and
body, exactly as Flask sent it) and answers an identical request with it.

What an entry is keyed by: the host, the scheme and forwarding headers, the path with its language
prefix and the query string, the language cookie and ``Accept-Language``. Everything else either
sends the request to Flask (another cookie: a session, a preview, a signed-in member of staff; an
``Authorization`` header; a ``Referer`` from another site, which the funnel counts as a source) or
cannot change the page. A response is kept only when the page cache marked it shareable and it sets
no cookie; it lives no longer than the page cache's copy. The apply form holds one per-visitor
value, its CSRF token: for a visitor without a session, the front cache makes a new token and the
session cookie that holds it the way Flask-WTF and Flask make them (the app's own serializers and
cookie settings; ``tests/test_front_cache.py`` posts such a form and compares the cookies). A counted page (job page, apply form) is counted again at every answer, by
the funnel's own rules. The app forgets every entry whenever it forgets its cached pages.

``make bench`` measures why this exists: through Flask the home page and the job page reached
0.45–0.53× the requests per second of a bare "hello" app; the target is 0.5×.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask
from itsdangerous import URLSafeTimedSerializer
from werkzeug.datastructures import EnvironHeaders
from werkzeug.http import dump_cookie, parse_cookie

from webapp.i18n import COOKIE_NAME
from webapp.services.funnel import COUNTED_VIEW_KEY, CountedView, count_visit
from webapp.services.funnel.sources import referring_host

EXTENSION_KEY = "careerframe.front_cache"
# Set by the page cache on a response that any anonymous visitor may be given:
# (rendered at, TTL, the body with its CSRF placeholder or None when it has none).
SHAREABLE_KEY = "careerframe.front_cache.shareable"
# Where a page rendered for sharing has its CSRF token (the page cache writes it; both replace it).
CSRF_PLACEHOLDER = "__careerframe_csrf_token__"
_PLACEHOLDER = CSRF_PLACEHOLDER.encode()
MAX_ENTRIES = 512
_LANGUAGE_COOKIE = COOKIE_NAME + "="
_KEYED_HEADERS = (
    "HTTP_HOST",
    "wsgi.url_scheme",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_X_FORWARDED_PREFIX",
    "SCRIPT_NAME",
    "PATH_INFO",
    "QUERY_STRING",
    "HTTP_ACCEPT_LANGUAGE",
)

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
# expires, status, headers, body, the funnel's view, whether the body awaits a CSRF token
Entry = tuple[float, str, list[tuple[str, str]], bytes, CountedView | None, bool]


class FrontCache:
    """Whole public responses for anonymous GETs, in front of one app."""

    def __init__(self, app: Flask, wsgi_app: WSGIApp) -> None:
        self.app = app
        self.wsgi_app = wsgi_app
        self.entries: dict[tuple[str, ...], Entry] = {}

    def clear(self) -> None:
        """Forget every response (the app's content changed)."""
        self.entries = {}

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        key = self.key(environ) if self.app.config.get("PAGE_CACHE_SECONDS", 0) > 0 else None
        if key is None:
            return self.wsgi_app(environ, start_response)
        entry = self.entries.get(key)
        if entry is not None and entry[0] > time.monotonic():
            _, status, headers, body, view, needs_csrf = entry
            if view is not None and self.app.config.get("FUNNEL_COUNTING", True):
                count_visit(self.app, view, EnvironHeaders(environ))
            headers = list(headers)
            if needs_csrf:
                token, cookie = self.new_csrf_session()
                body = body.replace(_PLACEHOLDER, token.encode())
                headers += [("Content-Length", str(len(body))), ("Set-Cookie", cookie)]
            start_response(status, headers)
            return [body]
        return self._answer_and_keep(key, environ, start_response)

    def key(self, environ: dict[str, Any]) -> tuple[str, ...] | None:
        """What identifies the answer to this request, or None when Flask must answer it."""
        if environ.get("REQUEST_METHOD") != "GET" or "HTTP_AUTHORIZATION" in environ:
            return None
        language = ""
        cookie = environ.get("HTTP_COOKIE")
        if cookie:
            if not cookie.lstrip().startswith(_LANGUAGE_COOKIE):
                return None  # another cookie first: a session, a preview (decided without parsing)
            cookies = parse_cookie(cookie)
            if any(name != COOKIE_NAME for name in cookies):
                return None
            language = cookies.get(COOKIE_NAME, "")
        referer = environ.get("HTTP_REFERER")
        if referer:
            own = (environ.get("HTTP_HOST", ""), *self.app.config.get("FUNNEL_OWN_HOSTS", ()))
            if referring_host(referer, own):
                return None  # a source the funnel reads: its links carry it on
        return (*(str(environ.get(name, "")) for name in _KEYED_HEADERS), language)

    def _answer_and_keep(
        self, key: tuple[str, ...], environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Any:
        sent: list[Any] = []

        def remember(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            sent[:] = [status, headers, exc_info]
            return start_response(status, headers, exc_info)

        answer = self.wsgi_app(environ, remember)
        shareable = environ.get(SHAREABLE_KEY)
        if shareable is None or not sent or sent[2] is not None:
            return answer
        status, headers = sent[0], sent[1]
        rendered_at, ttl, template = shareable
        cookies = [value for name, value in headers if name.lower() == "set-cookie"]
        if template is None and cookies:
            return answer
        if template is not None:
            # Only the new session holding the token may be set (the request brought none: the key
            # admits no cookie but the language).
            session_cookie = self.app.session_interface.get_cookie_name(self.app) + "="
            if any(not cookie.startswith(session_cookie) for cookie in cookies):
                return answer
        try:
            body = b"".join(answer)
        finally:
            close = getattr(answer, "close", None)
            if close is not None:
                close()
        kept = [
            (name, value)
            for name, value in headers
            if template is None or name.lower() not in ("set-cookie", "content-length")
        ]
        view = environ.get(COUNTED_VIEW_KEY)
        stored = template if template is not None else body
        self._keep(key, (rendered_at + ttl, status, kept, stored, view, template is not None))
        return [body]

    def new_csrf_session(self) -> tuple[str, str]:
        """A new visitor's CSRF token for the form, and the session cookie that holds its secret.

        The same values ``flask_wtf.csrf.generate_csrf`` and Flask's session interface make for a
        visitor without a session: a random secret kept in the signed session cookie, and that
        secret signed (with a timestamp) for the form.
        """
        app = self.app
        field = app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
        secret = hashlib.sha1(os.urandom(64)).hexdigest()
        signing_key: str | bytes = app.config.get("WTF_CSRF_SECRET_KEY") or app.secret_key or ""
        token = URLSafeTimedSerializer(signing_key, salt="wtf-csrf-token").dumps(secret)
        interface = app.session_interface
        session = interface.session_class({field: secret})  # type: ignore[attr-defined]
        serializer = interface.get_signing_serializer(app)  # type: ignore[attr-defined]
        cookie = dump_cookie(
            interface.get_cookie_name(app),
            serializer.dumps(dict(session)),
            expires=interface.get_expiration_time(app, session),
            httponly=interface.get_cookie_httponly(app),
            domain=interface.get_cookie_domain(app),
            path=interface.get_cookie_path(app),
            secure=interface.get_cookie_secure(app),
            samesite=interface.get_cookie_samesite(app),
            partitioned=interface.get_cookie_partitioned(app),
        )
        return str(token), cookie

    def _keep(self, key: tuple[str, ...], entry: Entry) -> None:
        entries = self.entries
        if len(entries) >= MAX_ENTRIES:
            try:
                del entries[next(iter(entries))]  # the oldest: dicts keep their order
            except (KeyError, RuntimeError, StopIteration):
                pass  # another thread changed the store meanwhile: nothing is lost
        entries[key] = entry


def install(app: Flask) -> None:
    """Put the front cache in front of ``app`` (outermost); it keeps only what the page cache marks."""
    front = FrontCache(app, app.wsgi_app)
    app.extensions[EXTENSION_KEY] = front
    app.wsgi_app = front  # type: ignore[method-assign]


def forget(app: Flask) -> None:
    """Drop ``app``'s front copies, if it has any."""
    front: FrontCache | None = app.extensions.get(EXTENSION_KEY)
    if front is not None:
        front.clear()
