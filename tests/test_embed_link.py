"""The authenticated embed link, pinned by fixed vectors (computed independently with openssl)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from webapp.jobmojito.embed_link import (
    InvalidEmbedLink,
    build_embed_url,
    normalise,
    read_embed_query,
    signature,
    verify,
)

BASE = "https://try.interviewmojito.com/embed"
# (key, embed id, name as typed, e-mail as typed) -> (signature, URL). The signatures were checked with
# `printf '%s' "<embed_id><name><email>" | openssl dgst -sha256 -hmac "<key>"`.
VECTORS = [
    (
        ("sk_test_4f1c", "emb_123", "John Doe", "john@example.com"),
        "2de6f09f6067505e0a94aeb0c6eec27cde4698b91909c72005b09b58973e1c52",
        BASE + "?embed_id=emb_123&name=Sm9obiBEb2U%3D&email=am9obkBleGFtcGxlLmNvbQ%3D%3D"
        "&signature=2de6f09f6067505e0a94aeb0c6eec27cde4698b91909c72005b09b58973e1c52",
    ),
    (
        ("sk_test_4f1c", "emb_123", "  Zoë Štěpánková ", " Zoe.Stepankova@Example.CZ "),
        "52b86236a6fab5b4b3caec4ef782ffa4beba69e9a8a55706b947f4c43af8a654",
        BASE
        + "?embed_id=emb_123&name=Wm%2FDqyDFoHTEm3DDoW5rb3bDoQ%3D%3D&email=em9lLnN0ZXBhbmtvdmFAZXhhbXBsZS5jeg%3D%3D"
        "&signature=52b86236a6fab5b4b3caec4ef782ffa4beba69e9a8a55706b947f4c43af8a654",
    ),
    (
        ("key-ü", "emb_9", "李雷", "LI.LEI@example.cn"),
        "04889dd2cb6139873c8b1efc7ba5278d15947935f913dbaf6a71936fa80385b5",
        BASE + "?embed_id=emb_9&name=5p2O6Zu3&email=bGkubGVpQGV4YW1wbGUuY24%3D"
        "&signature=04889dd2cb6139873c8b1efc7ba5278d15947935f913dbaf6a71936fa80385b5",
    ),
]


@pytest.mark.parametrize(("inputs", "expected_signature", "expected_url"), VECTORS)
def test_fixed_vectors_hold(
    inputs: tuple[str, str, str, str], expected_signature: str, expected_url: str
) -> None:
    key, embed_id, name, email = inputs
    assert signature(key, normalise(embed_id, name, email)) == expected_signature
    assert build_embed_url(BASE, embed_id, key, name, email) == expected_url


def test_name_is_trimmed_and_email_trimmed_and_lower_cased() -> None:
    identity = normalise(" emb ", "  Zoë  ", " Ana@Example.COM ")
    assert (identity.embed_id, identity.name, identity.email) == ("emb", "Zoë", "ana@example.com")


def test_a_built_link_reads_back_and_verifies() -> None:
    url = build_embed_url(BASE, "emb_1", "secret", "Ana Horvat", "ana@example.com")
    identity, claimed = read_embed_query(url)
    assert verify("secret", identity, claimed)
    assert not verify("other-secret", identity, claimed)


@pytest.mark.parametrize("part", ["embed_id", "name", "email", "signature"])
def test_altering_any_part_breaks_the_signature(part: str) -> None:
    url = build_embed_url(BASE, "emb_1", "secret", "Ana Horvat", "ana@example.com")
    query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    query[part] = {
        "embed_id": "emb_2",
        "name": "QW5h",
        "email": "ZXZlQGV4YW1wbGUuY29t",
        "signature": "0" * 64,
    }[part]
    identity, claimed = read_embed_query(query)
    assert not verify("secret", identity, claimed)


@pytest.mark.parametrize(
    "query",
    [{}, {"embed_id": "e", "name": "!!", "email": "x", "signature": "s"}, {"embed_id": "e"}],
)
def test_a_broken_link_is_refused(query: dict[str, str]) -> None:
    with pytest.raises(InvalidEmbedLink):
        read_embed_query(query)
