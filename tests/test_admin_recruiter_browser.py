"""In a real Chromium: a recruiter creates and opens a position, a candidate applies to it, and the
recruiter follows the application to the platform's decision."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.admin_fixtures import PASSWORD, email_of, make_application
from tests.conftest import Site
from tests.helpers import position_id
from webapp.extensions import db
from webapp.services.accounts import create_user

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "admin"
DESKTOP = {"width": 1280, "height": 900}
RESUME = (
    "Pastry chef with eight years in hotel and restaurant kitchens in Zagreb and Vienna. Ran a "
    "pastry section of four, built seasonal dessert menus, and trained apprentices in laminated doughs."
)


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def sign_in(page: Page, site: Site) -> None:
    page.goto(f"{site.url}/admin/login")
    page.get_by_label("E-mail").fill(email_of("recruiter"))
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()


def create_and_open_position(page: Page) -> None:
    page.get_by_role("navigation", name="Admin").get_by_role("link", name="Positions").click()
    page.get_by_role("link", name="New position").click()
    page.get_by_label("Job title").fill("Pastry Chef")
    page.get_by_label("Location (required)").fill("Zagreb")
    page.get_by_label("Country (required)").select_option(label="Croatia")
    page.get_by_label("Interview language").select_option(label="English")
    page.get_by_label("Seniority").select_option(label="Senior")
    page.get_by_label("Short description").fill("Lead our pastry section in the new Zagreb bakery.")
    page.get_by_label("Attempts the candidate gets").fill("50")
    page.get_by_label("Maximum length (minutes)").fill("15")
    page.get_by_label("Closing prompt").select_option(label="No")
    page.get_by_label("Tags").fill("kitchen, zagreb")
    page.get_by_label("Company name").fill("Kestrel Bakeries")
    page.get_by_role("button", name="Save as draft").click()

    # The platform's own rule, next to the field and in the summary that takes the focus.
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Attempts the candidate gets: Must be between 1 and 20.")
    expect(page.get_by_label("Attempts the candidate gets")).to_have_attribute(
        "aria-invalid", "true"
    )
    shot(page, "position-form-error")
    page.get_by_label("Attempts the candidate gets").fill("2")
    page.get_by_role("button", name="Save as draft").click()

    expect(page.get_by_role("status").filter(has_text="saved as a draft")).to_be_visible()
    expect(page.locator(".status-panel")).to_contain_text("Draft")
    shot(page, "position-form")
    page.get_by_role("button", name="Open position").click()
    expect(page.get_by_role("status").filter(has_text="is open")).to_be_visible()
    expect(page.locator(".status-panel")).to_contain_text("/jobs/pastry-chef")


def apply_as_candidate(browser: Browser, site: Site) -> None:
    context = browser.new_context(viewport=DESKTOP)
    candidate = context.new_page()
    candidate.goto(f"{site.url}/")
    candidate.get_by_role("link", name="Pastry Chef").click()
    candidate.get_by_role("link", name=re.compile("Apply")).first.click()
    expect(candidate).to_have_url(re.compile(r"/jobs/pastry-chef/apply$"))
    candidate.get_by_label("Full name").fill("Mia Babić")
    candidate.get_by_label("E-mail").fill("mia.babic@example.com")
    candidate.get_by_label("Country you live in").select_option(label="Croatia")
    candidate.get_by_label("…or paste it as text").fill(RESUME)
    candidate.locator("#consent").check()
    candidate.get_by_role("button", name="Send application").click()
    expect(candidate).to_have_url(re.compile(r"/applications/"))
    context.close()


def test_a_recruiter_opens_a_position_and_follows_an_application_to_its_decision(
    page: Page, browser: Browser, site: Site
) -> None:
    with site.app.app_context():
        create_user(email_of("recruiter"), "recruiter", PASSWORD)
        db.session.remove()
    page.set_viewport_size(DESKTOP)
    sign_in(page, site)
    create_and_open_position(page)

    apply_as_candidate(browser, site)
    # Others in every state a recruiter meets, so the list shows its badges side by side.
    pastry = position_id(site.app, "pastry-chef")
    for name, fields in [
        (
            "Luka Perić",
            {"decision": "ai_reject", "reason": "The résumé does not match the position."},
        ),
        ("Sara Jurić", {"decision": "recruiter_action"}),
        ("Ivan Horvat", {"decision": "ai_accept", "interview_status": "completed", "score": 7.4}),
        (
            "Nina Kos",
            {"job_state": "gave_up", "decision": None, "last_error": "HTTP 422: unknown template"},
        ),
    ]:
        make_application(site.app, pastry, full_name=name, **fields)

    page.get_by_role("navigation", name="Admin").get_by_role("link", name="Positions").click()
    expect(page.locator("tbody tr").filter(has_text="Pastry Chef")).to_contain_text("Open")
    shot(page, "positions-list")
    page.get_by_role("navigation", name="Admin").get_by_role("link", name="Applications").click()
    row = page.locator("table.applications tbody tr").filter(has_text="Mia Babić")
    for _ in range(100):  # the worker calls the sandbox in the background
        if "Interview ready" in row.inner_text():
            break
        page.wait_for_timeout(200)
        page.reload()
    expect(row).to_contain_text("Interview ready")
    expect(row).to_contain_text("Pastry Chef")
    expect(row).to_contain_text("UTC")
    shot(page, "applications-list")

    row.get_by_role("link", name="Mia Babić").click()
    expect(page.get_by_role("heading", name="Mia Babić")).to_be_visible()
    expect(page.locator("dl.facts").first).to_contain_text("mia.babic@example.com")
    expect(page.get_by_text("Accepted by AI pre-screening")).to_be_visible()
    expect(page.locator(".resume-text")).to_contain_text("Pastry chef with eight years")
    expect(page.locator(".timeline")).to_contain_text("Interview platform decided: ai_accept")
    shot(page, "application-detail")
