"""Per-address rate limits on the few endpoints that need them (applying, signing in).

Built on the ``limits`` library (the engine behind Flask-Limiter) and applied only where a view asks
for it: Flask-Limiter's global request hooks cost more than a whole cached careers page.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, current_app, request
from limits import parse_many
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from werkzeug.exceptions import TooManyRequests

F = TypeVar("F", bound=Callable[..., Any])
EXTENSION_KEY = "careerframe.ratelimit"


def init_app(app: Flask) -> None:
    """Create this app's limiter over the configured storage (memory://, redis://, …)."""
    storage = storage_from_string(app.config.get("RATELIMIT_STORAGE_URI", "memory://"))
    app.extensions[EXTENSION_KEY] = MovingWindowRateLimiter(storage)


def client_address() -> str:
    """The address limits are counted by (put ProxyFix in front when behind a proxy)."""
    return request.remote_addr or "unknown"


def rate_limited(
    scope: str, config_key: str, methods: tuple[str, ...] = ("POST",)
) -> Callable[[F], F]:
    """Refuse ``methods`` with 429 once an address exceeds the limits in ``config[config_key]``."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if request.method in methods and current_app.config.get("RATELIMIT_ENABLED", True):
                limiter: MovingWindowRateLimiter = current_app.extensions[EXTENSION_KEY]
                for item in parse_many(str(current_app.config[config_key])):
                    if not limiter.hit(item, scope, client_address()):
                        raise TooManyRequests()
            return view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate
