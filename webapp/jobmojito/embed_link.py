"""The authenticated embed link: the only code that knows JobMojito's signing scheme.

JobMojito's own description of the scheme is not public in full; this follows the one public
integration we could read (``docs/platform.md``, "The signed embed link"). It is a guess isolated
here and pinned by fixed vectors in ``tests/test_embed_link.py``: if JobMojito publishes a sample
that differs, only this module and those vectors change.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urlsplit


@dataclass(frozen=True)
class EmbedIdentity:
    """The candidate identity carried by a signed embed link, after normalisation."""

    embed_id: str
    name: str
    email: str


def normalise(embed_id: str, name: str, email: str) -> EmbedIdentity:
    """Trim the name, trim and lower-case the e-mail, as the scheme signs them."""
    return EmbedIdentity(embed_id=embed_id.strip(), name=name.strip(), email=email.strip().lower())


def signature(signing_key: str, identity: EmbedIdentity) -> str:
    """Lower-case hex HMAC-SHA256 over ``embed_id + name + email`` with the embed signing key."""
    message = (identity.embed_id + identity.name + identity.email).encode("utf-8")
    return hmac.new(signing_key.encode("utf-8"), message, hashlib.sha256).hexdigest()


def _b64(value: str) -> str:
    return base64.b64encode(value.encode("utf-8")).decode("ascii")


def _unb64(value: str) -> str:
    return base64.b64decode(value.encode("ascii"), validate=True).decode("utf-8")


def build_embed_url(embed_base: str, embed_id: str, signing_key: str, name: str, email: str) -> str:
    """Return the signed embed URL that logs the candidate in inside the frame."""
    identity = normalise(embed_id, name, email)
    query = urlencode(
        {
            "embed_id": identity.embed_id,
            "name": _b64(identity.name),
            "email": _b64(identity.email),
            "signature": signature(signing_key, identity),
        }
    )
    return f"{embed_base}?{query}"


class InvalidEmbedLink(ValueError):
    """The link is malformed or its signature does not match."""


def read_embed_query(query: str | dict[str, str]) -> tuple[EmbedIdentity, str]:
    """Parse an embed link's query into the identity it claims and the signature it carries.

    Raises :class:`InvalidEmbedLink` when a parameter is missing or not decodable.
    """
    if isinstance(query, str):
        parsed = {k: v[0] for k, v in parse_qs(urlsplit(query).query or query).items()}
    else:
        parsed = dict(query)
    try:
        embed_id = parsed["embed_id"]
        name = _unb64(parsed["name"])
        email = _unb64(parsed["email"])
        sig = parsed["signature"]
    except (KeyError, ValueError, UnicodeDecodeError) as exc:
        raise InvalidEmbedLink("incomplete or undecodable embed link") from exc
    return EmbedIdentity(embed_id=embed_id, name=name, email=email), sig


def verify(signing_key: str, identity: EmbedIdentity, claimed_signature: str) -> bool:
    """Check a claimed signature in constant time (what the platform does on its side)."""
    expected = signature(signing_key, identity)
    return hmac.compare_digest(
        expected.encode("ascii"), claimed_signature.encode("ascii", "replace")
    )
