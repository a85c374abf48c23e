"""In a real Chromium at 1280 px: a marketer writes an FAQ section in German and candidates read it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.conftest import ARTIFACTS, Site
from tests.test_accessibility import violations
from tests.test_sections_browser import live, new_page, sign_in  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser

SHOTS = ARTIFACTS / "section-languages"


def test_the_section_editor_in_german(live: Site, browser: Browser) -> None:  # noqa: F811
    SHOTS.mkdir(parents=True, exist_ok=True)
    context, page = new_page(browser)
    sign_in(page, live)
    page.goto(f"{live.url}/admin/studio/sections/home")
    page.click("text=Add an FAQ")
    page.fill("#heading", "Questions about the job")
    page.fill("#faq", "Can I work part time?\nYes, from 24 hours a week.")
    page.click("#save-section")
    page.click(".section-row a:has-text('Edit')")

    # The language selector, as on the texts: German, with the English words to translate from.
    page.click("#language-selector a:has-text('German')")
    expect(page.locator("h1")).to_have_text("Edit: FAQ — German")
    expect(page.locator("#translation-state")).to_contain_text("Not written in German yet")
    expect(page.locator("#source-words")).to_contain_text("Can I work part time?")
    expect(page.locator("#faq")).to_have_attribute("lang", "de")
    page.screenshot(path=str(SHOTS / "editor-de-1280.png"), full_page=True)
    assert violations(page) == []

    page.fill("#heading", "Fragen zur Stelle")
    page.fill("#faq", "Kann ich in Teilzeit arbeiten?\nJa, ab 24 Stunden pro Woche.")
    page.click("#save-section")
    expect(page.locator(".alert-success")).to_contain_text("FAQ saved in German")
    page.click(".section-row a:has-text('Edit')")
    page.click("#language-selector a:has-text('German')")
    expect(page.locator("#translation-state")).to_contain_text("Your text")
    expect(page.locator("#language-selector a[aria-current=page]")).to_have_text("German")
    expect(page.locator("#heading-hint")).to_contain_text("show the English words instead")
    page.screenshot(path=str(SHOTS / "editor-de-written-1280.png"), full_page=True)
    page.locator("#faq").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "editor-de-written-viewport-1280.png"))
    assert violations(page) == []

    page.goto(f"{live.url}/admin/studio/sections/home")
    expect(page.locator(".section-missing")).to_contain_text("Not written in: Dutch")
    expect(page.locator(".section-missing")).not_to_contain_text("German")
    page.screenshot(path=str(SHOTS / "sections-1280.png"), full_page=True)
    assert violations(page) == []
    page.goto(f"{live.url}/admin/studio/languages")
    page.screenshot(path=str(SHOTS / "languages-1280.png"), full_page=True)
    assert violations(page) == []
    page.goto(f"{live.url}/admin/studio")
    page.click("#publish")
    expect(page.locator(".alert-success")).to_contain_text("Published as version")

    candidate_context, candidate = new_page(browser)
    candidate.goto(f"{live.url}/de/")
    faq = candidate.locator(".section-faq")
    expect(faq.locator("h2")).to_have_text("Fragen zur Stelle")
    faq.locator("summary").click()
    expect(faq.locator(".faq-answer")).to_contain_text("Ja, ab 24 Stunden pro Woche.")
    faq.screenshot(path=str(SHOTS / "faq-de-1280.png"))
    assert violations(candidate) == []
    candidate.goto(f"{live.url}/")
    expect(candidate.locator(".section-faq h2")).to_have_text("Questions about the job")
    candidate_context.close()
    context.close()
