"""The interview frame for an application: signed with its position's key, minted afresh each time.

The key is the position's (``Position.embed_signing_key_encrypted``): every candidate of a
position signs with the one the platform answered last, and a rotation replaces it for all of
them at once. It is decrypted at most once a minute per stored ciphertext and process: the Fernet
decryption (an AES and an HMAC over the stored token) was the largest part of the candidate's
interview page under load (``make bench``, "interview page"). The cache is keyed by the
ciphertext itself, so a rotated key (a new ciphertext) is never answered from an old entry, in any
process; the plaintext stays in this process's memory only, as between decrypting and signing.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict

from webapp.jobmojito.embed_link import build_embed_url
from webapp.models import Application
from webapp.vault import Vault

KEY_CACHE_SECONDS = 60.0
KEY_CACHE_SIZE = 512


class InterviewUnavailable(LookupError):
    """No embed to sign for this application: its position holds no id or key (not answered
    yet, or a rotation is between switching the old key off and storing the new one)."""


class KeyCache:
    """Decrypted embed keys for a short while, by ciphertext, bounded in number; one per app
    (thread-safe)."""

    def __init__(self, seconds: float = KEY_CACHE_SECONDS, size: int = KEY_CACHE_SIZE) -> None:
        self.seconds, self.size = seconds, size
        self._keys: OrderedDict[bytes, tuple[float, str]] = OrderedDict()
        self._lock = threading.Lock()

    def __repr__(self) -> str:  # never the keys themselves
        return f"KeyCache({len(self._keys)} keys)"

    def decrypt(self, vault: Vault, encrypted: bytes) -> str:
        """The plaintext of ``encrypted``, from memory when it was decrypted a moment ago."""
        # Keyed by a digest of the ciphertext: a rotated or replaced key is a new entry.
        name = hashlib.blake2b(bytes(encrypted), digest_size=16).digest()
        now = time.monotonic()
        with self._lock:
            found = self._keys.get(name)
            if found is not None and found[0] > now:
                return found[1]
        plaintext = vault.decrypt(encrypted)
        with self._lock:
            self._keys[name] = (now + self.seconds, plaintext)
            self._keys.move_to_end(name)
            while len(self._keys) > self.size:
                self._keys.popitem(last=False)
        return plaintext

    def clear(self) -> None:
        """Forget every key (after a rotation, say)."""
        with self._lock:
            self._keys.clear()


def signed_embed_url(
    application: Application, vault: Vault, embed_base: str, keys: KeyCache | None = None
) -> str:
    """The authenticated embed URL for this application's candidate, signed with the position's key."""
    position = application.position
    return signed_link(
        position.embed_id,
        position.embed_signing_key_encrypted,
        application.full_name,
        application.email,
        SigningPlace(vault, embed_base, keys),
    )


class SigningPlace:
    """Where an embed link is signed: the vault holding the keys, the embed base URL, the cache."""

    def __init__(self, vault: Vault, embed_base: str, keys: KeyCache | None = None) -> None:
        self.vault, self.embed_base, self.keys = vault, embed_base, keys


def signed_link(
    embed_id: str | None, encrypted: bytes | None, name: str, email: str, place: SigningPlace
) -> str:
    """The embed URL for this candidate, signed now with the position's current key (by its stored
    id and ciphertext); ``InterviewUnavailable`` when the position holds no embed yet."""
    if not embed_id or not encrypted:
        raise InterviewUnavailable("no embed to sign")
    keys = place.keys
    signing_key = keys.decrypt(place.vault, encrypted) if keys else place.vault.decrypt(encrypted)
    return build_embed_url(place.embed_base, embed_id, signing_key, name, email)
