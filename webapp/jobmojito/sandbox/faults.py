"""Injected failures: the next N API calls fail in one chosen way, switchable while running.

A fault applies to one endpoint: create-for-candidate unless the request names another API path
(``"endpoint": "job-interview-details"``); pages and control endpoints never fail. A faulted call
is counted as received. ``hang`` sleeps and then processes the call normally (the
interview is created, as when a client times out on a call that succeeded upstream); ``drop``
closes the connection before the call is processed, so nothing is created.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from dataclasses import dataclass
from typing import Any

from flask import Response, jsonify, request

from webapp.jobmojito.contract import (
    ANOTHER_ATTEMPT,
    CREATE_FOR_CANDIDATE,
    INTERVIEW_DETAILS,
    INTERVIEW_PDF,
    PLATFORM_LANGUAGES,
    SET_STATE,
)

FAULT_KINDS = ("500", "429", "401", "malformed", "hang", "drop")
DEFAULT_HANG_SECONDS = 30.0
DEFAULT_ENDPOINT = CREATE_FOR_CANDIDATE.path
FAULTABLE = tuple(
    e.path
    for e in (
        CREATE_FOR_CANDIDATE,
        INTERVIEW_DETAILS,
        INTERVIEW_PDF,
        ANOTHER_ATTEMPT,
        SET_STATE,
        PLATFORM_LANGUAGES,
    )
)


@dataclass(frozen=True)
class Fault:
    """One armed fault: what happens and how many more calls it applies to."""

    kind: str
    remaining: int
    hang_seconds: float = DEFAULT_HANG_SECONDS
    endpoint: str = DEFAULT_ENDPOINT

    def to_json(self) -> dict[str, Any]:
        """The fault as the control endpoint shows it."""
        return {
            "kind": self.kind,
            "remaining": self.remaining,
            "hang_seconds": self.hang_seconds,
            "endpoint": self.endpoint,
        }


def parse_fault(body: Any) -> Fault:
    """Read a fault request body; raise ValueError or TypeError saying what is wrong."""
    if not isinstance(body, dict):
        raise TypeError("body must be a JSON object")
    kind = body.get("kind")
    if kind not in FAULT_KINDS:
        raise ValueError(f"kind must be one of: {', '.join(FAULT_KINDS)}")
    count = body.get("count", 1)
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise ValueError("count must be a positive integer")
    hang = body.get("hang_seconds", DEFAULT_HANG_SECONDS)
    if isinstance(hang, bool) or not isinstance(hang, (int, float)) or not 0 <= hang <= 600:
        raise ValueError("hang_seconds must be a number between 0 and 600")
    endpoint = body.get("endpoint", DEFAULT_ENDPOINT)
    if endpoint not in FAULTABLE:
        raise ValueError(f"endpoint must be one of: {', '.join(FAULTABLE)}")
    return Fault(kind=kind, remaining=count, hang_seconds=float(hang), endpoint=endpoint)


class FaultPlan:
    """The armed fault, consumed one call at a time under a lock."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._fault: Fault | None = None

    def arm(self, fault: Fault) -> None:
        """Replace whatever was armed."""
        with self._lock:
            self._fault = fault

    def clear(self) -> None:
        """Let every following call through."""
        with self._lock:
            self._fault = None

    def current(self) -> Fault | None:
        """The armed fault, if any calls are left for it."""
        with self._lock:
            return self._fault

    def take(self, endpoint: str = DEFAULT_ENDPOINT) -> Fault | None:
        """Use up one call of the fault armed for ``endpoint`` and return it; None if there is none."""
        with self._lock:
            fault = self._fault
            if fault is None or fault.endpoint != endpoint:
                return None
            left = fault.remaining - 1
            self._fault = (
                Fault(fault.kind, left, fault.hang_seconds, fault.endpoint) if left > 0 else None
            )
            return fault


def _envelope(status: int, message: str) -> Response:
    response = jsonify({"error": message})
    response.status_code = status
    return response


def _drop_connection() -> Response:
    """Close the client's socket so that it receives no HTTP response at all."""
    sock = request.environ.get("werkzeug.socket")
    if not isinstance(sock, socket.socket):
        # Other servers do not expose the socket; the nearest thing they can do is a 502.
        return _envelope(502, "Sandbox could not drop the connection on this server")
    # Shutting down (rather than closing) keeps the descriptor valid, so werkzeug's own write
    # fails with a broken pipe, which it treats as a client that went away, quietly.
    with contextlib.suppress(OSError):  # the client may already have gone
        sock.shutdown(socket.SHUT_RDWR)
    return Response(b"", status=500)


def apply_fault(fault: Fault) -> Response | None:
    """Answer the call the faulty way; None means go on normally (what a hang does at its end)."""
    if fault.kind == "500":
        return _envelope(500, "Internal server error (injected by the sandbox)")
    if fault.kind == "429":
        response = _envelope(429, "Too many requests (injected by the sandbox)")
        response.headers["Retry-After"] = "1"
        return response
    if fault.kind == "401":
        return _envelope(401, "Invalid or expired token (injected by the sandbox)")
    if fault.kind == "malformed":
        # A gateway error page where JSON was promised: the client must not trust the header.
        return Response(
            "<html><body>Gateway hiccup</body></html>",
            status=200,
            content_type="application/json",
        )
    if fault.kind == "drop":
        return _drop_connection()
    time.sleep(fault.hang_seconds)
    return None
