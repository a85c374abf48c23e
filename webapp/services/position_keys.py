"""Each position's embed key: kept from the platform's answers, revoked and renewed on request.

The key belongs to the position upstream, so one stored copy on the position signs every
candidate page of it. Revoking leaked links is ``job-interview-set-state`` with
``is_embedded=false`` (the platform drops the key: every link signed with it stops working), then
``true`` (a new key), run as a retried background job whose row is the audit record.
"""

from __future__ import annotations

import hmac
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Flask, current_app
from sqlalchemy import func, or_, select, update

from webapp.extensions import db
from webapp.jobmojito.client import JobMojitoClient, SetStateRequest, UpstreamError
from webapp.jobmojito.contract import Decision
from webapp.models import Application, Position, utcnow
from webapp.models.applications import JOB_DONE
from webapp.models.content import PreviewInterview
from webapp.models.positions import (
    ROTATION_ACTIVE,
    ROTATION_DISABLED,
    ROTATION_DONE,
    ROTATION_FAILED,
    ROTATION_QUEUED,
    PositionKeyRotation,
)
from webapp.services import jobs
from webapp.vault import Vault, VaultError

log = logging.getLogger(__name__)
KIND = "embed_key_rotation"
OFFERED = (Decision.AI_ACCEPT, Decision.RECRUITER_ACCEPT, Decision.ALREADY_APPLIED)
REASON_LIMIT = 500


class RotationRefused(Exception):
    """A rotation cannot be asked for now; the message says why, in a recruiter's words."""


@dataclass(frozen=True)
class KeyPanel:
    """What the position page shows about its embed key and its rotations."""

    on_platform: bool
    has_key: bool
    changed_at: datetime | None
    in_progress: int
    rotations: list[PositionKeyRotation]

    @property
    def latest(self) -> PositionKeyRotation | None:
        """The newest rotation, if any."""
        return self.rotations[0] if self.rotations else None

    @property
    def unavailable(self) -> bool:
        """Whether interviews cannot open: embedding is off upstream and no new key came yet."""
        latest = self.latest
        return (
            latest is not None and latest.disabled_at is not None and latest.state != ROTATION_DONE
        )

    @property
    def can_rotate(self) -> bool:
        """Whether a rotation may be asked for now."""
        return self.on_platform and not (self.latest is not None and self.latest.is_active)


def in_progress_count(position_id: int) -> int:
    """Interviews of the position offered and not finished: their open pages need a reload."""
    finished = or_(
        Application.interview_finished_at.is_not(None),
        func.coalesce(Application.interview_status, "").like("completed%"),
    )
    return int(
        db.session.scalar(
            select(func.count(Application.id)).where(
                Application.position_id == position_id,
                Application.job_state == JOB_DONE,
                Application.decision.in_(OFFERED),
                Application.erased_at.is_(None),
                Application.withdrawn_at.is_(None),
                ~finished,
            )
        )
        or 0
    )


def _active(position_id: int) -> PositionKeyRotation | None:
    return db.session.scalar(
        select(PositionKeyRotation).where(
            PositionKeyRotation.position_id == position_id,
            PositionKeyRotation.state.in_(ROTATION_ACTIVE),
        )
    )


def panel(position: Position, limit: int = 5) -> KeyPanel:
    """The key's state, the interviews a rotation would interrupt, and the latest rotations."""
    rotations = db.session.scalars(
        select(PositionKeyRotation)
        .where(PositionKeyRotation.position_id == position.id)
        .order_by(PositionKeyRotation.requested_at.desc(), PositionKeyRotation.id.desc())
        .limit(limit)
    ).all()
    return KeyPanel(
        on_platform=bool(position.upstream_position_id),
        has_key=bool(position.embed_id and position.embed_signing_key_encrypted),
        changed_at=position.embed_key_changed_at,
        in_progress=in_progress_count(position.id),
        rotations=list(rotations),
    )


def _set_key(position: Position, embed_id: str | None, encrypted: bytes | None) -> None:
    position.embed_id = embed_id
    position.embed_signing_key_encrypted = encrypted
    position.embed_key_version = (position.embed_key_version or 0) + 1
    position.embed_key_changed_at = utcnow()


def _same_key(position: Position, embed_id: str, signing_key: str, vault: Vault) -> bool:
    if position.embed_id != embed_id or not position.embed_signing_key_encrypted:
        return False
    try:
        stored = vault.decrypt(position.embed_signing_key_encrypted)
    except VaultError:
        return False  # unreadable: the fresh answer replaces it
    return hmac.compare_digest(stored.encode(), signing_key.encode())


def remember_key(
    position: Position, embed_id: str, signing_key: str, vault: Vault, asked_at: datetime
) -> bool:
    """Keep the key an application's answer carried when it differs (the newest answer wins).

    An answer to a call made before the key last changed, or while a rotation is under way, may
    carry a revoked key: it changes nothing. Whether the stored key changed; the caller commits.
    """
    if _same_key(position, embed_id, signing_key, vault):
        return False
    changed = position.embed_key_changed_at
    if (changed is not None and asked_at < changed) or _active(position.id) is not None:
        return False
    _set_key(position, embed_id, vault.encrypt(signing_key))
    log.info("position %s: embed key stored (version %s)", position.id, position.embed_key_version)
    return True


def request_rotation(
    position: Position, *, user_id: int | None, user_email: str, reason: str = ""
) -> PositionKeyRotation:
    """Record a rotation asked for by this account and schedule it (the caller commits).

    Raises RotationRefused when the position has no key upstream yet or a rotation is under way.
    """
    if not position.upstream_position_id:
        raise RotationRefused(
            "JobMojito has no interview links for this position yet: it is created there with "
            "the first application."
        )
    if _active(position.id) is not None:
        raise RotationRefused("Links of this position are already being revoked; see below.")
    rotation = PositionKeyRotation(
        position_id=position.id,
        requested_by_id=user_id,
        requested_by_email=user_email,
        reason=" ".join(reason.split())[:REASON_LIMIT],
        in_progress=in_progress_count(position.id),
        state=ROTATION_QUEUED,
        attempts=0,
    )
    db.session.add(rotation)
    db.session.flush()
    jobs.schedule(KIND, rotation.id)
    log.info("position %s: embed key rotation %s requested", position.id, rotation.id)
    return rotation


def _switch_off(rotation: PositionKeyRotation, position: Position, client: JobMojitoClient) -> None:
    assert position.upstream_position_id
    client.set_position_state(
        SetStateRequest(position_id=position.upstream_position_id, status=None, is_embedded=False)
    )
    # The old key is dead upstream: nothing signs with it any more, nor keeps a copy of it.
    _set_key(position, None, None)
    db.session.execute(
        update(Application)
        .where(Application.position_id == position.id)
        .values(embed_signing_key_encrypted=None)
        .execution_options(synchronize_session=False)
    )
    for preview in db.session.scalars(
        select(PreviewInterview).where(PreviewInterview.position_id == position.id)
    ):
        preview.embed_signing_key_encrypted = None
    rotation.state = ROTATION_DISABLED
    rotation.disabled_at = utcnow()
    rotation.last_error = None
    db.session.commit()  # durable before the second step: a retry starts from here


def _switch_on(
    rotation: PositionKeyRotation, position: Position, client: JobMojitoClient, vault: Vault
) -> None:
    assert position.upstream_position_id
    answer = client.set_position_state(
        SetStateRequest(position_id=position.upstream_position_id, status=None, is_embedded=True)
    )
    assert answer.embed_id and answer.embed_signing_key  # the client refuses an answer without
    encrypted = vault.encrypt(answer.embed_signing_key)
    _set_key(position, answer.embed_id, encrypted)
    for preview in db.session.scalars(
        select(PreviewInterview).where(PreviewInterview.position_id == position.id)
    ):
        preview.embed_id, preview.embed_signing_key_encrypted = answer.embed_id, encrypted
    rotation.state = ROTATION_DONE
    rotation.finished_at = utcnow()
    rotation.last_error = None


def _fail(rotation: PositionKeyRotation, message: str) -> jobs.Outcome:
    rotation.state = ROTATION_FAILED
    rotation.finished_at = utcnow()
    rotation.last_error = message
    return jobs.give_up(message)


def process_rotation(
    job: jobs.Claimed,
    client: JobMojitoClient,
    vault: Vault,
    *,
    backoff: float,
    give_up_after: float,
) -> jobs.Outcome:
    """Take the rotation's remaining steps (off, then on); what came of it for the job."""
    from webapp.services.platform_calls import describe, raise_auth_alert

    rotation = db.session.get(PositionKeyRotation, job.subject_id)
    if rotation is None or not rotation.is_active:
        return jobs.done("not wanted any more")
    position = rotation.position
    if not position.upstream_position_id:
        return _fail(rotation, "The position is not on JobMojito: there is no key to revoke.")
    rotation.attempts += 1
    db.session.commit()  # counted, and no lock held while the platform answers
    step = "off" if rotation.state == ROTATION_QUEUED else "on"
    try:
        if rotation.state == ROTATION_QUEUED:
            _switch_off(rotation, position, client)
            step = "on"
        _switch_on(rotation, position, client, vault)
    except UpstreamError as exc:
        db.session.rollback()
        rotation = db.session.get(PositionKeyRotation, job.subject_id, populate_existing=True)
        assert rotation is not None
        message = f"Switching embedding {step}: {describe(exc)}"
        rotation.last_error = message
        log.warning("position %s: embed key rotation: %s", rotation.position_id, message)
        if exc.is_auth_problem:
            raise_auth_alert()
            return jobs.retry_after(
                0, message, count_attempt=False, outage="platform", alert="upstream_auth"
            )
        if not exc.retryable:
            return _fail(rotation, message)
        now = utcnow()
        deadline = job.deadline or now + timedelta(seconds=give_up_after)
        if now >= deadline:
            return _fail(rotation, f"Gave up after {rotation.attempts} attempts: {message}")
        return jobs.retry_after(backoff, message, deadline=deadline)
    log.info(
        "position %s: embed key rotated (version %s); links signed before stop working",
        position.id,
        position.embed_key_version,
    )
    return jobs.done()


def retry_rotation(rotation: PositionKeyRotation) -> None:
    """Run a given-up rotation again from the step it stopped at (the caller commits)."""
    if rotation.state != ROTATION_FAILED:
        raise RotationRefused("Only a rotation that gave up can be tried again.")
    if _active(rotation.position_id) is not None:
        raise RotationRefused("Links of this position are already being revoked; see below.")
    rotation.state = ROTATION_DISABLED if rotation.disabled_at else ROTATION_QUEUED
    rotation.finished_at = None
    jobs.schedule(KIND, rotation.id)


def register(app: Flask) -> None:
    """Register the rotation job with this app's background work (the create call's lease)."""
    from webapp.services.platform import platform
    from webapp.services.platform_calls import RetryPolicy, policy_from_config

    def policy() -> RetryPolicy:
        return policy_from_config(current_app._get_current_object())  # type: ignore[attr-defined]

    def handler(job: jobs.Claimed) -> jobs.Outcome:
        objects, chosen = platform(), policy()
        return process_rotation(
            job,
            objects.client,
            objects.vault,
            backoff=chosen.backoff(job.attempts),
            give_up_after=chosen.give_up_after,
        )

    jobs.register(app, KIND, handler, lease=lambda: policy().lease_seconds, needs="platform")
