"""Host-side signed tokens: candidate links, e-mailed links, previews; a salt per purpose, rotating keys.

``TokenCache`` remembers, for a few seconds, which candidate links verified: the candidate's page
polls its status every few hundred milliseconds with the same link, and checking the signature
again each time (an HMAC, base64 and a JSON parse) was a tenth of that poll's cost.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer


@dataclass(frozen=True)
class Purpose:
    """What a token is for: its salt keeps tokens of one purpose useless for another."""

    salt: str
    max_age: int


CANDIDATE_LINK = Purpose(salt="careerframe.candidate-link", max_age=60 * 24 * 3600)
PREVIEW_LINK = Purpose(salt="careerframe.preview-link", max_age=7 * 24 * 3600)
# The link in a candidate's e-mail: opening it proves the address and leads to their page.
EMAIL_LINK = Purpose(salt="careerframe.email-link", max_age=14 * 24 * 3600)
# The form that lets "already applied" from another browser type the code sent to that address.
CONTINUE_TICKET = Purpose(salt="careerframe.continue-ticket", max_age=3600)


class TokenInvalid(ValueError):
    """The token was not made by us for this purpose, or was altered."""


class TokenExpired(TokenInvalid):
    """The token was genuine but is older than its purpose allows."""


def _serializer(
    secret_key: str, fallbacks: Sequence[str], purpose: Purpose
) -> URLSafeTimedSerializer:
    # itsdangerous signs with the last key and accepts all of them: old keys keep old links valid.
    keys = [*fallbacks, secret_key]
    return URLSafeTimedSerializer(keys, salt=purpose.salt)


def make_token(secret_key: str, fallbacks: Sequence[str], purpose: Purpose, value: str) -> str:
    """Sign ``value`` for ``purpose``."""
    return _serializer(secret_key, fallbacks, purpose).dumps(value)


def read_token(
    secret_key: str,
    fallbacks: Sequence[str],
    purpose: Purpose,
    token: str,
    max_age: int | None = None,
) -> str:
    """Return the value a token carries; raise TokenExpired or TokenInvalid."""
    serializer = _serializer(secret_key, fallbacks, purpose)
    try:
        value = serializer.loads(token, max_age=purpose.max_age if max_age is None else max_age)
    except SignatureExpired as exc:
        raise TokenExpired("link expired") from exc
    except BadSignature as exc:
        raise TokenInvalid("link not valid") from exc
    if not isinstance(value, str):
        raise TokenInvalid("link not valid")
    return value


def read_signed_value(
    secret_key: str, fallbacks: Sequence[str], purpose: Purpose, token: str
) -> str:
    """The value of a genuine token whatever its age (to offer an expired link's owner a new one)."""
    serializer = _serializer(secret_key, fallbacks, purpose)
    try:
        value = serializer.loads(token)  # no max_age: the signature is checked, the age is not
    except BadSignature as exc:
        raise TokenInvalid("link not valid") from exc
    if not isinstance(value, str):
        raise TokenInvalid("link not valid")
    return value


TOKEN_CACHE_SECONDS = 5.0
TOKEN_CACHE_SIZE = 1024


class TokenCache:
    """Recently verified tokens of one purpose and key set, for a few seconds; one per app.

    Only tokens that verified are kept, each until the earlier of a few seconds from now and its
    own expiry, so an expired link is refused on time; a token that failed is checked every time.
    A change of keys empties the cache. Entries are named by a digest, not by the token.
    """

    def __init__(
        self, purpose: Purpose, seconds: float = TOKEN_CACHE_SECONDS, size: int = TOKEN_CACHE_SIZE
    ) -> None:
        self.purpose, self.seconds, self.size = purpose, seconds, size
        self._keys: tuple[str, ...] = ()
        self._serializer: URLSafeTimedSerializer | None = None
        self._found: OrderedDict[bytes, tuple[float, str]] = OrderedDict()
        self._lock = threading.Lock()

    def __repr__(self) -> str:  # never the tokens themselves
        return f"TokenCache({self.purpose.salt}, {len(self._found)} tokens)"

    def read(
        self, secret_key: str, fallbacks: Sequence[str], token: str, max_age: int | None = None
    ) -> str:
        """What ``read_token`` answers for this token, from memory when it verified a moment ago."""
        age = self.purpose.max_age if max_age is None else max_age
        keys = (*fallbacks, secret_key)
        name = hashlib.blake2b(token.encode(), digest_size=16).digest()
        now, wall = time.monotonic(), time.time()
        with self._lock:
            if keys != self._keys or self._serializer is None:
                self._keys, self._found = keys, OrderedDict()
                self._serializer = _serializer(secret_key, fallbacks, self.purpose)
            serializer = self._serializer
            found = self._found.get(name)
        if found is not None and found[0] > now:
            return found[1]
        try:
            value, signed_at = serializer.loads(token, max_age=age, return_timestamp=True)
        except SignatureExpired as exc:
            raise TokenExpired("link expired") from exc
        except BadSignature as exc:
            raise TokenInvalid("link not valid") from exc
        if not isinstance(value, str):
            raise TokenInvalid("link not valid")
        # Kept no longer than the link itself is valid (its age counted in wall-clock seconds).
        remaining = signed_at.timestamp() + age - wall
        with self._lock:
            if keys == self._keys:
                self._found[name] = (now + min(self.seconds, remaining), value)
                self._found.move_to_end(name)
                while len(self._found) > self.size:
                    self._found.popitem(last=False)
        return value
