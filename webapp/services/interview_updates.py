"""The one way news about an interview reaches an application: applied once, never backwards.

Webhooks (``services.webhooks``) and result checks (``services.reconcile``) both build an
``InterviewUpdate`` and call ``apply_update``. An update's identity is its event, its result id
and the values we store, so a redelivery (however it is serialised) or a check finding what a
webhook already said adds nothing, while the same result re-sent with a new score lands.

Interviews are numbered (a recruiter may give another attempt, ``services.attempts``). News about
an earlier attempt, which a slow webhook or a results-list row can still bring after the grant,
is recorded and never applied: it carries a result id we retired at the grant, or (with no result
id we know) it is dated before the grant.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from flask import Flask, current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from webapp.extensions import db
from webapp.jobmojito.contract import Decision
from webapp.models import Application, ApplicationEvent, WebhookDelivery, utcnow
from webapp.services import alerts

log = logging.getLogger(__name__)

INTERVIEW_EVENTS = ("interview_collected", "interview_result", "interview_failed")
REVIEW_ACCEPTED, REVIEW_REJECTED = "review_accepted", "review_rejected"
# Payload fields that describe the person; blanked when their data is erased.
PERSONAL_FIELDS = (
    "candidate_name",
    "candidate_email",
    "ai_analysis",
    "ai_analysis_recruiter",
    "pdf_export_url",
)
WEBHOOKS_SILENT = "webhooks_silent"
# What a review outcome hook is told: the application is now interview-ready, or rejected.
INTERVIEW_READY, REJECTED = "interview_ready", "rejected"
ReviewHook = Callable[[Application, str], None]
_HOOKS_KEY = "careerframe.review_hooks"
_UPDATE_HOOKS_KEY = "careerframe.interview_update_hooks"


@dataclass(frozen=True)
class InterviewUpdate:
    """One piece of news about an interview, in the values we store."""

    event: str
    profile_interview_id: str | None
    result_id: str | None
    interview_status: str | None = None
    result_status: str | None = None
    score: float | None = None
    source: str = "webhook"
    payload: dict[str, Any] = field(default_factory=dict, compare=False)
    # When the platform says the news happened (a results row's ``updated_at``); None if unsaid.
    occurred_at: datetime | None = field(default=None, compare=False)

    def identity(self, attempt: int = 1) -> str:
        """The dedupe key: a hash of the event, the ids and the stored values, nothing else.

        From the second attempt on, the attempt's number is part of it: the same result re-sent
        with the same score for a new attempt is news, not a repeat.
        """
        values: list[Any] = [
            self.event,
            self.result_id,
            self.profile_interview_id,
            self.interview_status,
            self.result_status,
            self.score,
        ]
        if attempt > 1:
            values.append(attempt)
        return hashlib.sha256(json.dumps(values).encode()).hexdigest()


@dataclass(frozen=True)
class UpdateOutcome:
    """What became of one update: ``recorded``, ``duplicate``, ``unknown`` (no such interview) or
    ``stale`` (about an earlier attempt: kept, not applied)."""

    result: str
    event: str


def on_review_outcome(app: Flask, hook: ReviewHook) -> None:
    """Call ``hook(application, INTERVIEW_READY | REJECTED)`` when a recruiter's decision lands.

    Hooks run inside the transaction that records the decision, before it commits: what they add
    to the session (say, an e-mail in the outbox) commits with it or not at all.
    """
    app.extensions.setdefault(_HOOKS_KEY, []).append(hook)


def on_interview_update(app: Flask, hook: ReviewHook) -> None:
    """Call ``hook(application, event)`` for each interview update recorded (collected, scored,
    failed), inside the transaction that records it, like ``on_review_outcome``."""
    app.extensions.setdefault(_UPDATE_HOOKS_KEY, []).append(hook)


def scrub_personal_fields(payload: dict[str, Any]) -> dict[str, Any]:
    """The payload with every field that describes the person blanked."""
    return {key: (None if key in PERSONAL_FIELDS else value) for key, value in payload.items()}


def apply_update(update: InterviewUpdate) -> UpdateOutcome:
    """Record one update and apply it to its application, once; the caller need not commit."""
    application = None
    if update.profile_interview_id:
        application = db.session.scalar(
            select(Application).where(
                Application.profile_interview_id == update.profile_interview_id
            )
        )
    key = update.identity(application.interview_attempt if application is not None else 1)
    if db.session.scalar(select(WebhookDelivery.id).where(WebhookDelivery.dedupe_key == key)):
        return UpdateOutcome("duplicate", update.event)
    stale = application is not None and about_earlier_attempt(application, update)
    payload = update.payload
    if application is not None and application.erased_at is not None:
        payload = scrub_personal_fields(payload)
    db.session.add(
        WebhookDelivery(
            dedupe_key=key,
            event=update.event,
            profile_interview_id=update.profile_interview_id,
            application_id=application.id if application else None,
            payload=payload,
            source=update.source,
        )
    )
    if application is not None and stale:
        _record_stale(application, update)
    elif application is not None:
        _apply(application, update)
    if update.source == "webhook":
        alerts.resolve(WEBHOOKS_SILENT)  # a webhook got through: the receiver is configured
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # the same update arrived twice at once; the other one recorded it
        return UpdateOutcome("duplicate", update.event)
    if application is None:
        log.warning(
            "%s %s for unknown profile_interview_id %s: stored, not applied",
            update.source,
            update.event,
            update.profile_interview_id,
        )
        return UpdateOutcome("unknown", update.event)
    return UpdateOutcome("stale" if stale else "recorded", update.event)


def platform_time(value: object) -> datetime | None:
    """The platform's ISO 8601 time as an aware datetime (UTC when it names no zone), or None."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def about_earlier_attempt(application: Application, update: InterviewUpdate) -> bool:
    """Whether an update is news of an attempt before the application's current one.

    A result id retired at a grant names an earlier attempt, unless the platform dates the news
    after the grant (should it keep one result id across attempts, which is not documented). An
    update without a result id we retired is judged by its date, when it has one.
    """
    granted = application.attempt_granted_at
    if application.interview_attempt <= 1 or granted is None:
        return False
    if update.event in (REVIEW_ACCEPTED, REVIEW_REJECTED):
        return False  # a recruiter's verdict is about the application, not an attempt
    after_grant = update.occurred_at is not None and update.occurred_at > granted
    if update.result_id and update.result_id in (application.retired_result_ids or ()):
        return not after_grant
    if update.result_id:
        return False
    return update.occurred_at is not None and not after_grant


def _record_stale(application: Application, update: InterviewUpdate) -> None:
    what = {
        "interview_collected": "answers collected",
        "interview_result": "a score",
        "interview_failed": "an unfinished interview",
    }.get(update.event, update.event)
    where = "the platform's results list" if update.source == "check" else "a webhook"
    application.events.append(
        ApplicationEvent(
            kind="stale_update",
            detail=(
                f"News of an earlier attempt ({what}, from {where}) arrived during attempt "
                f"{application.interview_attempt}: kept, not applied"
            ),
        )
    )


def _apply(application: Application, update: InterviewUpdate) -> None:
    if update.event in (REVIEW_ACCEPTED, REVIEW_REJECTED):
        _apply_review(application, update.event)
        return
    # Updates can arrive late and out of order: a completed interview never goes back, and a
    # scored result never returns to a draft.
    status = update.interview_status
    finished = (application.interview_status or "").startswith("completed")
    if status is not None and (not finished or status.startswith("completed")):
        application.interview_status = status[:64]
    result_status = update.result_status
    if result_status is not None and not (
        result_status == "draft" and application.result_status in ("active", "archived")
    ):
        application.result_status = result_status[:16]
    if update.score is not None:
        application.score = update.score
    if update.event in ("interview_collected", "interview_result"):
        application.interview_finished_at = application.interview_finished_at or utcnow()
    score = update.score
    detail = {
        "interview_collected": "Interview answers collected",
        "interview_result": "Interview scored" + (f": {score:g}" if score is not None else ""),
        "interview_failed": f"Interview not completed ({status or 'failed'})",
    }[update.event]
    if update.source == "check":
        detail += " (learnt from the platform's results list)"
    application.events.append(ApplicationEvent(kind=update.event, detail=detail))
    for hook in current_app.extensions.get(_UPDATE_HOOKS_KEY, ()):
        hook(application, update.event)  # the thank-you e-mail, once


def _apply_review(application: Application, event: str) -> None:
    if application.decision != Decision.RECRUITER_ACTION.value:
        return  # decided already: a late or repeated verdict changes nothing
    if event == REVIEW_ACCEPTED:
        application.decision = Decision.RECRUITER_ACCEPT.value
        application.reason = None
        detail, outcome = (
            "A recruiter accepted the application: the interview is open",
            INTERVIEW_READY,
        )
    else:
        application.decision = Decision.RECRUITER_REJECT.value
        detail, outcome = "A recruiter decided not to proceed with the application", REJECTED
    application.decided_at = utcnow()
    application.events.append(ApplicationEvent(kind=event, detail=detail))
    for hook in current_app.extensions.get(_HOOKS_KEY, ()):
        hook(application, outcome)
