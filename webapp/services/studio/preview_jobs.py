"""The preview interview's upstream call, made by a worker under a lease like an application's."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, update

from webapp.extensions import db
from webapp.jobmojito.client import JobMojitoClient, RequestInvalid, UpstreamError
from webapp.models import utcnow
from webapp.models.applications import JOB_DONE, JOB_GAVE_UP, JOB_IN_FLIGHT, JOB_PENDING
from webapp.models.content import PreviewInterview
from webapp.services import jobs
from webapp.services.outages import platform_answered
from webapp.services.platform_calls import RetryPolicy, describe, raise_auth_alert
from webapp.services.studio.preview_applicant import preview_applicant
from webapp.services.upstream_jobs import build_request
from webapp.vault import Vault

log = logging.getLogger(__name__)

# A marketer waits on the page: past this, say so and let them ask again, rather than retry for hours.
PREVIEW_GIVE_UP_AFTER = 15 * 60.0
KIND = "preview_interview"


def _release(record: PreviewInterview, state: str, message: str | None) -> None:
    record.job_state = state
    record.last_error = message


def schedule_preview(record: PreviewInterview) -> None:
    """Queue the preview interview's call (flushed, so it has an id; the caller commits)."""
    jobs.schedule(KIND, record.id)


def _start(record_id: int) -> PreviewInterview | None:
    started = cast(
        CursorResult[Any],
        db.session.execute(
            update(PreviewInterview)
            .where(
                PreviewInterview.id == record_id,
                PreviewInterview.job_state.in_((JOB_PENDING, JOB_IN_FLIGHT)),
            )
            .values(job_state=JOB_IN_FLIGHT, attempts=PreviewInterview.attempts + 1)
            .execution_options(synchronize_session=False)
        ),
    )
    if started.rowcount != 1:
        return None
    return db.session.get(PreviewInterview, record_id, populate_existing=True)


def process_preview(
    job: jobs.Claimed, client: JobMojitoClient, vault: Vault, policy: RetryPolicy
) -> jobs.Outcome:
    """Make the upstream call for one claimed preview interview; what came of it for the job."""
    record = _start(job.subject_id)
    if record is None:
        db.session.commit()
        return jobs.done("not wanted any more")
    position = record.position
    try:
        request = build_request(preview_applicant(position), position)
        request.validate()
    except (RequestInvalid, TypeError) as exc:
        _release(record, JOB_GAVE_UP, f"cannot be sent: {exc}")
        return jobs.give_up(f"cannot be sent: {exc}")
    db.session.commit()  # the page shows the call under way
    try:
        result = client.create_interview_for_candidate(request)
    except UpstreamError as exc:
        db.session.refresh(record)
        return _handle_failure(job, record, exc, policy)
    platform_answered()
    db.session.refresh(record)
    _release(record, JOB_DONE, None)
    record.decision = result.status.value
    record.profile_interview_id = result.profile_interview_id or record.profile_interview_id
    if result.embed_id and result.embed_signing_key:
        record.embed_id = result.embed_id
        record.embed_signing_key_encrypted = vault.encrypt(result.embed_signing_key)
    record.decided_at = utcnow()
    if result.position_def_set_id and not position.upstream_position_id:
        position.upstream_position_id = result.position_def_set_id
    log.info("preview interview of position %s: upstream decided %s", position.id, record.decision)
    return jobs.done()


def preview_not_stored(job: jobs.Claimed, outcome: jobs.Outcome) -> None:
    """Calling again would only cost credits: stop, and say so on the page."""
    log.error("preview interview %s: the outcome of its call could not be stored", job.subject_id)
    stored = db.session.get(PreviewInterview, job.subject_id)
    if stored is None or outcome.state != "done":
        return
    message = "the platform answered, but its answer could not be stored"
    _release(stored, JOB_GAVE_UP, message)
    if jobs.record(job, jobs.give_up(message)):
        db.session.commit()
    else:
        db.session.rollback()


def _retry_later(
    record: PreviewInterview, delay: float, message: str, **extra: Any
) -> jobs.Outcome:
    _release(record, JOB_PENDING, message)
    return jobs.retry_after(delay, message, **extra)


def _handle_failure(
    job: jobs.Claimed, record: PreviewInterview, exc: UpstreamError, policy: RetryPolicy
) -> jobs.Outcome:
    message = describe(exc)
    log.warning("preview interview %s: upstream call failed: %s", record.id, message)
    position = record.position
    if exc.is_auth_problem:
        raise_auth_alert()
        record.attempts = max(0, record.attempts - 1)
        return _retry_later(
            record,
            policy.base_seconds,
            message,
            count_attempt=False,
            outage="platform",
            alert="upstream_auth",
        )
    if exc.status == 404 and exc.field == "position_def_set_id" and position.upstream_position_id:
        position.upstream_position_id = None  # resolve the position again by our own code
        return _retry_later(record, 0, message)
    if not exc.retryable and not (exc.status == 409 and record.attempts < 3):
        _release(record, JOB_GAVE_UP, message)
        return jobs.give_up(message)
    now = utcnow()
    give_up_after = min(policy.give_up_after, PREVIEW_GIVE_UP_AFTER)
    deadline = job.deadline or now + timedelta(seconds=give_up_after)
    if now >= deadline:
        tries = f"{record.attempts} attempt{'' if record.attempts == 1 else 's'}"
        _release(record, JOB_GAVE_UP, f"gave up after {tries}: {message}")
        return jobs.give_up(f"gave up after {tries}: {message}")
    return _retry_later(record, policy.backoff(record.attempts), message, deadline=deadline)
