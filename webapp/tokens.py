"""Host-side signed tokens: candidate links, e-mailed links, previews; a salt per purpose, rotating keys."""

from __future__ import annotations

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
