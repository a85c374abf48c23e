"""The candidate's two private room endpoints answered in front of Flask, when nothing is unusual.

The status document (polled every few hundred milliseconds by a waiting candidate) and the
interview page of a proven candidate cost the request machinery (context, hooks, session, headers)
several times what their answer costs. This WSGI lane does exactly what their views do for the
plain case, with the same helpers: the link through the app's ``TokenCache``, the status through
the compiled ``StatusQuery``, the page from ``webapp.views.room_cache`` with a link signed now and
this browser's CSRF token. Its status lines and headers are never written here: each kind of
answer is given by Flask first, and the lane answers alike only once Flask answered that kind the
same way (so the security headers, ``Cache-Control: no-store`` and the rest cannot drift).

Anything unusual goes to Flask unchanged: another method, a query string, a language prefix, an
untrusted host, a database marked down, a session holding anything but a candidate's own keys, a
browser that has not proven the address, and every exception (a database error is then Flask's
503). Nothing here logs, so no token reaches a log line. ``make bench`` "interview_page" and
"status_document" measure why it exists (before: 0.05× and 0.41× hello; targets 0.4× and 0.6×).
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType, SimpleNamespace
from typing import Any, cast

from flask import Flask
from flask.blueprints import BlueprintSetupState
from itsdangerous import BadSignature, URLSafeTimedSerializer
from markupsafe import escape
from werkzeug.exceptions import SecurityError
from werkzeug.http import parse_cookie
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.sansio.utils import get_host

from webapp.errors import OUTAGE_KEY
from webapp.i18n.prefix import URL_LOCALE_KEY
from webapp.models import Application
from webapp.page_cache import CSRF_PLACEHOLDER
from webapp.services.applications import INTERVIEW, candidate_status
from webapp.services.candidate_poll import CompiledRead, StatusQuery, polled_status
from webapp.services.interviews import SigningPlace, signed_link
from webapp.services.platform import platform
from webapp.services.site import current_content
from webapp.tokens import TokenCache, TokenExpired, TokenInvalid
from webapp.views import room_cache
from webapp.views.candidate_access import MY_APPLICATIONS
from webapp.views.candidate_page import (
    VERIFIED_KEY,
    embed_keys,
    poll_tokens,
    status_query,
    verification_required,
)

EXTENSION_KEY = "careerframe.room_lane"
WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
# A candidate link as ``make_token`` writes it (URL-safe base64 and dots); anything else is Flask's.
_PATH = re.compile(r"/applications/([A-Za-z0-9_\-.]+?)(/status\.json)?")
# What a candidate's session may hold for the lane to read it (anything else: Flask reads it).
_CANDIDATE_KEYS = frozenset({"csrf_token", VERIFIED_KEY, MY_APPLICATIONS})
_FRAME = room_cache.FRAME_PLACEHOLDER.encode()
_CSRF = CSRF_PLACEHOLDER.encode()
_MAX_REMEMBERED = 4096  # sessions and CSRF tokens remembered at once, per app


class Fallthrough(Exception):
    """This request is Flask's to answer."""


class Learn:
    """Flask answers this time: the lane has not yet seen its headers for answers of ``code``."""

    def __init__(self, code: int) -> None:
        self.code = code


Headers = tuple[tuple[str, str], ...]
# What the lane sends itself (status line, headers but Content-Length, body); a ``Learn``; or None
# for "Flask renders the page for the store".
Answer = tuple[str, Headers, bytes] | Learn | None


class SessionMemory:
    """Session cookies this lane verified a moment ago, by a digest of the cookie: the data they
    hold, until the earlier of a few seconds from now and the cookie's own expiry."""

    def __init__(self, seconds: float = 2.0) -> None:
        self.seconds = seconds
        self._serializer: object = None
        self._found: dict[bytes, tuple[float, Mapping[str, Any]]] = {}

    def read(
        self, serializer: URLSafeTimedSerializer, cookie: str, max_age: int
    ) -> Mapping[str, Any] | None:
        """The session data of ``cookie``, or None when it does not verify (or has expired)."""
        if serializer is not self._serializer:  # new keys: nothing remembered holds
            self._serializer, self._found = serializer, {}
        name = hashlib.blake2b(cookie.encode(), digest_size=16).digest()
        now = time.monotonic()
        found = self._found.get(name)
        if found is not None and found[0] > now:
            return found[1]
        try:
            data, signed_at = serializer.loads(cookie, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return None
        if not isinstance(data, dict):
            return None
        left = max_age - (time.time() - signed_at.timestamp())
        if len(self._found) >= _MAX_REMEMBERED:
            self._found = {}
        self._found[name] = (now + min(self.seconds, left), MappingProxyType(data))
        return self._found[name][1]


class RoomLane:
    """The status document and the stored interview pages of one app, before Flask."""

    def __init__(self, app: Flask, wsgi_app: WSGIApp) -> None:
        self.app, self.wsgi_app = app, wsgi_app
        self.pages = room_cache.PageStore()
        # Status line and headers of each kind of status answer, as Flask last sent them.
        self.status_headers: dict[int, tuple[str, Headers]] = {}
        self._page_read: CompiledRead | None = None
        self._csrf: tuple[object, URLSafeTimedSerializer] | None = None
        self._tokens: dict[str, tuple[int, str]] = {}  # CSRF secret -> (second, token)
        self.sessions = SessionMemory()
        # The app's link cache and compiled status read, looked up in an app context once.
        self._status_tools: tuple[TokenCache, StatusQuery] | None = None

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        found = self._match(environ)
        if found is None:
            return self.wsgi_app(environ, start_response)
        token, is_status = found
        try:
            if is_status and self._status_tools is not None:
                answer = self._status(token, environ)  # needs nothing of an app context
            else:
                with self.app.app_context():
                    answer = (self._status if is_status else self._page)(token, environ)
        except Exception:  # noqa: BLE001  anything unusual is answered by Flask, its errors too
            return self.wsgi_app(environ, start_response)
        if isinstance(answer, Learn):
            return self._learn_status(answer.code, environ, start_response)
        if answer is None:
            return self._render(environ, start_response)
        status, headers, body = answer
        start_response(status, [*headers, ("Content-Length", str(len(body)))])
        return [body]

    def _match(self, environ: dict[str, Any]) -> tuple[str, bool] | None:
        if environ.get("REQUEST_METHOD") != "GET" or environ.get("QUERY_STRING"):
            return None
        if URL_LOCALE_KEY in environ or self.app.extensions[OUTAGE_KEY].down:
            return None
        found = _PATH.fullmatch(environ.get("PATH_INFO") or "")
        if found is None:
            return None
        try:
            get_host(
                environ["wsgi.url_scheme"],
                environ.get("HTTP_HOST"),
                (environ.get("SERVER_NAME", ""), int(environ.get("SERVER_PORT", "80"))),
                self.app.config["TRUSTED_HOSTS"],
            )
        except (SecurityError, KeyError, ValueError):
            return None
        return found.group(1), found.group(2) is not None

    # The status document -------------------------------------------------------------------

    def _status(self, token: str, environ: dict[str, Any]) -> Answer:
        code, document = self._status_answer(token)
        learned = self.status_headers.get(code)
        if learned is None:
            return Learn(code)
        return (*learned, self._json(document))

    def _json(self, document: dict[str, object]) -> bytes:
        """The document as the app's JSON provider writes a response body (``json.response``)."""
        provider = cast(Any, self.app.json)
        pretty = (provider.compact is None and self.app.debug) or provider.compact is False
        options = {"indent": 2} if pretty else {"separators": (",", ":")}
        return f"{provider.dumps(document, **options)}\n".encode()

    def _status_answer(self, token: str) -> tuple[int, dict[str, object]]:
        config = self.app.config
        if self._status_tools is None:  # in an app context, the first time
            self._status_tools = (poll_tokens(), status_query())
        tokens, query = self._status_tools
        try:
            public_id = tokens.read(
                config["SECRET_KEY"],
                config["SECRET_KEY_FALLBACKS"],
                token,
                max_age=config["CANDIDATE_LINK_MAX_AGE"],
            )
        except TokenExpired:
            return 410, {"error": "link expired"}
        except TokenInvalid:
            return 404, {"error": "link not valid"}
        delay = config["REJECTION_EMAIL_DELAY"]
        status = polled_status(public_id, rejection_delay=delay, query=query)
        if status is None:
            return 404, {"error": "link not valid"}
        return 200, status.as_json()

    def _learn_status(
        self, code: int, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Any:
        """Let Flask answer, and keep its status line and headers when it answered ``code``."""

        def learn(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            if exc_info is None and status.startswith(f"{code} ") and _no_cookie(headers):
                kept = tuple((n, v) for n, v in headers if n.lower() != "content-length")
                self.status_headers[code] = (status, kept)
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, learn)

    # The interview page --------------------------------------------------------------------

    def _page(self, token: str, environ: dict[str, Any]) -> Answer:
        config = self.app.config
        public_id = poll_tokens().read(
            config["SECRET_KEY"],
            config["SECRET_KEY_FALLBACKS"],
            token,
            max_age=config["CANDIDATE_LINK_MAX_AGE"],
        )
        session = self._session(environ)
        if session is None or session.get("_permanent") or not _CANDIDATE_KEYS.issuperset(session):
            raise Fallthrough
        proven = not verification_required() or public_id in session.get(VERIFIED_KEY, [])
        facts = self._page_facts().values(public_id)
        if not proven or "csrf_token" not in session or facts is None or not facts["locale"]:
            raise Fallthrough
        row = cast(Application, SimpleNamespace(**facts))  # the names the application gives them
        status = candidate_status(row, rejection_delay=config["REJECTION_EMAIL_DELAY"])
        setting = room_cache.page_setting(config, environ, current_content().version)
        key = room_cache.fingerprint(facts, status, token=token, proven=proven, setting=setting)
        page = self.pages.get(key)
        if page is None:
            return None
        body = page.body
        if _FRAME in body:
            if status.stage != INTERVIEW:
                raise Fallthrough
            body = body.replace(_FRAME, str(escape(self._frame_src(facts))).encode())
        if _CSRF in body:
            body = body.replace(_CSRF, self._csrf_token(session["csrf_token"]).encode())
        return page.status, page.headers, body

    def _page_facts(self) -> CompiledRead:
        from webapp.extensions import db
        from webapp.models import Position

        read = self._page_read
        if read is None or read.engine is not db.engine:
            read = self._page_read = CompiledRead(db.engine, room_cache.PAGE_COLUMNS, Position)
        return read

    def _frame_src(self, facts: dict[str, Any]) -> str:
        objects = platform()
        place = SigningPlace(objects.vault, objects.embed_url, embed_keys())
        return signed_link(
            facts["position_embed_id"],
            facts["position_key"],
            facts["full_name"],
            facts["email"],
            place,
        )

    def _session(self, environ: dict[str, Any]) -> Mapping[str, Any] | None:
        """This browser's session as Flask's session interface reads it (read only), remembered a
        few seconds per cookie: a candidate's browser sends the same cookie with every request."""
        app = self.app
        interface = app.session_interface
        cookie = parse_cookie(environ.get("HTTP_COOKIE", "")).get(interface.get_cookie_name(app))
        if not cookie:
            return None
        serializer = interface.get_signing_serializer(app)  # type: ignore[attr-defined]
        if serializer is None:
            return None
        max_age = int(app.permanent_session_lifetime.total_seconds())
        return self.sessions.read(serializer, cookie, max_age)

    def _csrf_token(self, secret: str) -> str:
        """This browser's CSRF token, signed as Flask-WTF signs it (``generate_csrf``).

        Its signature carries the second it was made, so within one second it is the same token:
        it is made once per second and secret."""
        key = cast(str | bytes, self.app.config.get("WTF_CSRF_SECRET_KEY") or self.app.secret_key)
        cached = self._csrf
        if cached is None or cached[0] != key:
            cached = self._csrf = (key, URLSafeTimedSerializer(key, salt="wtf-csrf-token"))
            self._tokens = {}
        second = int(time.time())
        made = self._tokens.get(secret)
        if made is None or made[0] != second:
            if len(self._tokens) >= _MAX_REMEMBERED:
                self._tokens = {}
            made = self._tokens[secret] = (second, str(cached[1].dumps(secret)))
        return made[1]

    def _render(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        """Flask renders the page with placeholders; keep it, and give this browser its values."""
        environ[room_cache.RENDER_KEY] = True
        sent: list[Any] = []

        def hold(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            sent[:] = [status, headers, exc_info]
            return lambda data: None  # nothing is written before the body is complete

        answer = self.wsgi_app(environ, hold)
        try:
            body = b"".join(answer)
        finally:
            close = getattr(answer, "close", None)
            if close is not None:
                close()
        status, headers, exc_info = sent
        key = environ.get(room_cache.STORED_KEY)
        if (
            key is not None
            and exc_info is None
            and status.startswith("200 ")
            and _no_cookie(headers)
        ):
            self.pages.keep(key, status, headers, body)
        for placeholder, value in (environ.get(room_cache.VALUES_KEY) or {}).items():
            body = body.replace(placeholder.encode(), str(escape(value)).encode())
        headers = [(n, v) for n, v in headers if n.lower() != "content-length"]
        start_response(status, [*headers, ("Content-Length", str(len(body)))], exc_info)
        return [body]


def _no_cookie(headers: list[tuple[str, str]]) -> bool:
    return not any(name.lower() == "set-cookie" for name, _ in headers)


def install(state: BlueprintSetupState) -> None:
    """Put the lane in front of the app's Flask, inside any proxy fix (whose environ it reads)."""
    app: Flask = state.app  # type: ignore[assignment]
    if EXTENSION_KEY in app.extensions:
        return
    outer = app.wsgi_app
    if isinstance(outer, ProxyFix):
        lane = RoomLane(app, outer.app)
        outer.app = lane  # type: ignore[assignment]
    else:
        lane = RoomLane(app, outer)
        app.wsgi_app = lane  # type: ignore[method-assign]
    app.extensions[EXTENSION_KEY] = lane
