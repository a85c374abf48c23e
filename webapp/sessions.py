"""Flask's signed-cookie sessions, with the signing serializer built once per key set.

Flask builds a new serializer on every request, and building one serializes a probe object to
learn its output type; on the cheapest public pages that was a measurable share of the time.
"""

from __future__ import annotations

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer


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
