"""Per-address rate limits on the few endpoints that need them (applying, signing in).

Built on the ``limits`` library (the engine behind Flask-Limiter) and applied only where a view asks
for it: Flask-Limiter's global request hooks cost more than a whole cached careers page.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, current_app, make_response, request
from flask_babel import gettext, ngettext
from limits import parse_many
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from werkzeug.exceptions import TooManyRequests

F = TypeVar("F", bound=Callable[..., Any])
EXTENSION_KEY = "careerframe.ratelimit"
# Builds the refusal a view prefers to a bare 429 page: given the seconds to wait and the
# view's own arguments, it returns a response (its status is set to 429 and Retry-After added).
Refusal = Callable[..., Any]


def init_app(app: Flask) -> None:
    """Create this app's limiter over the configured storage (memory://, redis://, …)."""
    storage = storage_from_string(app.config.get("RATELIMIT_STORAGE_URI", "memory://"))
    app.extensions[EXTENSION_KEY] = MovingWindowRateLimiter(storage)


def client_address() -> str:
    """The address limits are counted by (put ProxyFix in front when behind a proxy)."""
    return request.remote_addr or "unknown"


def seconds_until_allowed(scope: str, config_key: str) -> int | None:
    """Count this request against ``config[config_key]``; the seconds to wait if it is over."""
    limiter: MovingWindowRateLimiter = current_app.extensions[EXTENSION_KEY]
    for item in parse_many(str(current_app.config[config_key])):
        if not limiter.hit(item, scope, client_address()):
            reset = limiter.get_window_stats(item, scope, client_address()).reset_time
            return max(1, math.ceil(reset - time.time()))
    return None


def wait_in_words(seconds: int) -> str:
    """How long to wait, as a person would say it ("about 2 minutes"), in the page's language."""
    if seconds < 60:
        if seconds <= 10:
            return gettext("a few seconds")
        return ngettext("about %(num)d second", "about %(num)d seconds", seconds)
    minutes = math.ceil(seconds / 60)
    if minutes < 60:
        if minutes == 1:
            return gettext("about a minute")
        return ngettext("about %(num)d minute", "about %(num)d minutes", minutes)
    hours = math.ceil(minutes / 60)
    if hours == 1:
        return gettext("about an hour")
    return ngettext("about %(num)d hour", "about %(num)d hours", hours)


def rate_limited(
    scope: str,
    config_key: str,
    methods: tuple[str, ...] = ("POST",),
    refusal: Refusal | None = None,
) -> Callable[[F], F]:
    """Refuse ``methods`` with 429 and Retry-After once an address exceeds its limits.

    With ``refusal``, the view answers the refused request itself (say, its form with what the
    person typed) instead of the bare 429 page; the view's own work is never started.
    """

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if request.method in methods and current_app.config.get("RATELIMIT_ENABLED", True):
                wait = seconds_until_allowed(scope, config_key)
                if wait is not None:
                    if refusal is None:
                        raise TooManyRequests(retry_after=wait)
                    response = make_response(refusal(wait, *args, **kwargs))
                    response.status_code = 429
                    response.headers["Retry-After"] = str(wait)
                    return response
            return view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate
