"""The interview room in Chromium: the camera check, its failures, the phone-first room, the ways out."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Browser, BrowserType, Page, expect

from tests.conftest import ARTIFACTS, Site
from tests.helpers import RESUME_TEXT, email_link_path, seed, wait_for
from tests.test_accessibility import violations

pytestmark = pytest.mark.browser
SHOTS = ARTIFACTS / "room"
APPLY = "/jobs/data-analyst-amsterdam/apply"
SIZES = {"375x667": (375, 667), "390x844": (390, 844), "1280x800": (1280, 800)}
FULL_CHROMIUM = "/usr/bin/chromium"
IN_APP_UA = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko)"
    " Mobile/15E148 Instagram 330.0.0.0 (iPhone14,2; iOS 17_5; en_US; en)"
)


@pytest.fixture
def live(site: Site) -> Site:
    seed(site.app)
    return site


def shoot(page: Page, name: str, full_page: bool = True) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)


def apply_and_prove(page: Page, site: Site, email: str) -> str:
    """Apply in this browser, prove the address there (the e-mailed link) and open the page."""
    page.goto(site.url + APPLY)
    page.get_by_label("Full name").fill("Amara Okafor")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Country you live in").select_option("NG")
    page.get_by_label("…or paste it as text").fill(RESUME_TEXT)
    page.get_by_role("checkbox").check()
    page.get_by_role("button", name="Send application").click()
    expect(page.get_by_role("heading", name="Your interview", exact=True)).to_be_visible(
        timeout=30_000
    )
    candidate_page = urlparse(page.url).path
    page.goto(site.url + email_link_path(site.app, candidate_page))
    return candidate_page


def room_geometry(page: Page) -> dict[str, Any]:
    """Boxes of the bar and the frame, the viewport, and whether the host page can scroll."""
    return page.evaluate(
        """() => {
          const box = el => el && !el.hidden ? el.getBoundingClientRect().toJSON() : null;
          window.scrollTo(0, 10000);
          const scrolled = window.scrollY;
          window.scrollTo(0, 0);
          return {frame: box(document.getElementById('interview-frame')),
                  bar: box(document.querySelector('.room-bar')),
                  width: window.innerWidth, height: window.innerHeight, scrolled};
        }"""
    )


@pytest.mark.parametrize("size", list(SIZES), ids=list(SIZES))
def test_the_check_passes_releases_the_devices_and_the_interview_starts(
    live: Site, page: Page, size: str
) -> None:
    width, height = SIZES[size]
    page.set_viewport_size({"width": width, "height": height})
    apply_and_prove(page, live, f"room.{width}@example.com")
    check = page.locator("#preflight")
    expect(check).to_have_attribute("data-state", "ready", timeout=15_000)
    expect(page.locator("#preflight-camera")).to_have_text("Camera: working")
    expect(page.locator("#preflight-microphone")).to_have_text("Microphone: working")
    wait_for(
        lambda: page.evaluate("document.getElementById('preflight-level').value > 0"),
        what="the level meter to move",
    )
    assert page.locator("#interview-frame").count() == 0  # the frame waits for the check
    shoot(page, f"preflight-ready-{size}")

    page.get_by_role("button", name="Start the interview").click()
    released = page.evaluate(
        "document.getElementById('preflight-video').srcObject === null"
        " && document.getElementById('preflight').hidden"
    )
    assert released
    frame = page.frame_locator("#interview-frame")
    expect(frame.locator("#camera-status")).to_have_text("Camera: granted", timeout=15_000)
    expect(frame.locator("#microphone-status")).to_have_text("Microphone: granted")
    page.wait_for_timeout(300)
    shoot(page, f"room-{size}", full_page=False)

    geometry = room_geometry(page)
    frame_box = geometry["frame"]
    if width < 640:
        assert geometry["scrolled"] == 0, geometry  # the host page never scrolls
        bar = geometry["bar"]
        assert bar and bar["top"] == 0 and bar["height"] <= 56, geometry
        assert abs(frame_box["top"] - bar["bottom"]) <= 1, geometry
        assert abs(frame_box["bottom"] - height) <= 1 and abs(frame_box["width"] - width) <= 1
        expect(page.get_by_role("button", name="Help")).to_be_visible()
        expect(page.get_by_role("link", name="Open in new tab")).to_be_visible()
    else:
        assert geometry["bar"] is None or geometry["bar"]["height"] == 0, geometry
        assert frame_box["top"] >= 0 and frame_box["bottom"] <= height, geometry
        assert frame_box["height"] >= 440, geometry

    # A reload does not repeat a passed check: the frame comes at once.
    page.reload()
    expect(page.locator("#interview-frame")).to_be_attached(timeout=10_000)
    expect(page.locator("#preflight")).to_be_hidden()


def test_help_leaves_the_room_and_comes_back_by_keyboard(live: Site, page: Page) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    apply_and_prove(page, live, "keys.room@example.com")
    go = page.get_by_role("button", name="Start the interview")
    expect(go).to_be_visible(timeout=15_000)
    go.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#interview-frame")).to_be_attached()
    help_button = page.get_by_role("button", name="Help")
    help_button.focus()
    page.keyboard.press("Enter")
    expect(page.locator("summary", has_text="Need an adjustment")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # the first choice
    expect(page.locator("#need-adjustment")).to_be_checked()
    page.locator("#adjustment-details").focus()
    page.keyboard.type("Captions, please.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Thank you — we have your request")).to_be_visible()
    shoot(page, "adjustment-sent-390x844")


@pytest.fixture(scope="module")
def denying_browser(browser_type: BrowserType, browser_type_launch_args: dict) -> Iterator[Browser]:
    """Chromium with a fake camera but no automatic permission: the page is refused it.

    The headless shell has no permission prompt at all (it answers NotSupportedError), so this
    needs the full browser in headless mode, which denies the prompt it cannot show.
    """
    args = [a for a in browser_type_launch_args["args"] if a != "--use-fake-ui-for-media-stream"]
    args.append("--deny-permission-prompts")
    launch = {**browser_type_launch_args, "args": args}
    if "headless-shell" in str(launch.get("executable_path", "")):
        if not Path(FULL_CHROMIUM).exists():
            pytest.skip("denying a permission needs the full Chromium, not only its headless shell")
        launch["executable_path"] = FULL_CHROMIUM
    browser = browser_type.launch(**launch)
    yield browser
    browser.close()


@pytest.fixture(scope="module")
def deviceless_browser(
    browser_type: BrowserType, browser_type_launch_args: dict
) -> Iterator[Browser]:
    """Chromium that allows every request, on a machine with no camera or microphone."""
    args = [
        a for a in browser_type_launch_args["args"] if a != "--use-fake-device-for-media-stream"
    ]
    browser = browser_type.launch(**{**browser_type_launch_args, "args": args})
    yield browser
    browser.close()


@pytest.mark.parametrize(
    ("which", "agent", "state", "heading"),
    [
        ("denied", None, "denied", "Your browser blocked the camera or microphone"),
        ("denied", IN_APP_UA, "inapp", "Please open this page in your browser"),
        ("deviceless", None, "notfound", "We could not find a camera or microphone"),
    ],
    ids=["denied", "in-app", "no-device"],
)
def test_each_failure_gets_its_own_friendly_explanation(
    live: Site,
    denying_browser: Browser,
    deviceless_browser: Browser,
    which: str,
    agent: str | None,
    state: str,
    heading: str,
) -> None:
    browser = denying_browser if which == "denied" else deviceless_browser
    options: dict[str, Any] = {"viewport": {"width": 375, "height": 667}}
    if agent:
        options["user_agent"] = agent
    context = browser.new_context(**options)
    context.grant_permissions([])
    page = context.new_page()
    try:
        apply_and_prove(page, live, f"{state}@example.com")
        check = page.locator("#preflight")
        expect(check).to_have_attribute("data-state", state, timeout=15_000)
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
        expect(page.get_by_role("button", name="Skip the check")).to_be_visible()
        expect(check.get_by_role("link", name="Open the interview in a new tab")).to_be_visible()
        if state == "denied":
            expect(page.locator("[data-browser='chrome']")).to_be_visible()
            expect(page.locator("[data-browser='safari-phone']")).to_be_hidden()
        if state == "inapp":
            expect(page.get_by_role("button", name="Copy the link").last).to_be_visible()
        shoot(page, f"preflight-{state}-375x667")
        assert violations(page) == []
        page.get_by_role("button", name="Skip the check").click()
        expect(page.locator("#interview-frame")).to_be_attached()
    finally:
        context.close()


@pytest.mark.parametrize("width", [375, 1280])
def test_the_new_steps_have_no_accessibility_violations(live: Site, page: Page, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    candidate_page = apply_and_prove(page, live, f"axe.room.{width}@example.com")
    expect(page.locator("#preflight")).to_have_attribute("data-state", "ready", timeout=15_000)
    found = {"preflight": violations(page)}
    page.locator("summary", has_text="Need an adjustment").click()
    found["adjustment fold"] = violations(page)
    page.goto(live.url + candidate_page + "/adjustment")
    page.get_by_role("button", name="Send my request").click(no_wait_after=True)
    page.evaluate("document.querySelector('.adjustment-form').noValidate = true")
    page.get_by_role("button", name="Send my request").click()
    expect(page.locator("#error-summary")).to_be_visible()
    found["adjustment with an error"] = violations(page)
    page.goto(live.url + candidate_page)
    page.get_by_role("button", name="Start the interview").click()
    found["room"] = violations(page)
    assert {name: issues for name, issues in found.items() if issues} == {}
