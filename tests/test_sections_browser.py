"""In a real Chromium: a marketer builds page sections and ships them; phones see the jobs first."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.conftest import ARTIFACTS, Site
from tests.helpers import seed
from tests.studio_fixtures import PASSWORD, SLUG, make_account, photo_jpeg
from tests.test_accessibility import violations
from webapp.extensions import db

pytestmark = pytest.mark.browser

SHOTS = ARTIFACTS / "sections"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 667}


@pytest.fixture
def live(site: Site) -> Site:
    """The live site with positions, a marketer, and a first published version to go back to."""
    seed(site.app)
    make_account(site.app, "mara@kestrel.example")
    with site.app.app_context():
        from webapp.services import studio

        studio.publish(studio.get_draft().revision, None)
        db.session.remove()
    SHOTS.mkdir(parents=True, exist_ok=True)
    return site


def new_page(browser: Browser, viewport: dict[str, int] = DESKTOP) -> tuple[BrowserContext, Page]:
    """A fresh browser profile: no cookies, no account, no preview."""
    context = browser.new_context(viewport=viewport)  # type: ignore[arg-type]
    return context, context.new_page()


def sign_in(page: Page, site: Site) -> None:
    page.goto(f"{site.url}/admin/login")
    page.fill("#email", "mara@kestrel.example")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{site.url}/admin/")


def add_hero_benefits_and_faq(page: Page, site: Site, where: str) -> None:
    """On the sections page of ``where``, add a hero image, a benefits list and an FAQ."""
    page.goto(f"{site.url}/admin/studio/sections/{where}")
    page.click("text=Add a hero image")
    page.set_input_files(
        "#image_file",
        files=[{"name": "team.jpg", "mimeType": "image/jpeg", "buffer": photo_jpeg()}],
    )
    page.click("#save-section")
    # Refused without alt text, the upload kept: only the description is asked for.
    expect(page.locator("#error-summary")).to_contain_text("Describe the image")
    expect(page.locator(".section-thumb-large")).to_be_visible()
    assert violations(page) == []
    page.fill("#alt", "Two mechanics fitting a wheel in the Vienna workshop")
    page.click("#save-section")
    expect(page.locator(".alert-success")).to_contain_text("Hero image added")
    page.click("text=Add a benefits list")
    page.fill("#heading", "What you get")
    page.fill(
        "#benefits", "30 days of paid holiday\nA company e-bike\nPaid training\nLunch on Fridays"
    )
    page.click("#save-section")
    page.click("text=Add an FAQ")
    page.fill("#heading", "Questions about the job")
    page.fill(
        "#faq",
        "Do I need my own tools?\nNo. Every technician gets a full **tool kit**.\n\n"
        "Can I work part time?\nYes, from 24 hours a week.",
    )
    page.click("#save-section")
    expect(page.locator(".section-row")).to_have_count(3)
    assert violations(page) == []


def check_pages(page: Page, site: Site, prefix: str, fresh: bool = False) -> None:
    """Screenshots and axe at phone and desktop widths, of the home and a job page.

    ``fresh``: the browser has fetched no image yet (a cached larger size would be reused).
    """
    for name, size in (("375", PHONE), ("1280", DESKTOP)):
        page.set_viewport_size(size)  # type: ignore[arg-type]
        for label, url in (("job", f"/jobs/{SLUG}"), ("home", "/")):  # smaller layout first
            page.goto(site.url + url)
            # The sections follow the jobs on a phone (a preview adds its bar on top, so: candidates).
            if (prefix, label, name) == ("published", "home", "375"):
                assert first_job_bottom(page) <= PHONE["height"]
            hero = page.locator(".section-hero img").first
            hero.scroll_into_view_if_needed()
            expect(hero).to_have_js_property("complete", True)
            assert hero.evaluate("i => i.naturalWidth") > 0
            # The browser picks a size to fit: the phone never fetches the widest.
            if fresh and name == "375":
                assert "-1600.webp" not in hero.evaluate("i => i.currentSrc")
            if (label, name) == ("job", "1280"):  # the page says how wide its column lays it out
                assert "44rem" in (hero.get_attribute("sizes") or "")
            assert violations(page) == [], (label, name)
            page.screenshot(path=str(SHOTS / f"{prefix}-{label}-{name}.png"), full_page=True)


def test_a_marketer_adds_sections_previews_publishes_rolls_back_and_restores(
    live: Site, page: Page, browser: Browser
) -> None:
    page.set_viewport_size(DESKTOP)  # type: ignore[arg-type]
    sign_in(page, live)
    page.click("nav[aria-label=Admin] >> text=Site studio")
    page.click("#sections-heading ~ ul >> text=Job pages")
    expect(page.locator("h1")).to_have_text("Job pages: sections")
    add_hero_benefits_and_faq(page, live, "job")
    # The FAQ moves above the benefits, by button (keyboard: focus and Enter).
    page.get_by_role("button", name="Move up FAQ 3").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".section-row").nth(1)).to_contain_text("FAQ")
    page.screenshot(path=str(SHOTS / "00-studio-sections.png"), full_page=True)
    add_hero_benefits_and_faq(page, live, "home")

    # Preview: a browser holding a link sees the draft's sections; candidates do not yet.
    page.goto(f"{live.url}/admin/studio")
    page.click("#create-preview-link")
    link = page.input_value("#preview-link")
    viewer_context, viewer = new_page(browser)
    viewer.goto(link)
    viewer.goto(f"{live.url}/jobs/{SLUG}")
    expect(viewer.locator(".section-faq h2")).to_have_text("Questions about the job")
    check_pages(viewer, live, "preview")
    # The FAQ opens by keyboard, with its Markdown rendered.
    viewer.set_viewport_size(DESKTOP)  # type: ignore[arg-type]
    viewer.goto(f"{live.url}/jobs/{SLUG}")
    first = viewer.locator(".faq-item").first
    expect(first.locator(".faq-answer")).to_be_hidden()
    first.locator("summary").focus()
    viewer.keyboard.press("Enter")
    expect(first.locator(".faq-answer strong")).to_have_text("tool kit")
    candidate_context, candidate = new_page(browser)
    candidate.goto(f"{live.url}/jobs/{SLUG}")
    expect(candidate.locator(".section")).to_have_count(0)

    # Publish: candidates see the sections, in the chosen order.
    page.click("#publish")
    expect(page.locator(".alert-success")).to_contain_text("Published as version 2")
    expect(page.locator("#privacy-flag")).to_contain_text("has not been reviewed")
    page.screenshot(path=str(SHOTS / "01-studio-home.png"), full_page=True)
    candidate.reload()
    expect(candidate.locator(".sections > *")).to_have_count(3)
    expect(candidate.locator(".sections > *").nth(1)).to_have_class("section section-faq")
    fresh_context, fresh = new_page(browser, PHONE)
    check_pages(fresh, live, "published", fresh=True)
    fresh_context.close()

    # More work in the draft, then a rollback: the work is set aside, candidates see version 1.
    page.goto(f"{live.url}/admin/studio/sections/job")
    page.click("text=Add a quote from the team")
    page.fill("#quote", "I fix bikes that keep a whole city moving.")
    page.fill("#name", "Ana Horvat")
    page.fill("#role", "Service technician, Vienna")
    page.click("#save-section")
    page.goto(f"{live.url}/admin/studio")
    page.click("#version-1 a")
    expect(page.locator("main")).to_contain_text("Job pages: sections")
    page.click("#confirm-rollback")
    candidate.goto(f"{live.url}/jobs/{SLUG}")
    expect(candidate.locator(".section")).to_have_count(0)
    page.goto(f"{live.url}/admin/studio/sections/job")
    expect(page.locator("#no-sections")).to_be_visible()

    # Restore the set-aside draft: all four sections are back in the draft, quote included.
    page.goto(f"{live.url}/admin/studio")
    page.click("#saved-drafts a")
    page.click("#confirm-restore")
    page.goto(f"{live.url}/admin/studio/sections/job")
    expect(page.locator(".section-row")).to_have_count(4)
    expect(page.locator(".section-row").nth(3)).to_contain_text("I fix bikes")
    page.goto(f"{live.url}/admin/studio")
    page.click("#publish")
    candidate.goto(f"{live.url}/jobs/{SLUG}")
    expect(candidate.locator(".section-quote figcaption")).to_contain_text("Ana Horvat")
    candidate.set_viewport_size(PHONE)  # type: ignore[arg-type]
    candidate.locator(".section-quote").scroll_into_view_if_needed()
    candidate.locator(".sections").screenshot(path=str(SHOTS / "quote-job-375.png"))
    for context in (viewer_context, candidate_context):
        context.close()


def first_job_bottom(page: Page) -> float:
    box = page.locator(".job-card h3").first.bounding_box()
    assert box is not None
    return float(box["y"] + box["height"])


def test_on_a_phone_the_first_job_is_on_the_first_screen(live: Site, browser: Browser) -> None:
    context, phone = new_page(browser, PHONE)
    phone.goto(live.url + "/")
    assert first_job_bottom(phone) <= PHONE["height"]
    summary = phone.locator(".filters-fold > summary")
    expect(summary).to_have_text("Filter jobs")
    expect(phone.locator("#location")).to_be_hidden()
    summary.focus()
    phone.keyboard.press("Enter")  # opens without any script
    expect(phone.locator("#location")).to_be_visible()
    phone.screenshot(path=str(SHOTS / "phone-filters-open.png"))

    phone.goto(live.url + "/?location=Amsterdam&country=NL")
    expect(phone.locator(".filters-fold > summary")).to_have_text("Filter jobs (2 active)")
    assert first_job_bottom(phone) <= PHONE["height"]
    phone.goto(live.url + "/")
    phone.screenshot(path=str(SHOTS / "phone-list-first-screen.png"))
    assert violations(phone) == []

    # At desktop width the filters stand open, without a control to press.
    desktop_context, desktop = new_page(browser, DESKTOP)
    desktop.goto(live.url + "/")
    expect(desktop.locator("#location")).to_be_visible()
    expect(desktop.locator(".filters-fold > summary")).to_be_hidden()
    desktop.screenshot(path=str(SHOTS / "desktop-list.png"))
    for each in (context, desktop_context):
        each.close()


def test_scripts_off_the_phone_list_still_filters(live: Site, browser: Browser) -> None:
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)  # type: ignore[arg-type]
    phone = context.new_page()
    phone.goto(live.url + "/")
    phone.click(".filters-fold > summary")
    phone.select_option("#country", "NL")
    phone.click(".filter-actions button")
    expect(phone.locator(".filters-fold > summary")).to_have_text("Filter jobs (1 active)")
    expect(phone.locator(".job-card").first).to_contain_text("Amsterdam")
    context.close()
