"""In a real Chromium at 1280 px: a recruiter reads a submitted interview's result and plays it."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from tests.admin_fixtures import PASSWORD, email_of
from tests.conftest import Site
from tests.test_result_view import ANSWERS, take_interview
from webapp.extensions import db
from webapp.services.accounts import create_user

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "admin"


def test_the_recruiter_reads_and_plays_the_result_at_1280_px(site: Site, page: Page) -> None:
    application_id = take_interview(site)
    with site.app.app_context():
        create_user(email_of("recruiter"), "recruiter", PASSWORD)
        db.session.remove()
    refused: list[str] = []

    def watch(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            refused.append(message.text)

    page.on("console", watch)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{site.url}/admin/login")
    page.get_by_label("E-mail").fill(email_of("recruiter"))
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{site.url}/admin/applications/{application_id}")

    result = page.locator("#result")
    expect(result.get_by_role("heading", name="Interview result")).to_be_visible()
    expect(result.get_by_role("heading", name="Transcript")).to_be_visible()
    transcript = result.get_by_role("list", name="Transcript")
    expect(transcript.get_by_role("listitem")).to_have_count(len(ANSWERS))
    for answer in ANSWERS:
        expect(transcript).to_contain_text(answer)
    expect(result.get_by_role("heading", name="Reasons to hire")).to_be_visible()
    expect(result.get_by_role("button", name="PDF report")).to_be_visible()
    expect(result.get_by_role("link", name="Decide in JobMojito")).to_have_attribute(
        "href", "https://cool.jobmojito.com"
    )

    # The first answer's recording loads and plays from the platform's origin under the CSP.
    player = result.get_by_label("Recording of answer 1")
    player.scroll_into_view_if_needed()
    duration = player.evaluate(
        """(audio) => new Promise((resolve, reject) => {
            audio.addEventListener('loadedmetadata', () => resolve(audio.duration), {once: true});
            audio.addEventListener('error', () => reject(new Error('media error')), {once: true});
            audio.load();
        })"""
    )
    assert 1.0 < duration < 2.0
    assert refused == []

    # Nothing spills sideways at this width.
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    result.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "result-view-1280.png"), full_page=True)
