"""Every public page passes axe-core's checks (WCAG 2.1 A and AA) on a phone and on a desktop."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.conftest import Site
from tests.helpers import RESUME_TEXT, email_link_path, seed

pytestmark = pytest.mark.browser
AXE = Axe()
OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


def violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's violations on the page as it is now, with the offending elements named."""
    result = AXE.run(page, options=OPTIONS)
    return [
        {"rule": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result.response["violations"]
    ]


def send_application(page: Page, email: str) -> None:
    """Fill the form on the current page with pasted text, and send it."""
    page.get_by_label("Full name").fill("Ana Horvat")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Country you live in").select_option("HR")
    page.get_by_label("…or paste it as text").fill(RESUME_TEXT)
    page.get_by_role("checkbox").check()
    page.get_by_role("button", name="Send application").click()


@pytest.fixture
def live(site: Site) -> Site:
    seed(site.app)
    return site


@pytest.mark.parametrize("width", [375, 1280])
def test_public_pages_have_no_accessibility_violations(live: Site, page: Page, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    found: dict[str, Any] = {}
    for path in (
        "/",
        "/?q=nothing-matches-this",
        "/jobs/data-analyst-amsterdam",
        "/jobs/data-analyst-amsterdam/apply",
    ):
        page.goto(live.url + path)
        found[path] = violations(page)

    page.get_by_role("button", name="Send application").click()  # the form with its errors
    expect(page.locator("#error-summary")).to_be_visible()
    found["apply with errors"] = violations(page)

    send_application(page, f"ana+review.{width}@example.com")
    found["progress"] = violations(page)
    expect(page.get_by_role("heading", name="Your application is being reviewed")).to_be_visible(
        timeout=30_000
    )
    found["review"] = violations(page)

    page.goto(live.url + "/jobs/data-analyst-amsterdam/apply")
    send_application(page, f"ana.{width}@example.com")
    candidate_page = urlparse(page.url).path
    expect(page.get_by_role("heading", name="Your interview", exact=True)).to_be_visible(
        timeout=30_000
    )
    found["code step"] = violations(page)
    page.get_by_label("Your 6-digit code").fill("12")
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator("#code-error")).to_be_visible()
    found["code step with an error"] = violations(page)

    page.goto(live.url + email_link_path(live.app, candidate_page))
    expect(page.locator("#preflight")).to_have_attribute("data-state", "ready", timeout=15_000)
    found["camera check"] = violations(page)
    page.get_by_role("button", name="Start the interview").click()
    expect(page.locator("#interview-frame")).to_be_visible()
    found["interview host page"] = violations(page)

    page.goto(live.url + "/find-my-application")
    found["find my application"] = violations(page)
    page.get_by_label("E-mail address").fill(f"ana.{width}@example.com")
    page.get_by_role("button", name="E-mail me my links").click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()
    found["find: check your inbox"] = violations(page)

    assert {name: issues for name, issues in found.items() if issues} == {}


def test_the_form_can_be_filled_and_sent_with_the_keyboard_alone(live: Site, page: Page) -> None:
    page.goto(live.url + "/jobs/data-analyst-amsterdam/apply")
    page.locator("body").press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.keyboard.press("Enter")
    order = []
    for _ in range(14):
        page.keyboard.press("Tab")
        order.append(
            page.evaluate("document.activeElement.id || document.activeElement.textContent.trim()")
        )
    for field in (
        "full_name",
        "email",
        "country",
        "resume_file",
        "resume_text",
        "linkedin_url",
        "consent",
    ):
        assert field in order, order
    assert order.index("full_name") < order.index("email") < order.index("consent")
    assert "website" not in order  # the bot trap is out of the way

    page.locator("#full_name").focus()
    page.keyboard.type("Ana Horvat")
    page.keyboard.press("Tab")
    page.keyboard.type("keys@example.com")
    page.keyboard.press("Tab")
    page.keyboard.type("Croatia")
    page.locator("#resume_text").focus()
    page.keyboard.type(RESUME_TEXT)
    page.locator("#consent").focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")  # the consent label's link to the privacy notice
    expect(page.get_by_role("link", name="privacy notice (opens in a new tab)")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(
        page.get_by_role("heading", name="Thank you — we have your application").or_(
            page.get_by_role("heading", name="Your interview", exact=True)
        )
    ).to_be_visible(timeout=30_000)


def test_the_checker_catches_a_field_without_a_label(live: Site, page: Page) -> None:
    page.goto(live.url + "/jobs/data-analyst-amsterdam/apply")
    page.evaluate("document.querySelector('label[for=full_name]').remove()")
    assert any(v["rule"] == "label" for v in violations(page))
