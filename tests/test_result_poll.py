"""Result checks over real HTTP: a live site and its workers learn from the sandbox's results list
what no webhook told them — a recruiter's verdict, an interview finished while webhooks were off —
with one create call per application, and one log line per outage."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from typing import Any

import httpx
import pytest
from flask import Flask

from tests.conftest import Site, make_site
from tests.helpers import Candidate, applications, seed, wait_for
from webapp.extensions import db
from webapp.jobmojito.sandbox import serve_sandbox_in_thread
from webapp.jobmojito.sandbox.decisions import score_for
from webapp.models import Application, SystemAlert
from webapp.models.checks import ResultCheck
from webapp.services.interview_updates import WEBHOOKS_SILENT, on_review_outcome

SLUG = "data-analyst-amsterdam"
# Fast enough for a test, the same shape as production's 1, 2, 5, 10, 30 minutes, then hourly.
POLL_ENV = {
    "RESULT_POLL_SCHEDULE": "0.3,0.5,1",
    "WEBHOOK_SILENCE_SECONDS": "1",
    "RESULT_POLL_GIVE_UP_AFTER": "600",
    # Proving the address is another promise, tested on its own: here the frame shows at once.
    "CANDIDATE_EMAIL_VERIFICATION": "false",
}


@pytest.fixture
def polling_site(tmp_path: Path, migrated_template: Path) -> Iterator[Site]:
    """The live site, sandbox and workers, checking results on a seconds-long schedule."""
    for live in make_site(tmp_path, migrated_template, env=POLL_ENV):
        seed(live.app)
        live.start_workers()
        yield live


@pytest.fixture
def candidate(polling_site: Site) -> Iterator[Candidate]:
    person = Candidate(polling_site.url)
    yield person
    person.close()


def console_decide(sandbox_url: str, email: str, decision: str) -> httpx.Response:
    """Press Accept or Reject for one candidate in the sandbox's recruiter console, over HTTP."""
    with httpx.Client(base_url=sandbox_url, timeout=10) as browser:
        page = browser.get("/console")
        assert page.status_code == 200
        row = re.search(
            r'<tr data-interview="([^"]+)">(?:(?!</tr>).)*?' + re.escape(email), page.text, re.S
        )
        assert row, f"{email} is not awaiting a recruiter in the console"
        secret = unescape(re.search(r'name="secret" value="([^"]+)"', page.text).group(1))
        response = browser.post(
            f"/console/{row.group(1)}/decision", data={"secret": secret, "decision": decision}
        )
        assert response.status_code == 303, response.text
        return browser.get(response.headers["Location"])


def sandbox_switch_webhooks(site: Site, enabled: bool) -> None:
    with site.sandbox.control() as control:
        control.post("/_sandbox/webhooks", json={"enabled": enabled}).raise_for_status()


def frame_src(html: str) -> str:
    match = re.search(r'<iframe[^>]*\ssrc="([^"]+)"', html)
    assert match, "the candidate page has no interview frame"
    return unescape(match.group(1))


def create_calls(site: Site) -> int:
    return int(site.sandbox.calls()["api_calls"])


def one(app: Flask, email: str) -> dict[str, Any]:
    return next(a for a in applications(app) if a["email"] == email)


def open_alert(app: Flask, key: str) -> SystemAlert | None:
    with app.app_context():
        alert = db.session.scalar(
            db.select(SystemAlert).where(SystemAlert.key == key, SystemAlert.resolved_at.is_(None))
        )
        db.session.remove()
        return alert


def test_an_accepted_review_turns_into_the_interview_with_one_create_call(
    polling_site: Site, candidate: Candidate
) -> None:
    outcomes: list[tuple[str, str]] = []
    on_review_outcome(polling_site.app, lambda a, outcome: outcomes.append((a.email, outcome)))
    email = "rosa+review@example.com"
    page = candidate.apply(SLUG, email)
    candidate.wait_for_stage(page, "review")
    assert "being reviewed" in candidate.http.get(page).text

    listing = console_decide(polling_site.sandbox.url, email, "accept")
    assert "Accepted" in listing.text and email not in listing.text

    candidate.wait_for_stage(page, "interview")
    src = frame_src(candidate.http.get(page).text)
    embed = httpx.get(src, timeout=10)
    assert embed.status_code == 200 and "Submit interview" in embed.text
    assert create_calls(polling_site) == 1  # the checks never create anything
    assert one(polling_site.app, email)["decision"] == "recruiter_accept"
    assert outcomes == [(email, "interview_ready")]


def test_a_rejected_review_takes_the_rejection_path(
    polling_site: Site, candidate: Candidate
) -> None:
    outcomes: list[str] = []
    on_review_outcome(polling_site.app, lambda a, outcome: outcomes.append(outcome))
    page = candidate.apply(SLUG, "sol+review@example.com")
    candidate.wait_for_stage(page, "review")
    console_decide(polling_site.sandbox.url, "sol+review@example.com", "reject")
    candidate.wait_for_stage(page, "rejected")
    html = candidate.http.get(page).text
    assert "Thank you for applying" in html and "<iframe" not in html
    assert create_calls(polling_site) == 1
    assert outcomes == ["rejected"]
    with polling_site.app.app_context():
        checks = db.session.scalars(db.select(ResultCheck.state)).all()
        db.session.remove()
    assert checks == ["done"]  # no more questions once it is decided


def test_with_webhooks_off_the_interview_still_finishes_and_staff_are_alerted(
    polling_site: Site, candidate: Candidate
) -> None:
    email = "noor@example.com"
    page = candidate.apply(SLUG, email)
    candidate.wait_for_stage(page, "interview")
    sandbox_switch_webhooks(polling_site, False)
    interview_id = one(polling_site.app, email)["profile_interview_id"]
    submitted = httpx.post(
        f"{polling_site.sandbox.url}/interview/{interview_id}/submit",
        json={"answers": ["a", "b", "c"]},
    )
    assert submitted.status_code == 200

    candidate.wait_for_stage(page, "finished", timeout=30)
    stored = wait_for(lambda: (a := one(polling_site.app, email))["score"] is not None and a)
    assert stored["score"] == score_for(email) and stored["interview_status"] == "completed"
    assert polling_site.sandbox.calls()["webhook_deliveries"] == []  # none was sent
    alert = wait_for(lambda: open_alert(polling_site.app, WEBHOOKS_SILENT), what="the alert")
    assert "webhook" in alert.message
    assert create_calls(polling_site) == 1
    assert "no webhook told us" in _admin_home(polling_site.app)  # what staff see


def _admin_home(app: Flask) -> str:
    from tests.admin_fixtures import PASSWORD, sign_in
    from webapp.services.accounts import create_user

    with app.app_context():
        create_user("watcher@staff.example", "recruiter", PASSWORD)
        db.session.remove()
    app.config["WTF_CSRF_ENABLED"] = False
    staff = app.test_client()
    sign_in(staff, "watcher@staff.example")
    return str(staff.get("/admin/", follow_redirects=True).get_data(as_text=True))


def test_a_platform_outage_is_logged_once_and_checks_resume(
    polling_site: Site, candidate: Candidate, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="webapp.services.outages")
    email = "ines+review@example.com"
    page = candidate.apply(SLUG, email)
    candidate.wait_for_stage(page, "review")
    wait_for(lambda: _checks_made(polling_site.app) >= 1, what="a first check")

    server = polling_site.sandbox.server
    port, app = server.port, server.app
    server.shutdown()  # the platform goes away: connections are refused
    wait_for(lambda: [r for r in caplog.records if "unavailable" in r.getMessage()], what="log")
    # Two workers keep running for a while: still only the one line.
    wait_for(lambda: _failed_checks(polling_site.app), what="a failed check")
    time.sleep(2.5)
    down = [r for r in caplog.records if "unavailable" in r.getMessage()]
    assert len(down) == 1 and down[0].levelno == logging.ERROR
    assert "platform" in down[0].getMessage()

    restarted = serve_sandbox_in_thread(app, port=port)  # the same platform state, back up
    try:
        console_decide(restarted.url, email, "accept")
        candidate.wait_for_stage(page, "interview", timeout=30)
        back = [r for r in caplog.records if "is back" in r.getMessage()]
        assert len(back) == 1
        assert len([r for r in caplog.records if "unavailable" in r.getMessage()]) == 1
    finally:
        restarted.shutdown()


def _checks_made(app: Flask) -> int:
    with app.app_context():
        value = db.session.scalar(db.select(db.func.max(ResultCheck.last_checked_at)))
        db.session.remove()
    return 1 if value else 0


def _failed_checks(app: Flask) -> bool:
    with app.app_context():
        value = db.session.scalar(
            db.select(ResultCheck.id).where(ResultCheck.last_error.is_not(None))
        )
        db.session.remove()
    return value is not None


def test_a_check_never_creates_and_the_application_keeps_its_one_create_call(
    polling_site: Site, candidate: Candidate
) -> None:
    page = candidate.apply(SLUG, "kim+review@example.com")
    candidate.wait_for_stage(page, "review")
    wait_for(lambda: _checks_made(polling_site.app), what="a check")
    with polling_site.app.app_context():
        application = db.session.scalar(db.select(Application))
        assert application is not None and application.attempts == 1
        db.session.remove()
    assert create_calls(polling_site) == 1


# --- the readings and the schedule, without a network ----------------------------------------


@pytest.mark.parametrize(
    ("decision_status", "verdict"),
    [
        ("selected", "accepted"),
        ("decided-selected", "accepted"),
        ("recruiter_accept", "accepted"),
        ("Selected ", "accepted"),
        ("rejected", "rejected"),
        ("decided-rejected", "rejected"),
        ("recruiter_reject", "rejected"),
        ("recruiter_action", "pending"),
        ("shortlist", "pending"),
        ("something new", "pending"),
        ("", "pending"),
        (None, "pending"),
    ],
)
def test_the_guess_at_decision_words_is_pinned(decision_status: str | None, verdict: str) -> None:
    from webapp.jobmojito.contract import recruiter_verdict

    assert recruiter_verdict(decision_status).value == verdict


def _row(**values: Any) -> Any:
    from webapp.jobmojito.contract import ResultRow

    return ResultRow.from_json({"id": "r1", "profile_interview_id": "pi-1", **values})


@pytest.mark.parametrize(
    ("values", "events"),
    [
        ({"status": "draft", "processing_status": "new", "interview_started": False}, []),
        (
            {"status": "draft", "processing_status": "processing", "interview_started": True},
            ["interview_collected"],
        ),
        (
            {"status": "active", "processing_status": "completed", "score": 7},
            ["interview_result"],
        ),
        ({"status": "draft", "processing_status": "failed"}, ["interview_failed"]),
    ],
)
def test_a_row_is_read_as_the_webhook_it_stands_for(
    values: dict[str, Any], events: list[str]
) -> None:
    from webapp.services.reconcile import updates_from_row

    assert [u.event for u in updates_from_row(_row(**values), "interview")] == events


def test_a_row_and_the_webhook_it_stands_for_share_one_identity() -> None:
    from webapp.services.reconcile import updates_from_row
    from webapp.services.webhooks import update_from_webhook

    webhook = update_from_webhook(
        {
            "event": "interview_result",
            "id": "r1",
            "profile_interview_id": "pi-1",
            "status": "active",
            "interview_status": "completed",
            "processing_status": "completed",
            "score": 7.0,
        }
    )
    (checked,) = updates_from_row(
        _row(status="active", processing_status="completed", score=7), "interview"
    )
    assert checked.identity() == webhook.identity()  # a check finding it later adds nothing


def test_the_schedule_backs_off_and_its_last_step_repeats() -> None:
    from webapp.services.reconcile import CheckPolicy

    policy = CheckPolicy()
    assert [policy.delay(n) for n in range(8)] == [60, 120, 300, 600, 1800, 3600, 3600, 3600]


@pytest.mark.parametrize("value", ["", "60,,120", "soon", "0", "-5", "60,nan", "inf"])
def test_a_bad_poll_schedule_is_refused_by_name(value: str, tmp_path: Path) -> None:
    from webapp.config import ConfigError, load_settings

    env = {"RESULT_POLL_SCHEDULE": value}
    if value in ("", "60,,120"):
        assert load_settings(env, tmp_path)["RESULT_POLL_SCHEDULE"][0] == 60
        return
    with pytest.raises(ConfigError, match="RESULT_POLL_SCHEDULE"):
        load_settings(env, tmp_path)


def test_a_check_that_stops_gives_up_and_says_so(polling_site: Site, candidate: Candidate) -> None:
    page = candidate.apply(SLUG, "lou+review@example.com")
    candidate.wait_for_stage(page, "review")
    polling_site.app.config["RESULT_POLL_GIVE_UP_AFTER"] = 0.5
    with polling_site.app.app_context():
        wait_for(
            lambda: (
                db.session.scalar(db.select(ResultCheck.state)) == "gave_up"
                or db.session.rollback()
            ),
            what="the checks to stop",
        )
        application = db.session.scalar(db.select(Application))
        assert application is not None and application.events[-1].kind == "checks_stopped"
        db.session.remove()
    assert candidate.status(page)["stage"] == "review"  # still waiting, kindly


def test_an_outage_seen_by_many_threads_is_logged_once_and_its_end_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    import threading

    from webapp.services.outages import OutageLog

    caplog.set_level(logging.INFO, logger="webapp.services.outages")
    outages = OutageLog(base_seconds=0.05, cap_seconds=0.2)

    def poll_while_down() -> None:
        for _ in range(20):
            outages.failed("database", "OperationalError")

    threads = [threading.Thread(target=poll_while_down) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outages.paused("database")  # backing off
    time.sleep(0.25)
    probes = [outages.paused("database") for _ in range(5)]
    assert probes.count(False) == 1  # one caller probes; the others keep waiting
    for _ in range(3):
        outages.recovered("database")
    assert not outages.paused("database")
    lines = [r.getMessage() for r in caplog.records]
    assert len([line for line in lines if "unavailable" in line]) == 1
    assert len([line for line in lines if "is back" in line]) == 1
