"""Encryption at rest for secrets we must keep (embed signing keys), with key rotation."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from cryptography.fernet import Fernet, InvalidToken, MultiFernet


class VaultError(RuntimeError):
    """A stored secret cannot be decrypted with any configured key."""


class Vault:
    """Encrypts with the first key of DATA_ENCRYPTION_KEYS and decrypts with any of them."""

    def __init__(self, keys: Sequence[str]) -> None:
        if not keys:
            raise VaultError("DATA_ENCRYPTION_KEYS is empty")
        self._fernet = MultiFernet([Fernet(key.encode("ascii")) for key in keys])

    def __repr__(self) -> str:
        return "Vault(<keys hidden>)"

    def encrypt(self, plaintext: str) -> bytes:
        """Encrypt a secret for storage."""
        return self._fernet.encrypt(plaintext.encode("utf-8"))

    def decrypt(self, token: bytes) -> str:
        """Decrypt a stored secret."""
        try:
            return self._fernet.decrypt(token).decode("utf-8")
        except InvalidToken:
            raise VaultError("stored secret cannot be decrypted with the configured keys") from None

    def rotate(self, token: bytes) -> bytes:
        """Re-encrypt a stored secret under the current first key."""
        try:
            return self._fernet.rotate(token)
        except InvalidToken:
            raise VaultError("stored secret cannot be decrypted with the configured keys") from None


def fingerprint(secret: str) -> str:
    """A short, non-reversible label for a secret, safe to show to administrators."""
    return "sha256:" + hashlib.sha256(secret.encode("utf-8")).hexdigest()[:12]
