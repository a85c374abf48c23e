"""In a real Chromium: a marketer edits, previews, publishes and rolls back; hostile content stays inert."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.conftest import ARTIFACTS, Site
from tests.helpers import seed
from tests.studio_fixtures import PASSWORD, SLUG, logo_png, make_account
from tests.test_accessibility import violations
from tests.test_studio import HOSTILE_CSS, HOSTILE_LINKS, PAYLOAD
from webapp.extensions import db
from webapp.services.site import DEFAULT_TEXTS

pytestmark = pytest.mark.browser

SHOTS = ARTIFACTS / "studio"
DESKTOP = {"width": 1280, "height": 900}
PURPLE = "#5b2a86"


@pytest.fixture
def live(site: Site) -> Site:
    """The live site with positions, a marketer, and a first published version to go back to."""
    seed(site.app)
    make_account(site.app, "mara@kestrel.example")
    with site.app.app_context():
        from webapp.services import studio

        draft = studio.get_draft()
        studio.publish(draft.revision, None)
        db.session.remove()
    SHOTS.mkdir(parents=True, exist_ok=True)
    return site


def new_page(browser: Browser) -> tuple[BrowserContext, Page]:
    """A fresh browser profile: no cookies, no account, no preview."""
    context = browser.new_context(viewport=DESKTOP)
    return context, context.new_page()


def sign_in(page: Page, site: Site, email: str) -> None:
    page.goto(f"{site.url}/admin/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{site.url}/admin/")


def header_colour(page: Page) -> str:
    return page.locator(".site-header").evaluate("e => getComputedStyle(e).backgroundColor")


def shot(page: Page, name: str, full_page: bool = True) -> None:
    page.screenshot(path=str(SHOTS / name), full_page=full_page)


def test_a_marketer_edits_previews_publishes_and_rolls_back(
    live: Site, page: Page, browser: Browser
) -> None:
    page.set_viewport_size(DESKTOP)
    sign_in(page, live, "mara@kestrel.example")
    page.click("nav[aria-label=Admin] >> text=Site studio")
    expect(page.locator("h1")).to_have_text("Site studio")
    page.click("text=Edit brand, texts and CSS")

    # Logo, colour, texts and CSS go into the draft.
    page.set_input_files(
        "#logo", files=[{"name": "logo.png", "mimeType": "image/png", "buffer": logo_png()}]
    )
    page.click("#upload-logo")
    expect(page.locator(".alert-success")).to_contain_text("Logo uploaded")
    page.fill("#brand_primary_color", "#9a9a9a")
    page.click("#save-draft")
    expect(page.locator("#contrast-warning")).to_contain_text("below 4.5:1")
    page.locator(".brand-check").screenshot(path=str(SHOTS / "00-contrast-warning.png"))
    page.fill("#brand_primary_color", PURPLE)
    page.fill("#text_home_heading", "Ride the purple wave")
    page.fill("#text_home_intro", "Join **120 people** who keep cities moving.")
    page.fill("#text_interview_intro", "Take a breath, smile, and begin when you are ready.")
    page.fill("#text_footer_links", "Privacy | https://kestrel.example/privacy\nAll jobs | /")
    page.fill(
        "#custom_css",
        ".hero h1 { letter-spacing: -0.01em; color: #5b2a86 }\n.apply-form input { display: none }",
    )
    page.click("#save-draft")
    expect(page.locator(".alert-success")).to_contain_text("Draft saved")
    expect(page.locator("#css-dropped")).to_contain_text(".apply-form input")
    expect(page.locator(".studio-sample .sample-header")).to_have_css(
        "background-color", "rgb(91, 42, 134)"
    )
    shot(page, "01-draft-editor-top.png", full_page=False)
    page.locator("#texts-1").scroll_into_view_if_needed()
    page.evaluate("document.querySelector('#texts-1').scrollIntoView()")
    shot(page, "01b-draft-editor-texts.png", full_page=False)
    page.evaluate("document.querySelector('#css').scrollIntoView()")
    shot(page, "01c-draft-editor-css.png", full_page=False)

    page.click("text=← Site studio")
    expect(page.locator("#unpublished")).to_contain_text("Careers home: Heading")
    shot(page, "02-studio-overview.png")
    page.click("#create-preview-link")
    expect(page.locator("#preview-links")).to_contain_text("mara@kestrel.example")
    link = page.input_value("#preview-link")

    # A colleague without an account opens the preview link: the whole site with the draft.
    colleague_context, colleague = new_page(browser)
    colleague.goto(link)
    expect(colleague.locator("h1")).to_have_text("Ride the purple wave")
    expect(colleague.locator(".preview-bar")).to_contain_text("Preview of unpublished changes")
    expect(colleague.locator(".brand img")).to_have_attribute(
        "src", re.compile(r"^/brand/logo-[0-9a-f]{64}\.png$")
    )
    assert header_colour(colleague) == "rgb(91, 42, 134)"
    expect(colleague.locator(".footer-links")).to_contain_text("Privacy")
    shot(colleague, "03-preview-home.png")
    colleague.click(f"a[href='/jobs/{SLUG}']")
    colleague.click(".preview-bar >> text=interview")
    # A worker makes the interview; the page says so, then shows it by itself.
    expect(colleague.locator(".interview .lead")).to_have_text(
        "Take a breath, smile, and begin when you are ready.", timeout=20000
    )
    colleague.get_by_role("button", name="Start the interview").click()  # after the camera check
    frame = colleague.frame_locator("#interview-frame")
    expect(frame.locator("body")).to_contain_text("Preview Candidate", timeout=15000)
    shot(colleague, "04-preview-interview.png", full_page=False)
    colleague.click(".preview-bar >> text=apply")
    expect(
        colleague.locator(".apply-form input#full_name")
    ).to_be_visible()  # the dropped CSS did not hide it
    shot(colleague, "05-preview-apply.png")

    # Someone without the link still sees the published site.
    plain_context, plain = new_page(browser)
    plain.goto(live.url)
    expect(plain.locator("h1")).to_have_text(DEFAULT_TEXTS["home_heading"])
    expect(plain.locator(".preview-bar")).to_have_count(0)

    # Publish: candidates see it at once.
    page.click("#publish")
    expect(page.locator(".alert-success")).to_contain_text("Published as version 2")
    candidate_context, candidate = new_page(browser)
    candidate.goto(live.url)
    expect(candidate.locator("h1")).to_have_text("Ride the purple wave")
    expect(candidate.locator(".preview-bar")).to_have_count(0)
    assert header_colour(candidate) == "rgb(91, 42, 134)"
    shot(candidate, "06-published-home.png")

    # Roll back to version 1, after a question: candidates see the old site again.
    page.click("#version-1 a")
    expect(page.locator("h1")).to_have_text("Roll back to version 1?")
    page.click("#confirm-rollback")
    expect(page.locator(".alert-success")).to_contain_text("a copy of version 1, is live now")
    shot(page, "07-studio-after-rollback.png")
    candidate.reload()
    expect(candidate.locator("h1")).to_have_text(DEFAULT_TEXTS["home_heading"])
    assert header_colour(candidate) == "rgb(11, 93, 75)"
    expect(candidate.locator(".brand img")).to_have_count(0)

    # The colleague leaves the preview.
    colleague.click("text=Exit preview")
    expect(colleague.locator(".preview-bar")).to_have_count(0)
    for context in (colleague_context, plain_context, candidate_context):
        context.close()


def test_a_stale_save_in_the_browser_explains_what_changed(
    live: Site, page: Page, browser: Browser
) -> None:
    page.set_viewport_size(DESKTOP)
    make_account(live.app, "colin@kestrel.example")
    sign_in(page, live, "mara@kestrel.example")
    page.goto(f"{live.url}/admin/studio/draft")
    other_context, other = new_page(browser)
    sign_in(other, live, "colin@kestrel.example")
    other.goto(f"{live.url}/admin/studio/draft")
    other.fill("#text_home_heading", "Colin's heading")
    other.click("#save-draft")
    expect(other.locator(".alert-success")).to_contain_text("Draft saved")

    page.fill("#text_home_heading", "Mara's heading")
    page.click("#save-draft")
    expect(page.locator("#conflict")).to_contain_text("colin@kestrel.example")
    expect(page.locator("#conflict")).to_contain_text("you changed it too")
    expect(page.locator("#text_home_heading")).to_have_value("Mara's heading")
    page.locator("#conflict").screenshot(path=str(SHOTS / "08-stale-save.png"))
    other_context.close()


def fill_hostile(page: Page) -> None:
    for name in page.eval_on_selector_all(
        "#draft-form [name^=text_]", "els => els.map(e => e.name)"
    ):
        page.fill(
            f"#draft-form [name={name}]", HOSTILE_LINKS if name == "text_footer_links" else PAYLOAD
        )
    page.fill("#brand_company_name", '"><img src=x onerror=alert(1)><script>alert(1)</script>')
    page.fill("#brand_tagline", PAYLOAD)
    page.fill("#custom_css", HOSTILE_CSS)


def test_hostile_content_never_runs_in_a_browser(live: Site, page: Page, browser: Browser) -> None:
    dialogs: list[str] = []

    def watch(target: Page) -> None:
        target.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    watch(page)
    page.set_viewport_size(DESKTOP)
    sign_in(page, live, "mara@kestrel.example")
    page.goto(f"{live.url}/admin/studio/draft")
    fill_hostile(page)
    page.click("#save-draft")
    expect(page.locator(".alert-success")).to_contain_text("Draft saved")
    page.goto(f"{live.url}/admin/studio/positions/{SLUG}")
    for name in page.eval_on_selector_all(
        "#position-form [name^=text_]", "els => els.map(e => e.name)"
    ):
        if name != "text_footer_links":
            page.fill(f"#position-form [name={name}]", PAYLOAD)
    page.click("#position-form button[type=submit]")
    for url in ("/admin/studio/draft", f"/admin/studio/positions/{SLUG}", "/admin/studio"):
        page.goto(live.url + url)
    page.click("#create-preview-link")
    link = page.input_value("#preview-link")

    guest_context, guest = new_page(browser)
    watch(guest)
    guest.goto(link)
    pages = [
        "/",
        f"/jobs/{SLUG}",
        f"/jobs/{SLUG}/apply",
        *(
            f"/preview/jobs/{SLUG}/{stage}"
            for stage in ("preparing", "review", "rejected", "failed", "finished")
        ),
    ]
    for url in pages:
        guest.goto(live.url + url)
        expect(guest.locator(".preview-bar")).to_be_visible()
        assert guest.locator("img[src=x], .site script").count() == 0
    guest.hover(".footer-links a")

    page.goto(f"{live.url}/admin/studio")
    page.click("#publish")
    expect(page.locator(".alert-success")).to_contain_text("Published")
    candidate_context, candidate = new_page(browser)
    watch(candidate)
    for url in pages[:3]:
        candidate.goto(live.url + url)
        expect(candidate.locator("main")).to_contain_text(
            "<script>alert(1)</script>"
        )  # shown as text
        candidate.hover(".footer-links a")
    shot(candidate, "09-hostile-content-inert.png")
    assert dialogs == []
    for context in (guest_context, candidate_context):
        context.close()


def test_embed_diagnostics_in_a_browser(live: Site, page: Page) -> None:
    page.set_viewport_size(DESKTOP)
    sign_in(page, live, "mara@kestrel.example")
    page.goto(f"{live.url}/admin/studio")
    page.click("#create-preview-link")
    page.goto(page.input_value("#preview-link"))
    # Asks a worker for the preview candidate's interview; the page shows it once made.
    page.goto(f"{live.url}/preview/jobs/{SLUG}/interview")
    page.get_by_role("button", name="Start the interview").click(timeout=20000)
    expect(page.frame_locator("#interview-frame").locator("body")).to_contain_text(
        "Preview Candidate", timeout=20000
    )

    page.goto(f"{live.url}/admin/diagnostics")
    page.click(f"a[href='/admin/diagnostics/{SLUG}']")
    expect(page.locator("#embed-origin")).to_have_text(live.sandbox.url)
    page.click("#run-check")
    expect(page.locator("#check-result")).to_contain_text("HTTP 200 — Accepted")
    expect(page.locator("table")).to_contain_text("sha256:")
    shot(page, "10-diagnostics.png")


def sample_style(page: Page, selector: str, prop: str) -> str:
    return page.locator(f"#sample {selector}").evaluate(
        f"e => getComputedStyle(e).getPropertyValue({prop!r})"
    )


def test_the_sample_follows_typing_and_a_logo_upload_keeps_every_edit(
    live: Site, page: Page
) -> None:
    page.set_viewport_size(DESKTOP)
    sign_in(page, live, "mara@kestrel.example")
    page.goto(f"{live.url}/admin/studio/draft")
    expect(page.locator("#sample-caption")).to_contain_text("as you type")
    assert sample_style(page, ".sample-header", "background-color") == "rgb(11, 93, 75)"

    # Typed, not saved: the sample shows it at once.
    page.fill("#brand_primary_color", PURPLE)
    page.fill("#text_home_heading", "Ride the purple wave")
    page.fill("#text_job_apply_label", "Join us")
    page.select_option("#brand_font", "serif")
    page.fill("#brand_radius", "0")
    page.check("#brand_button_style-1")  # outline
    expect(page.locator("#sample .sample-header")).to_have_css(
        "background-color", "rgb(91, 42, 134)"
    )
    expect(page.locator("#sample .sample-heading")).to_have_text("Ride the purple wave")
    expect(page.locator("#sample .sample-button")).to_have_text("Join us")
    expect(page.locator("#sample .sample-button")).to_have_css(
        "background-color", "rgba(0, 0, 0, 0)"
    )
    expect(page.locator("#sample .sample-panel")).to_have_css("border-radius", "0px")
    assert "Charter" in sample_style(page, "", "font-family")
    expect(page.locator("#unpublished")).to_contain_text("The draft is the same as the live site")
    page.locator("#brand").scroll_into_view_if_needed()
    shot(page, "11-sample-follows-typing.png", full_page=False)

    # Upload a logo: the typed edits are saved with it, nothing is lost.
    page.set_input_files(
        "#logo", files=[{"name": "logo.png", "mimeType": "image/png", "buffer": logo_png()}]
    )
    page.click("#upload-logo")
    expect(page.locator(".alert-success")).to_contain_text("Logo uploaded and draft saved")
    expect(page.locator("#text_home_heading")).to_have_value("Ride the purple wave")
    expect(page.locator("#text_job_apply_label")).to_have_value("Join us")
    expect(page.locator("#brand_primary_color")).to_have_value(PURPLE)
    expect(page.locator("#brand_font")).to_have_value("serif")
    expect(page.locator(".logo-preview")).to_be_visible()
    expect(page.locator("#unpublished")).to_contain_text("Your draft has")
    expect(page.locator("#unpublished")).to_contain_text("Logo")
    shot(page, "12-logo-upload-kept-edits.png", full_page=False)
    assert violations(page) == []


def test_rollback_and_restore_ask_first_by_keyboard_alone(live: Site, page: Page) -> None:
    page.set_viewport_size(DESKTOP)
    sign_in(page, live, "mara@kestrel.example")
    page.goto(f"{live.url}/admin/studio/draft")
    page.fill("#text_home_heading", "Ride the purple wave")
    page.keyboard.press("Enter")  # Enter in a field saves the draft
    expect(page.locator(".alert-success")).to_contain_text("Draft saved")
    page.goto(f"{live.url}/admin/studio")
    page.click("#publish")
    expect(page.locator(".alert-success")).to_contain_text("Published as version 2")
    page.goto(f"{live.url}/admin/studio/draft")
    page.fill("#text_home_intro", "Half-written welcome for the autumn campaign")
    page.click("#save-draft")
    page.goto(f"{live.url}/admin/studio")
    expect(page.locator("#unpublished")).to_contain_text("Your draft has 1 unpublished change:")
    studio_violations = violations(page)

    # Keyboard only: the rollback link, then the question, then the answer.
    page.locator("#version-1 a").focus()
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Roll back to version 1?")
    expect(page.locator(".confirm-card")).to_contain_text("1 unpublished change is not lost")
    shot(page, "13-rollback-question.png")
    rollback_violations = violations(page)
    page.locator("#confirm-rollback").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".alert-success")).to_contain_text("a copy of version 1, is live now")
    expect(page.locator("#saved-drafts")).to_contain_text("mara@kestrel.example")
    expect(page.locator("#saved-drafts")).to_contain_text("Replaced by a rollback (version 3)")
    shot(page, "14-studio-set-aside-draft.png")
    home_violations = violations(page)

    page.locator("#saved-drafts a").focus()
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Restore this set-aside draft?")
    shot(page, "15-restore-question.png")
    restore_violations = violations(page)
    page.locator("#confirm-restore").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".alert-success")).to_contain_text("Draft restored")
    page.goto(f"{live.url}/admin/studio/draft")
    expect(page.locator("#text_home_intro")).to_have_value(
        "Half-written welcome for the autumn campaign"
    )
    assert {
        "studio": studio_violations,
        "rollback": rollback_violations,
        "studio after": home_violations,
        "restore": restore_violations,
    } == {"studio": [], "rollback": [], "studio after": [], "restore": []}
