"""In a real Chromium: hostile custom CSS cannot hide, shrink, cover or disable the application form."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import ARTIFACTS, Site
from tests.helpers import RESUME_TEXT, seed
from tests.studio_fixtures import SLUG
from tests.test_candidate_browser import prove_address, start_interview
from webapp.extensions import db
from webapp.services.custom_css import sanitize_css

pytestmark = pytest.mark.browser

SHOTS = ARTIFACTS / "custom-css"
WIDTHS = {"phone": {"width": 375, "height": 740}, "desktop": {"width": 1280, "height": 900}}

# Each entry is an attack the form must survive; most target the form's ancestors and neighbours,
# which custom CSS may style, rather than the form itself, which it may not.
HOSTILE = {
    "negative-margins": ".site, main, .apply, section, .lead, h1, .breadcrumb "
    "{ margin: -9999px; margin-top: -20rem; margin-left: -200vw; margin-bottom: -100% }",
    "giant-paddings": ".site, main, section, .apply, .lead { padding: 99999px 0 0 5000px }"
    " h1 { padding-top: 400vh; min-height: 99999px }",
    "font-size-zero": ".site, main, section, div, p, span { font-size: 0; line-height: 0 }"
    " .apply { font-size: 0.001px !important } main { font-size: xx-small }",
    "transparent-text": ".site, main, section, .apply, div, p, span "
    "{ color: transparent; -webkit-text-fill-color: transparent; text-shadow: none }",
    "zero-contrast": ".site { color: #fff; background: #fff; --text: #fff; --surface: #fff;"
    " --brand: #fff; --on-brand: #fff; --line: #fff; --font: Nothing; --muted: #fff }"
    " section { --text: transparent; --surface: transparent; accent-color: #fff }",
    "dropped-layout": "section, main, .apply, div { transform: translateX(-300vw); clip-path: inset(50%);"
    " opacity: 0; visibility: hidden; filter: opacity(0); position: fixed; z-index: -1; height: 0;"
    " max-height: 0; overflow: hidden; columns: 40; text-indent: -9999px; display: none;"
    " content-visibility: hidden; contain: strict; zoom: 0.01; scale: 0 }",
    "sibling-overlays": ".lead, h1, .breadcrumb, .help-block, .site-footer, footer "
    "{ box-shadow: 0 0 0 100vmax #123 !important; text-shadow: 0 -40rem 0 #123, 0 0 60px #123;"
    " background: #123 } h1::before, .lead::after { content: ''; position: fixed; inset: 0;"
    " background: #123; z-index: 999 }",
    "element-selectors-into-the-form": "div, p, span, section div, main p { margin-left: -9999px;"
    " padding: 9999px; font-size: 0; color: transparent; max-width: 0; min-height: 9999px;"
    " border: 9999px solid #fff; letter-spacing: -1em }",
    "shrink-and-stretch": "section, main, .site, .apply { max-width: 1px; min-height: 99999px;"
    " gap: 9999px; row-gap: 9999px; max-width: min-content }",
    "spacing": "section, main, .site { letter-spacing: 500px; word-spacing: 9999px; line-height: 0;"
    " line-height: 0.01 }",
    "thick-decorations": "section, main, .site { text-decoration: underline overline line-through"
    " 999px #fff; text-decoration-thickness: 10em; text-underline-offset: -5em }",
    "borders": "section, main, .site, .apply { border: 9999px solid #fff;"
    " border-left-width: 5000px; border-inline-width: 80vw }",
    "hover-and-focus-shifts": ".apply:hover, main:hover, section:focus-within, .site:active,"
    " .lead:hover { margin-left: 8rem; padding-top: 8rem; font-size: 6rem; border-width: 0.5rem }",
    "important-calc-and-var": ".site { --m: -9999px; --zero: 0px } section, main { margin-top:"
    " calc(-100vh * 50) !important; padding-left: max(9999px, 1rem) !important;"
    " font-size: min(0px, 1rem) !important; margin-left: var(--m); font-size: var(--zero);"
    " font: 0/0 a; max-width: calc(1px) }",
}
HOSTILE["everything-at-once"] = "\n".join(HOSTILE.values())
WORST = "everything-at-once"

# The form's parts a candidate must see and use (the bot trap is meant to be out of sight).
CONTROLS = (
    ".apply-form label:not(.trap label), .apply-form legend, .apply-form select, .apply-form textarea,"
    " .apply-form input:not([type=hidden]):not(#website), .apply-form button[type=submit]"
)

AUDIT = """
([selector, minWidth]) => {
  const problems = [];
  const doc = document.documentElement;
  const rgba = (text) => {
    const m = text.match(/^rgba?\\(([^)]*)\\)$/);
    if (!m) return null;
    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
  };
  const luminance = ({r, g, b}) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const backdrop = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = rgba(getComputedStyle(e).backgroundColor);
      if (c && c.a >= 0.99) return c;
    }
    return {r: 255, g: 255, b: 255, a: 1};
  };
  const elements = [document.querySelector('.apply-form'), ...document.querySelectorAll(selector)];
  for (const el of elements) {
    const name = el.id ? '#' + el.id : el.htmlFor ? 'label[for=' + el.htmlFor + ']'
      : el.tagName.toLowerCase() + (el.className ? '.' + el.className : '');
    const bad = (what) => problems.push(name + ': ' + what);
    for (let e = el; e; e = e.parentElement) {
      const s = getComputedStyle(e);
      const who = e === el ? 'itself' : 'an ancestor (' + e.tagName.toLowerCase() + (e.className ? '.' + e.className : '') + ')';
      if (s.display === 'none') bad('display none on ' + who);
      if (s.opacity !== '1') bad('opacity ' + s.opacity + ' on ' + who);
      if (s.clipPath !== 'none') bad('clip-path on ' + who);
      if (s.filter !== 'none') bad('filter on ' + who);
      if (s.transform !== 'none') bad('transform on ' + who);
      if (s.contentVisibility && s.contentVisibility !== 'visible') bad('content-visibility on ' + who);
      if (e !== el && (s.overflowX !== 'visible' || s.overflowY !== 'visible')) {
        const a = e.getBoundingClientRect(), r = el.getBoundingClientRect();
        if (r.left < a.left - 1 || r.top < a.top - 1 || r.right > a.right + 1 || r.bottom > a.bottom + 1)
          bad('clipped by the overflow of ' + who);
      }
    }
    const s = getComputedStyle(el);
    if (s.visibility !== 'visible') bad('visibility ' + s.visibility);
    el.scrollIntoView({block: 'center', inline: 'center'});
    const r = el.getBoundingClientRect();
    const top = r.top + scrollY, left = r.left + scrollX;
    if (top < -1 || left < -1 || top + r.height > doc.scrollHeight + 1 || left + r.width > doc.scrollWidth + 1)
      bad('outside the document at ' + [left, top, r.width, r.height].map(Math.round));
    if (el.tagName !== 'FORM' && (r.top < -1 || r.left < -1 || r.bottom > innerHeight + 1 || r.right > innerWidth + 1))
      bad('not inside the window after scrolling to it: ' + [r.left, r.top, r.width, r.height].map(Math.round));
    const wide = el.matches('input[type=text], input[type=email], input[type=url], input:not([type]), select, textarea, form');
    const min = wide ? minWidth : el.matches('input[type=checkbox]') ? 16 : 20;
    if (r.width < min || r.height < 14 || r.height > (el.tagName === 'FORM' ? 4000 : 600)) bad('odd size ' + Math.round(r.width) + 'x' + Math.round(r.height));
    if (el.tagName !== 'FORM' && el.type !== 'checkbox') {
      if (parseFloat(s.fontSize) < 12) bad('font size ' + s.fontSize);
      const fg = rgba(s.color);
      if (!fg || fg.a < 0.99) bad('text colour ' + s.color);
      else {
        const [a, b] = [luminance(fg), luminance(backdrop(el))].sort((x, y) => y - x);
        const ratio = (a + 0.05) / (b + 0.05);
        if (ratio < 4.5) bad('text contrast ' + ratio.toFixed(2) + ':1');
      }
      if (parseFloat(s.letterSpacing) > 4 || parseFloat(s.wordSpacing) > 16) bad('spacing ' + s.letterSpacing + ' / ' + s.wordSpacing);
      if (s.webkitTextFillColor && rgba(s.webkitTextFillColor) && rgba(s.webkitTextFillColor).a < 0.99) bad('text fill ' + s.webkitTextFillColor);
    }
    const x = r.left + r.width / 2, y = r.top + Math.min(r.height / 2, 10);
    const hit = document.elementFromPoint(x, y);
    if (el.tagName !== 'FORM' && !(hit === el || el.contains(hit)))
      bad('covered by ' + (hit ? hit.tagName.toLowerCase() + (hit.className ? '.' + hit.className : '') : 'nothing'));
  }
  return problems;
}
"""


def publish_css(site: Site, css: str) -> None:
    """Make ``css`` the published custom CSS, as a marketer would through the studio."""
    with site.app.app_context():
        from webapp.services import studio

        draft = studio.get_draft()
        draft.custom_css = css
        db.session.commit()
        studio.publish(draft.revision, None)
        db.session.remove()


def audit(page: Page, width: int) -> list[str]:
    """Every way the form or one of its parts is not visible, reachable and uncovered."""
    minimum = 200 if width < 600 else 300
    problems: list[str] = page.evaluate(AUDIT, [CONTROLS, minimum])
    return problems


def apply_by_keyboard(page: Page, email: str) -> None:
    """Fill the form with real clicks and keystrokes, and send it with the Enter key."""
    page.click("#full_name", timeout=5000)
    page.keyboard.type("Ana Horvat")
    page.keyboard.press("Tab")
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type("Croatia")
    page.click("#resume_text", timeout=5000)
    page.keyboard.type(RESUME_TEXT)
    page.locator("#consent").focus()
    page.keyboard.press("Space")
    expect(page.locator("#consent")).to_be_checked()
    page.locator("button[type=submit]").focus()
    page.keyboard.press("Enter")
    expect(
        page.get_by_role("heading", name="Thank you — we have your application").or_(
            page.get_by_role("heading", name="Your interview")
        )
    ).to_be_visible(timeout=15_000)


@pytest.fixture
def shop(quiet_site: Site) -> Site:
    """The live site with positions, no workers: applications are stored and wait."""
    seed(quiet_site.app)
    SHOTS.mkdir(parents=True, exist_ok=True)
    return quiet_site


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("attack", list(HOSTILE))
def test_hostile_custom_css_leaves_the_application_form_visible_and_usable(
    shop: Site, page: Page, attack: str, width: str
) -> None:
    publish_css(shop, HOSTILE[attack])
    page.set_viewport_size(WIDTHS[width])
    page.goto(f"{shop.url}/jobs/{SLUG}/apply")
    if attack == WORST:
        page.screenshot(path=str(SHOTS / f"{attack}-{width}.png"), full_page=True)
    assert audit(page, WIDTHS[width]["width"]) == []
    apply_by_keyboard(page, f"ana+{attack}-{width}@example.com")


def test_the_checks_catch_a_hidden_form(shop: Site, page: Page) -> None:
    """The audit is not blind: the same attacks without the sanitiser do hide the form."""
    page.set_viewport_size(WIDTHS["phone"])
    page.goto(f"{shop.url}/jobs/{SLUG}/apply")
    assert audit(page, 375) == []
    for css in (
        ".apply-form { margin-top: -9999px !important }",
        ".apply-form label { font-size: 0 !important }",
        ".apply-form input, .apply-form select { color: transparent !important }",
        ".lead { position: relative; z-index: 5; height: 30rem; margin-bottom: -30rem; background: #123 }",
        ".field { opacity: 0.2 }",
        ".apply-form { clip-path: inset(50%) }",
        ".apply-form textarea { width: 40px !important }",
    ):
        page.evaluate(
            # A constructed sheet: the page's CSP refuses inline <style>, as it should.
            "css => { const s = new CSSStyleSheet(); s.replaceSync(css); document.adoptedStyleSheets = [s]; }",
            css,
        )
        assert audit(page, 375) != [], css


@pytest.mark.parametrize("attack", ["element-selectors-into-the-form", "shrink-and-stretch", WORST])
def test_hostile_custom_css_leaves_the_interview_frame_whole(
    site: Site, page: Page, attack: str
) -> None:
    seed(site.app)
    SHOTS.mkdir(parents=True, exist_ok=True)
    publish_css(site, HOSTILE[attack])
    page.set_viewport_size(WIDTHS["phone"])
    page.goto(f"{site.url}/jobs/{SLUG}/apply")
    apply_by_keyboard(page, f"ana+{attack}@example.com")
    # Once the interview is ready the page stops reloading itself; then the e-mailed link is opened.
    expect(page.get_by_role("heading", name="Your interview", exact=True)).to_be_visible(
        timeout=30_000
    )
    prove_address(page, site)
    start_interview(page)
    frame = page.locator("#interview-frame")
    expect(frame).to_be_visible(timeout=20_000)
    box: Any = page.evaluate(
        """() => {
      const f = document.getElementById('interview-frame');
      f.scrollIntoView({block: 'start'});
      const r = f.getBoundingClientRect();
      const hit = document.elementFromPoint(r.left + r.width / 2, r.top + Math.min(r.height / 2, 200));
      let faded = false;
      for (let e = f; e; e = e.parentElement) {
        const s = getComputedStyle(e);
        if (s.opacity !== '1' || s.visibility !== 'visible' || s.clipPath !== 'none' || s.transform !== 'none') faded = true;
      }
      return {left: r.left, right: r.right, width: r.width, height: r.height, hit: hit === f, faded,
              window: innerWidth};
    }"""
    )
    if attack == WORST:
        page.screenshot(path=str(SHOTS / f"{attack}-interview-phone.png"))
    assert box["hit"] and not box["faded"], box
    assert box["left"] >= 0 and box["right"] <= box["window"], box
    assert box["width"] >= 300 and box["height"] >= 400, box


def test_the_marketer_is_told_what_was_dropped_or_changed() -> None:
    notes = " ".join(sanitize_css(HOSTILE[WORST]).dropped)
    for part in ("margin", "padding", "font-size", "!important", "var()", "--surface", ":hover"):
        assert part in notes, part
