"""The preview interview: recorded by the page, created by a worker, once per position, never in a GET."""

from __future__ import annotations

import re
import threading
import time
from typing import Any

import httpx
from sqlalchemy import select

from tests.helpers import seed, wait_for
from tests.studio_fixtures import SLUG, edit_draft, make_account, preview_link, sign_in
from webapp.extensions import db
from webapp.models.content import PreviewInterview

PREVIEW_EMAIL = "careerframe-preview@example.com"
PAGE = f"/preview/jobs/{SLUG}/interview"


def preview_calls(site: Any) -> int:
    """How many calls the sandbox received for the preview candidate."""
    return sum(
        entry["calls"]
        for entry in site.sandbox.calls()["per_candidate"]
        if entry["email"] == PREVIEW_EMAIL
    )


def preview_browser(site: Any) -> Any:
    """A browser holding a preview link, made by a marketer."""
    seed(site.app)
    site.app.config["WTF_CSRF_ENABLED"] = False
    marketer = sign_in(site.app.test_client(), make_account(site.app, "mara@kestrel.example"))
    edit_draft(marketer, text_interview_heading="Meet our interviewer")
    guest = site.app.test_client()
    guest.get(preview_link(marketer))
    return guest


def record(site: Any) -> PreviewInterview:
    """The preview interview row (the only one in these tests)."""
    with site.app.app_context():
        row = db.session.scalars(select(PreviewInterview)).one()
        db.session.expunge(row)
        return row


def test_the_page_makes_no_upstream_call_and_one_worker_call_follows(quiet_site: Any) -> None:
    site = quiet_site  # no workers yet; the sandbox answers in 3 s
    guest = preview_browser(site)

    started = time.monotonic()
    results = []

    def open_page() -> None:
        results.append(guest.get(PAGE))

    pages = [threading.Thread(target=open_page) for _ in range(4)]
    for thread in pages:
        thread.start()
    for thread in pages:
        thread.join()
    assert time.monotonic() - started < 3  # none of them waited for the platform
    for response in results:
        assert response.status_code == 200
        assert "The preview interview is being prepared…" in response.text
        assert "interview-frame" not in response.text
        assert response.headers["Cache-Control"] == "no-store"
    assert "/interview/status" in results[0].text and "Reload this page" in results[0].text
    assert '<meta http-equiv="refresh"' in results[0].text  # inside <noscript>
    assert guest.get(PAGE + "/status").json == {
        "stage": "preparing",
        "attempts": 0,
        "retrying": False,
    }
    assert preview_calls(site) == 0
    assert record(site).job_state == "pending"

    site.start_workers(threads=3)
    wait_for(lambda: record(site).job_state == "done")
    assert preview_calls(site) == 1

    response = guest.get(PAGE)
    assert response.status_code == 200
    html = response.text
    assert "Meet our interviewer" in html and 'class="interview-frame"' in html
    src = re.search(r'<iframe id="interview-frame" src="([^"]+)"', html).group(1)
    src = src.replace("&amp;", "&")
    origin = site.sandbox.url
    assert src.startswith(f"{origin}/embed?embed_id=")
    assert f"frame-src {origin}" in response.headers["Content-Security-Policy"]
    embed = httpx.get(src)
    assert embed.status_code == 200 and "Preview Candidate" in embed.text
    status = guest.get(PAGE + "/status").json
    assert status["stage"] == "ready" and "embed" not in str(status)  # the link is never polled
    # Shown again and again, never created twice: the platform charges per call.
    assert guest.get(PAGE).status_code == 200
    time.sleep(0.5)
    assert preview_calls(site) == 1
    # Not a door for anyone without a preview link.
    assert site.app.test_client().get(PAGE).status_code == 404
    assert site.app.test_client().get(PAGE + "/status").status_code == 404


def test_a_platform_failure_is_retried_by_the_worker_with_progress_shown(site: Any) -> None:
    guest = preview_browser(site)
    site.stop_workers()
    site.sandbox.fault("500", count=1)
    assert guest.get(PAGE).status_code == 200
    site.start_workers(threads=1)
    wait_for(lambda: record(site).job_state == "done")
    row = record(site)
    assert row.attempts == 2 and row.decision == "ai_accept"
    assert 'class="interview-frame"' in guest.get(PAGE).text
    assert preview_calls(site) == 2  # the failed call and the one that worked


def test_a_preview_given_up_on_says_why_and_can_be_asked_for_again(site: Any) -> None:
    guest = preview_browser(site)
    site.stop_workers()
    site.app.config["UPSTREAM_GIVE_UP_AFTER"] = 0  # the first failure is the last
    site.sandbox.fault("500", count=1)
    guest.get(PAGE)
    site.start_workers(threads=1)
    wait_for(lambda: record(site).job_state == "gave_up")
    response = guest.get(PAGE)
    assert response.status_code == 503
    assert "The preview interview is not available" in response.text
    assert (
        "did not create the preview interview (gave up after 1 attempt: HTTP 500" in response.text
    )
    assert "Try again" in response.text
    assert guest.get(PAGE + "/status").json["stage"] == "unavailable"

    site.app.config["UPSTREAM_GIVE_UP_AFTER"] = 3600
    again = guest.post(PAGE + "/retry")
    assert again.status_code == 303 and again.headers["Location"] == PAGE
    wait_for(lambda: record(site).job_state == "done")
    assert 'class="interview-frame"' in guest.get(PAGE).text
    assert preview_calls(site) == 2


def test_asking_again_needs_the_preview_and_the_csrf_token(site: Any) -> None:
    guest = preview_browser(site)
    assert site.app.test_client().post(PAGE + "/retry").status_code == 404
    site.app.config["WTF_CSRF_ENABLED"] = True
    assert guest.post(PAGE + "/retry").status_code == 400


def test_a_rejected_preview_candidate_is_a_clear_page(site: Any) -> None:
    guest = preview_browser(site)
    wait_for(lambda: guest.get(PAGE + "/status").json["stage"] != "preparing")
    with site.app.app_context():
        row = db.session.scalars(select(PreviewInterview)).one()
        row.decision = "ai_reject"
        db.session.commit()
    response = guest.get(PAGE)
    assert response.status_code == 503
    assert "answered “ai_reject” for the preview candidate" in response.text
    assert "Try again" not in response.text


def test_workers_of_two_processes_racing_make_one_call(quiet_site: Any) -> None:
    site = quiet_site  # the sandbox answers in 3 s: the race window is wide open
    guest = preview_browser(site)
    guest.get(PAGE)
    with site.second_worker_process(threads=3):
        site.start_workers(threads=3)
        wait_for(lambda: record(site).job_state == "done")
        time.sleep(0.5)
    assert preview_calls(site) == 1
    assert record(site).attempts == 1
