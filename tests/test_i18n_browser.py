"""The careers pages in German and Arabic in a real browser: layout, the switch, axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import ARTIFACTS, Site
from tests.helpers import seed
from tests.test_accessibility import violations

pytestmark = pytest.mark.browser
JOB = "/jobs/warehouse-team-lead-bratislava"


@pytest.fixture
def live(quiet_site: Site) -> Site:
    seed(quiet_site.app)
    return quiet_site


def _layout_problems(page: Page) -> list[str]:
    """Text wider than its box: the page scrolling sideways, or a button or label cut off."""
    return page.evaluate(
        """() => {
          const found = [];
          if (document.documentElement.scrollWidth > window.innerWidth + 1) found.push('page overflows');
          for (const el of document.querySelectorAll('.button, label, summary, .fact-label, h1, h2')) {
            if (el.offsetParent && el.scrollWidth > el.clientWidth + 1) found.push(el.outerHTML.slice(0, 80));
          }
          return found;
        }"""
    )


@pytest.mark.parametrize("lang", ["de", "ar"])
@pytest.mark.parametrize("width", [375, 1280])
def test_pages_in_german_and_arabic_are_clean(
    live: Site, page: Page, lang: str, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    for path in ("/", JOB, "/no-such-page"):
        page.goto(f"{live.url}/{lang}{path}")
        html = page.locator("html")
        expect(html).to_have_attribute("lang", lang)
        expect(html).to_have_attribute("dir", "rtl" if lang == "ar" else "ltr")
        assert _layout_problems(page) == [], (lang, width, path)
        page.locator(".language-switch summary").click()
        expect(page.locator(".language-switch ul")).to_be_visible()
        assert violations(page) == [], (lang, width, path)
        name = path.strip("/").replace("/", "-") or "home"
        page.screenshot(path=str(ARTIFACTS / f"i18n-{lang}-{width}-{name}.png"), full_page=True)


def test_arabic_mirrors_the_header_but_not_the_logo(live: Site, page: Page) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    shadow = "() => getComputedStyle(document.querySelector('.brand-mark')).boxShadow"
    page.goto(f"{live.url}/ar/")
    brand = page.locator(".brand").bounding_box()
    switch = page.locator(".language-switch").bounding_box()
    assert brand and switch and brand["x"] > switch["x"]  # the brand starts on the right
    arabic_mark = page.evaluate(shadow)
    page.goto(f"{live.url}/de/")
    brand = page.locator(".brand").bounding_box()
    switch = page.locator(".language-switch").bounding_box()
    assert brand and switch and brand["x"] < switch["x"]
    # The brand mark is a logo, not an arrow: it is drawn the same way in both directions.
    assert page.evaluate(shadow) == arabic_mark


def test_the_switch_works_from_the_keyboard_and_keeps_the_page(live: Site, page: Page) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live.url}{JOB}", wait_until="load")
    summary = page.locator(".language-switch summary")
    summary.focus()
    page.keyboard.press("Enter")
    czech = page.locator('.language-switch a[lang="cs"]')
    expect(czech).to_be_visible()
    czech.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live.url}/cs{JOB}")
    expect(page.locator("html")).to_have_attribute("lang", "cs")
    expect(page.get_by_text("Jazyk pohovoru: slovenština.")).to_be_visible()
    # Remembered: the unprefixed home page now opens in Czech.
    page.goto(f"{live.url}/")
    expect(page.locator("html")).to_have_attribute("lang", "cs")
