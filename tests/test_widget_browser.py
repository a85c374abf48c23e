"""In a real Chromium: the jobs widget on another website, under hostile CSS; its frame; the studio page."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask_babel import force_locale, gettext, ngettext
from playwright.sync_api import Browser, ConsoleMessage, Page, Request, expect
from werkzeug.serving import make_server
from werkzeug.wrappers import Request as WsgiRequest
from werkzeug.wrappers import Response as WsgiResponse

from tests.conftest import ARTIFACTS, Site
from tests.helpers import seed
from tests.studio_fixtures import PASSWORD, make_account
from webapp.extensions import db

pytestmark = pytest.mark.browser

SHOTS = ARTIFACTS / "widget"
PURPLE = "#5b2a86"
PURPLE_RGB = "rgb(91, 42, 134)"
# Hides everything of the host page but the widget's own element, as a careless theme might.
SCOPED_HOSTILE = (
    "body > *:not(careerframe-jobs):not(script) { all: unset; font-size: 0 !important; "
    "display: none !important }\n"
    "careerframe-jobs { font-size: 0; color: red; background: lime; letter-spacing: 9px }"
)
# Everything, the widget's element included, with !important.
HARSH_HOSTILE = (
    "* { all: unset !important; font-size: 0 !important; color: red !important; "
    "display: none !important }"
)


@dataclass
class Foreign:
    """Another website, on its own origin, that shows our widget and our frame."""

    url: str
    site_url: str


def _foreign_app(site_url: str) -> Any:
    def page(title: str, body: str, css: str = "") -> bytes:
        return (
            f"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{title}</title><style>{css}</style></head><body>{body}</body></html>"
        ).encode()

    script = f"<script src='{site_url}/widget.js' async></script>"
    pages = {
        "/scoped": page(
            "Kestrel Mobility — about us",
            "<h1>About Kestrel</h1><button id='before'>Before the widget</button>"
            f"{script}<p>Our other content.</p>"
            f"<script src='{site_url}/widget.js' data-department='Operations' "
            "data-filters='location' async></script>",
            SCOPED_HOSTILE,
        ),
        "/harsh": page("Harsh", f"<main>{script}</main>", HARSH_HOSTILE),
        "/deutsch": page("Kestrel auf Deutsch", f"<main>{script}</main>").replace(
            b"<html lang='en'>", b"<html lang='de-AT'>"
        ),
        "/frame-jobs": page(
            "Jobs frame",
            f"<iframe id='jobs' src='{site_url}/embed/jobs' title='Open positions' "
            "width='100%' height='600'></iframe>",
        ),
        "/frame-home": page(
            "Home frame",
            f"<iframe id='home' src='{site_url}/' title='Careers' width='100%' height='600'></iframe>",
        ),
    }

    def app(environ: dict[str, Any], start_response: Any) -> Any:
        body = pages.get(WsgiRequest(environ).path)
        response = WsgiResponse(
            body or b"not here", status=200 if body else 404, mimetype="text/html"
        )
        return response(environ, start_response)

    return app


def _serve(app: Any) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def live(site: Site) -> Site:
    """The site with positions, a purple published brand and a marketer."""
    seed(site.app)
    make_account(site.app, "mara@kestrel.example")
    with site.app.app_context():
        from webapp.services import studio

        draft = studio.get_draft()
        draft = studio.save_draft(
            {"brand.primary_color": PURPLE, "brand.company_name": "Kestrel Mobility"},
            draft.revision,
            {},
            None,
        )
        studio.publish(draft.revision, None)
        db.session.remove()
    SHOTS.mkdir(parents=True, exist_ok=True)
    return site


@pytest.fixture
def allowed(live: Site) -> Iterator[Foreign]:
    """The company's main website: listed as allowed to frame the jobs page."""
    for url in _serve(_foreign_app(live.url)):
        with live.app.app_context():
            from webapp.services.widget import WidgetOptions, save_options

            save_options(WidgetOptions(allowed_origins=(url,)), None)
            db.session.remove()
        yield Foreign(url, live.url)


@pytest.fixture
def stranger(live: Site) -> Iterator[Foreign]:
    """Some other website, not listed."""
    for url in _serve(_foreign_app(live.url)):
        yield Foreign(url, live.url)


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def test_the_widget_shows_the_jobs_on_another_site_in_the_brand_despite_its_css(
    allowed: Foreign, page: Page
) -> None:
    requests: list[Request] = []
    page.on("request", lambda request: requests.append(request))
    # A cookie of ours in this browser: the widget must not send it.
    page.goto(f"{allowed.site_url}/admin/login")
    assert page.context.cookies(allowed.site_url)
    requests.clear()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{allowed.url}/scoped")

    widgets = page.locator("careerframe-jobs")
    expect(widgets).to_have_count(2)
    first, second = widgets.nth(0), widgets.nth(1)
    expect(first.locator(".job")).to_have_count(6)
    expect(first.locator("h2")).to_have_text("Open positions at Kestrel Mobility")
    expect(first.locator(".count")).to_have_text("6 open positions")
    # The second widget starts on one department and offers the location filter only.
    expect(second.locator(".job")).to_have_count(2)
    expect(second.locator("select")).to_have_count(1)
    expect(second.locator("label")).to_have_text("Location")
    expect(page.locator("h1")).to_be_hidden()  # the host page's own rule hides its own content

    title = first.locator(".title").first
    expect(title).to_be_visible()
    assert title.evaluate("e => getComputedStyle(e).color") == PURPLE_RGB
    assert title.evaluate("e => parseFloat(getComputedStyle(e).fontSize)") > 12
    assert first.locator(".w").evaluate("e => getComputedStyle(e).letterSpacing") == "normal"
    hrefs = first.locator(".title").evaluate_all("links => links.map(a => a.href)")
    assert len(hrefs) == 6
    assert all(href.startswith(f"{allowed.site_url}/jobs/") for href in hrefs)
    page.screenshot(path=str(SHOTS / "foreign-1280.png"), full_page=True)
    page.set_viewport_size({"width": 375, "height": 800})
    page.screenshot(path=str(SHOTS / "foreign-375.png"), full_page=True)

    # Nothing of the widget's is a global of the host page.
    leaked = page.evaluate(
        "() => Object.keys(window).filter(k => /careerframe|widget|cf/i.test(k))"
    )
    assert leaked == []
    # Only the host page and our own origin were asked for anything; the feed went without cookies.
    origins = {origin(r.url) for r in requests}
    assert origins == {allowed.url, allowed.site_url}, origins
    feeds = [r for r in requests if r.url.startswith(f"{allowed.site_url}/widget/jobs.json")]
    assert feeds and all("cookie" not in r.all_headers() for r in feeds)


def test_the_filters_work_by_keyboard_and_the_links_lead_to_our_job_pages(
    allowed: Foreign, page: Page
) -> None:
    page.goto(f"{allowed.url}/scoped")
    widget = page.locator("careerframe-jobs").first
    expect(widget.locator(".job")).to_have_count(6)
    page.evaluate("document.getElementById('before').focus()")
    page.keyboard.press("Tab")
    department = widget.locator("#f0")
    expect(department).to_be_focused()
    expect(widget.locator("label[for=f0]")).to_have_text("Department")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # All → Customer Success → Data
    expect(department).to_have_value("Data")
    expect(widget.locator(".job")).to_have_count(1)
    status = widget.locator("[role=status]")
    expect(status).to_have_attribute("aria-live", "polite")
    expect(status).to_have_text("1 open position")
    page.keyboard.press("Tab")
    expect(widget.locator("#f1")).to_be_focused()
    page.keyboard.press("End")  # the last location, where no data job is
    expect(status).to_have_text("No positions match. Try another department or location.")
    page.keyboard.press("Home")  # All locations
    expect(widget.locator(".job")).to_have_count(1)
    page.keyboard.press("Tab")
    expect(widget.locator(".title")).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{allowed.site_url}/jobs/data-analyst-amsterdam")
    expect(page.locator("h1")).to_contain_text("Data Analyst")


def test_the_widget_draws_itself_even_when_the_host_page_hides_everything(
    allowed: Foreign, live: Site, page: Page
) -> None:
    with live.app.app_context():
        from webapp.models import Position

        position = db.session.scalars(db.select(Position).order_by(Position.id)).first()
        position.title = '<img src=x onerror="document.title=1">'
        db.session.commit()
        db.session.remove()
    page.emulate_media(reduced_motion="reduce")
    page.goto(f"{allowed.url}/harsh")
    widget = page.locator("careerframe-jobs")
    expect(widget.locator(".job")).to_have_count(6)
    # Text from the feed is text: shown as typed, never parsed as markup.
    expect(
        widget.locator(".title", has_text='<img src=x onerror="document.title=1">')
    ).to_have_count(1)
    expect(widget.locator("img")).to_have_count(0)
    assert (
        widget.locator(".job").first.evaluate("e => getComputedStyle(e).transitionDuration") == "0s"
    )
    # The page hides <body> itself, so nothing can be seen; what the widget controls holds firm.
    styles = widget.evaluate(
        """host => {
            const root = host.shadowRoot, title = root.querySelector('.title');
            return {
                host: getComputedStyle(host).display,
                job: getComputedStyle(root.querySelector('.job')).display,
                colour: getComputedStyle(title).color,
                size: parseFloat(getComputedStyle(title).fontSize),
            };
        }"""
    )
    assert styles == {"host": "block", "job": "block", "colour": PURPLE_RGB, "size": styles["size"]}
    assert styles["size"] > 12


def _frame_refused(page: Page, messages: list[str]) -> bool:
    child = page.frames[1] if len(page.frames) > 1 else None
    blocked = child is None or not child.url.startswith("http")
    return blocked or any("frame-ancestors" in m for m in messages)


def test_the_jobs_frame_shows_on_a_listed_site_only(
    allowed: Foreign, stranger: Foreign, page: Page
) -> None:
    page.goto(f"{allowed.url}/frame-jobs")
    frame = page.frame_locator("#jobs")
    expect(frame.locator(".cf-job")).to_have_count(6)
    link = frame.locator(".cf-link").first
    assert link.evaluate("e => getComputedStyle(e).color") == PURPLE_RGB
    assert (link.get_attribute("href") or "").startswith(f"{allowed.site_url}/jobs/")
    page.screenshot(path=str(SHOTS / "frame-allowed.png"), full_page=True)

    for foreign, path in ((stranger, "/frame-jobs"), (allowed, "/frame-home")):
        messages: list[str] = []

        def keep(message: ConsoleMessage, into: list[str] = messages) -> None:
            into.append(message.text)

        page.on("console", keep)
        page.goto(f"{foreign.url}{path}")
        page.wait_for_load_state("load")
        page.wait_for_timeout(300)
        assert _frame_refused(page, messages), (foreign.url, path, page.frames[1].url)
        frame_text = page.frames[1].evaluate("() => document.body ? document.body.innerText : ''")
        assert "Open positions" not in frame_text and "Kestrel" not in frame_text
        page.remove_listener("console", keep)


def test_a_marketer_sets_up_the_widget_in_the_studio(live: Site, browser: Browser) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live.url)
    page = context.new_page()
    page.goto(f"{live.url}/admin/login")
    page.fill("#email", "mara@kestrel.example")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live.url}/admin/")
    page.click("nav[aria-label=Admin] >> text=Jobs widget")
    expect(page.locator("h1")).to_have_text("Jobs widget")

    preview = page.locator("#widget-preview careerframe-jobs")
    expect(preview.locator(".job")).to_have_count(6)
    assert preview.locator(".title").first.evaluate("e => getComputedStyle(e).color") == PURPLE_RGB
    page.uncheck("#show_department")
    expect(page.locator("#widget-preview careerframe-jobs")).to_have_count(1)
    expect(preview.locator("select")).to_have_count(1)
    page.fill("#job_limit", "2")
    expect(preview.locator(".job")).to_have_count(2)
    expect(preview.locator(".count")).to_have_text("6 open positions, showing the newest 2")

    page.click("text=Copy the script")
    expect(page.locator("#copy-status")).to_contain_text("Copied")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == f'<script src="{live.url}/widget.js" async></script>'

    page.fill("#allowed_origins", "http://www.kestrel.example")
    page.click("#save-widget")
    expect(page.locator("#allowed_origins-error")).to_contain_text("https://www.example.com")
    page.fill("#allowed_origins", "https://www.kestrel.example")
    page.click("#save-widget")
    expect(page.locator(".alert-success")).to_contain_text("Widget settings saved")
    expect(page.locator("#allowed_origins")).to_have_value("https://www.kestrel.example")
    expect(preview.locator(".job")).to_have_count(2)
    page.screenshot(path=str(SHOTS / "studio-1280.png"), full_page=True)
    context.close()


def test_the_widget_speaks_the_language_of_the_page_it_is_on(
    live: Site, allowed: Foreign, page: Page
) -> None:
    page.goto(f"{allowed.url}/deutsch")
    widget = page.locator("careerframe-jobs")
    expect(widget.locator(".job")).to_have_count(6)
    with live.app.test_request_context(), force_locale("de"):
        all_locations = gettext("All locations")
        six = ngettext("%(num)d open position", "%(num)d open positions", 6)
    assert all_locations != "All locations" and six != "6 open positions"
    expect(widget.locator("select").nth(1).locator("option").first).to_have_text(all_locations)
    expect(widget.locator(".count")).to_have_text(six)
    assert widget.locator("section").get_attribute("lang") == "de"
    hrefs = widget.locator(".job a").evaluate_all("links => links.map(a => a.href)")
    assert hrefs and all(href.startswith(f"{allowed.site_url}/de/jobs/") for href in hrefs)
    # The frame for sites without scripts speaks German when asked to, and keeps it when filtered.
    page.goto(f"{allowed.site_url}/embed/jobs?lang=de")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.locator(".cf-count")).to_have_text(six)
    assert page.locator("input[name=lang]").get_attribute("value") == "de"
