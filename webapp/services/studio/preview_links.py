"""Preview links: shareable, expiring tokens that show the draft to whoever opens them."""

from __future__ import annotations

from collections.abc import Sequence

from webapp.tokens import PREVIEW_LINK, TokenInvalid, make_token, read_token

PREVIEW_VALUE = "site-draft"


def make_preview_token(secret_key: str, fallbacks: Sequence[str]) -> str:
    """A shareable, expiring link token that shows the draft to whoever opens it."""
    return make_token(secret_key, fallbacks, PREVIEW_LINK, PREVIEW_VALUE)


def check_preview_token(
    secret_key: str, fallbacks: Sequence[str], token: str, max_age: int | None = None
) -> None:
    """Raise TokenExpired or TokenInvalid unless ``token`` is a live preview token."""
    if read_token(secret_key, fallbacks, PREVIEW_LINK, token, max_age) != PREVIEW_VALUE:
        raise TokenInvalid("not a preview link")
