"""What every call to the platform shares: its retry policy, a safe account of a failure, the
refused-token alert. Each kind of background call (an application's, a preview's, a position's
state or key, another attempt, the languages list, result checks) reads these from here.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass

from flask import Flask

from webapp.jobmojito.client import UpstreamError
from webapp.services import alerts
from webapp.services.outages import alert_open

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetryPolicy:
    """How long to wait between attempts, and when to give up."""

    base_seconds: float = 2.0
    cap_seconds: float = 300.0
    give_up_after: float = 6 * 3600
    lease_seconds: float = 60.0  # renewed while the call goes on; a dead worker's lapses this fast

    def backoff(self, attempt: int) -> float:
        """Exponential backoff with full jitter for the given 1-based attempt."""
        return random.uniform(0, min(self.cap_seconds, self.base_seconds * 2 ** (attempt - 1)))


def policy_from_config(app: Flask) -> RetryPolicy:
    """The retry policy from settings; the lease outlasts the client's read timeout."""
    lease = app.config.get("UPSTREAM_LEASE_SECONDS") or 60.0
    return RetryPolicy(
        give_up_after=float(app.config["UPSTREAM_GIVE_UP_AFTER"]),
        base_seconds=float(app.config.get("UPSTREAM_RETRY_BASE_SECONDS", 2.0)),
        lease_seconds=float(lease),
    )


def describe(exc: UpstreamError) -> str:
    """A one-line account of an upstream failure, safe for logs and recruiters."""
    where = f"HTTP {exc.status}" if exc.status is not None else exc.kind
    field = f" (field {exc.field})" if exc.field else ""
    return f"{where}: {exc.message}{field}"


def raise_auth_alert() -> bool:
    """Open the refused-token alert; whether it was newly opened (the caller commits)."""
    was_open = alert_open("upstream_auth")
    alerts.raise_alert(
        "upstream_auth",
        "JobMojito refused our API token (401). Applications are kept and will be sent once "
        "JOBMOJITO_API_TOKEN is fixed.",
    )
    if not was_open:
        log.error(
            "JobMojito refused the API token: check JOBMOJITO_API_TOKEN; applications are kept"
        )
    return not was_open
