"""The candidate's thread in a real browser: the code, the e-mailed link, another device, a typo."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests import smtp_fixtures
from tests.conftest import ARTIFACTS, Site, make_site
from tests.helpers import RESUME_TEXT, code_in, link_in, mail_env, mail_to, seed
from tests.smtp_fixtures import SmtpServer

pytestmark = pytest.mark.browser
smtpd = smtp_fixtures.smtpd
SHOTS = ARTIFACTS / "candidate-thread"
PHONE, DESKTOP = {"width": 375, "height": 812}, {"width": 1280, "height": 900}
APPLY = "/jobs/data-analyst-amsterdam/apply"


@pytest.fixture
def live(tmp_path: Path, migrated_template: Path, smtpd: SmtpServer) -> Iterator[Site]:
    """A site whose platform takes ~2 s (so the code can be typed while it works), mailing smtpd."""
    for site in make_site(tmp_path, migrated_template, latency=2.0, env=mail_env(smtpd.port)):
        seed(site.app)
        site.start_workers()
        yield site


def shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def apply(page: Page, site: Site, email: str) -> None:
    page.goto(site.url + APPLY)
    page.get_by_label("Full name").fill("Amara Okafor")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Country you live in").select_option("NG")
    page.get_by_label("…or paste it as text").fill(RESUME_TEXT)
    page.get_by_role("checkbox").check()
    page.get_by_role("button", name="Send application").click()


def no_horizontal_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def expect_frame(page: Page) -> None:
    # The camera check comes first (fake devices pass it) unless this tab passed it already.
    start = page.get_by_role("button", name="Start the interview")
    expect(start.or_(page.locator("#interview-frame"))).to_be_visible(timeout=30_000)
    if start.is_visible():
        start.click()
    expect(
        page.frame_locator("#interview-frame").get_by_role("heading", name="Welcome, Amara Okafor")
    ).to_be_visible(timeout=30_000)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375", "1280"])
def test_the_code_typed_while_waiting_opens_the_interview_and_the_link_works_in_a_new_browser(
    live: Site, page: Page, browser: Browser, smtpd: SmtpServer, viewport: dict
) -> None:
    width = viewport["width"]
    email = f"amara.{width}@example.com"
    page.set_viewport_size(viewport)
    apply(page, live, email)
    expect(
        page.get_by_role("heading", name="While you wait: confirm your e-mail address")
    ).to_be_visible()
    expect(page.locator("iframe")).to_have_count(0)
    no_horizontal_scroll(page)
    shoot(page, f"code-while-waiting-{width}")

    message = mail_to(smtpd, email)[0]
    page.get_by_label("Your 6-digit code").fill("000")
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator("#code-error")).to_contain_text("does not match")
    no_horizontal_scroll(page)
    shoot(page, f"code-wrong-{width}")

    page.get_by_label("Your 6-digit code").fill(code_in(message))
    page.keyboard.press("Enter")  # keyboard alone sends it
    expect_frame(page)
    no_horizontal_scroll(page)
    shoot(page, f"code-accepted-interview-{width}")
    page.close()  # the tab is lost

    fresh = browser.new_context(viewport=viewport)
    try:
        other = fresh.new_page()
        other.goto(live.url + link_in(message))
        expect_frame(other)
    finally:
        fresh.close()


def test_the_ready_interview_waits_for_the_code(live: Site, page: Page, smtpd: SmtpServer) -> None:
    apply(page, live, "ready@example.com")
    expect(
        page.get_by_role(
            "heading", name="Your interview is ready — enter the code we sent to r•••@example.com"
        )
    ).to_be_visible(timeout=30_000)
    expect(page.locator("iframe")).to_have_count(0)
    for viewport in (PHONE, DESKTOP):
        page.set_viewport_size(viewport)
        shoot(page, f"code-interview-ready-{viewport['width']}")
    page.get_by_label("Your 6-digit code").fill(code_in(mail_to(smtpd, "ready@example.com")[0]))
    page.get_by_role("button", name="Confirm").click()
    expect_frame(page)


def test_the_same_email_from_a_second_browser_continues_in_our_frame(
    live: Site, page: Page, browser: Browser, smtpd: SmtpServer
) -> None:
    apply(page, live, "second@example.com")
    mail_to(smtpd, "second@example.com")
    second = browser.new_context(viewport=PHONE)
    try:
        other = second.new_page()
        apply(other, live, "second@example.com")
        expect(
            other.get_by_role("heading", name="You have already applied for Data Analyst")
        ).to_be_visible()
        expect(other.locator("iframe")).to_have_count(0)
        shoot(other, "already-applied-code-375")
        code = code_in(mail_to(smtpd, "second@example.com", count=2)[1])
        other.get_by_label("Your 6-digit code").fill(code)
        other.get_by_role("button", name="Continue").click()
        expect_frame(other)
        assert other.url.startswith(live.url + "/applications/")
    finally:
        second.close()


def test_an_expired_link_gets_a_new_one_by_email(live: Site, page: Page, smtpd: SmtpServer) -> None:
    apply(page, live, "late@example.com")
    expect(
        page.get_by_role("heading", name="While you wait: confirm your e-mail address")
    ).to_be_visible()
    live.app.config["CANDIDATE_LINK_MAX_AGE"] = -1
    page.reload()
    expect(page.get_by_role("heading", name="This link has expired")).to_be_visible()
    page.set_viewport_size(PHONE)
    shoot(page, "link-expired-375")
    page.get_by_role("button", name="E-mail me a new link").click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()
    shoot(page, "new-link-sent-375")
    live.app.config["CANDIDATE_LINK_MAX_AGE"] = 60 * 86400
    link = link_in(mail_to(smtpd, "late@example.com", count=2)[1])
    page.goto(live.url + link)
    expect_frame(page)


def test_a_mistyped_address_is_corrected_from_the_page(
    live: Site, page: Page, smtpd: SmtpServer
) -> None:
    page.set_viewport_size(PHONE)
    apply(page, live, "amara@exmaple.com")
    page.get_by_text("Wrong address?").click()
    page.get_by_label("The right e-mail address").fill("amara@example.com")
    shoot(page, "wrong-address-375")
    page.get_by_role("button", name="Use this address").click()
    expect(page.get_by_text("We sent a new code to a•••@example.com")).to_be_visible()
    shoot(page, "address-corrected-375")
    page.get_by_label("Your 6-digit code").fill(code_in(mail_to(smtpd, "amara@example.com")[0]))
    page.get_by_role("button", name="Confirm").click()
    expect_frame(page)
