"""Host-side signed links: one salt per purpose, an expiry, and key rotation."""

from __future__ import annotations

import pytest

from webapp.tokens import (
    CANDIDATE_LINK,
    PREVIEW_LINK,
    TokenExpired,
    TokenInvalid,
    make_token,
    read_token,
)

KEY, OLD_KEY = "current-secret-key-0123456789", "previous-secret-key-0123456789"


def test_a_token_carries_its_value() -> None:
    token = make_token(KEY, [], CANDIDATE_LINK, "abc123")
    assert read_token(KEY, [], CANDIDATE_LINK, token) == "abc123"


def test_a_token_for_one_purpose_is_useless_for_another() -> None:
    token = make_token(KEY, [], CANDIDATE_LINK, "abc123")
    with pytest.raises(TokenInvalid):
        read_token(KEY, [], PREVIEW_LINK, token)


def test_an_old_token_expires() -> None:
    token = make_token(KEY, [], CANDIDATE_LINK, "abc123")
    with pytest.raises(TokenExpired):
        read_token(KEY, [], CANDIDATE_LINK, token, max_age=-1)


def test_a_rotated_key_keeps_old_links_working_and_signs_new_ones_with_the_new_key() -> None:
    old = make_token(OLD_KEY, [], CANDIDATE_LINK, "abc123")
    assert read_token(KEY, [OLD_KEY], CANDIDATE_LINK, old) == "abc123"
    new = make_token(KEY, [OLD_KEY], CANDIDATE_LINK, "abc123")
    assert read_token(KEY, [], CANDIDATE_LINK, new) == "abc123"
    with pytest.raises(TokenInvalid):
        read_token(KEY, [], CANDIDATE_LINK, old)  # once the old key is dropped, its links end


@pytest.mark.parametrize(
    "token", ["", "abc", "a.b.c", make_token(KEY, [], CANDIDATE_LINK, "x")[:-2] + "zz"]
)
def test_a_forged_or_damaged_token_is_refused(token: str) -> None:
    with pytest.raises(TokenInvalid):
        read_token(KEY, [], CANDIDATE_LINK, token)
