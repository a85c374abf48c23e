"""The upstream call for each application: claimed under a lease, retried, recorded once."""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, and_, or_, select, update
from sqlalchemy.exc import SQLAlchemyError

from webapp.extensions import db
from webapp.jobmojito.client import (
    CreateInterviewRequest,
    CreateInterviewResult,
    Decision,
    JobMojitoClient,
    RequestInvalid,
    UpstreamError,
)
from webapp.models import Application, ApplicationEvent, Position, utcnow
from webapp.models.applications import JOB_DONE, JOB_GAVE_UP, JOB_IN_FLIGHT, JOB_PENDING
from webapp.services import alerts
from webapp.services.position_admin import input_of, position_values
from webapp.vault import Vault

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetryPolicy:
    """How long to wait between attempts, and when to give up."""

    base_seconds: float = 2.0
    cap_seconds: float = 300.0
    give_up_after: float = 6 * 3600
    auth_pause_seconds: float = 300.0
    lease_seconds: float = 60.0  # renewed while the call goes on; a dead worker's lapses this fast

    def backoff(self, attempt: int) -> float:
        """Exponential backoff with full jitter for the given 1-based attempt."""
        return random.uniform(0, min(self.cap_seconds, self.base_seconds * 2 ** (attempt - 1)))


def claim_next(owner: str, policy: RetryPolicy, now: datetime | None = None) -> int | None:
    """Claim one due application for ``owner``; its id, or None when nothing is due.

    The conditional UPDATE is the lock: of several workers racing for one row, exactly one sees a
    row count of 1. A crashed worker's lease expires and the row becomes claimable again.
    """
    now = now or utcnow()
    due = or_(
        and_(Application.job_state == JOB_PENDING, Application.next_attempt_at <= now),
        and_(Application.job_state == JOB_IN_FLIGHT, Application.lease_expires_at < now),
    )
    candidates = db.session.scalars(
        select(Application.id)
        .where(due)
        .order_by(Application.next_attempt_at, Application.id)
        .limit(8)
    ).all()
    for application_id in candidates:
        claimed = cast(
            CursorResult[Any],
            db.session.execute(
                update(Application)
                .where(Application.id == application_id, due)
                .values(
                    job_state=JOB_IN_FLIGHT,
                    lease_owner=owner,
                    lease_expires_at=now + timedelta(seconds=policy.lease_seconds),
                    attempts=Application.attempts + 1,
                )
                .execution_options(synchronize_session=False)
            ),
        )
        db.session.commit()
        if claimed.rowcount == 1:
            return application_id
    return None


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


def _store_result(application: Application, result: CreateInterviewResult, vault: Vault) -> None:
    first_answer_lost = application.attempts > 1 and result.status == Decision.ALREADY_APPLIED
    application.job_state = JOB_DONE
    application.lease_owner = None
    application.lease_expires_at = None
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
    if result.embed_id and result.embed_signing_key:
        application.embed_id = result.embed_id
        application.embed_signing_key_encrypted = vault.encrypt(result.embed_signing_key)
    application.decided_at = utcnow()
    position = application.position
    if result.position_def_set_id and not position.upstream_position_id:
        position.upstream_position_id = result.position_def_set_id
    detail = f"Interview platform decided: {result.status.value}"
    if first_answer_lost:
        detail += " (an earlier attempt had reached the platform; recovered)"
    _record(application, "decision", detail)


def _give_up(application: Application, message: str) -> None:
    application.job_state = JOB_GAVE_UP
    application.lease_owner = None
    application.lease_expires_at = None
    application.last_error = message
    _record(application, "gave_up", message)


def _retry_later(application: Application, delay: float, message: str, kind: str) -> None:
    application.job_state = JOB_PENDING
    application.lease_owner = None
    application.lease_expires_at = None
    application.last_error = message
    application.next_attempt_at = utcnow() + timedelta(seconds=delay)
    _record(application, kind, message)


def process(
    application_id: int, owner: str, client: JobMojitoClient, vault: Vault, policy: RetryPolicy
) -> None:
    """Make the upstream call for one claimed application and record what came of it."""
    application = db.session.get(Application, application_id)
    if application is None or application.lease_owner != owner:
        return
    position = application.position
    try:
        request = build_request(application, position)
        request.validate()
    except (RequestInvalid, TypeError) as exc:
        _give_up(application, f"Cannot be sent: {exc}")
        db.session.commit()
        return
    _record(
        application, "calling", f"Calling the interview platform (attempt {application.attempts})"
    )
    db.session.commit()

    try:
        result = client.create_interview_for_candidate(request)
    except UpstreamError as exc:
        db.session.refresh(application)
        if application.lease_owner != owner:
            # Our lease ran out and another worker took the application over: its outcome stands.
            log.warning(
                "application %s: lost the lease during a failed call", application.public_id
            )
            return
        _handle_failure(application, position, exc, policy)
        db.session.commit()
        return
    db.session.refresh(application)
    if application.lease_owner != owner and application.job_state == JOB_DONE:
        return  # another worker already recorded the answer after our lease ran out
    try:
        _store_result(application, result, vault)
        alerts.resolve("upstream_auth")
        db.session.commit()
    except SQLAlchemyError:
        # The platform answered but we cannot keep the answer: calling again would only cost
        # credits, so stop here and tell the operators.
        db.session.rollback()
        log.exception(
            "application %s: the platform's answer could not be stored", application.public_id
        )
        application = db.session.get(Application, application_id)
        assert application is not None  # loaded above, and applications are never deleted
        _give_up(application, "The interview platform answered, but its answer could not be stored")
        alerts.raise_alert(
            "store_failed", "An answer from JobMojito could not be stored; see the log."
        )
        db.session.commit()
        return
    log.info("application %s: upstream decided %s", application.public_id, result.status.value)


def renew_lease(application_id: int, owner: str, policy: RetryPolicy) -> bool:
    """Extend our lease while the call goes on; False once the application is no longer ours."""
    renewed = cast(
        CursorResult[Any],
        db.session.execute(
            update(Application)
            .where(
                Application.id == application_id,
                Application.lease_owner == owner,
                Application.job_state == JOB_IN_FLIGHT,
            )
            .values(lease_expires_at=utcnow() + timedelta(seconds=policy.lease_seconds))
            .execution_options(synchronize_session=False)
        ),
    )
    db.session.commit()
    return renewed.rowcount == 1


def describe(exc: UpstreamError) -> str:
    """A one-line account of an upstream failure, safe for logs and recruiters."""
    where = f"HTTP {exc.status}" if exc.status is not None else exc.kind
    field = f" (field {exc.field})" if exc.field else ""
    return f"{where}: {exc.message}{field}"


def _handle_failure(
    application: Application, position: Position, exc: UpstreamError, policy: RetryPolicy
) -> None:
    message = describe(exc)
    log.warning("application %s: upstream call failed: %s", application.public_id, message)
    if exc.is_auth_problem:
        alerts.raise_alert(
            "upstream_auth",
            "JobMojito refused our API token (401). Applications are kept and will be sent once "
            "JOBMOJITO_API_TOKEN is fixed.",
        )
        log.error(
            "JobMojito refused the API token: check JOBMOJITO_API_TOKEN; applications are kept"
        )
        # Not counted against the give-up clock: it is our configuration, not the candidate.
        application.attempts = max(0, application.attempts - 1)
        _retry_later(application, policy.auth_pause_seconds, message, "paused")
        return
    if exc.status == 404 and exc.field == "position_def_set_id" and position.upstream_position_id:
        # The platform no longer knows the stored position: resolve it again by our own code.
        position.upstream_position_id = None
        _retry_later(application, 0, message, "retry")
        return
    conflict_again = exc.status == 409 and application.attempts < 3
    if not exc.retryable and not conflict_again:
        _give_up(application, message)
        return
    now = utcnow()
    if application.retry_deadline is None:
        application.retry_deadline = now + timedelta(seconds=policy.give_up_after)
    if now >= application.retry_deadline:
        _give_up(application, f"Gave up after {application.attempts} attempts: {message}")
        return
    _retry_later(application, policy.backoff(application.attempts), message, "retry")


def requeue(application: Application) -> None:
    """Put a given-up application back in the queue (a recruiter's action)."""
    application.job_state = JOB_PENDING
    application.next_attempt_at = utcnow()
    application.retry_deadline = None
    application.last_error = None
    _record(application, "requeued", "Re-queued by a recruiter")
