"""Closing and reopening a position on the platform: one background job per position, last wish wins.

A recruiter's close or reopen records the wished status on the position (bumping a version) and
schedules this job in the same transaction. The job reads the wish when it runs, so repeated clicks
collapse into one call carrying the latest status; should a click land while a call is in flight,
the job sees the newer version afterwards and runs again, so a stale "open" never stays after a
"close". Retries happen only where a retry can help (timeouts, 429, 5xx); a refusal (4xx) is kept
with its reason for the admin. A position the platform never created has nothing to send.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any, cast

from flask import Flask
from sqlalchemy import CursorResult, update

from webapp.extensions import db
from webapp.jobmojito.client import JobMojitoClient, SetStateRequest, UpstreamError
from webapp.jobmojito.contract.position_state import CLOSED_STATUS, OPEN_STATUS, PositionStatus
from webapp.models import Position, utcnow
from webapp.models.positions import (
    SYNC_CONFIRMED,
    SYNC_FAILED,
    SYNC_NOT_CREATED,
    SYNC_PENDING,
    SYNC_REFUSED,
)
from webapp.services import jobs

if TYPE_CHECKING:  # upstream_jobs reads positions through position_admin, which imports this
    from webapp.services.platform_calls import RetryPolicy

log = logging.getLogger(__name__)
KIND = "position_state"


def platform_status_for(state: str) -> PositionStatus:
    """The platform's status for one of our position states (only ``open`` is open there)."""
    return OPEN_STATUS if state == "open" else CLOSED_STATUS


def wish(position: Position, state: str) -> None:
    """Record that the platform should follow ``state`` and schedule the call (caller commits).

    A position the platform never created gets nothing scheduled: its first application creates
    it there, open, and only an open position takes applications.
    """
    position.platform_status_wanted = platform_status_for(state).value
    # Counted in SQL, so two clicks at once are two versions.
    position.platform_status_version = Position.platform_status_version + 1
    position.platform_sync_error = None
    if not position.upstream_position_id:
        position.platform_sync = SYNC_NOT_CREATED
        return
    position.platform_sync = SYNC_PENDING
    db.session.flush()  # the job's subject needs the position's id
    jobs.schedule(KIND, position.id)


def process(job: jobs.Claimed, client: JobMojitoClient, policy: RetryPolicy) -> jobs.Outcome:
    """Send the position's latest wished status; what came of it for the job."""
    position = db.session.get(Position, job.subject_id, populate_existing=True)
    if position is None or position.platform_status_wanted is None:
        db.session.commit()
        return jobs.done("nothing to send")
    if not position.upstream_position_id:
        position.platform_sync = SYNC_NOT_CREATED
        db.session.commit()
        return jobs.done("not created on the platform")
    sent, version = position.platform_status_wanted, position.platform_status_version
    upstream_id = position.upstream_position_id
    db.session.commit()  # hold no transaction open during the call

    try:
        client.set_position_state(
            SetStateRequest(position_id=upstream_id, status=PositionStatus(sent))
        )
    except UpstreamError as exc:
        return _failed(job, version, exc, policy)
    # What the platform now holds is what was sent, whatever was wished meanwhile.
    _update(job.subject_id, None, platform_status=sent, platform_status_confirmed_at=utcnow())
    if not _update(job.subject_id, version, platform_sync=SYNC_CONFIRMED, platform_sync_error=None):
        # The recruiter changed their mind during the call: send the newer wish now.
        return jobs.retry_after(0, count_attempt=False)
    log.info("position %s: the platform confirmed status %s", job.subject_id, sent)
    return jobs.done()


def _update(position_id: int, version: int | None, **values: object) -> bool:
    """Write ``values`` on the position, only while its wish is still ``version`` (if given).

    A conditional UPDATE rather than the loaded row: a click committed during the call must win.
    """
    query = update(Position).where(Position.id == position_id)
    if version is not None:
        query = query.where(Position.platform_status_version == version)
    result = cast(
        CursorResult[Any],
        db.session.execute(query.values(**values).execution_options(synchronize_session=False)),
    )
    return result.rowcount == 1


def _failed(
    job: jobs.Claimed, version: int, exc: UpstreamError, policy: RetryPolicy
) -> jobs.Outcome:
    from webapp.services.platform_calls import describe, raise_auth_alert

    message = describe(exc)
    log.warning("position %s: the platform's state call failed: %s", job.subject_id, message)
    if exc.is_auth_problem:
        raise_auth_alert()
        _update(job.subject_id, version, platform_sync=SYNC_PENDING, platform_sync_error=message)
        return jobs.retry_after(
            0, message, count_attempt=False, outage="platform", alert="upstream_auth"
        )
    now = utcnow()
    deadline = job.deadline or now + timedelta(seconds=policy.give_up_after)
    if exc.retryable and now < deadline:
        if not _update(
            job.subject_id, version, platform_sync=SYNC_PENDING, platform_sync_error=message
        ):
            return jobs.retry_after(0, message, count_attempt=False)  # a newer wish to send
        return jobs.retry_after(policy.backoff(job.attempts), message, deadline=deadline)
    state = SYNC_REFUSED
    if exc.retryable:
        state, message = SYNC_FAILED, f"gave up after {job.attempts} attempts: {message}"
    if not _update(job.subject_id, version, platform_sync=state, platform_sync_error=message):
        return jobs.retry_after(0, message, count_attempt=False)
    return jobs.give_up(message)


def register_kind(
    app: Flask,
    client: Callable[[], JobMojitoClient],
    policy: Callable[[], RetryPolicy],
) -> None:
    """Register the position-state job for ``app``: its client and policy are read at run time."""
    jobs.register(
        app,
        KIND,
        lambda job: process(job, client(), policy()),
        lease=lambda: policy().lease_seconds,
        needs="platform",
    )
