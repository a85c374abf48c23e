"""In a real Chromium, the sandbox's interview works inside a cross-origin frame: it gets the
camera and microphone only when the host delegates them, fits a phone, and can be submitted."""

# ruff: noqa: F811  (a test's parameter names the fixture imported below)

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from html import escape
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import FrameLocator, Page, ViewportSize, expect
from sandbox_fixtures import (  # noqa: F401  (fixtures, requested by parameter name)
    RunningSandbox,
    WebhookReceiver,
    receiver_factory,
    sandbox_factory,
)
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "sandbox"
PHONE: ViewportSize = {"width": 375, "height": 800}


def chromium_path() -> str | None:
    """Debian's Chromium (headless shell first, it starts faster), else Playwright's own."""
    candidates = [
        os.environ.get("CHROMIUM_PATH"),
        "/usr/lib/chromium/chromium-headless-shell",
        "/usr/bin/chromium",
    ]
    return next((c for c in candidates if c and Path(c).exists()), None)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Launch a Chromium that fakes the camera and microphone and grants them without asking."""
    args = {
        **browser_type_launch_args,
        "args": [
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
        ],
    }
    path = chromium_path()
    if path:
        args["executable_path"] = path
    return args


class HostSite:
    """A careers-site stand-in on its own origin, serving pages that frame the interview."""

    def __init__(self) -> None:
        self.pages: dict[str, str] = {}
        self._server = make_server("127.0.0.1", 0, self._app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )
        self._thread.start()

    def _app(self, environ: Any, start_response: Any) -> Any:
        html = self.pages.get(Request(environ).path)
        response = Response(
            html or "not found",
            status=200 if html else 404,
            content_type="text/html; charset=utf-8",
        )
        return response(environ, start_response)

    def frame_page(self, path: str, src: str, allow: str | None) -> str:
        """Publish a page that frames ``src``, delegating devices only when ``allow`` is given."""
        allow_attr = f' allow="{escape(allow)}"' if allow else ""
        self.pages[path] = (
            '<!doctype html><meta name="viewport" content="width=device-width, initial-scale=1">'
            '<title>Careers: apply</title><body style="margin:0"><h1>Barista</h1>'
            f'<iframe title="Interview" src="{escape(src)}"{allow_attr} '
            'style="width:100%;height:1100px;border:0"></iframe></body>'
        )
        return self.url + path

    def stop(self) -> None:
        """Stop serving."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


@pytest.fixture
def host_site() -> Iterator[HostSite]:
    """The host origin, a different port from the sandbox and so a different origin."""
    site = HostSite()
    yield site
    site.stop()


@pytest.fixture
def interview_link(sandbox_factory: Callable[..., RunningSandbox]) -> tuple[RunningSandbox, str]:
    """A sandbox and a signed embed link for one freshly enrolled candidate."""
    running = sandbox_factory()
    created = running.create().json()
    return running, running.embed_url(created, "Ana Horvat", "ana@example.com")


def _open_framed(page: Page, host_site: HostSite, link: str, origin: str | None) -> FrameLocator:
    allow = f"camera {origin}; microphone {origin}" if origin else None
    page.set_viewport_size(PHONE)
    page.goto(host_site.frame_page("/apply", link, allow))
    return page.frame_locator("iframe")


def _shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_a_frame_that_is_allowed_the_devices_gets_camera_and_microphone(
    page: Page, host_site: HostSite, interview_link: tuple[RunningSandbox, str]
) -> None:
    running, link = interview_link
    frame = _open_framed(page, host_site, link, running.url)
    expect(frame.locator("#camera-status")).to_have_text("Camera: granted")
    expect(frame.locator("#microphone-status")).to_have_text("Microphone: granted")
    expect(frame.locator("#camera-status")).to_have_attribute("data-state", "granted")
    expect(frame.get_by_role("heading", name="Welcome, Ana Horvat")).to_be_visible()
    expect(frame.locator("#device-help")).to_be_hidden()
    inner = page.frames[1]
    assert inner.url.startswith(running.url) and not page.url.startswith(running.url)
    fits = inner.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    assert fits, "the interview scrolls sideways in a 375 px frame"
    _shot(page, "frame-allowed")


def test_a_frame_without_delegation_reports_both_devices_blocked(
    page: Page, host_site: HostSite, interview_link: tuple[RunningSandbox, str]
) -> None:
    _, link = interview_link
    frame = _open_framed(page, host_site, link, None)
    expect(frame.locator("#camera-status")).to_have_text("Camera: blocked")
    expect(frame.locator("#microphone-status")).to_have_text("Microphone: blocked")
    expect(frame.locator("#microphone-status")).to_have_attribute("data-state", "blocked")
    expect(frame.locator("#device-help")).to_be_visible()
    _shot(page, "frame-not-allowed")


def test_a_candidate_walks_the_questions_and_submits(
    page: Page,
    host_site: HostSite,
    sandbox_factory: Callable[..., RunningSandbox],
    receiver_factory: Callable[..., WebhookReceiver],
) -> None:
    receiver = receiver_factory()
    running = sandbox_factory(webhook_url=receiver.url, webhook_secret="s3cret")
    created = running.create().json()
    link = running.embed_url(created, "Ana Horvat", "ana@example.com")
    frame = _open_framed(page, host_site, link, running.url)
    expect(frame.locator("#camera-status")).to_have_text("Camera: granted")

    for number, note in enumerate(["Five years behind the bar.", "A seasonal menu."], start=1):
        expect(frame.get_by_text(f"Question {number} of 3")).to_be_visible()
        frame.get_by_role("textbox", name="Your notes").fill(note)
        frame.get_by_role("button", name="Next question").click()
    expect(frame.get_by_text("Question 3 of 3")).to_be_visible()
    frame.get_by_role("textbox", name="Your notes").fill("Learn the roastery.")
    _shot(page, "last-question")
    frame.get_by_role("button", name="Submit interview").click()

    expect(frame.get_by_role("heading", name="Interview submitted")).to_be_visible()
    _shot(page, "submitted")
    events = [body["event"] for body in receiver.wait_for_accepted(2)]
    assert events == ["interview_collected", "interview_result"]
    interview = running.server.sandbox.store.interview(created["profile_interview_id"])
    assert interview is not None and interview.state == "completed"
    assert interview.answers == [
        "Five years behind the bar.",
        "A seasonal menu.",
        "Learn the roastery.",
    ]
