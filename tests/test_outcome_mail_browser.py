"""Outcome e-mail as a candidate sees it in Chromium at 375 and 1280 px (the HTML received over
real SMTP, loaded into a page), and the candidate page that says we will write."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from tests import smtp_fixtures
from tests.admin_fixtures import make_application
from tests.conftest import ARTIFACTS, Site, make_site
from tests.helpers import Candidate, mail_env, position_id, seed
from tests.smtp_fixtures import SITE_URL, SmtpServer
from webapp.extensions import db
from webapp.mail import enqueue, send_due

pytestmark = pytest.mark.browser
smtpd = smtp_fixtures.smtpd
mail_app = smtp_fixtures.mail_app
SHOTS = ARTIFACTS / "outcome-mail"
PHONE, DESKTOP = {"width": 375, "height": 812}, {"width": 1280, "height": 900}
VIEWPORTS = pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375", "1280"])
SLUG = "data-analyst-amsterdam"
# Each kind, the decision its application holds, its heading and its button.
KINDS = {
    "interview_ready": ("ai_accept", "Your interview is ready", "Start your interview"),
    "interview_accepted": ("recruiter_accept", "Good news", "Start your interview"),
    "interview_reminder": ("ai_accept", "Your interview is still open", "Start your interview"),
    "interview_thanks": ("ai_accept", "Thank you", "See your application"),
    "rejection": ("ai_reject", "Thank you for applying", "See open positions"),
}


def shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def no_horizontal_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def publish_brand(app: Flask) -> None:
    """A published brand with its own colour and name, as a marketer would set it."""
    from webapp.services.studio.draft import get_draft, save_draft
    from webapp.services.studio.publishing import publish

    with app.app_context():
        draft = get_draft()
        draft = save_draft(
            {"brand.primary_color": "#1f5f8b", "brand.company_name": "Harbour & Pine Cycles"},
            draft.revision,
            {},
            None,
        )
        publish(draft.revision, None)
        db.session.remove()


def received_html(app: Flask, smtpd: SmtpServer, kind: str, decision: str) -> str:
    """Queue one message of ``kind`` for a fitting application, send it, return its HTML part."""
    email = f"{kind.replace('_', '.')}@example.com"
    application_id = make_application(
        app, position_id(app, SLUG), email=email, full_name="Amara Okafor", decision=decision
    )
    with app.app_context():
        enqueue(kind, email, application_id=application_id)
        db.session.commit()
        db.session.remove()
    assert send_due(app, "sender-1") == 1
    (message,) = [m for m in smtpd.messages if email in str(m["To"])]
    html = message.get_body(preferencelist=("html",))
    assert html is not None
    return str(html.get_content())


@VIEWPORTS
@pytest.mark.parametrize("kind", list(KINDS))
def test_each_outcome_email_reads_well_on_a_phone_and_a_desktop(
    mail_app: Flask, smtpd: SmtpServer, page: Page, kind: str, viewport: dict
) -> None:
    publish_brand(mail_app)
    decision, heading, button = KINDS[kind]
    html = received_html(mail_app, smtpd, kind, decision)
    page.set_viewport_size(viewport)

    page.set_content(html)

    expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
    link = page.get_by_role("link", name=button)
    expect(link).to_be_visible()
    assert (link.get_attribute("href") or "").startswith(SITE_URL + "/")
    hrefs = [a.get_attribute("href") or "" for a in page.locator("a").all()]
    assert all(href.startswith(SITE_URL + "/") for href in hrefs), hrefs
    assert "Harbour & Pine Cycles" in page.inner_text("body")
    no_horizontal_scroll(page)
    shoot(page, f"{kind}-{viewport['width']}")


@pytest.fixture
def waiting_site(tmp_path: Path, migrated_template: Path, smtpd: SmtpServer) -> Iterator[Site]:
    """A live site whose rejections are e-mailed ten minutes after the decision."""
    env = mail_env(smtpd.port, REJECTION_EMAIL_DELAY="600")
    for site in make_site(tmp_path, migrated_template, env=env):
        seed(site.app)
        site.start_workers()
        yield site


@VIEWPORTS
def test_the_page_says_we_will_write_instead_of_a_verdict(
    waiting_site: Site, page: Page, viewport: dict
) -> None:
    candidate = Candidate(waiting_site.url)
    try:
        path = candidate.apply(SLUG, "theo+reject@example.com")
        candidate.wait_for_stage(path, "decided")
    finally:
        candidate.close()
    page.set_viewport_size(viewport)

    page.goto(waiting_site.url + path)

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Thank you — we will write to you by e-mail"
    )
    body = page.inner_text("main")
    assert re.search(r"we will write to you at \S+@example\.com", body), body
    assert "not be moving forward" not in body
    expect(page.get_by_role("link", name="See open positions")).to_be_visible()
    no_horizontal_scroll(page)
    shoot(page, f"we-will-write-{viewport['width']}")
