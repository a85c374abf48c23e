"""Flask's signed-cookie sessions, with the signing serializer built once per key set.

Flask builds a new serializer on every request, and building one serializes a probe object to
learn its output type; on the cheapest public pages that was a measurable share of the time.

Requests an app declares sessionless (``skip_session_for``: the candidate's status poll, which
reads nothing from the session) get an empty session instead of a decoded cookie: nothing is
verified or parsed, and since the empty session is never modified, the browser's cookie is left
exactly as it was. On the status document that saved about a tenth of its cost.
"""

from __future__ import annotations

from flask import Flask, Request
from flask.sansio.app import App
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer

SESSIONLESS_KEY = "careerframe.sessionless_paths"


def skip_session_for(app: App, prefix: str, suffix: str) -> None:
    """Serve GET requests whose path starts with ``prefix`` and ends with ``suffix`` without
    reading the session cookie (for views that never use the session)."""
    paths: list[tuple[str, str]] = app.extensions.setdefault(SESSIONLESS_KEY, [])
    if (prefix, suffix) not in paths:
        paths.append((prefix, suffix))


class CachedSerializerSessionInterface(SecureCookieSessionInterface):
    """Same cookies, same keys and rotation; the serializer is reused while the keys are unchanged."""

    def __init__(self) -> None:
        self._cached: tuple[tuple[object, ...], URLSafeTimedSerializer | None] | None = None

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = (app.secret_key, *app.config.get("SECRET_KEY_FALLBACKS", ()))
        cached = self._cached
        if cached is None or cached[0] != keys:
            cached = (keys, super().get_signing_serializer(app))
            self._cached = cached
        return cached[1]

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if request.method in ("GET", "HEAD"):
            path = request.path
            for prefix, suffix in app.extensions.get(SESSIONLESS_KEY, ()):
                if path.startswith(prefix) and path.endswith(suffix):
                    return self.session_class()
        return super().open_session(app, request)
