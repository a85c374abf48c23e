"""Another attempt at a submitted interview, over real HTTP: the real site, its workers, the
sandbox and a real SMTP server. The recruiter asks, the platform grants (or refuses), the attempts
are numbered, and news of the earlier attempt never finishes the new one."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx
import pytest
from markupsafe import escape

from tests import smtp_fixtures
from tests.conftest import SANDBOX_TOKEN, WEBHOOK_SECRET, Site, make_site
from tests.helpers import VerifiedCandidate, mail_env, mail_text, seed, wait_for
from tests.leakwatch import LEAKS, find_leaks
from tests.smtp_fixtures import SmtpServer
from tests.test_result_view import ANSWERS, CSRF, sign_in, text_of
from webapp.extensions import db
from webapp.models import Application, WebhookDelivery, utcnow
from webapp.services import attempts, jobs
from webapp.services.platform import platform
from webapp.services.platform_calls import policy_from_config

SLUG = "data-analyst-amsterdam"
AGAIN = "You can take your interview for Data Analyst again"
ANOTHER_ATTEMPT = "job-interview-result-request-another-attempt"

smtpd = smtp_fixtures.smtpd


@pytest.fixture
def live(tmp_path: Path, migrated_template: Path, smtpd: SmtpServer) -> Iterator[Site]:
    """The live site, sandbox and workers, sending e-mail to ``smtpd``."""
    for site in make_site(tmp_path, migrated_template, env=mail_env(smtpd.port)):
        seed(site.app)
        site.start_workers()
        yield site


@dataclass
class Submitted:
    """A candidate who applied through the site and submitted the interview in the sandbox."""

    site: Site
    candidate: VerifiedCandidate
    page: str
    application_id: int
    profile_interview_id: str
    email: str

    def application(self) -> Application:
        with self.site.app.app_context():
            found = db.session.get(Application, self.application_id)
            assert found is not None
            db.session.expunge(found)
            db.session.remove()
            return found

    def submit_in_sandbox(self) -> None:
        with httpx.Client(base_url=self.site.sandbox.url, timeout=10) as sandbox:
            answer = sandbox.post(
                f"/interview/{self.profile_interview_id}/submit", json={"answers": ANSWERS}
            )
            answer.raise_for_status()


def _application_id(site: Site, email: str) -> tuple[int, str]:
    def found() -> tuple[int, str] | None:
        with site.app.app_context():
            row = db.session.execute(
                db.select(Application.id, Application.profile_interview_id).where(
                    Application.email == email
                )
            ).first()
            db.session.remove()
            return (row[0], row[1]) if row and row[1] else None

    return wait_for(found, what="the platform's interview")


def submitted_interview(site: Site, email: str) -> Submitted:
    candidate = VerifiedCandidate(site.url, site.app)
    page = candidate.apply(SLUG, email)
    candidate.wait_for_stage(page, "interview")
    application_id, pid = _application_id(site, email)
    person = Submitted(site, candidate, page, application_id, pid, email)
    person.submit_in_sandbox()
    candidate.wait_for_stage(page, "finished")
    wait_for(lambda: person.application().result_status == "active", what="the scored result")
    return person


@pytest.fixture
def submitted(live: Site) -> Iterator[Submitted]:
    person = submitted_interview(live, "rosa.attempts@example.com")
    yield person
    person.candidate.close()


@pytest.fixture
def recruiter(live: Site) -> Iterator[httpx.Client]:
    browser = sign_in(live)
    yield browser
    browser.close()


def give_another_attempt(recruiter: httpx.Client, application_id: int) -> httpx.Response:
    page = recruiter.get(f"/admin/applications/{application_id}")
    assert page.status_code == 200
    assert "Give another attempt" in page.text
    token = re.search(CSRF, page.text)
    assert token is not None
    return recruiter.post(
        f"/admin/applications/{application_id}/another-attempt",
        data={"csrf_token": token.group(1)},
    )


def settled(person: Submitted) -> str:
    return wait_for(
        lambda: (
            (state := person.application().attempt_request_state) not in (None, "asking") and state
        ),
        what="the platform's answer to another attempt",
    )


def deliver(site: Site, payload: dict[str, Any]) -> httpx.Response:
    return httpx.post(
        f"{site.url}/webhooks/jobmojito",
        json=payload,
        headers={"X-Webhook-Secret": WEBHOOK_SECRET},
        timeout=10,
    )


def first_result_payload(site: Site, application_id: int) -> dict[str, Any]:
    with site.app.app_context():
        payload = db.session.scalar(
            db.select(WebhookDelivery.payload)
            .where(
                WebhookDelivery.application_id == application_id,
                WebhookDelivery.event == "interview_result",
            )
            .order_by(WebhookDelivery.id)
        )
        db.session.remove()
    assert isinstance(payload, dict)
    return dict(payload)


def arrived(smtpd: SmtpServer, email: str, subject: str) -> EmailMessage:
    return wait_for(
        lambda: next(
            (m for m in smtpd.messages if email in str(m["To"]) and m["Subject"] == subject), None
        ),
        timeout=20,
        what=f"the e-mail {subject!r}",
    )


def test_another_attempt_opens_attempt_two_everywhere(
    live: Site, submitted: Submitted, recruiter: httpx.Client, smtpd: SmtpServer
) -> None:
    first = submitted.application()
    assert first.interview_attempt == 1
    old_result = first_result_payload(live, submitted.application_id)
    old_analysis = old_result.get("ai_analysis_recruiter") or old_result.get("ai_analysis")
    assert isinstance(old_analysis, str) and old_analysis
    before = recruiter.get(f"/admin/applications/{submitted.application_id}").text
    assert escape(old_analysis) in before

    answer = give_another_attempt(recruiter, submitted.application_id)
    assert answer.status_code == 303
    assert settled(submitted) == "granted"

    # The platform: one call, and the candidate's interview is open again as attempt 2.
    assert live.sandbox.calls()["other_calls"].get(ANOTHER_ATTEMPT) == 1
    sandbox_page = httpx.get(
        f"{live.sandbox.url}/interview/{submitted.profile_interview_id}", timeout=10
    )
    assert sandbox_page.status_code == 200
    assert "Attempt 2" in text_of(sandbox_page.text)
    assert "Question 1 of" in sandbox_page.text

    # The recruiter's page numbers the attempt and says it is done.
    words = text_of(recruiter.get(f"/admin/applications/{submitted.application_id}").text)
    assert "This is attempt 2" in words
    assert "JobMojito granted attempt 2" in words
    assert "Give another attempt" not in words  # nothing submitted yet in attempt 2
    # Attempt 1's analysis and report are not shown as attempt 2's.
    after = recruiter.get(f"/admin/applications/{submitted.application_id}").text
    assert escape(old_analysis) not in after

    # The candidate's page and its status document show the interview again.
    assert submitted.candidate.status(submitted.page)["stage"] == "interview"
    candidate_page = submitted.candidate.http.get(submitted.page)
    assert candidate_page.status_code == 200
    assert 'id="interview-frame"' in candidate_page.text

    # The candidate is told by e-mail, with a link that opens their page in a fresh browser.
    message = arrived(smtpd, submitted.email, AGAIN)
    text = mail_text(message)
    assert "take it again" in text
    link = re.search(rf"{re.escape(live.url)}/\S+", text)
    assert link is not None
    html_part = message.get_body(preferencelist=("html",))
    assert html_part is not None and link.group(0) in html_part.get_content()
    with httpx.Client(timeout=10, follow_redirects=True) as elsewhere:
        opened = elsewhere.get(link.group(0))
        assert opened.status_code == 200
        assert 'id="interview-frame"' in opened.text

    # A late webhook about attempt 1 (its result id, its score) is kept and changes nothing.
    late = deliver(live, {**old_result, "score": 9.5})
    assert late.status_code == 200
    assert late.json()["result"] == "stale"
    now = submitted.application()
    assert (now.interview_status, now.result_status, now.score) == (None, None, None)
    assert submitted.candidate.status(submitted.page)["stage"] == "interview"
    history = text_of(recruiter.get(f"/admin/applications/{submitted.application_id}").text)
    assert "News of an earlier attempt" in history

    # Attempt 2 itself is submitted: its own result finishes it.
    submitted.submit_in_sandbox()
    submitted.candidate.wait_for_stage(submitted.page, "finished")
    wait_for(lambda: submitted.application().result_status == "active", what="attempt 2's score")
    final = submitted.application()
    assert final.interview_attempt == 2
    assert final.retired_result_ids == [old_result["id"]]
    assert final.score is not None and final.score != 9.5

    # No token, key or signed link in any log line.
    secrets = [SANDBOX_TOKEN, WEBHOOK_SECRET, *live.sandbox.server.sandbox.store.signing_keys()]
    assert find_leaks(secrets, [], LEAKS.log_lines) == []


def test_a_refusal_gives_the_recruiter_the_platforms_reason(
    live: Site, submitted: Submitted, recruiter: httpx.Client
) -> None:
    # Someone gave the attempt in JobMojito's own admin meanwhile: the result we hold is no longer
    # the active, submitted one, and the platform answers 422.
    result_id = first_result_payload(live, submitted.application_id)["id"]
    direct = httpx.post(
        f"{live.sandbox.url}/functions/v1/{ANOTHER_ATTEMPT}",
        json={"interview_result_id": result_id},
        headers={"Authorization": f"Bearer {SANDBOX_TOKEN}"},
        timeout=10,
    )
    assert direct.status_code == 200

    answer = give_another_attempt(recruiter, submitted.application_id)
    assert answer.status_code == 303
    assert settled(submitted) == "refused"
    page = recruiter.get(f"/admin/applications/{submitted.application_id}")
    assert page.status_code == 200
    words = text_of(page.text)
    assert (
        "the platform does not allow another attempt for this result: "
        "The result is not active and submitted" in words
    )
    now = submitted.application()
    assert now.interview_attempt == 1  # nothing granted on our side
    assert now.result_status == "active"


def test_only_a_submitted_result_can_be_given_another_attempt(
    live: Site, recruiter: httpx.Client
) -> None:
    candidate = VerifiedCandidate(live.url, live.app)
    try:
        page = candidate.apply(SLUG, "nils.waiting@example.com")
        candidate.wait_for_stage(page, "interview")
        application_id, _ = _application_id(live, "nils.waiting@example.com")
        detail = recruiter.get(f"/admin/applications/{application_id}").text
        assert "Give another attempt" not in detail
        token = re.search(CSRF, detail)
        assert token is not None
        path = f"/admin/applications/{application_id}/another-attempt"
        assert recruiter.post(path, data={}).status_code == 400  # no CSRF token
        refused = recruiter.post(path, data={"csrf_token": token.group(1)})
        assert refused.status_code == 303
        shown = text_of(recruiter.get(refused.headers["Location"]).text)
        assert "only once the candidate has submitted the interview" in shown
        with live.app.app_context():
            application = db.session.get(Application, application_id)
            assert application is not None
            assert application.attempt_request_state is None
            db.session.remove()
        assert ANOTHER_ATTEMPT not in live.sandbox.calls()["other_calls"]
    finally:
        candidate.close()


def test_a_refused_repeat_after_a_lost_answer_is_read_as_the_grant_it_was(
    live: Site, submitted: Submitted, recruiter: httpx.Client
) -> None:
    """Our first call got through but its answer was lost: the repeat's 422 is checked against the
    results list, which shows the attempt open, and the application gets attempt 2 (one grant)."""
    live.stop_workers()
    result_id = first_result_payload(live, submitted.application_id)["id"]
    assert give_another_attempt(recruiter, submitted.application_id).status_code == 303
    # The platform took the first call (its answer never reached us).
    first = httpx.post(
        f"{live.sandbox.url}/functions/v1/{ANOTHER_ATTEMPT}",
        json={"interview_result_id": result_id},
        headers={"Authorization": f"Bearer {SANDBOX_TOKEN}"},
        timeout=10,
    )
    assert first.status_code == 200
    with live.app.app_context():
        claimed = jobs.claim_next("test-worker", {attempts.KIND: 60})
        assert claimed is not None and claimed.subject_id == submitted.application_id
        repeat = replace(claimed, attempts=2)  # the job's second try
        outcome = attempts.process(repeat, platform().client, policy_from_config(live.app))
        assert outcome.state == "done"
        assert jobs.record(repeat, outcome)
        db.session.commit()
        db.session.remove()
    now = submitted.application()
    assert (now.attempt_request_state, now.interview_attempt) == ("granted", 2)
    assert now.retired_result_ids == [result_id]
    store = live.sandbox.server.sandbox.store
    interview = store.interview(submitted.profile_interview_id)
    assert interview is not None and interview.extra_attempts == 1 and interview.is_open


def test_a_platform_that_keeps_failing_is_retried_then_said_plainly(
    live: Site, submitted: Submitted, recruiter: httpx.Client
) -> None:
    live.stop_workers()
    live.sandbox.fault("500", count=2, endpoint=ANOTHER_ATTEMPT)
    assert give_another_attempt(recruiter, submitted.application_id).status_code == 303
    with live.app.app_context():
        client, policy = platform().client, policy_from_config(live.app)
        claimed = jobs.claim_next("test-worker", {attempts.KIND: 60})
        assert claimed is not None
        outcome = attempts.process(claimed, client, policy)
        assert outcome.state == "retry"  # a 500 may pass: try again later
        assert jobs.record(claimed, outcome)
        db.session.commit()
        assert submitted.application().attempt_request_state == "asking"
        overdue = replace(claimed, attempts=2, deadline=utcnow())  # an hour later
        outcome = attempts.process(overdue, client, policy)
        assert outcome.state == "give_up"
        db.session.commit()
        db.session.remove()
    now = submitted.application()
    assert (now.attempt_request_state, now.interview_attempt) == ("failed", 1)
    page = recruiter.get(f"/admin/applications/{submitted.application_id}")
    assert page.status_code == 200
    words = text_of(page.text)
    assert "Not done: JobMojito did not answer clearly for an hour" in words
    assert "Give another attempt" in words  # the recruiter may ask again
