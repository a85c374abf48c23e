"""The preview interview's upstream call, made by a worker under a lease like an application's."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, and_, or_, select, update
from sqlalchemy.exc import SQLAlchemyError

from webapp.extensions import db
from webapp.jobmojito.client import JobMojitoClient, RequestInvalid, UpstreamError
from webapp.models import utcnow
from webapp.models.applications import JOB_DONE, JOB_GAVE_UP, JOB_IN_FLIGHT, JOB_PENDING
from webapp.models.content import PreviewInterview
from webapp.services import alerts
from webapp.services.studio.preview_interview import preview_applicant
from webapp.services.upstream_jobs import RetryPolicy, build_request, describe
from webapp.vault import Vault

log = logging.getLogger(__name__)

# A marketer waits on the page: past this, say so and let them ask again, rather than retry for hours.
PREVIEW_GIVE_UP_AFTER = 15 * 60.0


def _due(now: datetime) -> Any:
    return or_(
        and_(PreviewInterview.job_state == JOB_PENDING, PreviewInterview.next_attempt_at <= now),
        and_(PreviewInterview.job_state == JOB_IN_FLIGHT, PreviewInterview.lease_expires_at < now),
    )


def claim_next_preview(owner: str, policy: RetryPolicy, now: datetime | None = None) -> int | None:
    """Claim one due preview interview for ``owner``; its id, or None when none is due.

    The conditional UPDATE is the lock, exactly as for applications: one claimant per row, and a
    dead worker's lease lapses so the row can be claimed again.
    """
    now = now or utcnow()
    candidates = db.session.scalars(
        select(PreviewInterview.id)
        .where(_due(now))
        .order_by(PreviewInterview.next_attempt_at, PreviewInterview.id)
        .limit(4)
    ).all()
    for record_id in candidates:
        claimed = cast(
            CursorResult[Any],
            db.session.execute(
                update(PreviewInterview)
                .where(PreviewInterview.id == record_id, _due(now))
                .values(
                    job_state=JOB_IN_FLIGHT,
                    lease_owner=owner,
                    lease_expires_at=now + timedelta(seconds=policy.lease_seconds),
                    attempts=PreviewInterview.attempts + 1,
                )
                .execution_options(synchronize_session=False)
            ),
        )
        db.session.commit()
        if claimed.rowcount == 1:
            return record_id
    return None


def renew_preview_lease(record_id: int, owner: str, policy: RetryPolicy) -> bool:
    """Extend our lease while the call goes on; False once the row is no longer ours."""
    renewed = cast(
        CursorResult[Any],
        db.session.execute(
            update(PreviewInterview)
            .where(
                PreviewInterview.id == record_id,
                PreviewInterview.lease_owner == owner,
                PreviewInterview.job_state == JOB_IN_FLIGHT,
            )
            .values(lease_expires_at=utcnow() + timedelta(seconds=policy.lease_seconds))
            .execution_options(synchronize_session=False)
        ),
    )
    db.session.commit()
    return renewed.rowcount == 1


def _release(record: PreviewInterview, state: str, message: str | None) -> None:
    record.job_state = state
    record.lease_owner = None
    record.lease_expires_at = None
    record.last_error = message


def process_preview(
    record_id: int, owner: str, client: JobMojitoClient, vault: Vault, policy: RetryPolicy
) -> None:
    """Make the upstream call for one claimed preview interview and record what came of it."""
    record = db.session.get(PreviewInterview, record_id)
    if record is None or record.lease_owner != owner:
        return
    position = record.position
    try:
        request = build_request(preview_applicant(position), position)
        request.validate()
    except (RequestInvalid, TypeError) as exc:
        _release(record, JOB_GAVE_UP, f"cannot be sent: {exc}")
        db.session.commit()
        return
    try:
        result = client.create_interview_for_candidate(request)
    except UpstreamError as exc:
        db.session.refresh(record)
        if record.lease_owner != owner:
            return  # our lease ran out and another worker took over: its outcome stands
        _handle_failure(record, exc, policy)
        db.session.commit()
        return
    db.session.refresh(record)
    if record.lease_owner != owner and record.job_state == JOB_DONE:
        return
    try:
        _release(record, JOB_DONE, None)
        record.decision = result.status.value
        record.profile_interview_id = result.profile_interview_id or record.profile_interview_id
        if result.embed_id and result.embed_signing_key:
            record.embed_id = result.embed_id
            record.embed_signing_key_encrypted = vault.encrypt(result.embed_signing_key)
        record.decided_at = utcnow()
        if result.position_def_set_id and not position.upstream_position_id:
            position.upstream_position_id = result.position_def_set_id
        db.session.commit()
    except SQLAlchemyError:
        # Calling again would only cost credits: stop, and say so on the page.
        db.session.rollback()
        log.exception("preview interview %s: the platform's answer could not be stored", record_id)
        stored = db.session.get(PreviewInterview, record_id)
        assert stored is not None  # loaded above; only a position's deletion removes it
        _release(stored, JOB_GAVE_UP, "the platform answered, but its answer could not be stored")
        db.session.commit()
        return
    log.info("preview interview of position %s: upstream decided %s", position.id, record.decision)


def _retry_later(record: PreviewInterview, delay: float, message: str) -> None:
    _release(record, JOB_PENDING, message)
    record.next_attempt_at = utcnow() + timedelta(seconds=delay)


def _handle_failure(record: PreviewInterview, exc: UpstreamError, policy: RetryPolicy) -> None:
    message = describe(exc)
    log.warning("preview interview %s: upstream call failed: %s", record.id, message)
    position = record.position
    if exc.is_auth_problem:
        alerts.raise_alert(
            "upstream_auth",
            "JobMojito refused our API token (401). Applications are kept and will be sent once "
            "JOBMOJITO_API_TOKEN is fixed.",
        )
        record.attempts = max(0, record.attempts - 1)
        _retry_later(record, policy.auth_pause_seconds, message)
        return
    if exc.status == 404 and exc.field == "position_def_set_id" and position.upstream_position_id:
        position.upstream_position_id = None  # resolve the position again by our own code
        _retry_later(record, 0, message)
        return
    if not exc.retryable and not (exc.status == 409 and record.attempts < 3):
        _release(record, JOB_GAVE_UP, message)
        return
    now = utcnow()
    if record.retry_deadline is None:
        give_up_after = min(policy.give_up_after, PREVIEW_GIVE_UP_AFTER)
        record.retry_deadline = now + timedelta(seconds=give_up_after)
    if now >= record.retry_deadline:
        tries = f"{record.attempts} attempt{'' if record.attempts == 1 else 's'}"
        _release(record, JOB_GAVE_UP, f"gave up after {tries}: {message}")
        return
    _retry_later(record, policy.backoff(record.attempts), message)
