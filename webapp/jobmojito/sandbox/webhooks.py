"""Webhook delivery: one background thread per delivery, in order per interview, retried."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import httpx

log = logging.getLogger(__name__)

# Seconds to wait before each retry: eight attempts over about half a minute.
DEFAULT_RETRY_DELAYS: tuple[float, ...] = (0.2, 0.5, 1.0, 2.0, 4.0, 8.0, 8.0)


@dataclass(frozen=True)
class WebhookTarget:
    """Where deliveries go and the custom header that authenticates them."""

    url: str
    secret: str | None = None
    header: str = "X-Webhook-Secret"

    def headers(self) -> dict[str, str]:
        """The headers sent with every delivery."""
        headers = {"Content-Type": "application/json", "User-Agent": "JobMojito-Sandbox/1"}
        if self.secret:
            headers[self.header] = self.secret
        return headers


class WebhookDispatcher:
    """Sends events at least once, never letting a later event overtake an earlier one."""

    def __init__(
        self,
        record: Callable[[dict[str, Any]], None],
        retry_delays: Sequence[float] = DEFAULT_RETRY_DELAYS,
        timeout: float = 5.0,
    ) -> None:
        self._record = record
        self._retry_delays = tuple(retry_delays)
        self._timeout = timeout
        self._lock = threading.Lock()
        self._last: dict[str, threading.Thread] = {}

    def send(self, target: WebhookTarget, ordering_key: str, payload: dict[str, Any]) -> None:
        """Deliver a payload in the background, after earlier ones with the same ordering key."""
        with self._lock:
            previous = self._last.get(ordering_key)
            if previous is not None and not previous.is_alive():
                previous = None  # nothing to wait for, and the finished thread can be freed
            thread = threading.Thread(
                target=self._deliver,
                args=(target, payload, previous),
                name=f"sandbox-webhook-{payload.get('event')}",
                daemon=True,
            )
            self._last[ordering_key] = thread
            thread.start()

    def join(self, timeout: float | None = None) -> bool:
        """Wait for every delivery started so far; True when all have finished."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._lock:
            threads = list(self._last.values())
        for thread in threads:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            thread.join(left)
        return not any(thread.is_alive() for thread in threads)

    def _deliver(
        self, target: WebhookTarget, payload: dict[str, Any], previous: threading.Thread | None
    ) -> None:
        if previous is not None:
            # Wait out the predecessor's retries: events of one interview never overtake.
            previous.join()
        event = payload.get("event")
        attempts = len(self._retry_delays) + 1
        with httpx.Client(timeout=self._timeout) as client:
            for attempt in range(1, attempts + 1):
                status, error = self._attempt(client, target, payload)
                self._record(
                    {
                        "event": event,
                        "profile_interview_id": payload.get("profile_interview_id"),
                        "attempt": attempt,
                        "status": status,
                        "error": error,
                    }
                )
                if status is not None and 200 <= status < 300:
                    return
                if attempt < attempts:
                    time.sleep(self._retry_delays[attempt - 1])
        log.warning("webhook %s gave up after %d attempts", event, attempts)

    @staticmethod
    def _attempt(
        client: httpx.Client, target: WebhookTarget, payload: dict[str, Any]
    ) -> tuple[int | None, str | None]:
        try:
            response = client.post(target.url, json=payload, headers=target.headers())
        except httpx.HTTPError as exc:
            # Only the exception type: its text may quote the URL, which can carry a secret.
            log.info("webhook %s failed: %s", payload.get("event"), type(exc).__name__)
            return None, type(exc).__name__
        log.info("webhook %s answered %d", payload.get("event"), response.status_code)
        return response.status_code, None
