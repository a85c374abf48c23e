"""The client's settings: where JobMojito lives, how we authenticate, how long we wait."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from webapp.jobmojito.contract import CREATE_FOR_CANDIDATE, Endpoint


@dataclass(frozen=True)
class ClientSettings:
    """Where JobMojito lives, how we authenticate, and how long we wait for it."""

    api_url: str
    token: str = field(repr=False)
    api_key: str | None = field(default=None, repr=False)
    connect_timeout: float = 5.0
    read_timeout: float = 90.0
    # Repeats of a failed call that a repeat can help (see ``JobMojitoClient._call``).
    retries: int = 1
    retry_pause: float = 0.25

    def __post_init__(self) -> None:
        parts = urlsplit(self.api_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("api_url must be an absolute http(s) URL")
        if parts.username or parts.password or parts.query or parts.fragment:
            # httpx logs the request URL: it must never carry anything secret.
            raise ValueError("api_url must not carry credentials, a query or a fragment")
        if not _is_clean_secret(self.token):
            raise ValueError("token must be a non-empty string without surrounding whitespace")
        if self.api_key is not None and not _is_clean_secret(self.api_key):
            raise ValueError("api_key must be a non-empty string without surrounding whitespace")
        for name in ("connect_timeout", "read_timeout"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError(f"{name} must be a number of seconds")
            if not math.isfinite(value) or value <= 0:
                raise ValueError(f"{name} must be a positive number of seconds")
        if isinstance(self.retries, bool) or not isinstance(self.retries, int):
            raise ValueError("retries must be a whole number")
        if not 0 <= self.retries <= 5:
            raise ValueError("retries must be between 0 and 5")
        if not isinstance(self.retry_pause, (int, float)) or not 0 <= self.retry_pause <= 10:
            raise ValueError("retry_pause must be between 0 and 10 seconds")

    @property
    def endpoint(self) -> str:
        """The full URL of the create-for-candidate endpoint."""
        return self.url_of(CREATE_FOR_CANDIDATE)

    def url_of(self, endpoint: Endpoint) -> str:
        """The full URL of one of the platform's endpoints."""
        return f"{self.api_url.rstrip('/')}/{endpoint.path}"


def _is_clean_secret(value: object) -> bool:
    return isinstance(value, str) and bool(value) and value == value.strip()
