"""In Chromium: a recruiter's decision and a finished interview reach the candidate's page even
when no webhook says so, and the candidate hears of the decision by e-mail."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests import smtp_fixtures
from tests.conftest import ARTIFACTS, SANDBOX_TOKEN, Site, make_site
from tests.helpers import RESUME_TEXT, mail_env, mail_text, mail_to, seed
from tests.smtp_fixtures import SmtpServer
from tests.test_candidate_browser import fill_form, prove_address, start_interview

pytestmark = pytest.mark.browser

SLUG = "data-analyst-amsterdam"
SHOTS = ARTIFACTS / "review-and-silence"
smtpd = smtp_fixtures.smtpd


@pytest.fixture
def checking_site(tmp_path: Path, migrated_template: Path, smtpd: SmtpServer) -> Iterator[Site]:
    """A live site whose workers ask the platform soon and often, sending mail to ``smtpd``."""
    env = mail_env(
        smtpd.port,
        RESULT_POLL_SCHEDULE="0.3,0.5,1",
        WEBHOOK_SILENCE_SECONDS="1",
        INTERVIEW_READY_EMAIL_DELAY="0",
    )
    for live in make_site(tmp_path, migrated_template, env=env):
        seed(live.app)
        live.start_workers()
        yield live


def _apply(page: Page, site: Site, email: str) -> None:
    page.goto(f"{site.url}/jobs/{SLUG}/apply")
    fill_form(page, "Tara Quinn", email, text=RESUME_TEXT)
    page.get_by_role("button", name="Send application").click()


def test_accepted_in_the_console_the_page_turns_into_the_interview_and_an_email_arrives(
    checking_site: Site, smtpd: SmtpServer, page: Page
) -> None:
    site = checking_site
    _apply(page, site, "tara+review@example.com")
    expect(page.get_by_role("heading", name="Your application is being reviewed")).to_be_visible(
        timeout=30_000
    )
    prove_address(page, site)
    candidate_page = page.url

    console = page.context.new_page()
    console.goto(f"{site.sandbox.url}/console")
    console.get_by_role("button", name="Accept Tara Quinn for Data Analyst").click()
    expect(console.get_by_role("status")).to_contain_text("Accepted")
    console.close()

    # The page polls while the review lasts; the workers' next check learns the decision.
    page.goto(candidate_page)
    expect(page.get_by_role("heading", name="Your interview", exact=True)).to_be_visible(
        timeout=30_000
    )
    start_interview(page)
    frame = page.frame_locator("#interview-frame")
    expect(frame.get_by_role("heading", name="Welcome, Tara Quinn")).to_be_visible(timeout=15_000)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "accepted-interview-1280.png"), full_page=True)

    accepted = [
        message
        for message in mail_to(smtpd, "tara+review@example.com", count=2, timeout=20)
        if "/continue/" in mail_text(message) and "Good news" in str(message["Subject"])
    ]
    assert accepted, [str(m["Subject"]) for m in smtpd.messages]
    assert site.sandbox.calls()["api_calls"] == 1  # one create call, never a second


def test_with_webhooks_off_the_finished_interview_still_reaches_the_page(
    checking_site: Site, page: Page
) -> None:
    site = checking_site
    with httpx.Client(
        base_url=site.sandbox.url, headers={"Authorization": f"Bearer {SANDBOX_TOKEN}"}
    ) as control:
        control.post("/_sandbox/webhooks", json={"enabled": False}).raise_for_status()

    _apply(page, site, "silent@example.com")
    expect(page.get_by_role("heading", name="Your interview", exact=True)).to_be_visible(
        timeout=30_000
    )
    prove_address(page, site)
    start_interview(page)
    frame = page.frame_locator("#interview-frame")
    expect(frame.get_by_role("heading", name="Welcome, Tara Quinn")).to_be_visible(timeout=15_000)
    for _ in range(5):
        next_button = frame.get_by_role("button", name="Next question")
        if next_button.count() == 0 or not next_button.first.is_visible():
            break
        next_button.first.click()
    frame.get_by_role("button", name="Submit interview").click()
    expect(frame.get_by_role("heading", name="Interview submitted")).to_be_visible()

    # No webhook comes; the workers' check of the results list finishes the interview.
    expect(
        page.get_by_role("heading", name="Thank you — your interview is complete")
    ).to_be_visible(timeout=40_000)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "finished-without-webhooks-1280.png"), full_page=True)
    assert site.sandbox.calls()["api_calls"] == 1
