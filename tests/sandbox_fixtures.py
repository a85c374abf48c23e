"""Fixtures for the sandbox's tests: a running sandbox, an API client, and a webhook receiver.

Import them explicitly (``from sandbox_fixtures import sandbox, ...``) from the sandbox test
modules; everything here talks real HTTP on 127.0.0.1.
"""

from __future__ import annotations

import json
import re
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html import unescape
from typing import Any

import httpx
import pytest
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from webapp.jobmojito.embed_link import build_embed_url
from webapp.jobmojito.sandbox import SandboxServer, create_sandbox_app, serve_sandbox_in_thread

TOKEN = "sandbox-test-token-3f9c"
CREATE_PATH = "/functions/v1/job-interview-create-for-candidate-with-token"
RESUME = (
    "Curriculum vitae. Five years as a barista and shift lead in busy city cafés; trained new "
    "staff, ran stock ordering and kept the espresso machines dialled in every morning."
)
FAST_RETRIES = (0.05, 0.05, 0.1, 0.1, 0.2)
# Loading CA certificates costs ~40 ms per client; everything here is plain HTTP, so load once.
_TLS = ssl.create_default_context()


def application(**overrides: Any) -> dict[str, Any]:
    """A valid create-for-candidate body, with any field replaced or (given None) removed."""
    body: dict[str, Any] = {
        "candidate_name": "Ana Horvat",
        "candidate_email": "ana@example.com",
        "candidate_country_code": "HR",
        "candidate_resume": RESUME,
        "position_external_id": "JOB-123",
        "position_name": "Barista",
        "position_location": "Zagreb",
        "position_country_code": "HR",
        "mojito_language_code": "en",
        "is_embedded": True,
    }
    body.update(overrides)
    return {name: value for name, value in body.items() if value is not None}


@dataclass
class RunningSandbox:
    """A sandbox on its own port, with httpx clients that do and do not carry the token."""

    server: SandboxServer
    http: httpx.Client
    anonymous: httpx.Client

    @property
    def url(self) -> str:
        """The sandbox's base URL."""
        return self.server.url

    def create(self, **overrides: Any) -> httpx.Response:
        """Send one create-for-candidate call built from :func:`application`."""
        return self.http.post(CREATE_PATH, json=application(**overrides))

    def calls(self) -> dict[str, Any]:
        """The sandbox's call counters."""
        response = self.http.get("/_sandbox/calls")
        response.raise_for_status()
        counts: dict[str, Any] = response.json()
        return counts

    def arm(self, kind: str, count: int = 1, **extra: Any) -> None:
        """Make the next ``count`` API calls fail the way ``kind`` says."""
        response = self.http.post("/_sandbox/faults", json={"kind": kind, "count": count, **extra})
        response.raise_for_status()

    def embed_url(self, created: dict[str, Any], name: str, email: str) -> str:
        """The signed link a host page would frame, for an answer that carried embed values."""
        return build_embed_url(
            f"{self.url}/embed", created["embed_id"], created["embed_signing_key"], name, email
        )


@pytest.fixture
def sandbox_factory() -> Iterator[Callable[..., RunningSandbox]]:
    """Start sandboxes with chosen options; all are stopped when the test ends."""
    started: list[RunningSandbox] = []

    def start(**options: Any) -> RunningSandbox:
        options.setdefault("latency", 0)
        options.setdefault("webhook_retry_delays", FAST_RETRIES)
        server = serve_sandbox_in_thread(create_sandbox_app(token=TOKEN, **options))
        http = httpx.Client(
            base_url=server.url,
            headers={"Authorization": f"Bearer {TOKEN}"},
            timeout=10,
            verify=_TLS,
        )
        anonymous = httpx.Client(base_url=server.url, timeout=10, verify=_TLS)
        running = RunningSandbox(server, http, anonymous)
        started.append(running)
        return running

    yield start
    for running in started:
        running.http.close()
        running.anonymous.close()
        running.server.sandbox.webhooks.join(timeout=5)
        running.server.shutdown()


@pytest.fixture
def sandbox(sandbox_factory: Callable[..., RunningSandbox]) -> RunningSandbox:
    """A sandbox with no latency and no webhook receiver."""
    return sandbox_factory()


def page_data(html: str, attribute: str) -> str:
    """Read one data attribute from the interview page, as its script does."""
    match = re.search(rf'{attribute}="([^"]*)"', html)
    assert match, f"{attribute} not found in the page"
    return unescape(match.group(1))


@dataclass
class Delivery:
    """One webhook request as the receiver saw it."""

    headers: dict[str, str]
    body: dict[str, Any]
    answered: int


@dataclass
class WebhookReceiver:
    """A real HTTP server that takes webhooks, refusing the first few with a chosen status."""

    fail_first: int = 0
    fail_status: int = 500
    stall_first: float = 0.0
    deliveries: list[Delivery] = field(default_factory=list)
    url: str = ""
    _arrivals: int = 0
    _changed: threading.Condition = field(default_factory=threading.Condition)

    def __call__(self, environ: Any, start_response: Any) -> Any:
        request = Request(environ)
        body = json.loads(request.get_data(as_text=True))
        with self._changed:
            seen = self._arrivals
            self._arrivals += 1
            answered = self.fail_status if seen < self.fail_first else 204
            if seen == 0 and self.stall_first:
                answered = 0
        if answered == 0:
            # The first delivery outlives the sender's timeout: it must count as a failure.
            time.sleep(self.stall_first)
        with self._changed:
            self.deliveries.append(Delivery(dict(request.headers), body, answered))
            self._changed.notify_all()
        return Response(status=answered or 204)(environ, start_response)

    def accepted(self) -> list[dict[str, Any]]:
        """The bodies this receiver answered with 2xx, in arrival order."""
        with self._changed:
            return [d.body for d in self.deliveries if 200 <= d.answered < 300]

    def wait_for_accepted(self, count: int, timeout: float = 10.0) -> list[dict[str, Any]]:
        """Block until ``count`` deliveries were accepted; fail the test after ``timeout``."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while sum(1 for d in self.deliveries if 200 <= d.answered < 300) < count:
                left = deadline - time.monotonic()
                assert left > 0, f"only {len(self.deliveries)} webhook requests arrived"
                self._changed.wait(left)
        return self.accepted()


@pytest.fixture
def receiver_factory() -> Iterator[Callable[..., WebhookReceiver]]:
    """Start webhook receivers on free ports; all are stopped when the test ends."""
    servers = []

    def start(**options: Any) -> WebhookReceiver:
        receiver = WebhookReceiver(**options)
        server = make_server("127.0.0.1", 0, receiver, threaded=True)
        thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
        thread.start()
        receiver.url = f"http://127.0.0.1:{server.server_port}/webhooks/jobmojito"
        servers.append((server, thread))
        return receiver

    yield start
    for server, thread in servers:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
