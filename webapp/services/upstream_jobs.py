"""The upstream call for each application: claimed under a lease, retried, recorded once."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, update

from webapp.extensions import db
from webapp.jobmojito.client import (
    CreateInterviewRequest,
    CreateInterviewResult,
    Decision,
    JobMojitoClient,
    RequestInvalid,
    UpstreamError,
)
from webapp.mail import outcomes
from webapp.models import Application, ApplicationEvent, Position, utcnow
from webapp.models.applications import JOB_DONE, JOB_GAVE_UP, JOB_IN_FLIGHT, JOB_PENDING
from webapp.services import alerts, jobs, position_platform
from webapp.services.outages import platform_answered
from webapp.services.platform_calls import RetryPolicy, describe, raise_auth_alert
from webapp.services.position_admin import input_of, position_values
from webapp.services.position_keys import remember_key
from webapp.vault import Vault

log = logging.getLogger(__name__)
KIND = "upstream_create"


def build_request(application: Application, position: Position) -> CreateInterviewRequest:
    """The upstream request for an application: embedded, always with our stable position code.

    Raises RequestInvalid, naming the field, when the position or the application breaks the
    contract.
    """
    return CreateInterviewRequest.parse(
        {
            **position_values(input_of(position)),
            "position_external_id": position.external_id,
            "position_def_set_id": position.upstream_position_id,
            "candidate_name": application.full_name,
            "candidate_email": application.email,
            "candidate_country_code": application.country_code,
            "candidate_resume": application.resume_text,
            "candidate_linkedin_url": application.linkedin_url,
            "candidate_external_id": application.public_id,
            "is_embedded": True,
        }
    )


def _record(application: Application, kind: str, detail: str) -> None:
    application.events.append(ApplicationEvent(kind=kind, detail=detail))


def _store_result(
    application: Application, result: CreateInterviewResult, vault: Vault, asked_at: datetime
) -> None:
    first_answer_lost = application.attempts > 1 and result.status == Decision.ALREADY_APPLIED
    application.job_state = JOB_DONE
    application.last_error = None
    application.decision = result.status.value
    application.recovered = first_answer_lost
    application.reason = result.reason
    application.interview_url = result.interview_url
    # An answer may leave out what an earlier one gave (say, a recovery): keep what we know.
    application.profile_interview_id = (
        result.profile_interview_id or application.profile_interview_id
    )
    application.upstream_position_id = (
        result.position_def_set_id or application.upstream_position_id
    )
    application.interview_def_set_id = (
        result.interview_def_set_id or application.interview_def_set_id
    )
    position = application.position
    if result.embed_id and result.embed_signing_key:
        # The key is the position's: kept there once (the newest answer wins), never per application.
        application.embed_id = result.embed_id
        remember_key(position, result.embed_id, result.embed_signing_key, vault, asked_at)
    application.decided_at = utcnow()
    if result.position_def_set_id and not position.upstream_position_id:
        position.upstream_position_id = result.position_def_set_id
        if not position.is_open:
            # Closed here while its first call was in flight: the platform created it open.
            position_platform.wish(position, position.state)
    detail = f"Interview platform decided: {result.status.value}"
    if first_answer_lost:
        detail += " (an earlier attempt had reached the platform; recovered)"
    _record(application, "decision", detail)
    outcomes.after_decision(application)  # the e-mail this decision calls for, in its transaction


def _give_up(application: Application, message: str) -> jobs.Outcome:
    application.job_state = JOB_GAVE_UP
    application.last_error = message
    _record(application, "gave_up", message)
    return jobs.give_up(message)


def _start(application_id: int) -> Application | None:
    """Mark the application as being called, unless it was withdrawn or erased meanwhile."""
    started = cast(
        CursorResult[Any],
        db.session.execute(
            update(Application)
            .where(
                Application.id == application_id,
                Application.job_state.in_((JOB_PENDING, JOB_IN_FLIGHT)),
            )
            .values(job_state=JOB_IN_FLIGHT, attempts=Application.attempts + 1)
            .execution_options(synchronize_session=False)
        ),
    )
    if started.rowcount != 1:
        return None
    return db.session.get(Application, application_id, populate_existing=True)


def process(
    job: jobs.Claimed, client: JobMojitoClient, vault: Vault, policy: RetryPolicy
) -> jobs.Outcome:
    """Make the upstream call for one claimed application; what came of it for the job."""
    application = _start(job.subject_id)
    if application is None:
        db.session.commit()
        return jobs.done("not wanted any more")  # withdrawn or erased before the call
    position = application.position
    try:
        request = build_request(application, position)
        request.validate()
    except (RequestInvalid, TypeError) as exc:
        return _give_up(application, f"Cannot be sent: {exc}")
    _record(
        application, "calling", f"Calling the interview platform (attempt {application.attempts})"
    )
    db.session.commit()

    asked_at = utcnow()
    try:
        result = client.create_interview_for_candidate(request)
    except UpstreamError as exc:
        db.session.refresh(application)
        return _handle_failure(job, application, position, exc, policy)
    platform_answered()
    db.session.refresh(application)
    _store_result(application, result, vault, asked_at)
    alerts.resolve("upstream_auth")
    log.info("application %s: upstream decided %s", application.public_id, result.status.value)
    return jobs.done()


def answer_not_stored(job: jobs.Claimed, outcome: jobs.Outcome) -> None:
    """The platform answered but the answer could not be kept: calling again would only cost
    credits, so give up and tell the operators."""
    log.error(
        "application %s: the outcome of its upstream call could not be stored", job.subject_id
    )
    application = db.session.get(Application, job.subject_id)
    if application is None or outcome.state != "done":
        return  # a failed call stays leased: it is tried again when the lease runs out
    gave_up = _give_up(
        application, "The interview platform answered, but its answer could not be stored"
    )
    alerts.raise_alert("store_failed", "An answer from JobMojito could not be stored; see the log.")
    if jobs.record(job, gave_up):
        db.session.commit()
    else:
        db.session.rollback()


def _retry(
    application: Application, delay: float, message: str, kind: str, **extra: Any
) -> jobs.Outcome:
    application.job_state = JOB_PENDING
    application.last_error = message
    _record(application, kind, message)
    return jobs.retry_after(delay, message, **extra)


def _handle_failure(
    job: jobs.Claimed,
    application: Application,
    position: Position,
    exc: UpstreamError,
    policy: RetryPolicy,
) -> jobs.Outcome:
    message = describe(exc)
    log.warning("application %s: upstream call failed: %s", application.public_id, message)
    if exc.is_auth_problem:
        raise_auth_alert()
        # Not counted against the give-up clock: it is our configuration, not the candidate. The
        # workers pause the platform and retry as soon as a call (this one or any) gets through.
        application.attempts = max(0, application.attempts - 1)
        return _retry(
            application,
            0,
            message,
            "paused",
            count_attempt=False,
            outage="platform",
            alert="upstream_auth",
        )
    if exc.status == 404 and exc.field == "position_def_set_id" and position.upstream_position_id:
        # The platform no longer knows the stored position: resolve it again by our own code.
        position.upstream_position_id = None
        return _retry(application, 0, message, "retry")
    conflict_again = exc.status == 409 and application.attempts < 3
    if not exc.retryable and not conflict_again:
        return _give_up(application, message)
    now = utcnow()
    deadline = job.deadline or now + timedelta(seconds=policy.give_up_after)
    if now >= deadline:
        return _give_up(application, f"Gave up after {application.attempts} attempts: {message}")
    return _retry(
        application, policy.backoff(application.attempts), message, "retry", deadline=deadline
    )


def requeue(application: Application) -> None:
    """Put a given-up application back in the queue (a recruiter's action; the caller commits)."""
    application.job_state = JOB_PENDING
    application.last_error = None
    jobs.schedule(KIND, application.id)
    _record(application, "requeued", "Re-queued by a recruiter")


def schedule_call(application: Application) -> None:
    """Queue the upstream call of a new application (flushed, so it has an id; caller commits)."""
    jobs.schedule(KIND, application.id)
