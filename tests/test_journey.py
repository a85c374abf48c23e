"""The candidate journey over real HTTP: a live site, a sandbox on another origin, real workers."""

from __future__ import annotations

import logging
import re
import time
from html import unescape
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from tests.conftest import Site
from tests.helpers import Candidate, VerifiedCandidate, applications, seed, wait_for
from webapp.extensions import db
from webapp.models import SystemAlert

SLUG = "data-analyst-amsterdam"


@pytest.fixture
def candidate(site: Site):
    seed(site.app)
    person = VerifiedCandidate(site.url, site.app)
    yield person
    person.close()


def frame_of(html: str) -> dict[str, str]:
    tag = re.search(r"<iframe[^>]*>", html).group(0)
    return {name: unescape(value) for name, value in re.findall(r'(\w[\w-]*)="([^"]*)"', tag)}


def test_an_accepted_candidate_gets_a_signed_interview_frame_from_the_embed_origin(
    site: Site, candidate: Candidate
) -> None:
    page = candidate.apply(SLUG, "amara@example.com")
    progress = candidate.http.get(page)
    assert "Application received" in progress.text and 'data-stage="preparing"' in progress.text
    assert (
        '<meta http-equiv="refresh"' in progress.text
    )  # without JavaScript the page refreshes itself

    candidate.wait_for_stage(page, "interview")
    response = candidate.http.get(page)
    frame = frame_of(response.text)
    origin = site.sandbox.url
    assert frame["src"].startswith(f"{origin}/embed?embed_id=")
    assert frame["title"].startswith("Video interview for")
    for feature in ("camera", "microphone", "fullscreen", "autoplay", "display-capture"):
        assert f"{feature} {origin}" in frame["allow"]
    assert f"frame-src {origin}" in response.headers["Content-Security-Policy"]
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert f'camera=(self "{origin}")' in response.headers["Permissions-Policy"]

    # The platform accepts the link and logs the candidate in by name.
    embed = httpx.get(frame["src"])
    assert embed.status_code == 200
    assert "Amara Okafor" in embed.text
    # A fresh link is minted at every render (same signature: the scheme has no nonce).
    query = parse_qs(urlsplit(frame["src"]).query)
    assert (
        query["email"]
        and query["signature"][0]
        == parse_qs(urlsplit(frame_of(candidate.http.get(page).text)["src"]).query)["signature"][0]
    )


@pytest.mark.parametrize(
    ("email", "resume", "stage", "text"),
    [
        ("ana+review@example.com", None, "review", "Your application is being reviewed"),
        ("ana+reject@example.com", None, "rejected", "Thank you for applying"),
        ("ana+recruiter-reject@example.com", None, "rejected", "Thank you for applying"),
        ("ana+recruiter-accept@example.com", None, "interview", "Your interview"),
        (
            "ana@example.com",
            "Barista for two summers; I like people and coffee.",
            "rejected",
            "Thank you for applying",
        ),
    ],
)
def test_each_decision_leads_to_its_page(
    site: Site, candidate: Candidate, email: str, resume: str | None, stage: str, text: str
) -> None:
    page = candidate.apply(SLUG, email, resume=resume) if resume else candidate.apply(SLUG, email)
    candidate.wait_for_stage(page, stage)
    html = candidate.http.get(page).text
    assert text in html
    assert ("<iframe" in html) == (stage == "interview")


def test_the_rejection_reason_is_shown_only_when_configured(
    site: Site, candidate: Candidate
) -> None:
    page = candidate.apply(SLUG, "ben+reject@example.com")
    candidate.wait_for_stage(page, "rejected")
    html = candidate.http.get(page).text
    assert "Feedback:" not in html
    site.app.config["SHOW_REJECTION_REASON"] = True
    assert "Feedback:" in candidate.http.get(page).text


def test_an_email_that_already_applied_upstream_continues_its_interview(
    site: Site, candidate: Candidate
) -> None:
    # The same person applied to this position on the platform before (another channel).
    with site.app.app_context():
        from webapp.models import Application, Position
        from webapp.services.platform import platform
        from webapp.services.upstream_jobs import build_request

        position = db.session.scalar(db.select(Position).where(Position.slug == SLUG))
        earlier = Application(
            full_name="Eve Earlier",
            email="eve@example.com",
            email_normalized="eve@example.com",
            country_code="HR",
            resume_text="x" * 200,
            position=position,
        )
        platform().client.create_interview_for_candidate(build_request(earlier, position))
        db.session.rollback()
    page = candidate.apply(SLUG, "eve@example.com", name="Eve Earlier")
    candidate.wait_for_stage(page, "interview")
    html = candidate.http.get(page).text
    assert "You have already applied for this position. Continue your interview below." in html
    assert httpx.get(frame_of(html)["src"]).status_code == 200


def test_a_finished_interview_shows_the_thank_you_page(site: Site, candidate: Candidate) -> None:
    page = candidate.apply(SLUG, "fin@example.com")
    candidate.wait_for_stage(page, "interview")
    [stored] = applications(site.app)
    submitted = httpx.post(
        f"{site.sandbox.url}/interview/{stored['profile_interview_id']}/submit",
        json={"answers": ["a", "b"]},
    )
    assert submitted.status_code == 200
    candidate.wait_for_stage(page, "finished")
    assert "your interview is complete" in candidate.http.get(page).text
    finished = wait_for(
        lambda: applications(site.app)[0]["score"] is not None and applications(site.app)[0],
        what="score",
    )
    assert finished["interview_status"] == "completed"


def test_an_abandoned_interview_is_recorded_and_the_frame_stays(
    site: Site, candidate: Candidate
) -> None:
    page = candidate.apply(SLUG, "gone@example.com")
    candidate.wait_for_stage(page, "interview")
    [stored] = applications(site.app)
    httpx.post(f"{site.sandbox.url}/interview/{stored['profile_interview_id']}/abandon", json={})
    wait_for(
        lambda: applications(site.app)[0]["interview_status"] == "abandoned",
        what="interview_failed webhook",
    )
    html = candidate.http.get(page).text
    assert "was not completed" in html and "<iframe" in html


def test_upstream_errors_are_retried_and_each_application_reaches_the_platform_once(
    site: Site, candidate: Candidate
) -> None:
    site.sandbox.fault("500", count=3)
    pages = [candidate.apply(SLUG, f"p{i}@example.com") for i in range(3)]
    for page in pages:
        candidate.wait_for_stage(page, "interview", timeout=40)
    calls = site.sandbox.calls()
    assert calls["faults_served"] == 3
    assert calls["api_calls"] - calls["faults_served"] == 3
    assert calls["interviews_created"] == 3
    assert all(row["job_state"] == "done" for row in applications(site.app))


def test_a_refused_token_keeps_applications_and_raises_an_alert(
    site: Site, candidate: Candidate, caplog: pytest.LogCaptureFixture
) -> None:
    site.sandbox.fault("401", count=50)  # refused until fixed (tests/test_jobs.py: then resumed)
    with caplog.at_level(logging.ERROR):
        page = candidate.apply(SLUG, "tok@example.com")
        wait_for(lambda: applications(site.app)[0]["last_error"], what="a failed attempt")
        time.sleep(1)  # workers probe again meanwhile, one at a time, backing off
    [stored] = applications(site.app)
    assert stored["job_state"] == "pending"  # kept, not given up
    assert caplog.text.count("refused the API token") == 1  # said once, not once per probe
    with site.app.app_context():
        alert = db.session.scalar(db.select(SystemAlert).where(SystemAlert.key == "upstream_auth"))
        assert alert is not None and alert.resolved_at is None
        db.session.remove()
    assert candidate.status(page)["stage"] == "preparing"


def test_when_the_platform_stays_down_the_candidate_gets_an_honest_message(
    site: Site, candidate: Candidate
) -> None:
    site.app.config["UPSTREAM_GIVE_UP_AFTER"] = (
        0  # no time to retry: give up after the first failure
    )
    site.sandbox.fault("500", count=1)
    page = candidate.apply(SLUG, "late@example.com")
    candidate.wait_for_stage(page, "failed", timeout=30)
    assert "Your application is safe with us" in candidate.http.get(page).text
    [stored] = applications(site.app)
    assert stored["job_state"] == "gave_up" and "HTTP 500" in stored["last_error"]


def test_a_double_click_that_races_its_own_cookie_reaches_the_same_application(
    site: Site, candidate: Candidate
) -> None:
    form = candidate.http.get(f"/jobs/{SLUG}/apply").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    cookies_before = dict(candidate.http.cookies)
    data = {
        "csrf_token": token,
        "full_name": "Ana",
        "email": "double@example.com",
        "country": "HR",
        "consent": "y",
        "website": "",
        "resume_text": "x" * 10
        + " Barista and shift lead for five years; trained staff, ran ordering and stock.",
    }
    pages = []
    for _ in range(2):  # the second click leaves before the first answer's cookie arrives
        with httpx.Client(base_url=site.url, cookies=cookies_before) as click:
            response = click.post(
                f"/jobs/{SLUG}/apply", data=data, files={"resume_file": ("", b"")}
            )
            assert response.status_code == 303
            pages.append(response.headers["Location"].split(".")[0])
    assert pages[0] == pages[1]
    assert len(applications(site.app)) == 1


def test_without_verification_the_same_email_from_another_browser_gets_the_platforms_sign_in(
    site: Site, candidate: Candidate
) -> None:
    # With CANDIDATE_EMAIL_VERIFICATION on, tests/test_verification.py proves the code step instead.
    site.app.config["CANDIDATE_EMAIL_VERIFICATION"] = False
    page = candidate.apply(SLUG, "other@example.com")
    candidate.wait_for_stage(page, "interview")
    stranger = Candidate(site.url)
    form = stranger.http.get(f"/jobs/{SLUG}/apply").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    response = stranger.http.post(
        f"/jobs/{SLUG}/apply",
        data={
            "csrf_token": token,
            "full_name": "Someone",
            "email": "OTHER@example.com",
            "country": "HR",
            "consent": "y",
            "website": "",
            "resume_text": "Barista and shift lead for five years in busy cafés; trained staff, ran ordering.",
        },
        files={"resume_file": ("", b"")},
    )
    assert response.status_code == 409
    frame = frame_of(response.text)
    assert frame["src"].startswith(f"{site.sandbox.url}/embed?embed_id=")
    assert "signature" not in frame["src"] and "email" not in frame["src"]
    assert f"frame-src {site.sandbox.url}" in response.headers["Content-Security-Policy"]
    assert site.sandbox.calls()["api_calls"] == 1
    stranger.close()
