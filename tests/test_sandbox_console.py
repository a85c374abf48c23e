"""The sandbox's recruiter console: candidates awaiting a recruiter are accepted or rejected with
plain forms (over HTTP and in Chromium), acceptance opens the interview, and webhooks switch off."""

# ruff: noqa: F811  (a test's parameter names the fixture imported below)

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect
from sandbox_fixtures import (  # noqa: F401  (fixtures, requested by parameter name)
    RunningSandbox,
    sandbox,
    sandbox_factory,
)

from tests.conftest import Site, make_site
from tests.helpers import Candidate, seed
from tests.test_candidate_browser import start_interview

SLUG = "data-analyst-amsterdam"


def _secret(html: str) -> str:
    match = re.search(r'name="secret" value="([^"]+)"', html)
    assert match, "the console's forms carry no secret"
    return unescape(match.group(1))


def test_the_console_lists_only_candidates_awaiting_a_recruiter(sandbox: RunningSandbox) -> None:
    sandbox.create(candidate_email="wait+review@example.com", candidate_name="Wanda Wait")
    sandbox.create(candidate_email="go@example.com", candidate_name="Gus Go")
    page = sandbox.anonymous.get("/console")
    assert page.status_code == 200
    assert "Wanda Wait" in page.text and "Gus Go" not in page.text
    assert 'aria-label="Accept Wanda Wait for Barista"' in page.text
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    assert page.headers["Cache-Control"] == "no-store"


def test_accepting_in_the_console_opens_the_interview(sandbox: RunningSandbox) -> None:
    created = sandbox.create(candidate_email="ada+review@example.com").json()
    link = sandbox.embed_url(created, "Ada", "ada+review@example.com")
    assert "We are reviewing your application" in sandbox.anonymous.get(link).text
    console = sandbox.anonymous.get("/console").text
    answer = sandbox.anonymous.post(
        f"/console/{created['profile_interview_id']}/decision",
        data={"secret": _secret(console), "decision": "accept"},
    )
    assert answer.status_code == 303
    after = sandbox.anonymous.get(answer.headers["Location"]).text
    assert "Accepted" in after and "ada+review@example.com" not in after
    assert "Submit interview" in sandbox.anonymous.get(link).text  # the same link, now open
    again = sandbox.anonymous.post(
        f"/console/{created['profile_interview_id']}/decision",
        data={"secret": _secret(console), "decision": "reject"},
    )
    assert again.status_code == 409 and "not awaiting a decision" in again.text


def test_rejecting_in_the_console_closes_the_interview(sandbox: RunningSandbox) -> None:
    created = sandbox.create(candidate_email="rex+review@example.com").json()
    console = sandbox.anonymous.get("/console").text
    sandbox.anonymous.post(
        f"/console/{created['profile_interview_id']}/decision",
        data={"secret": _secret(console), "decision": "reject"},
    )
    link = sandbox.embed_url(created, "Rex", "rex+review@example.com")
    assert "This interview is not available" in sandbox.anonymous.get(link).text
    row = sandbox.http.get("/functions/v1/merchant-result-list").json()["results"][0]
    assert row["decision_status"] == "rejected"


@pytest.mark.parametrize(
    ("data", "status"),
    [
        ({"decision": "accept"}, 403),
        ({"decision": "accept", "secret": "guess"}, 403),
        ({"decision": "maybe", "secret": None}, 422),
        ({"secret": None}, 422),
    ],
)
def test_a_console_form_without_its_secret_or_choice_is_refused(
    sandbox: RunningSandbox, data: dict[str, str | None], status: int
) -> None:
    created = sandbox.create(candidate_email="eve+review@example.com").json()
    secret = _secret(sandbox.anonymous.get("/console").text)
    form = {k: (secret if v is None else v) for k, v in data.items()}
    answer = sandbox.anonymous.post(
        f"/console/{created['profile_interview_id']}/decision", data=form
    )
    assert answer.status_code == status and 'role="alert"' in answer.text
    assert "eve+review@example.com" in sandbox.anonymous.get("/console").text  # still waiting


def test_the_console_switches_webhooks_off_and_on(sandbox: RunningSandbox) -> None:
    console = sandbox.anonymous.get("/console").text
    assert "Webhooks are <strong>on</strong>" in console
    off = sandbox.anonymous.post(
        "/console/webhooks", data={"secret": _secret(console), "webhooks": "off"}
    )
    assert off.status_code == 303
    assert sandbox.http.get("/_sandbox/webhooks").json() == {"enabled": False}
    page = sandbox.anonymous.get(off.headers["Location"]).text
    assert "Webhooks are <strong>off</strong>" in page and "Switch webhooks on" in page
    refused = sandbox.anonymous.post("/console/webhooks", data={"webhooks": "on"})
    assert refused.status_code == 403
    assert sandbox.http.get("/_sandbox/webhooks").json() == {"enabled": False}


# --- in Chromium, with the live site polling ---------------------------------------------------


@pytest.fixture
def polling_site(tmp_path: Path, migrated_template: Path) -> Iterator[Site]:
    env = {
        "RESULT_POLL_SCHEDULE": "0.3,0.5,1",
        "WEBHOOK_SILENCE_SECONDS": "1",
        "CANDIDATE_EMAIL_VERIFICATION": "false",
    }
    for live in make_site(tmp_path, migrated_template, env=env):
        seed(live.app)
        live.start_workers()
        yield live


@pytest.mark.browser
def test_a_recruiter_accepts_in_the_console_and_the_candidate_page_shows_the_interview(
    polling_site: Site, page: Page
) -> None:
    person = Candidate(polling_site.url)
    path = person.apply(SLUG, "tara+review@example.com", name="Tara Quinn")
    person.wait_for_stage(path, "review")

    page.goto(f"{polling_site.sandbox.url}/console")
    expect(page.get_by_role("heading", name="Candidates awaiting a recruiter")).to_be_visible()
    page.get_by_role("button", name="Accept Tara Quinn for Data Analyst").click()
    expect(page.get_by_role("status")).to_contain_text("Accepted")
    expect(page.get_by_role("button", name=re.compile("Tara Quinn"))).to_have_count(0)

    try:
        person.wait_for_stage(path, "interview")  # the workers' next check learns the decision
    finally:
        person.close()
    page.goto(f"{polling_site.url}{path}")
    start_interview(page)  # past the camera and microphone check, the frame loads
    frame = page.locator("iframe")
    expect(frame).to_have_count(1, timeout=20_000)
    src = frame.get_attribute("src") or ""
    assert src.startswith(f"{polling_site.sandbox.url}/embed?")
    inside = page.frame_locator("iframe")
    # The platform's own page, open now: it greets the candidate by name (no "reviewing" notice).
    expect(inside.get_by_role("heading", name="Welcome, Tara Quinn")).to_be_visible(timeout=10_000)
    assert polling_site.sandbox.calls()["api_calls"] == 1
    assert httpx.get(f"{polling_site.sandbox.url}/console").text.count("Tara Quinn") == 0
