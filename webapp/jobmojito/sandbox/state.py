"""The sandbox's running state as views see it, and the bearer-token check they share."""

from __future__ import annotations

import hmac
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, TypeVar

from flask import Response, current_app, jsonify, request

from webapp.jobmojito.sandbox.faults import FaultPlan
from webapp.jobmojito.sandbox.store import SandboxStore
from webapp.jobmojito.sandbox.webhooks import WebhookDispatcher, WebhookTarget

EXTENSION_KEY = "jobmojito_sandbox"

F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class RuntimeSettings:
    """What can change while the sandbox runs, read and written under a lock."""

    latency: float
    webhook_url: str | None
    webhook_secret: str | None
    webhook_header: str
    webhooks_enabled: bool = True
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def webhook_target(self) -> WebhookTarget | None:
        """Where to deliver webhooks now, or None when none is configured or they are switched off."""
        with self.lock:
            if not self.webhook_url or not self.webhooks_enabled:
                return None
            return WebhookTarget(self.webhook_url, self.webhook_secret, self.webhook_header)

    def current_latency(self) -> float:
        """The base latency in seconds."""
        with self.lock:
            return self.latency

    def describe(self) -> dict[str, Any]:
        """The settings as JSON, with the webhook secret reduced to whether one is set."""
        with self.lock:
            return {
                "latency": self.latency,
                "webhook_url": self.webhook_url,
                "webhook_header": self.webhook_header,
                "webhook_secret_set": bool(self.webhook_secret),
                "webhooks_enabled": self.webhooks_enabled,
            }

    def switch_webhooks(self, enabled: bool) -> None:
        """Send webhooks again, or stop sending them (a misconfigured receiver, as seen from it)."""
        with self.lock:
            self.webhooks_enabled = enabled


@dataclass
class Sandbox:
    """Everything one sandbox app holds: token, settings, platform state, faults, webhooks."""

    token: str
    public_url: str | None
    settings: RuntimeSettings
    store: SandboxStore
    faults: FaultPlan
    webhooks: WebhookDispatcher
    # Hidden in the console's forms: a page of another origin cannot post decisions blind.
    console_secret: str = field(default_factory=lambda: secrets.token_urlsafe(24), repr=False)
    # Signs the short-lived links to reports and recordings (``media.py``).
    media_secret: bytes = field(default_factory=lambda: secrets.token_bytes(32), repr=False)

    def base_url(self) -> str:
        """The sandbox's own public base URL, from configuration or from the current request."""
        return (self.public_url or request.host_url).rstrip("/")

    def token_matches(self, header: str | None) -> bool:
        """Whether an Authorization header carries this sandbox's bearer token."""
        scheme, _, presented = (header or "").partition(" ")
        if scheme.lower() != "bearer":
            return False
        # Compare bytes in constant time so response timing reveals nothing about the token.
        return hmac.compare_digest(presented.strip().encode(), self.token.encode())


def sandbox() -> Sandbox:
    """The running sandbox of the current app."""
    state: Sandbox = current_app.extensions[EXTENSION_KEY]
    return state


def unauthorized() -> Response:
    """The platform's answer to a missing or wrong bearer token."""
    response = jsonify({"error": "Invalid or missing bearer token"})
    response.status_code = 401
    response.headers["WWW-Authenticate"] = 'Bearer realm="jobmojito-sandbox"'
    return response


def token_required(view: F) -> F:
    """Refuse the view with 401 unless the request carries the sandbox's bearer token."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not sandbox().token_matches(request.headers.get("Authorization")):
            return unauthorized()
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]
