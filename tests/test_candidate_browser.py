"""The candidate journey in a real browser: careers page to thank-you, and every other outcome."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import ARTIFACTS, Site, make_site
from tests.files import make_docx
from tests.helpers import RESUME_TEXT, applications, email_link_path, seed, wait_for

pytestmark = pytest.mark.browser
SHOTS = ARTIFACTS / "candidate"
PHONE, DESKTOP = {"width": 375, "height": 812}, {"width": 1280, "height": 900}


@pytest.fixture
def slow_site(tmp_path: Path, migrated_template: Path) -> Iterator[Site]:
    """A site whose platform takes ~3 s, so the progress page can be seen."""
    for live in make_site(tmp_path, migrated_template, latency=3.0):
        seed(live.app)
        live.start_workers()
        yield live


@pytest.fixture
def live(site: Site) -> Site:
    seed(site.app)
    return site


def shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def prove_address(page: Page, site: Site) -> None:
    """Open, in this browser, the link the confirmation e-mail carries: the address is proven."""
    page.goto(site.url + email_link_path(site.app, urlparse(page.url).path))


def start_interview(page: Page) -> None:
    """Pass the camera and microphone check (fake devices), which opens the frame."""
    page.get_by_role("button", name="Start the interview").click(timeout=15_000)
    expect(page.locator("#interview-frame")).to_be_attached()


def fill_form(
    page: Page, name: str, email: str, *, file: Path | None = None, text: str | None = None
) -> None:
    page.get_by_label("Full name").fill(name)
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Country you live in").select_option("NG")
    if file is not None:
        page.get_by_label("Upload your résumé").set_input_files(str(file))
    if text is not None:
        page.get_by_label("…or paste it as text").fill(text)
    page.get_by_role("checkbox").check()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375", "1280"])
def test_the_whole_journey_from_careers_page_to_thank_you(
    slow_site: Site, page: Page, tmp_path: Path, viewport: dict
) -> None:
    site = slow_site
    width = viewport["width"]
    page.set_viewport_size(viewport)
    page.goto(site.url + "/")
    expect(page.get_by_role("heading", name="6 open positions")).to_be_visible()
    shoot(page, f"careers-{width}")
    # No horizontal scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    if width < 768:  # on a phone the filters fold away under "Filter jobs"
        page.get_by_text("Filter jobs").click()
    page.get_by_label("Interview language").select_option("en")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="2 open positions")).to_be_visible()
    page.get_by_role("link", name="Data Analyst").click()
    expect(page.get_by_role("heading", level=1, name="Data Analyst")).to_be_visible()
    page.get_by_role("link", name="Apply for this position").first.click()

    # A first try with mistakes: errors are shown next to the fields, and announced.
    page.get_by_role("button", name="Send application").click()
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.locator("#full_name-error")).to_contain_text("Enter your full name.")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shoot(page, f"form-errors-{width}")

    samples = site.app.instance_path
    from webapp.demo.resumes import write_sample_resumes

    pdf = next(p for p in write_sample_resumes(Path(samples) / "resumes") if p.suffix == ".pdf")
    fill_form(page, "Amara Okafor", f"amara.{width}@example.com", file=pdf)
    page.get_by_role("button", name="Send application").click()

    expect(page.get_by_role("heading", name="Thank you — we have your application")).to_be_visible()
    expect(page.locator(".step.done")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shoot(page, f"progress-{width}")

    expect(page.get_by_role("heading", name="Your interview", exact=True)).to_be_visible(
        timeout=30_000
    )
    prove_address(page, site)  # tests/test_candidate_thread_browser.py types the code instead
    start_interview(page)
    frame = page.frame_locator("#interview-frame")
    expect(frame.locator("#camera-status")).to_have_text("Camera: granted", timeout=15_000)
    expect(frame.locator("#microphone-status")).to_have_text("Microphone: granted")
    expect(frame.get_by_role("heading", name="Welcome, Amara Okafor")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shoot(page, f"interview-{width}")

    for _ in range(5):
        next_button = frame.get_by_role("button", name="Next question")
        if next_button.count() == 0 or not next_button.first.is_visible():
            break
        next_button.first.click()
    frame.get_by_role("button", name="Submit interview").click()
    expect(frame.get_by_role("heading", name="Interview submitted")).to_be_visible()
    # The host learns of the end from the webhook, and moves on by itself.
    expect(
        page.get_by_role("heading", name="Thank you — your interview is complete")
    ).to_be_visible(timeout=20_000)
    # After the interview, no camera help: neither the help block nor the frame's hint.
    expect(page.locator(".help-block")).to_have_count(0)
    expect(page.locator("#frame-trouble")).to_have_count(0)
    shoot(page, f"thank-you-{width}")


def test_a_word_document_resume_works_too(live: Site, page: Page, tmp_path: Path) -> None:
    docx = tmp_path / "lukas.docx"
    docx.write_bytes(make_docx("Lukáš Novák", RESUME_TEXT))
    page.goto(live.url + "/jobs/customer-success-specialist-prague/apply")
    fill_form(page, "Lukáš Novák", "lukas@example.com", file=docx)
    page.get_by_role("button", name="Send application").click()
    expect(page.get_by_role("heading", name="Your interview", exact=True)).to_be_visible(
        timeout=30_000
    )
    prove_address(page, live)
    start_interview(page)
    expect(
        page.frame_locator("#interview-frame").get_by_role("heading", name="Welcome, Lukáš Novák")
    ).to_be_visible()


@pytest.mark.parametrize(
    ("email", "text", "heading"),
    [
        ("ana+reject@example.com", RESUME_TEXT, "Thank you for applying"),
        ("ana+recruiter-reject@example.com", RESUME_TEXT, "Thank you for applying"),
        ("ana+review@example.com", RESUME_TEXT, "Your application is being reviewed"),
    ],
)
def test_other_outcomes_have_their_own_kind_pages(
    live: Site, page: Page, email: str, text: str, heading: str
) -> None:
    page.goto(live.url + "/jobs/data-analyst-amsterdam/apply")
    fill_form(page, "Ana Horvat", email, text=text)
    page.get_by_role("button", name="Send application").click()
    expect(page.get_by_role("heading", name=heading)).to_be_visible(timeout=30_000)
    expect(page.locator("iframe")).to_have_count(0)
    shoot(page, "outcome-" + email.split("+")[1].split("@")[0])


def test_applying_twice_continues_the_same_interview(live: Site, page: Page) -> None:
    for _ in range(2):
        page.goto(live.url + "/jobs/data-analyst-amsterdam/apply")
        fill_form(page, "Ana Horvat", "twice@example.com", text=RESUME_TEXT)
        page.get_by_role("button", name="Send application").click()
        expect(page.get_by_role("heading", name="Your interview", exact=True)).to_be_visible(
            timeout=30_000
        )
    assert len(applications(live.app)) == 1
    assert live.sandbox.calls()["api_calls"] == 1


def test_the_platform_down_then_back_loses_nothing(live: Site, page: Page) -> None:
    live.stop_workers()
    page.goto(live.url + "/jobs/data-analyst-amsterdam/apply")
    fill_form(page, "Ana Horvat", "patient@example.com", text=RESUME_TEXT)
    page.get_by_role("button", name="Send application").click()
    expect(page.locator(".step.current")).to_contain_text("Application received")
    live.sandbox.fault("500", count=2)
    live.app.config["UPSTREAM_RETRY_BASE_SECONDS"] = 3
    live.start_workers()
    wait_for(lambda: applications(live.app)[0]["last_error"], what="a failed attempt")
    expect(page.get_by_text("we keep trying")).to_be_visible(timeout=10_000)
    shoot(page, "progress-retrying")
    live.app.config["UPSTREAM_RETRY_BASE_SECONDS"] = 0.2
    expect(page.get_by_role("heading", name="Your interview", exact=True)).to_be_visible(
        timeout=40_000
    )
    calls = live.sandbox.calls()
    assert calls["interviews_created"] == 1 and calls["api_calls"] - calls["faults_served"] == 1


@pytest.mark.parametrize("damage", ["tampered", "expired"])
def test_a_tampered_or_expired_candidate_link_is_refused_kindly(
    live: Site, page: Page, damage: str
) -> None:
    page.goto(live.url + "/jobs/data-analyst-amsterdam/apply")
    fill_form(page, "Ana Horvat", f"{damage}@example.com", text=RESUME_TEXT)
    page.get_by_role("button", name="Send application").click()
    expect(page.get_by_role("heading", name="Your interview", exact=True)).to_be_visible(
        timeout=30_000
    )
    url = page.url
    if damage == "tampered":
        url = url[:-3] + ("AAA" if not url.endswith("AAA") else "BBB")
        heading = "This link is not valid"
    else:
        live.app.config["CANDIDATE_LINK_MAX_AGE"] = -1
        heading = "This link has expired"
    response = page.goto(url)
    assert response is not None and response.status in (404, 410)
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(page.locator("iframe")).to_have_count(0)
