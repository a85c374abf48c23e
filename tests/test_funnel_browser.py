"""In a real Chromium: a candidate lands from LinkedIn and applies; the application and the funnel
both name the source; the dashboard works by keyboard, passes axe and is looked at on two screens.

Headless Chromium calls itself ``HeadlessChrome``, which the counters treat as a crawler (scrapers
use it). The candidate here browses with an ordinary Chrome user agent, as a real candidate's
browser sends, so their visit is counted like one.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from tests.admin_fixtures import PASSWORD, email_of
from tests.conftest import Site
from tests.helpers import RESUME_TEXT, seed
from webapp.extensions import db
from webapp.services.accounts import create_user
from webapp.services.funnel import counters

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "funnel"
CHROME = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


def violations(page: Page) -> list[dict[str, Any]]:
    result = Axe().run(page, options=AXE_OPTIONS)
    return [
        {"rule": v["id"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result.response["violations"]
    ]


@pytest.fixture
def live(site: Site) -> Site:
    seed(site.app)
    with site.app.app_context():
        create_user(email_of("marketer"), "marketer", PASSWORD)
        create_user(email_of("recruiter"), "recruiter", PASSWORD)
        db.session.remove()
    return site


def candidate_applies_from_linkedin(browser: Browser, site: Site) -> None:
    context = browser.new_context(user_agent=CHROME)
    page = context.new_page()
    page.goto(f"{site.url}/jobs/data-analyst-amsterdam?utm_source=linkedin&utm_medium=social")
    page.get_by_role("link", name=re.compile("Apply", re.I)).first.click()
    expect(page).to_have_url(re.compile(r"/apply\?.*utm_source=linkedin"))
    page.get_by_label("Full name").fill("Ana Horvat")
    page.get_by_label("E-mail").fill("ana.horvat@example.com")
    page.get_by_label("Country you live in").select_option("HR")
    page.get_by_label("…or paste it as text").fill(RESUME_TEXT)
    page.get_by_role("checkbox").check()
    page.get_by_role("button", name="Send application").click()
    expect(page).to_have_url(re.compile(r"/applications/"))
    assert "utm_source" not in page.url
    context.close()


def sign_in(page: Page, site: Site, role: str) -> None:
    page.goto(f"{site.url}/admin/login")
    page.get_by_label("E-mail").fill(email_of(role))
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()


def test_a_candidate_from_linkedin_is_seen_in_the_application_and_the_funnel(
    live: Site, browser: Browser
) -> None:
    candidate_applies_from_linkedin(browser, live)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    recruiter = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(recruiter, live, "recruiter")
    recruiter.goto(f"{live.url}/admin/applications")
    recruiter.get_by_role("link", name="Ana Horvat").first.click()
    expect(recruiter.locator("#application-source")).to_have_text("linkedin / social")
    recruiter.context.close()

    counters(live.app).flush()
    marketer = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(marketer, live, "marketer")
    marketer.get_by_role("navigation", name="Admin").get_by_role("link", name="Funnel").click()
    sources = marketer.locator("#sources tbody tr").first
    expect(sources.locator("th")).to_have_text("linkedin / social")
    expect(sources.locator("td").nth(0)).to_have_text("1")  # the job page
    expect(sources.locator("td").nth(1)).to_have_text("1")  # the application
    expect(sources.locator("td").nth(2)).to_have_text("100.0%")
    expect(marketer.get_by_role("row", name=re.compile("Apply form views"))).to_contain_text("1")
    expect(marketer.get_by_role("row", name=re.compile("Applications sent"))).to_contain_text("1")
    assert violations(marketer) == []
    marketer.screenshot(path=str(ARTIFACTS / "dashboard-1280.png"), full_page=True)

    marketer.set_viewport_size({"width": 375, "height": 800})
    marketer.screenshot(path=str(ARTIFACTS / "dashboard-375.png"), full_page=True)
    wide = marketer.evaluate(
        """() => [...document.querySelectorAll('main *')]
            .filter(e => e.getBoundingClientRect().right > e.closest('.card, main').getBoundingClientRect().right + 0.5)
            .map(e => e.tagName + '.' + e.className + '#' + e.id).slice(0, 8)"""
    )
    assert wide == [], f"wider than its card on a phone: {wide}"
    assert violations(marketer) == []
    marketer.context.close()


def test_the_period_and_position_are_chosen_with_the_keyboard_alone(live: Site, page: Page) -> None:
    sign_in(page, live, "marketer")
    page.goto(f"{live.url}/admin/funnel")
    expect(page.get_by_role("heading", name="Nothing counted in this period yet")).to_be_visible()
    page.get_by_label("Period", exact=True).focus()
    page.keyboard.press("ArrowDown")  # the last 90 days, from the last 30
    reached = []
    for _ in range(12):  # each date field has a stop per part (day, month, year) in Chromium
        page.keyboard.press("Tab")
        reached.append(
            page.evaluate("document.activeElement.id || document.activeElement.textContent")
        )
        if reached[-1] == "Show":
            break
    assert [stop for stop in dict.fromkeys(reached)] == ["from", "to", "position", "Show"]
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"period=90"))
    expect(page.get_by_label("Period", exact=True)).to_have_value("90")
