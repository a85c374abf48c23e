"""Outcome e-mail at a human pace, over real SMTP: ready, accepted, one reminder, one thank-you,
and a rejection that waits while the candidate's page says we will write."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from datetime import date, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx
import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from tests import smtp_fixtures
from tests.admin_fixtures import make_application
from tests.conftest import Site, make_site
from tests.helpers import Candidate, applications, mail_env, position_id, seed, wait_for
from tests.smtp_fixtures import SITE_URL, SmtpServer
from tests.test_result_poll import console_decide
from webapp.extensions import db
from webapp.mail import send_due
from webapp.mail.outcomes import after_decision, after_interview
from webapp.models import Application, Position, utcnow
from webapp.models.outbox import MAIL_CANCELLED, MAIL_PENDING, MAIL_SENT, OutboxMessage
from webapp.services.applications import candidate_status
from webapp.services.interview_updates import InterviewUpdate, apply_update

SLUG = "data-analyst-amsterdam"
READY = "Your interview for Data Analyst is ready"
ACCEPTED = "Good news about your application for Data Analyst"
REMINDER = "Your interview for Data Analyst is still open"
THANKS = "Thank you for your interview for Data Analyst"
REJECTION = "Your application for Data Analyst"
# Seconds, so a test sees each wait pass; production's are minutes, days and a day.
PACE = {
    "INTERVIEW_READY_EMAIL_DELAY": "1.5",
    "INTERVIEW_REMINDER_AFTER": "4",
    "REJECTION_EMAIL_DELAY": "4",
    "RESULT_POLL_SCHEDULE": "0.3,0.5,1",
    "WEBHOOK_SILENCE_SECONDS": "1",
}

smtpd = smtp_fixtures.smtpd
mail_app = smtp_fixtures.mail_app


@pytest.fixture
def live(tmp_path: Path, migrated_template: Path, smtpd: SmtpServer) -> Iterator[Site]:
    """The live site, sandbox and workers, sending to ``smtpd`` at a test's pace."""
    for site in make_site(tmp_path, migrated_template, env=mail_env(smtpd.port, **PACE)):
        seed(site.app)
        site.start_workers()
        yield site


@pytest.fixture
def candidate(live: Site) -> Iterator[Candidate]:
    person = Candidate(live.url)
    yield person
    person.close()


def to(smtpd: SmtpServer, email: str) -> list[EmailMessage]:
    return [m for m in smtpd.messages if email in str(m["To"])]


def subjects(smtpd: SmtpServer, email: str) -> list[str]:
    return [str(m["Subject"]) for m in to(smtpd, email)]


def arrived(smtpd: SmtpServer, email: str, subject: str, timeout: float = 20) -> EmailMessage:
    return wait_for(
        lambda: next((m for m in to(smtpd, email) if m["Subject"] == subject), None),
        timeout=timeout,
        interval=0.05,
        what=f"{subject!r} to {email}",
    )


def parts(message: EmailMessage) -> tuple[str, str]:
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None and html is not None
    return str(text.get_content()), str(html.get_content())


def outbox(app: Flask, email: str) -> dict[str, str]:
    """The state of each outcome message of an address, by kind."""
    with app.app_context():
        rows = db.session.scalars(
            select(OutboxMessage)
            .join(Application, Application.id == OutboxMessage.application_id)
            .where(Application.email == email)
        ).all()
        found = {row.kind: row.state for row in rows}
        db.session.remove()
    return found


def settled(app: Flask, email: str, kind: str) -> str:
    """Wait until the message of ``kind`` is sent or cancelled; which."""
    return wait_for(
        lambda: (
            outbox(app, email).get(kind) in (MAIL_SENT, MAIL_CANCELLED) and outbox(app, email)[kind]
        ),
        timeout=20,
        what=f"{kind} settled",
    )


def assert_links_go_to_the_candidates_page(message: EmailMessage, site_url: str) -> str:
    text, html = parts(message)
    links = re.findall(r'href="([^"]+)"', html) + re.findall(r"\bhttps?://\S+", text)
    assert links and all(link.startswith(site_url + "/") for link in links), links
    (proof,) = set(re.findall(rf"{re.escape(site_url)}/continue/[^\s\"<>]+", text))
    assert f'href="{proof}"' in html
    return proof.removeprefix(site_url)


def stored(app: Flask, email: str) -> dict[str, Any]:
    return next(a for a in applications(app) if a["email"] == email)


def test_the_ready_email_and_one_reminder_reach_a_candidate_who_left_the_page(
    live: Site, candidate: Candidate, smtpd: SmtpServer
) -> None:
    email = "lena@example.com"
    page = candidate.apply(SLUG, email)  # and closes the tab: the page is never shown again

    ready = arrived(smtpd, email, READY)
    reminder = arrived(smtpd, email, REMINDER)

    for message in (ready, reminder):
        proof = assert_links_go_to_the_candidates_page(message, live.url)
        opened = candidate.http.get(proof, follow_redirects=True)
        assert opened.status_code == 200 and "Data Analyst" in opened.text
    assert "is ready" in parts(ready)[0] and "will not remind you again" in parts(reminder)[0]
    assert candidate.status(page)["stage"] == "interview"
    with live.app.app_context():
        data = [row.data for row in db.session.scalars(select(OutboxMessage))]
        db.session.remove()
    assert all(not row for row in data)  # no code, link or body is ever stored
    assert subjects(smtpd, email).count(READY) == 1
    assert subjects(smtpd, email).count(REMINDER) == 1


def test_no_ready_email_when_the_page_showed_the_interview(
    live: Site, candidate: Candidate, smtpd: SmtpServer
) -> None:
    email = "omar@example.com"
    page = candidate.apply(SLUG, email)
    candidate.wait_for_stage(page, "interview")
    assert candidate.http.get(page).status_code == 200  # the code step (or the frame) is shown

    assert outbox(live.app, email)["interview_ready"] == MAIL_CANCELLED
    arrived(smtpd, email, REMINDER)  # due later than "ready" would have been
    assert READY not in subjects(smtpd, email)


def test_one_thank_you_and_no_reminder_once_the_interview_is_done(
    live: Site, candidate: Candidate, smtpd: SmtpServer
) -> None:
    email = "ines@example.com"
    page = candidate.apply(SLUG, email)
    candidate.wait_for_stage(page, "interview")
    submitted = httpx.post(
        f"{live.sandbox.url}/interview/{stored(live.app, email)['profile_interview_id']}/submit",
        json={"answers": ["a", "b"]},
    )
    assert submitted.status_code == 200
    wait_for(lambda: stored(live.app, email)["score"] is not None, what="the scored result")

    thanks = arrived(smtpd, email, THANKS)
    assert settled(live.app, email, "interview_reminder") == MAIL_CANCELLED
    assert subjects(smtpd, email).count(THANKS) == 1  # collected, then scored: one message
    assert REMINDER not in subjects(smtpd, email)
    assert "received it safely" in parts(thanks)[0]
    assert_links_go_to_the_candidates_page(thanks, live.url)


@pytest.mark.parametrize("closing", ["closed", "past its interview date"])
def test_no_reminder_once_the_position_closed(
    live: Site, candidate: Candidate, smtpd: SmtpServer, closing: str
) -> None:
    email = f"kai.{closing.split()[0]}@example.com"
    candidate.apply(SLUG, email)
    arrived(smtpd, email, READY)
    with live.app.app_context():
        position = db.session.scalar(select(Position).where(Position.slug == SLUG))
        assert position is not None
        if closing == "closed":
            position.state, position.closed_at = "closed", utcnow()
        else:
            yesterday = (date.today() - timedelta(days=2)).isoformat()
            position.interview = {**position.interview, "interview_available_till": yesterday}
        db.session.commit()
        db.session.remove()

    assert settled(live.app, email, "interview_reminder") == MAIL_CANCELLED
    assert REMINDER not in subjects(smtpd, email)


def test_the_rejection_waits_and_the_page_says_we_will_write(
    live: Site, candidate: Candidate, smtpd: SmtpServer
) -> None:
    email = "noa+reject@example.com"
    page = candidate.apply(SLUG, email)

    status = candidate.wait_for_stage(page, "decided")
    html = candidate.http.get(page).text
    assert "we will write to you by e-mail" in html
    assert "not be moving forward" not in html and "rejected" not in str(status)
    assert REJECTION not in subjects(smtpd, email)
    assert outbox(live.app, email)["rejection"] == MAIL_PENDING

    letter = arrived(smtpd, email, REJECTION)
    text, _ = parts(letter)
    assert "decided not to move forward" in text
    assert_links_go_to_the_candidates_page(letter, live.url)
    assert candidate.status(page)["stage"] == "rejected"
    assert "not be moving forward" in candidate.http.get(page).text
    assert subjects(smtpd, email).count(REJECTION) == 1


def test_a_recruiters_acceptance_is_emailed_with_our_page(
    live: Site, candidate: Candidate, smtpd: SmtpServer
) -> None:
    email = "rosa+review@example.com"
    page = candidate.apply(SLUG, email)
    candidate.wait_for_stage(page, "review")
    console_decide(live.sandbox.url, email, "accept")

    accepted = arrived(smtpd, email, ACCEPTED)
    text, html = parts(accepted)
    assert "JobMojito" in text and "same interview" in text
    proof = assert_links_go_to_the_candidates_page(accepted, live.url)
    assert candidate.http.get(proof, follow_redirects=True).status_code == 200
    assert READY not in subjects(smtpd, email)
    assert outbox(live.app, email)["interview_reminder"] == MAIL_PENDING


def _accepted(app: Flask, email: str, **values: Any) -> int:
    return make_application(
        app, position_id(app, SLUG), email=email, profile_interview_id=f"pi-{email}", **values
    )


def test_an_erased_application_gets_no_outcome_email(mail_app: Flask, smtpd: SmtpServer) -> None:
    mail_app.config.update(INTERVIEW_READY_EMAIL_DELAY=0)
    application_id = _accepted(mail_app, "gone@example.com")
    with mail_app.app_context():
        application = db.session.get(Application, application_id)
        assert application is not None
        after_decision(application)
        db.session.commit()
        application.erased_at = utcnow()  # erased before the sender got to it
        after_interview(application, "interview_collected")  # queues nothing for it now
        db.session.commit()
        db.session.remove()

    send_due(mail_app, "sender-1")

    assert smtpd.messages == []
    assert outbox(mail_app, "gone@example.com") == {
        "interview_ready": MAIL_CANCELLED,
        "interview_reminder": MAIL_PENDING,  # held back; it will be cancelled when due
    }


def test_each_kind_is_queued_once_and_the_database_refuses_a_second(
    mail_app: Flask, smtpd: SmtpServer
) -> None:
    email = "twice@example.com"
    _accepted(mail_app, email)
    for event in ("interview_collected", "interview_result", "interview_result"):
        with mail_app.app_context():
            outcome = apply_update(
                InterviewUpdate(
                    event=event,
                    profile_interview_id=f"pi-{email}",
                    result_id="r-1",
                    interview_status="completed",
                    result_status="active" if event == "interview_result" else "draft",
                    score=7.0 if event == "interview_result" else None,
                )
            )
            db.session.remove()
    assert outcome.result == "duplicate"
    assert send_due(mail_app, "sender-1") == 1
    assert subjects(smtpd, email) == [THANKS]

    with mail_app.app_context():
        first = db.session.scalar(
            select(OutboxMessage).where(OutboxMessage.kind == "interview_thanks")
        )
        assert first is not None
        db.session.add(
            OutboxMessage(
                message_id=first.message_id,
                kind=first.kind,
                to_address=email,
                application_id=first.application_id,
                data={},
            )
        )
        with pytest.raises(IntegrityError):
            db.session.commit()  # not luck: the second copy cannot exist
        db.session.rollback()
        db.session.remove()


def test_a_rejection_delay_of_zero_tells_at_once(mail_app: Flask, smtpd: SmtpServer) -> None:
    mail_app.config.update(REJECTION_EMAIL_DELAY=0)
    email = "now+reject@example.com"
    application_id = _accepted(mail_app, email, decision="ai_reject", decided_at=utcnow())
    with mail_app.app_context():
        application = db.session.get(Application, application_id)
        assert application is not None
        assert candidate_status(application, rejection_delay=0).as_json()["stage"] == "rejected"
        waiting = candidate_status(application, rejection_delay=60)
        assert waiting.as_json()["stage"] == "decided" and waiting.letter_pending
        after_decision(application)
        db.session.commit()
        db.session.remove()

    assert send_due(mail_app, "sender-1") == 1
    (letter,) = smtpd.wait_for(1)
    assert letter["Subject"] == REJECTION
    assert_links_go_to_the_candidates_page(letter, SITE_URL)


@pytest.fixture
def pg_site(tmp_path: Path, postgres_database: str) -> Iterator[Site]:
    """The site on a fresh PostgreSQL database, with the demo positions and no workers."""
    for site in make_site(tmp_path, None, database_url=postgres_database):
        seed(site.app)
        yield site


@pytest.mark.postgres
def test_two_updates_racing_on_postgresql_queue_one_thank_you_and_keep_both(
    pg_site: Site,
) -> None:
    app, email = pg_site.app, "race@example.com"
    _accepted(app, email)
    inserted, finish = threading.Event(), threading.Event()

    def first_update_holds_its_transaction() -> None:
        with app.app_context():
            application = db.session.scalar(select(Application).where(Application.email == email))
            assert application is not None
            after_interview(application, "interview_collected")  # flushed, not committed
            inserted.set()
            finish.wait(10)
            db.session.commit()
            db.session.remove()

    first = threading.Thread(target=first_update_holds_its_transaction)
    first.start()
    assert inserted.wait(10)
    # The second update cannot see the first's message yet: its insert waits on the unique
    # index, then loses, and only its own message is undone.
    threading.Timer(0.5, finish.set).start()
    with app.app_context():
        outcome = apply_update(
            InterviewUpdate(
                event="interview_result",
                profile_interview_id=f"pi-{email}",
                result_id="r-1",
                interview_status="completed",
                result_status="active",
                score=8.0,
            )
        )
        db.session.remove()
    first.join(10)

    assert outcome.result == "recorded"
    assert stored(app, email)["score"] == 8.0
    with app.app_context():
        kinds = db.session.scalars(select(OutboxMessage.kind)).all()
        db.session.remove()
    assert kinds.count("interview_thanks") == 1
