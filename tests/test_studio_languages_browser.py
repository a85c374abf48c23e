"""In a real Chromium at 1280 px: the studio's languages page and a text form in German."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import ARTIFACTS, Site
from tests.helpers import seed
from tests.studio_fixtures import PASSWORD, make_account
from tests.test_accessibility import violations

pytestmark = pytest.mark.browser

SHOTS = ARTIFACTS / "studio-languages"
DESKTOP = {"width": 1280, "height": 900}


def sign_in(page: Page, site: Site) -> None:
    page.goto(f"{site.url}/admin/login")
    page.fill("#email", "mara@kestrel.example")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{site.url}/admin/")


def no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= DESKTOP["width"], f"the page scrolls sideways: {width}px"


def test_the_studio_language_view_at_1280_px(site: Site, page: Page) -> None:
    seed(site.app)
    make_account(site.app, "mara@kestrel.example")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size(DESKTOP)
    sign_in(page, site)

    # Offer English, German and Dutch only; English stays the default.
    page.goto(f"{site.url}/admin/studio/languages")
    for box in page.locator("#languages-form input[name=offered]").all():
        if box.get_attribute("value") not in ("en", "de", "nl"):
            box.uncheck()
    page.click("#save-languages")
    expect(page.locator(".alert-success")).to_contain_text("Languages saved")

    # An English text of one's own, and its German version chosen from the selector.
    page.goto(f"{site.url}/admin/studio/draft")
    page.fill("#text_home_heading", "Ride with us")
    page.click("#save-draft")
    page.locator("#language-selector").get_by_role("link", name="German").click()
    expect(page.locator("#language-selector-heading")).to_have_text("Texts in German")
    expect(page.locator("#text_home_heading")).to_have_value("")
    expect(page.locator("#text_home_heading-hint")).to_contain_text("Missing in German")
    page.fill("#text_home_heading", "Fahr mit uns")
    page.click("#save-draft")
    expect(page.locator("#text_home_heading")).to_have_value("Fahr mit uns")
    assert violations(page) == []
    page.screenshot(path=str(SHOTS / "draft-german.png"), full_page=False)

    # The table: English and German are the marketer's, Dutch is missing and says what shows.
    page.goto(f"{site.url}/admin/studio/languages")
    row = page.locator("#coverage tr", has_text="Careers home: Heading")
    expect(row.locator("td")).to_have_text(["Your text", "Your text", "Missing"])
    expect(page.locator("#gap-list")).to_contain_text(
        "Careers home: Heading in Dutch: candidates read the English text “Ride with us”"
    )
    assert violations(page) == []
    no_sideways_scroll(page)
    page.screenshot(path=str(SHOTS / "languages.png"), full_page=True)

    # The studio page warns before publishing and offers a preview per language.
    page.goto(f"{site.url}/admin/studio")
    expect(page.locator("#publish-gaps")).to_contain_text("You can publish")
    expect(page.locator("#preview-language option")).to_have_text(["English", "German", "Dutch"])
    assert violations(page) == []
    no_sideways_scroll(page)
    page.screenshot(path=str(SHOTS / "studio.png"), full_page=True)
