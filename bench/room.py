"""The interview room under measurement: the candidate's interview page and status document against
"hello", and the time from "Send application" until the interview can be started on the page.

The page and the status document are private and uncacheable, so wrk sends the candidate's own
cookie (a browser that proved its address). The time to ready is measured in Chromium with fake
devices: the bench types the code the moment its e-mail reaches the bench's own SMTP server and
makes no other click; the sandbox's configured latency is taken off.
"""

from __future__ import annotations

import re
import statistics
import threading
import time
from email import policy
from email.parser import BytesParser
from typing import Any

import httpx

from bench.servers import free_port

RESUME = (
    "Data analyst with four years of SQL, Python and dashboard work for a logistics company; "
    "built demand forecasts per region and explained them clearly to operations managers."
)
APPLY = "/jobs/data-analyst-amsterdam/apply"
READY = "#preflight[data-go-on='start'][data-state='ready'], #interview-frame"


class Mailbox:
    """A local SMTP server (aiosmtpd) that keeps each message's arrival time and text."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self.port = free_port()
        self.lock = threading.Lock()
        self.messages: list[tuple[float, str, str]] = []  # (arrived, to, plain text)
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = BytesParser(policy=policy.default).parsebytes(envelope.original_content)
        body = parsed.get_body(preferencelist=("plain",))
        text = str(body.get_content()) if body is not None else ""
        with self.lock:
            self.messages.append((time.monotonic(), ",".join(envelope.rcpt_tos), text))
        return "250 OK"

    def code_for(self, address: str, timeout: float = 30) -> str:
        """The code of the latest message to ``address``, waiting for it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                for _, to, text in reversed(self.messages):
                    found = re.search(r"code: (\d{6})\b", text)
                    if address in to and found:
                        return found.group(1)
            time.sleep(0.01)
        raise RuntimeError(f"no code for {address}")

    def __enter__(self) -> Mailbox:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()


def apply_over_http(site: str, email: str) -> tuple[httpx.Client, str]:
    """Apply as a browser without JavaScript would; the client (with its cookies) and the page."""
    client = httpx.Client(base_url=site, timeout=30)
    form = client.get(APPLY).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
    answer = client.post(
        APPLY,
        data={
            "csrf_token": token,
            "full_name": "Bench Room",
            "email": email,
            "country": "NL",
            "consent": "y",
            "website": "",
            "resume_text": RESUME,
        },
        files={"resume_file": ("", b"")},
    )
    assert answer.status_code == 303, answer.status_code
    return client, answer.headers["Location"]


def proven_candidate(site: str, mailbox: Mailbox) -> tuple[str, str]:
    """A candidate whose interview is ready and whose browser typed the code: (page, Cookie)."""
    client, page = apply_over_http(site, "bench.room@example.com")
    deadline = time.monotonic() + 60
    while client.get(page + "/status.json").json()["stage"] != "interview":
        if time.monotonic() > deadline:
            raise RuntimeError("the bench candidate's interview was never prepared")
        time.sleep(0.2)
    html = client.get(page).text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
    code = mailbox.code_for("bench.room@example.com")
    assert client.post(page + "/code", data={"csrf_token": csrf, "code": code}).status_code == 303
    html = client.get(page).text
    assert 'id="interview-frame"' in html, "the proven candidate sees no frame"
    cookie = "; ".join(f"{name}={value}" for name, value in client.cookies.items())
    client.close()
    return page, cookie


def time_to_ready(
    site: str, mailbox: Mailbox, count: int, latency: float, chromium: str | None
) -> dict[str, object]:
    """Seconds from "Send application" until the go-on control (or the frame) is there, minus
    the sandbox's latency, for ``count`` applications one after another."""
    from playwright.sync_api import sync_playwright

    timings: list[float] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium,
            args=["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"],
        )
        try:
            for index in range(count):
                context = browser.new_context(viewport={"width": 390, "height": 844})
                page = context.new_page()
                email = f"bench.ready.{index}@example.com"
                page.goto(site + APPLY)
                page.fill("#full_name", "Bench Ready")
                page.fill("#email", email)
                page.select_option("#country", "NL")
                page.fill("#resume_text", RESUME)
                page.check("#consent")
                started = time.monotonic()
                page.click("button[type=submit]")
                code = mailbox.code_for(email)
                page.fill("#code", code)
                page.press("#code", "Enter")
                # On the interview's own page: the check is ready to go on, or the frame is there.
                page.locator(READY).first.wait_for(state="attached", timeout=60_000)
                timings.append(time.monotonic() - started - latency)
                context.close()
        finally:
            browser.close()
    ordered = sorted(timings)
    return {
        "applications": count,
        "sandbox_latency_seconds": latency,
        "p50_seconds": round(statistics.median(ordered), 3),
        "p95_seconds": round(ordered[max(0, int(len(ordered) * 0.95) - 1)], 3),
        "max_seconds": round(ordered[-1], 3),
    }
