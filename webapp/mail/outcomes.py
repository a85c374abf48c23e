"""Outcome e-mail at a human pace: interview ready, accepted, reminder, thank-you, rejection.

Each is queued where its news lands, in that transaction, at most once per application: its
Message-ID is derived from the kind and the application, and the outbox refuses a second row with
the same Message-ID (a unique index), so a race between two updates queues one message, not two.
Whether a message still has something to say is decided when it is sent.

"Interview ready" is skipped when the candidate's page showed them the interview (or the code
step) after it was queued: the page cancels the pending message. That costs one indexed read per
page view and one write per application at most, and nothing on the polled status endpoint.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from typing import Any

from flask import Flask, current_app
from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from webapp.extensions import db
from webapp.jobmojito.contract import Decision
from webapp.mail import outbox
from webapp.mail.messages import MessageObsolete, application_of, email_link_url, localized_url
from webapp.models import Application, utcnow
from webapp.models.applications import JOB_DONE
from webapp.models.outbox import MAIL_CANCELLED, MAIL_PENDING, OutboxMessage
from webapp.tokens import EMAIL_LINK

READY, ACCEPTED, REMINDER = "interview_ready", "interview_accepted", "interview_reminder"
THANKS, REJECTION = "interview_thanks", "rejection"


def init_app(app: Flask) -> None:
    """Queue the accepted or rejection e-mail when a recruiter's decision lands, and the thank-you
    when the interview's answers are in."""
    from webapp.services.interview_updates import on_interview_update, on_review_outcome

    on_review_outcome(app, _after_review)
    on_interview_update(app, after_interview)


def _message_id(kind: str, application: Application) -> str:
    # The public id is random, so its digest tells a reader nothing; the domain is our sender's.
    digest = hashlib.sha256(f"{kind}\0{application.public_id}".encode()).hexdigest()[:40]
    return f"<{kind}.{digest}@{outbox.message_domain(current_app.config['MAIL_FROM'])}>"


def _once(kind: str, application: Application, delay: float = 0.0) -> OutboxMessage | None:
    """Queue ``kind`` for ``application`` unless it already has one (the caller commits)."""
    if application.erased_at is not None or application.withdrawn_at is not None:
        return None
    message_id = _message_id(kind, application)
    if db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.message_id == message_id)):
        return None
    not_before = utcnow() + timedelta(seconds=delay) if delay > 0 else None
    try:
        # A savepoint: losing a race to another transaction undoes this message alone.
        with db.session.begin_nested():
            message = outbox.enqueue(
                kind, application.email, application_id=application.id, not_before=not_before
            )
            message.message_id = message_id
            db.session.flush()
    except IntegrityError:
        return None
    return message


def _interview_opened(application: Application, first: str, delay: float) -> None:
    config = current_app.config
    _once(first, application, delay)
    _once(REMINDER, application, float(config["INTERVIEW_REMINDER_AFTER"]))


def _rejected(application: Application) -> None:
    _once(REJECTION, application, float(current_app.config["REJECTION_EMAIL_DELAY"]))


def after_decision(application: Application) -> None:
    """Queue what the platform's first decision calls for (inside the transaction storing it)."""
    if application.decision is None:
        return
    decision = Decision(application.decision)
    if decision.is_rejection:
        _rejected(application)
    elif not decision.awaits_recruiter:
        _interview_opened(
            application, READY, float(current_app.config["INTERVIEW_READY_EMAIL_DELAY"])
        )


def _after_review(application: Application, outcome: str) -> None:
    from webapp.services.interview_updates import INTERVIEW_READY

    if outcome == INTERVIEW_READY:
        _interview_opened(application, ACCEPTED, 0.0)
    else:
        _rejected(application)


def after_interview(application: Application, event: str) -> None:
    """Queue the thank-you once the answers are collected or scored (however many updates)."""
    if event in ("interview_collected", "interview_result"):
        _once(THANKS, application)


def interview_shown(application_id: int) -> None:
    """The candidate's page showed the interview or its code step: no "ready" e-mail is needed.

    One indexed read; a write (and commit) only while such a message is still waiting.
    """
    pending = db.session.scalar(
        select(OutboxMessage.id).where(
            OutboxMessage.application_id == application_id,
            OutboxMessage.kind == READY,
            OutboxMessage.state == MAIL_PENDING,
        )
    )
    if pending is None:
        return
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == pending, OutboxMessage.state == MAIL_PENDING)
        .values(state=MAIL_CANCELLED, to_address="", data={})
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def _closes_on(application: Application) -> date | None:
    value = (application.position.interview or {}).get("interview_available_till")
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _interview_open(application: Application) -> Application:
    """The application, if its interview can still be started; MessageObsolete otherwise."""
    if application.job_state != JOB_DONE or application.decision is None:
        raise MessageObsolete("no interview")
    decision = Decision(application.decision)
    if decision.is_rejection or decision.awaits_recruiter:
        raise MessageObsolete("no interview")
    if application.interview_status is not None or application.interview_finished_at:
        raise MessageObsolete("the interview was started, finished or failed")
    if not application.position.is_open:
        raise MessageObsolete("the position is closed")
    closes = _closes_on(application)
    if closes is not None and utcnow().date() > closes:
        raise MessageObsolete("the interview is no longer available")
    return application


def _facts(application: Application) -> dict[str, Any]:
    position = application.position
    closes = _closes_on(application)
    return {
        "position_title": position.title,
        "position_location": position.location,
        "candidate_name": application.full_name,
        "page_url": email_link_url(application.public_id),
        "link_days": EMAIL_LINK.max_age // 86400,
        "find_url": localized_url("thread.find"),
        "jobs_url": localized_url("careers.index"),
        "closes_on": format_date(closes, "long") if closes else None,  # in the message's language
    }


def interview_ready(message: OutboxMessage) -> dict[str, Any]:
    """The interview is ready (the candidate left the page before it was)."""
    application = _interview_open(application_of(message))
    title = application.position.title
    return {
        "subject": _("Your interview for %(title)s is ready", title=title),
        **_facts(application),
    }


def interview_accepted(message: OutboxMessage) -> dict[str, Any]:
    """A recruiter read the application and invites the candidate to the interview."""
    application = _interview_open(application_of(message))
    title = application.position.title
    return {
        "subject": _("Good news about your application for %(title)s", title=title),
        **_facts(application),
    }


def interview_reminder(message: OutboxMessage) -> dict[str, Any]:
    """One reminder for an interview that is ready and still open but not started."""
    application = _interview_open(application_of(message))
    title = application.position.title
    return {
        "subject": _("Your interview for %(title)s is still open", title=title),
        **_facts(application),
    }


def interview_thanks(message: OutboxMessage) -> dict[str, Any]:
    """Thanks once the interview is in, and what happens next."""
    application = application_of(message)
    title = application.position.title
    return {
        "subject": _("Thank you for your interview for %(title)s", title=title),
        **_facts(application),
    }


def rejection(message: OutboxMessage) -> dict[str, Any]:
    """The considered answer after a rejection, sent once its delay has passed."""
    application = application_of(message)
    if application.decision is None or not Decision(application.decision).is_rejection:
        raise MessageObsolete("the application is no longer rejected")
    title = application.position.title
    return {"subject": _("Your application for %(title)s", title=title), **_facts(application)}
