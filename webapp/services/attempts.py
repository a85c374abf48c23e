"""Another attempt at a submitted interview: asked by a recruiter, granted by the platform.

The request is recorded on the application and made by a background job (``KIND``), so the
recruiter's page never waits on JobMojito; the page shows "asking", then "granted" or "refused"
with the platform's own words. A grant numbers the next attempt, retires the result id it was
for, and opens the interview again on the candidate's page; ``interview_updates`` then keeps news
of the earlier attempt from finishing the new one. The call is not idempotent (a repeat could grant
twice), so after a try that may have reached the platform, a refusal is checked against the
platform's results list before it is believed.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from datetime import timedelta

from flask import Flask, current_app
from sqlalchemy import delete, select

from webapp.extensions import db
from webapp.jobmojito.client import JobMojitoClient, ResultListQuery, UpstreamError
from webapp.jobmojito.contract import AnotherAttemptRequest
from webapp.mail import outbox
from webapp.models import Application, ApplicationEvent, WebhookDelivery, utcnow
from webapp.models.applications import JOB_DONE
from webapp.models.checks import CHECK_DONE, CHECK_GAVE_UP, ResultCheck
from webapp.services import alerts, jobs, results
from webapp.services.outages import platform_answered
from webapp.services.platform_calls import RetryPolicy, describe, raise_auth_alert

log = logging.getLogger(__name__)

KIND = "another_attempt"
MAIL_KIND = "interview_again"
ASKING, GRANTED, REFUSED, FAILED = "asking", "granted", "refused", "failed"
# How long the workers keep trying while the platform cannot be reached.
GIVE_UP_AFTER = timedelta(hours=1)


class AttemptRefused(Exception):
    """Another attempt cannot be asked for now; the message is for the recruiter."""


def can_offer(application: Application) -> bool:
    """Whether the page offers another attempt: a live application with a submitted, scored result."""
    return (
        application.erased_at is None
        and application.withdrawn_at is None
        and application.job_state == JOB_DONE
        and application.result_status == "active"
        and (application.interview_status or "").startswith("completed")
        and application.attempt_request_state != ASKING
    )


def awaiting_result(application: Application) -> bool:
    """Whether a further attempt is open and nothing has been submitted in it yet."""
    return application.interview_attempt > 1 and application.result_status is None


def result_id_of(payload: object) -> str | None:
    """The result id a piece of news names, if any."""
    for name in ("interview_result_id", "id"):
        value = payload.get(name) if isinstance(payload, dict) else None
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def about_current_attempt(application: Application, delivery: WebhookDelivery) -> bool:
    """Whether a piece of news may describe the current attempt (not one a recruiter replaced)."""
    result_id = result_id_of(delivery.payload)
    if result_id is not None:
        return result_id not in (application.retired_result_ids or ())
    granted = application.attempt_granted_at
    return granted is None or delivery.received_at >= granted


def current_result_id(application: Application) -> str | None:
    """The result id of the current attempt: the latest one news brought, earlier attempts' aside."""
    retired = set(application.retired_result_ids or ())
    payloads = db.session.scalars(
        select(WebhookDelivery.payload)
        .where(WebhookDelivery.application_id == application.id)
        .order_by(WebhookDelivery.id.desc())
    )
    for payload in payloads:
        result_id = result_id_of(payload)
        if result_id is not None and result_id not in retired:
            return result_id
    return None


def request_another_attempt(application: Application, result_id: str | None, by: str) -> None:
    """Record a recruiter's request and schedule the call (commits); AttemptRefused if not now."""
    if application.attempt_request_state == ASKING:
        raise AttemptRefused("We are already asking JobMojito for another attempt.")
    if not can_offer(application) or not result_id:
        raise AttemptRefused(
            "Another attempt can be given only once the candidate has submitted the interview "
            "and its result is in."
        )
    application.attempt_request_state = ASKING
    application.attempt_request_result_id = result_id[:255]
    application.attempt_request_note = None
    application.attempt_requested_by = by[:254]
    application.events.append(
        ApplicationEvent(
            kind="attempt_requested",
            detail=f"{by} asked JobMojito for attempt {application.interview_attempt + 1}",
        )
    )
    db.session.flush()
    jobs.schedule(KIND, application.id, deadline=utcnow() + GIVE_UP_AFTER)
    db.session.commit()


def process(job: jobs.Claimed, client: JobMojitoClient, policy: RetryPolicy) -> jobs.Outcome:
    """Make the call for one claimed request; what came of it for the job."""
    application = db.session.get(Application, job.subject_id)
    if application is None or application.attempt_request_state != ASKING:
        return jobs.done("not wanted any more")
    result_id = application.attempt_request_result_id or ""
    if application.erased_at is not None or not result_id:
        return _settle(application, FAILED, "The application was erased before JobMojito was asked")
    db.session.commit()  # no transaction held open across the call
    try:
        client.request_another_attempt(AnotherAttemptRequest(interview_result_id=result_id))
    except UpstreamError as error:
        db.session.refresh(application)
        return _failed(job, application, client, error, policy)
    platform_answered()
    alerts.resolve("upstream_auth")
    db.session.refresh(application)
    grant(application)
    return jobs.done()


def _failed(
    job: jobs.Claimed,
    application: Application,
    client: JobMojitoClient,
    error: UpstreamError,
    policy: RetryPolicy,
) -> jobs.Outcome:
    log.warning("application %s: another attempt not granted: %s", application.id, describe(error))
    if error.is_auth_problem:
        raise_auth_alert()
        return jobs.retry_after(
            0, describe(error), count_attempt=False, outage="platform", alert="upstream_auth"
        )
    if error.retryable:
        if job.deadline is not None and utcnow() >= job.deadline:
            return _settle(
                application,
                FAILED,
                "JobMojito did not answer clearly for an hour, so we cannot tell whether it gave "
                "the attempt: look in JobMojito's admin before asking again",
            )
        return jobs.retry_after(policy.backoff(job.attempts), describe(error), outage="platform")
    platform_answered()
    if job.attempts > 1 and _granted_already(client, application):
        grant(application)  # an earlier try got through; the refusal was of the repeat
        return jobs.done()
    return _settle(application, REFUSED, error.message, jobs.done())


def _granted_already(client: JobMojitoClient, application: Application) -> bool:
    """Whether the platform's results list shows the result opened again (a new or draft result)."""
    if not application.profile_interview_id:
        return False
    try:
        page = client.list_results(
            ResultListQuery(profile_interview_id=application.profile_interview_id, limit=10)
        )
    except UpstreamError:
        return False
    rows = [r for r in page.results if r.profile_interview_id == application.profile_interview_id]
    if not rows:
        return False
    newest = rows[0]
    status = newest.status.value if newest.status is not None else None
    newest_id = newest.interview_result_id or newest.id
    return newest_id != application.attempt_request_result_id or status == "draft"


def _settle(
    application: Application, state: str, note: str, outcome: jobs.Outcome | None = None
) -> jobs.Outcome:
    application.attempt_request_state = state
    application.attempt_request_note = note[:500]
    detail = (
        f"JobMojito does not allow another attempt for this result: {note}"
        if state == REFUSED
        else note
    )
    application.events.append(ApplicationEvent(kind=f"attempt_{state}", detail=detail))
    return outcome or jobs.give_up(note)


def grant(application: Application) -> None:
    """Open the next attempt: number it, retire the old result, reset the interview, tell the
    candidate (the caller commits)."""
    retired = list(application.retired_result_ids or [])
    if (
        application.attempt_request_result_id
        and application.attempt_request_result_id not in retired
    ):
        retired.append(application.attempt_request_result_id)
    application.retired_result_ids = retired
    application.interview_attempt += 1
    application.attempt_granted_at = utcnow()
    application.attempt_request_state = GRANTED
    application.attempt_request_note = None
    application.interview_status = None
    application.result_status = None
    application.score = None
    application.interview_finished_at = None
    application.events.append(
        ApplicationEvent(
            kind="attempt_granted",
            detail=(
                f"JobMojito granted attempt {application.interview_attempt}: the candidate's "
                "page shows the interview again"
            ),
        )
    )
    # A settled check would never look at the new attempt: let the sweep make a fresh one.
    db.session.execute(
        delete(ResultCheck).where(
            ResultCheck.application_id == application.id,
            ResultCheck.state.in_((CHECK_DONE, CHECK_GAVE_UP)),
        )
    )
    results.forget(application.id)
    _tell_candidate(application)


def _tell_candidate(application: Application) -> None:
    """Queue "you can take the interview again", once per attempt (the caller commits)."""
    if not application.email or application.erased_at is not None:
        return
    message = outbox.enqueue(MAIL_KIND, application.email, application_id=application.id)
    # One per attempt: a repeated grant of the same attempt is refused by the outbox's index.
    name = f"{MAIL_KIND}\0{application.public_id}\0{application.interview_attempt}"
    digest = hashlib.sha256(name.encode()).hexdigest()[:40]
    domain = outbox.message_domain(current_app.config["MAIL_FROM"])
    message.message_id = f"<{MAIL_KIND}.{digest}@{domain}>"


def register_kind(
    app: Flask,
    client: Callable[[], JobMojitoClient],
    policy: Callable[[], RetryPolicy],
) -> None:
    """Register the another-attempt job with this app's workers (its lease is the create call's)."""
    jobs.register(
        app,
        KIND,
        lambda job: process(job, client(), policy()),
        lease=lambda: policy().lease_seconds,
        needs="platform",
    )
