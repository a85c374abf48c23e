"""A verified e-mail before the interview: the code, the e-mailed link, resends, locks, corrections."""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from tests import admin_fixtures, smtp_fixtures
from tests.conftest import Site, make_site
from tests.helpers import (
    Candidate,
    applications,
    code_in,
    link_in,
    mail_env,
    mail_text,
    mail_to,
    seed,
    wait_for,
)
from tests.leakwatch import LEAKS
from tests.smtp_fixtures import SmtpServer
from webapp.extensions import db

SLUG = "data-analyst-amsterdam"
smtpd = smtp_fixtures.smtpd
mail_app = smtp_fixtures.mail_app
recruiter = admin_fixtures.recruiter


def thread_site(
    tmp_path: Path, migrated_template: Path, smtpd: SmtpServer, workers: bool = True, **env: str
) -> Iterator[Site]:
    """A live site sending its e-mail to ``smtpd``."""
    for live in make_site(tmp_path, migrated_template, env=mail_env(smtpd.port, **env)):
        seed(live.app)
        if workers:
            live.start_workers()
        yield live


@pytest.fixture
def live(tmp_path: Path, migrated_template: Path, smtpd: SmtpServer) -> Iterator[Site]:
    yield from thread_site(tmp_path, migrated_template, smtpd)


@pytest.fixture
def candidate(live: Site) -> Iterator[Candidate]:
    person = Candidate(live.url)
    yield person
    person.close()


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found
    return found.group(1)


def post_on_page(person: Candidate, page: str, action: str, **fields: str) -> Any:
    """Submit one of the page's forms, as a browser would (the page's CSRF token included)."""
    html = person.http.get(page).text
    return person.http.post(action, data={"csrf_token": _csrf(html), **fields})


def embed_url(site: Site) -> str:
    return f"{site.sandbox.url}/embed"


def test_apply_then_the_code_from_the_email_opens_the_frame(
    live: Site, candidate: Candidate, smtpd: SmtpServer
) -> None:
    page = candidate.apply(SLUG, "amara@example.com")
    (confirmation,) = mail_to(smtpd, "amara@example.com")
    body = mail_text(confirmation)
    assert "Data Analyst" in body and "What happens next" in body
    code = code_in(confirmation)
    assert link_in(confirmation).startswith("/continue/")
    candidate.wait_for_stage(page, "interview")

    before = candidate.http.get(page)
    assert "Your interview is ready — enter the code we sent to a•••@example.com" in before.text
    assert "<iframe" not in before.text and embed_url(live) not in before.text
    assert 'autocomplete="one-time-code"' in before.text and 'inputmode="numeric"' in before.text

    answer = post_on_page(candidate, page, f"{page}/code", code=code)
    assert answer.status_code == 303
    after = candidate.http.get(answer.headers["Location"])
    assert 'id="interview-frame"' in after.text and embed_url(live) in after.text
    assert after.headers["Cache-Control"].startswith("no-store")
    assert after.headers["Referrer-Policy"] == "no-referrer"


def test_the_emailed_link_continues_in_a_fresh_browser(
    live: Site, candidate: Candidate, smtpd: SmtpServer
) -> None:
    page = candidate.apply(SLUG, "bea@example.com")
    link = link_in(mail_to(smtpd, "bea@example.com")[0])
    candidate.wait_for_stage(page, "interview")
    other = Candidate(live.url)
    try:
        opened = other.http.get(link)
        assert opened.status_code == 303
        assert opened.headers["Cache-Control"].startswith("no-store")
        shown = other.http.get(opened.headers["Location"])
        assert 'id="interview-frame"' in shown.text
    finally:
        other.close()
    # The first browser has not proven anything yet: still no frame there.
    assert "<iframe" not in candidate.http.get(page).text


def test_five_wrong_codes_lock_the_code_and_a_new_code_replaces_the_old(
    live: Site, candidate: Candidate, smtpd: SmtpServer
) -> None:
    page = candidate.apply(SLUG, "cleo@example.com")
    first = code_in(mail_to(smtpd, "cleo@example.com")[0])
    wrong = "000000" if first != "000000" else "111111"
    for left in (4, 3, 2, 1):
        answer = post_on_page(candidate, page, f"{page}/code", code=wrong)
        assert answer.status_code == 422
        assert f"({left} {'try' if left == 1 else 'tries'} left)" in answer.text
    locked = post_on_page(candidate, page, f"{page}/code", code=wrong)
    assert locked.status_code == 422 and "too many times" in locked.text
    # Locked: even the right code no longer opens anything.
    assert post_on_page(candidate, page, f"{page}/code", code=first).status_code == 422

    resent = post_on_page(candidate, page, f"{page}/new-code")
    assert resent.status_code == 303 and "notice=code_sent" in resent.headers["Location"]
    second = code_in(mail_to(smtpd, "cleo@example.com", count=2)[1])
    if second != first:  # one chance in a million that the new code equals the old one
        assert post_on_page(candidate, page, f"{page}/code", code=first).status_code == 422
    assert post_on_page(candidate, page, f"{page}/code", code=second).status_code == 303


def test_the_resend_limit_holds(live: Site, candidate: Candidate, smtpd: SmtpServer) -> None:
    page = candidate.apply(SLUG, "dara@example.com")
    mail_to(smtpd, "dara@example.com")
    for _ in range(3):
        answer = post_on_page(candidate, page, f"{page}/new-code")
        assert "notice=code_sent" in answer.headers["Location"]
    mail_to(smtpd, "dara@example.com", count=4)
    refused = post_on_page(candidate, page, f"{page}/new-code")
    assert "notice=wait" in refused.headers["Location"]
    assert "did not send another" in candidate.http.get(refused.headers["Location"]).text
    with live.app.app_context():
        queued = db.session.execute(
            text("SELECT count(*) FROM outbox WHERE kind = 'verification_code'")
        ).scalar()
        db.session.remove()
    assert queued == 3


def test_each_client_is_limited_in_how_often_it_types_a_code(
    live: Site, candidate: Candidate, smtpd: SmtpServer
) -> None:
    page = candidate.apply(SLUG, "lim@example.com")
    mail_to(smtpd, "lim@example.com")
    live.app.config.update(RATELIMIT_ENABLED=True, VERIFY_RATE_LIMIT="2 per minute")
    for _ in range(2):
        assert post_on_page(candidate, page, f"{page}/code", code="1").status_code == 422
    refused = post_on_page(candidate, page, f"{page}/code", code="1")
    assert refused.status_code == 429 and refused.headers["Retry-After"]
    assert "Please wait a little" in refused.text


def test_codes_are_compared_in_constant_time(
    live: Site, candidate: Candidate, smtpd: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from webapp.services import verification

    compared: list[tuple[Any, Any]] = []
    real = hmac.compare_digest

    def recording(a: Any, b: Any) -> bool:
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(verification.hmac, "compare_digest", recording)
    page = candidate.apply(SLUG, "emre@example.com")
    code = code_in(mail_to(smtpd, "emre@example.com")[0])
    assert post_on_page(candidate, page, f"{page}/code", code=code).status_code == 303
    # The typed code was compared as a digest, through compare_digest, never as itself.
    assert any(a == hashlib.sha256(code.encode()).digest() for a, _ in compared)
    assert not [pair for pair in compared if code.encode() in pair or code in pair]


def test_the_same_email_from_another_browser_continues_after_a_code(
    live: Site, candidate: Candidate, smtpd: SmtpServer
) -> None:
    page = candidate.apply(SLUG, "femi@example.com")
    candidate.wait_for_stage(page, "interview")
    other = Candidate(live.url)
    try:
        form = other.http.get(f"/jobs/{SLUG}/apply").text
        again = other.http.post(
            f"/jobs/{SLUG}/apply",
            data={
                "csrf_token": _csrf(form),
                "full_name": "Femi",
                "email": "femi@example.com",
                "country": "NG",
                "consent": "y",
                "website": "",
                "resume_text": "x" * 200,
            },
            files={"resume_file": ("", b"")},
        )
        assert again.status_code == 409
        assert "enter the 6-digit code we sent to f•••@example.com" in again.text
        assert "<iframe" not in again.text and embed_url(live) not in again.text
        code = code_in(mail_to(smtpd, "femi@example.com", count=2)[1])
        ticket = re.search(r'name="ticket" value="([^"]+)"', again.text).group(1)  # type: ignore[union-attr]
        wrong = other.http.post(
            "/continue", data={"csrf_token": _csrf(again.text), "ticket": ticket, "code": "12"}
        )
        assert wrong.status_code == 422 and "does not match" in wrong.text
        done = other.http.post(
            "/continue", data={"csrf_token": _csrf(again.text), "ticket": ticket, "code": code}
        )
        assert done.status_code == 303
        shown = other.http.get(done.headers["Location"])
        assert 'id="interview-frame"' in shown.text
    finally:
        other.close()
    assert len(applications(live.app)) == 1


def test_an_expired_link_sends_a_new_link_by_email(
    live: Site, candidate: Candidate, smtpd: SmtpServer
) -> None:
    page = candidate.apply(SLUG, "gia@example.com")
    mail_to(smtpd, "gia@example.com")
    live.app.config["CANDIDATE_LINK_MAX_AGE"] = -1  # every candidate link is now too old
    expired = candidate.http.get(page)
    assert expired.status_code == 410 and "E-mail me a new link" in expired.text
    assert "/find-my-application" in expired.text
    sent = candidate.http.post(f"{page}/send-link", data={"csrf_token": _csrf(expired.text)})
    assert sent.status_code == 200 and "g•••@example.com" in sent.text
    link = link_in(mail_to(smtpd, "gia@example.com", count=2)[1])
    live.app.config["CANDIDATE_LINK_MAX_AGE"] = 60 * 86400
    fresh = Candidate(live.url)
    try:
        opened = fresh.http.get(link)
        assert opened.status_code == 303
        assert fresh.http.get(opened.headers["Location"]).status_code == 200
    finally:
        fresh.close()


def test_a_mistyped_address_is_corrected_and_the_old_call_is_cancelled(
    tmp_path: Path, migrated_template: Path, smtpd: SmtpServer
) -> None:
    for quiet in thread_site(tmp_path, migrated_template, smtpd, workers=False):
        person = Candidate(quiet.url)
        try:
            page = person.apply(SLUG, "hana@exmaple.com")
            answer = post_on_page(person, page, f"{page}/correct", email="hana@example.com")
            assert answer.status_code == 303 and "notice=corrected" in answer.headers["Location"]
            new_page = answer.headers["Location"].split("?")[0]
            assert new_page != page
            assert "moved to your corrected address" in person.http.get(page).text
            quiet.start_workers()
            mail_to(smtpd, "hana@example.com")
            person.wait_for_stage(new_page, "interview")
            rows = applications(quiet.app)
            assert [(r["email"], r["job_state"]) for r in rows] == [
                ("hana@exmaple.com", "gave_up"),
                ("hana@example.com", "done"),
            ]
            assert quiet.sandbox.calls()["api_calls"] == 1
            # The mistyped address never got its confirmation: it was cancelled unsent.
            assert not [m for m in smtpd.messages if "exmaple" in str(m["To"])]
            # Its real owner, if there is one, can still apply to this position.
            owner = Candidate(quiet.url)
            try:
                owner.apply(SLUG, "hana@exmaple.com")
            finally:
                owner.close()
            assert len(applications(quiet.app)) == 3
        finally:
            person.close()


def test_undeliverable_mail_is_said_honestly_and_the_application_kept(
    live: Site, candidate: Candidate, smtpd: SmtpServer
) -> None:
    smtpd.handler.refuse.add("ivo@example.com")
    page = candidate.apply(SLUG, "ivo@example.com")
    shown = wait_for(
        lambda: "could not deliver" in (t := candidate.http.get(page).text) and t, what="notice"
    )
    assert "i•••@example.com" in shown and "Wrong address?" in shown
    assert len(applications(live.app)) == 1
    # Verification is never waived because the mail failed: the interview still waits for it.
    candidate.wait_for_stage(page, "interview")
    ready = candidate.http.get(page).text
    assert "could not deliver" in ready and "<iframe" not in ready


def test_the_status_document_reveals_nothing_new(live: Site, candidate: Candidate) -> None:
    page = candidate.apply(SLUG, "jo@example.com")
    assert set(candidate.status(page)) == {
        "stage",
        "step",
        "steps",
        "waiting_seconds",
        "slow",
        "retrying",
    }


def test_no_code_or_link_is_stored_or_logged(
    live: Site, candidate: Candidate, smtpd: SmtpServer
) -> None:
    page = candidate.apply(SLUG, "kai@example.com")
    message = mail_to(smtpd, "kai@example.com")[0]
    code, link = code_in(message), link_in(message)
    post_on_page(candidate, page, f"{page}/new-code")
    second = mail_to(smtpd, "kai@example.com", count=2)[1]
    LEAKS.codes += [code, code_in(second)]
    token = link.rsplit("/", 1)[-1]
    with live.app.app_context():
        dump = []
        for table in ("applications", "outbox", "application_events"):
            dump += [repr(tuple(row)) for row in db.session.execute(text(f"SELECT * FROM {table}"))]
        db.session.remove()
    stored = "\n".join(dump)
    for secret in (code, code_in(second), token):
        assert secret not in stored
    assert not LEAKS.code_leaks()
    assert not [line for line in LEAKS.log_lines if token in line]


def test_with_verification_off_the_frame_shows_at_once(
    tmp_path: Path, migrated_template: Path, smtpd: SmtpServer
) -> None:
    for quiet in thread_site(
        tmp_path, migrated_template, smtpd, CANDIDATE_EMAIL_VERIFICATION="false"
    ):
        person = Candidate(quiet.url)
        try:
            page = person.apply(SLUG, "lea@example.com")
            person.wait_for_stage(page, "interview")
            assert 'id="interview-frame"' in person.http.get(page).text
            assert "code:" not in mail_text(mail_to(smtpd, "lea@example.com")[0])
        finally:
            person.close()


def test_recruiters_see_both_applications_of_a_corrected_address(
    mail_app: Any, recruiter: Any
) -> None:
    from tests.admin_fixtures import make_application
    from tests.helpers import position_id
    from webapp.models import Application
    from webapp.services.applications import correct_address

    old_id = make_application(
        mail_app, position_id(mail_app, SLUG), email="mo@exmaple.com", job_state="pending"
    )
    with mail_app.app_context():
        old = db.session.get(Application, old_id)
        assert old is not None
        new_id = correct_address(old, "mo@example.com").id
        db.session.remove()
    withdrawn = recruiter.get(f"/admin/applications/{old_id}").text
    assert "the candidate corrected a mistyped e-mail address" in withdrawn
    assert f'href="/admin/applications/{new_id}"' in withdrawn
    assert "Re-queue" not in withdrawn
    corrected = recruiter.get(f"/admin/applications/{new_id}").text
    assert f'href="/admin/applications/{old_id}"' in corrected
