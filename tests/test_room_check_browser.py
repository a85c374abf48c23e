"""The camera check in Chromium: a busy device and the other failures it explains, keyboard-only
use, the room's bar in the published brand, and the studio's preview of the check and its panel."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import Site
from tests.helpers import seed
from tests.studio_fixtures import SLUG, edit_draft, make_account, preview_link, publish, sign_in
from tests.test_accessibility import violations
from tests.test_interview_room_browser import apply_and_prove, shoot

pytestmark = pytest.mark.browser

# What the page's script meets, simulated where Chromium's fake devices cannot be made to fail:
# a camera another app holds, a page the browser does not count as secure, an unknown error.
FAILURES = {
    "busy": """
      navigator.mediaDevices.getUserMedia = () =>
        Promise.reject(new DOMException('Could not start video source', 'NotReadableError'));
    """,
    "insecure": """
      Object.defineProperty(window, 'isSecureContext', { get: () => false });
      Object.defineProperty(navigator, 'mediaDevices', { get: () => undefined });
    """,
    "other": """
      navigator.mediaDevices.getUserMedia = () => Promise.reject(new TypeError('odd'));
    """,
}
HEADINGS = {
    "busy": "Your camera or microphone is busy",
    "insecure": "This connection cannot use the camera",
    "other": "The camera or microphone did not start",
}


@pytest.fixture
def live(site: Site) -> Site:
    seed(site.app)
    return site


@pytest.mark.parametrize(
    ("state", "width", "height"),
    [
        ("busy", 375, 667),
        ("busy", 1280, 800),
        ("insecure", 390, 844),
        ("other", 1280, 800),
    ],
    ids=["busy-375", "busy-1280", "insecure-390", "other-1280"],
)
def test_each_simulated_failure_explains_itself_and_the_candidate_can_go_on(
    live: Site, page: Page, state: str, width: int, height: int
) -> None:
    page.add_init_script(FAILURES[state])
    page.set_viewport_size({"width": width, "height": height})
    apply_and_prove(page, live, f"{state}.{width}@example.com")
    check = page.locator("#preflight")
    expect(check).to_have_attribute("data-state", state, timeout=15_000)
    expect(page.get_by_role("heading", name=HEADINGS[state])).to_be_visible()
    for other in set(HEADINGS) - {state}:
        expect(page.get_by_role("heading", name=HEADINGS[other])).to_be_hidden()
    expect(page.locator("#preflight-camera")).to_have_text("Camera: not working")
    retry = page.get_by_role("button", name="Try again")
    if state == "insecure":
        expect(retry).to_be_hidden()  # trying again cannot help on that page
    else:
        expect(retry).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shoot(page, f"preflight-{state}-{width}x{height}")
    assert violations(page) == []
    page.get_by_role("button", name="Skip the check").click()
    expect(page.locator("#interview-frame")).to_be_attached()
    expect(page.locator("#before-start")).to_be_hidden()


def _tab_to(page: Page, selector: str, limit: int = 60) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement === document.querySelector({selector!r})"):
            return
    raise AssertionError(f"Tab never reached {selector}")


@pytest.mark.parametrize("width", [375, 1280])
def test_keyboard_alone_goes_through_the_check_into_the_frame(
    live: Site, page: Page, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    apply_and_prove(page, live, f"keyboard.{width}@example.com")
    expect(page.locator("#preflight")).to_have_attribute("data-state", "ready", timeout=15_000)
    page.evaluate("document.activeElement && document.activeElement.blur()")
    _tab_to(page, "#preflight-go")
    expect(page.locator("#preflight-go")).to_have_text("Start the interview")
    page.keyboard.press("Enter")
    expect(page.locator("#interview-frame")).to_be_attached()
    frame = page.frame_locator("#interview-frame")
    expect(frame.locator("#camera-status")).to_have_text("Camera: granted", timeout=15_000)
    if width >= 1280:  # the whole frame and the advice under it fit the window, uncut
        boxes = page.evaluate(
            """() => ['interview-frame', 'frame-trouble'].map(
                 id => document.getElementById(id).getBoundingClientRect().bottom)"""
        )
        assert max(boxes) <= 800, boxes
    # Into the frame, and its own controls, by Tab alone.
    _tab_to(page, "#interview-frame", limit=20)
    page.keyboard.press("Tab")
    focused = frame.locator(":focus")
    expect(focused).to_have_count(1)


def test_the_rooms_bar_wears_the_published_colour_not_the_drafts(live: Site, page: Page) -> None:
    live.app.config["WTF_CSRF_ENABLED"] = False
    marketer = sign_in(live.app.test_client(), make_account(live.app, "mara@kestrel.example"))
    edit_draft(marketer, brand_primary_color="#5b2a86")
    assert publish(marketer).status_code == 303
    edit_draft(marketer, brand_primary_color="#aa3300")  # a draft candidates never see
    page.set_viewport_size({"width": 375, "height": 667})
    apply_and_prove(page, live, "bar.colour@example.com")
    page.get_by_role("button", name="Start the interview").click(timeout=15_000)
    bar = page.locator(".room-bar")
    expect(bar).to_be_visible()
    expect(bar).to_have_css("background-color", "rgb(91, 42, 134)")
    expect(bar.locator(".room-brand")).to_have_text("Kestrel Mobility")
    shoot(page, "room-bar-published-brand-375x667", full_page=False)


def test_the_studio_previews_the_check_and_its_panel_with_the_draft_texts(
    live: Site, page: Page
) -> None:
    live.app.config["WTF_CSRF_ENABLED"] = False
    marketer = sign_in(live.app.test_client(), make_account(live.app, "mara@kestrel.example"))
    edit_draft(
        marketer,
        text_check_heading="Say hello to your camera",
        text_check_ready_interview="Looking good. Start whenever you like.",
        text_before_expect="Three short questions about **your work**.",
        text_before_length="Set aside {duration}.",
    )
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(live.url + preview_link(marketer))
    page.goto(f"{live.url}/preview/jobs/{SLUG}/preparing")
    expect(page.get_by_role("heading", name="Say hello to your camera")).to_be_visible()
    expect(page.locator("#preflight")).to_have_attribute("data-state", "ready", timeout=15_000)
    expect(page.get_by_role("button", name="All set — continue")).to_be_visible()

    page.goto(f"{live.url}/preview/jobs/{SLUG}/interview")
    check = page.locator("#preflight")
    expect(check).to_have_attribute("data-state", "ready", timeout=30_000)
    panel = page.locator("#before-start")
    expect(panel.get_by_role("heading", name="Before you start")).to_be_visible()
    expect(panel).to_contain_text("Three short questions about your work.")
    expect(panel.locator("strong", has_text="your work")).to_be_visible()
    expect(panel).to_contain_text("Set aside about 20 minutes.")
    expect(page.locator("#preflight-status")).to_have_text("Looking good. Start whenever you like.")
    shoot(page, "preview-preflight-1280x800")
    assert violations(page) == []
    page.get_by_role("button", name="Start the interview").click()
    frame = page.frame_locator("#interview-frame")
    expect(frame.locator("body")).to_contain_text("Preview Candidate", timeout=15_000)
    expect(panel).to_be_hidden()
