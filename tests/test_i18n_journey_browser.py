"""The candidate's whole journey in German and in Arabic in Chromium, and the language switch on
the way: the job, the form, the candidate page, the e-mailed code, the camera check, the frame."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from tests import smtp_fixtures
from tests.conftest import ARTIFACTS, Site, make_site
from tests.helpers import mail_env, mail_text, mail_to, seed
from tests.leakwatch import LEAKS
from tests.smtp_fixtures import SmtpServer
from tests.test_accessibility import violations
from tests.test_interview_room_browser import room_geometry
from webapp.demo.resumes import write_sample_resumes

pytestmark = pytest.mark.browser
smtpd = smtp_fixtures.smtpd
SHOTS = ARTIFACTS / "i18n-journey"
SIZES = {375: 667, 1280: 800}
# A German candidate applies for the Berlin role (interviewed in German); an Arabic-speaking one
# for the Amsterdam role (interviewed in English): the page must say so in the candidate's words.
JOBS = {"de": ("product-designer-berlin", "de"), "ar": ("data-analyst-amsterdam", "en")}
OTHER = {"de": "ar", "ar": "de"}


@pytest.fixture
def live(tmp_path: Path, migrated_template: Path, smtpd: SmtpServer) -> Iterator[Site]:
    """The site with its workers, mailing ``smtpd``."""
    for site in make_site(tmp_path, migrated_template, env=mail_env(smtpd.port)):
        seed(site.app)
        site.start_workers()
        yield site


@pytest.fixture
def quiet(tmp_path: Path, migrated_template: Path) -> Iterator[Site]:
    """The site with no workers: applications wait, which is all the switch tests need."""
    for site in make_site(tmp_path, migrated_template):
        seed(site.app)
        yield site


def say(app: Flask, lang: str, msgid: str, **values: Any) -> str:
    """``msgid`` as the catalogue of ``lang`` words it, with ``values`` filled in."""
    from flask_babel import force_locale, gettext

    with app.test_request_context("/"), force_locale(lang):
        return gettext(msgid, **values)


def interview_sentence(app: Flask, lang: str, code: str) -> str:
    """The plain statement of the interview's language, as a page in ``lang`` words it."""
    from webapp.i18n.language_names import interview_language_name

    name = interview_language_name(code, lang, standalone=False)
    return say(app, lang, "The interview is in %(language)s.", language=name)


def layout_problems(page: Page) -> list[str]:
    """Sideways scrolling, or text wider than its button, label, badge or table cell."""
    return page.evaluate(
        """() => {
          const found = [];
          if (document.documentElement.scrollWidth > window.innerWidth + 1) found.push('page overflows');
          const boxes = 'button, .button, label, legend, summary, .fact-label, .step-label, .notice,'
            + ' [class*="badge"], [class*="status"], td, th, h1, h2, h3, input, select, .room-brand, .room-link';
          for (const el of document.querySelectorAll(boxes)) {
            if (!el.offsetParent || el.closest('[aria-hidden="true"], .visually-hidden')) continue;
            if (el.scrollWidth > el.clientWidth + 1) found.push(el.outerHTML.slice(0, 100));
          }
          return found;
        }"""
    )


def check_step(page: Page, lang: str, width: int, step: str, full_page: bool = True) -> None:
    """One step of the journey: the page's language and direction, its layout, axe-core, a picture."""
    html = page.locator("html")
    expect(html).to_have_attribute("lang", lang)
    expect(html).to_have_attribute("dir", "rtl" if lang == "ar" else "ltr")
    SHOTS.mkdir(parents=True, exist_ok=True)  # the picture first: a failing step is seen too
    page.screenshot(path=str(SHOTS / f"{step}-{lang}-{width}.png"), full_page=full_page)
    assert layout_problems(page) == [], (step, lang, width)
    assert violations(page) == [], (step, lang, width)


def code_in_mail(app: Flask, lang: str, message: Any) -> str:
    """The six-digit code that follows the catalogue's "Your confirmation code:" in ``message``."""
    label = say(app, lang, "Your confirmation code:")
    found = re.search(re.escape(label) + r"\s*(\d{6})\b", mail_text(message))
    assert found, mail_text(message)
    LEAKS.codes.append(found.group(1))  # a code read here is watched for in the logs too
    return found.group(1)


@pytest.mark.parametrize("lang", ["de", "ar"])
@pytest.mark.parametrize("width", list(SIZES))
def test_the_journey_in_german_and_arabic(
    live: Site, page: Page, smtpd: SmtpServer, tmp_path: Path, lang: str, width: int
) -> None:
    app = live.app
    slug, interview_language = JOBS[lang]
    sentence = interview_sentence(app, lang, interview_language)
    assert sentence != interview_sentence(app, "en", interview_language)  # really translated
    page.set_viewport_size({"width": width, "height": SIZES[width]})

    page.goto(f"{live.url}/{lang}/")
    check_step(page, lang, width, "1-home")

    page.locator(f'a[href="/{lang}/jobs/{slug}"]').first.click()
    page.wait_for_url(f"{live.url}/{lang}/jobs/{slug}")
    expect(page.get_by_text(sentence, exact=True)).to_be_visible()
    check_step(page, lang, width, "2-job")

    page.locator(f'.job-header a[href="/{lang}/jobs/{slug}/apply"]').click()
    page.wait_for_url(f"{live.url}/{lang}/jobs/{slug}/apply")
    expect(page.locator(".interview-language")).to_have_text(sentence)
    resume = next(p for p in write_sample_resumes(tmp_path / "resumes") if p.suffix == ".pdf")
    email = f"amara.{lang}.{width}@example.com"
    page.locator("#full_name").fill("Amara Okafor")
    page.locator("#email").fill(email)
    page.locator("#country").select_option("NG")
    page.locator("#resume_file").set_input_files(str(resume))
    page.locator("#consent").check()
    check_step(page, lang, width, "3-apply-form")

    page.locator(".apply-form button[type=submit]").click()
    code_label = say(app, lang, "Your 6-digit code")
    # The page reloads itself once the interview is ready; the step is looked at after that.
    expect(page.locator('#room[data-stage="interview"]')).to_be_attached(timeout=30_000)
    expect(page.get_by_label(code_label)).to_be_visible()
    assert re.fullmatch(rf"/{lang}/applications/[^/]+", urlparse(page.url).path), page.url
    check_step(page, lang, width, "4-candidate-page")

    # The e-mail is in the application's language: its subject, and a sentence of its body.
    message = mail_to(smtpd, email)[0]
    title = next(p["title"] for p in _positions() if p["slug"] == slug)
    subject = say(app, lang, "We have your application for %(title)s", title=title)
    assert subject != say(app, "en", "We have your application for %(title)s", title=title)
    assert " ".join(str(message["Subject"]).split()) == " ".join(subject.split())
    body = " ".join(mail_text(message).split())
    preparing = say(
        app,
        lang,
        "We are preparing your short video interview now. Your application page shows how it is"
        " going: when your interview is ready, you can take it there, at a time that suits you.",
    )
    assert " ".join(preparing.split()) in body

    page.get_by_label(code_label).fill(code_in_mail(app, lang, message))
    page.locator(".code-form button[type=submit]").click()
    check = page.locator("#preflight")
    expect(check).to_have_attribute("data-state", "ready", timeout=30_000)
    expect(page.locator("#preflight-go")).to_have_text(say(app, lang, "Start the interview"))
    check_step(page, lang, width, "5-camera-check")

    page.locator("#preflight-go").click()
    frame = page.frame_locator("#interview-frame")
    expect(frame.get_by_role("heading", name="Welcome, Amara Okafor")).to_be_visible(timeout=30_000)
    if width < 640:  # the phone's room: a slim bar of one row, the frame under it, no scrolling
        geometry = room_geometry(page)
        assert geometry["scrolled"] == 0 and geometry["bar"]["height"] <= 56, geometry
    check_step(page, lang, width, "6-interview", full_page=False)  # the room fills the window


def _positions() -> list[dict[str, Any]]:
    from webapp.demo.positions import DEMO_POSITIONS

    return list(DEMO_POSITIONS)


@pytest.mark.parametrize("lang", ["de", "ar"])
def test_the_switch_keeps_the_job_page_and_the_apply_form_with_its_query(
    quiet: Site, page: Page, lang: str
) -> None:
    other = OTHER[lang]
    slug, interview_language = JOBS[lang]
    page.set_viewport_size({"width": 375, "height": 667})
    for path in (f"/jobs/{slug}", f"/jobs/{slug}/apply?utm_source=newsletter&ref=friend"):
        page.goto(f"{quiet.url}/{lang}{path}")
        page.locator(".language-switch summary").click()
        page.locator(f'.language-switch a[lang="{other}"]').click()
        page.wait_for_url(f"{quiet.url}/{other}{path}")
        expect(page.locator("html")).to_have_attribute("lang", other)
        sentence = interview_sentence(quiet.app, other, interview_language)
        expect(page.get_by_text(sentence, exact=True).first).to_be_visible()


@pytest.mark.parametrize("lang", ["de", "ar"])
def test_the_switch_on_the_candidate_page_changes_the_applications_language(
    quiet: Site, page: Page, lang: str
) -> None:
    from webapp.extensions import db
    from webapp.models import Application

    other = OTHER[lang]
    slug, _ = JOBS[lang]
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{quiet.url}/{lang}/jobs/{slug}/apply")
    page.locator("#full_name").fill("Amara Okafor")
    page.locator("#email").fill(f"switch.{lang}@example.com")
    page.locator("#country").select_option("NG")
    page.locator("#resume_text").fill("Product designer " * 12)
    page.locator("#consent").check()
    page.locator(".apply-form button[type=submit]").click()
    expect(page.get_by_label(say(quiet.app, lang, "Your 6-digit code"))).to_be_visible()
    own_page = urlparse(page.url).path

    page.locator(".language-switch summary").click()
    switch = page.locator(f'.language-switch a[lang="{other}"]')
    assert "/language/" in (switch.get_attribute("href") or "")
    switch.click()
    expect(page.locator("html")).to_have_attribute("lang", other)
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if other == "ar" else "ltr")
    expect(page.get_by_label(say(quiet.app, other, "Your 6-digit code"))).to_be_visible()
    # The same application, now in the other language: its next e-mail will be too.
    token = own_page.rsplit("/", 1)[1]
    assert token in page.url
    with quiet.app.app_context():
        stored = db.session.execute(
            db.select(Application.locale).where(Application.email == f"switch.{lang}@example.com")
        ).scalar_one()
        db.session.remove()
    assert stored == other


TEXT_BOX = """([selector, needle]) => {
  // The box of the first occurrence of ``needle`` in the text inside ``selector``.
  const root = document.querySelector(selector);
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.indexOf(needle);
    if (at < 0) continue;
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + needle.length);
    return range.getBoundingClientRect().toJSON();
  }
  return null;
}"""


def text_box(page: Page, selector: str, needle: str) -> dict[str, float]:
    """Where ``needle`` is drawn inside ``selector``."""
    box = page.evaluate(TEXT_BOX, [selector, needle])
    assert box, (selector, needle)
    return box  # type: ignore[no-any-return]


def test_right_to_left_details_read_right(quiet: Site, page: Page) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{quiet.url}/ar/jobs/data-analyst-amsterdam")
    # A salary written in English reads in its own order, not reshuffled by the Arabic around it.
    assert text_box(page, ".facts", "€55,000")["x"] < text_box(page, ".facts", "a year")["x"]
    # The English title lines up with the Arabic page: it ends at the right, where the page starts.
    title = page.locator(".job-header h1").bounding_box()
    words = text_box(page, ".job-header h1", "Data Analyst")
    assert title and abs(words["right"] - (title["x"] + title["width"])) <= 2, (words, title)

    page.goto(f"{quiet.url}/ar/jobs/data-analyst-amsterdam/apply")
    arrow = "() => getComputedStyle(document.querySelector('.back-arrow')).transform"
    assert page.evaluate(arrow) == "matrix(-1, 0, 0, 1, 0, 0)"  # "back" points to the right
    page.goto(f"{quiet.url}/de/jobs/data-analyst-amsterdam/apply")
    assert page.evaluate(arrow) == "none"


def test_a_two_line_german_button_keeps_its_label_centred(quiet: Site, page: Page) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{quiet.url}/de/jobs/product-designer-berlin")
    button = page.locator(".how-it-works .button")
    box = button.bounding_box()
    assert box and box["height"] > 60  # the German label takes two lines in the side panel
    middle = box["x"] + box["width"] / 2
    lines = page.evaluate(
        """() => { const range = document.createRange();
                   range.selectNodeContents(document.querySelector('.how-it-works .button'));
                   return [...range.getClientRects()].map(r => r.x + r.width / 2); }"""
    )
    assert len(lines) >= 2 and all(abs(line - middle) <= 3 for line in lines), (lines, box)
