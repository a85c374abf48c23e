"""Sign-in limits per account (the e-mail tried), on top of the per-address limit.

Only failures count, in a short moving window (``LOGIN_ACCOUNT_RATE_LIMIT``, default five per
five minutes), so someone guessing at an account from many addresses is slowed down, while a
person who has signed in from their address before is never held back by failures caused
elsewhere: their own successful sign-in from there goes through.
"""

from __future__ import annotations

import hashlib
import time

from flask import current_app
from limits import RateLimitItem, parse_many
from limits.strategies import MovingWindowRateLimiter

from webapp.ratelimit import EXTENSION_KEY
from webapp.services.staff_sessions import signed_in_before_from

SCOPE = "login-account"
DEFAULT_LIMIT = "5 per 5 minutes"
LOCKED_MESSAGE = (
    "There have been too many unsuccessful sign-ins to this account. "
    "Please wait a few minutes and try again."
)


def _enabled() -> bool:
    return bool(current_app.config.get("RATELIMIT_ENABLED", True))


def _items() -> list[RateLimitItem]:
    return parse_many(str(current_app.config.get("LOGIN_ACCOUNT_RATE_LIMIT", DEFAULT_LIMIT)))


def _key(email: str) -> str:
    # Hashed: the limit store (e.g. Redis) never holds the e-mails people typed.
    return hashlib.sha256(email.strip().lower().encode("utf-8", "replace")).hexdigest()


def _limiter() -> MovingWindowRateLimiter:
    limiter: MovingWindowRateLimiter = current_app.extensions[EXTENSION_KEY]
    return limiter


def seconds_until_unlocked(email: str, address: str) -> int:
    """0 when this sign-in may be tried; otherwise how long until the account takes tries again."""
    if not _enabled():
        return 0
    limiter, key = _limiter(), _key(email)
    full = [item for item in _items() if not limiter.test(item, SCOPE, key)]
    if not full or signed_in_before_from(email, address):
        return 0
    reset = max(limiter.get_window_stats(item, SCOPE, key).reset_time for item in full)
    return max(1, int(reset - time.time()) + 1)


def count_failure(email: str) -> None:
    """Count one unsuccessful sign-in against the account."""
    if _enabled():
        limiter, key = _limiter(), _key(email)
        for item in _items():
            limiter.hit(item, SCOPE, key)
