"""The preview interview: a test candidate's real interview, so marketers see what candidates see."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from webapp.extensions import db
from webapp.jobmojito.client import Decision
from webapp.jobmojito.embed_link import build_embed_url
from webapp.models import Position
from webapp.models.applications import JOB_DONE, JOB_GAVE_UP, JOB_IN_FLIGHT, JOB_PENDING
from webapp.models.content import PreviewInterview
from webapp.services.studio.preview_applicant import (
    PREVIEW_CANDIDATE_EMAIL,
    PREVIEW_CANDIDATE_NAME,
)
from webapp.vault import Vault, VaultError

OPEN_DECISIONS = frozenset(decision.value for decision in Decision if decision.shows_interview)


@dataclass(frozen=True)
class PreviewInterviewState:
    """Where the position's preview interview stands, in words a marketer reads."""

    stage: str  # "preparing", "ready" or "unavailable"
    message: str = ""
    frame_src: str | None = None
    attempts: int = 0
    retrying: bool = False
    can_retry: bool = False

    def as_json(self) -> dict[str, object]:
        """The small document the preparing page polls (never the frame's signed link)."""
        return {"stage": self.stage, "attempts": self.attempts, "retrying": self.retrying}


def request_preview_interview(position: Position) -> PreviewInterview:
    """The position's preview interview, its need recorded for a worker the first time.

    The row is unique per position, so of two requests racing here one inserts and the other
    reads that row: one upstream call at most, made later by whichever worker claims it.
    """
    record = db.session.scalar(
        select(PreviewInterview).where(PreviewInterview.position_id == position.id)
    )
    if record is not None:
        return record
    from webapp.services.studio.preview_jobs import schedule_preview

    record = PreviewInterview(position_id=position.id)
    db.session.add(record)
    try:
        db.session.flush()
        schedule_preview(record)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
    return db.session.scalars(
        select(PreviewInterview).where(PreviewInterview.position_id == position.id)
    ).one()


def _progress(record: PreviewInterview) -> str:
    if record.job_state == JOB_IN_FLIGHT:
        return (
            f"The interview platform is creating it now (attempt {record.attempts}). "
            "This usually takes under a minute."
        )
    if record.attempts == 0:
        return "Waiting for the background worker to ask the interview platform for it."
    return (
        f"Attempt {record.attempts} did not work ({record.last_error}). "
        "It is tried again shortly, by itself."
    )


def preview_interview_state(
    position: Position, vault: Vault, embed_base: str
) -> PreviewInterviewState:
    """Where the preview interview stands; when ready, a freshly signed frame link."""
    record = request_preview_interview(position)
    if record.job_state == JOB_GAVE_UP:
        return PreviewInterviewState(
            "unavailable",
            f"The interview platform did not create the preview interview ({record.last_error}).",
            attempts=record.attempts,
            can_retry=True,
        )
    if record.job_state != JOB_DONE:
        return PreviewInterviewState(
            "preparing",
            _progress(record),
            attempts=record.attempts,
            retrying=record.attempts > 0 and record.job_state == JOB_PENDING,
        )
    if (
        record.decision not in OPEN_DECISIONS
        or not record.embed_id
        or not record.embed_signing_key_encrypted
    ):
        return PreviewInterviewState(
            "unavailable",
            f"The interview platform answered “{record.decision}” for the preview candidate, "
            "so there is no interview to show.",
        )
    try:
        # Signed with the preview candidate's own embed, whatever the position's real
        # candidates sign with: the preview never borrows (or waits for) theirs.
        frame_src = build_embed_url(
            embed_base,
            record.embed_id,
            vault.decrypt(record.embed_signing_key_encrypted),
            PREVIEW_CANDIDATE_NAME,
            PREVIEW_CANDIDATE_EMAIL,
        )
    except VaultError:
        return PreviewInterviewState(
            "unavailable",
            "The preview interview's stored key cannot be read with the site's encryption keys "
            "(DATA_ENCRYPTION_KEYS). An administrator can fix this: add the old key back and run "
            "“flask rotate-keys”.",
        )
    return PreviewInterviewState("ready", frame_src=frame_src, attempts=record.attempts)


def retry_preview_interview(position: Position) -> bool:
    """Queue a given-up preview interview again; False when it was not given up."""
    done = db.session.execute(
        update(PreviewInterview)
        .where(
            PreviewInterview.position_id == position.id, PreviewInterview.job_state == JOB_GAVE_UP
        )
        .values(job_state=JOB_PENDING, last_error=None, attempts=0)
        .execution_options(synchronize_session=False)
    )
    again = bool(getattr(done, "rowcount", 0))
    if again:
        from webapp.services.studio.preview_jobs import schedule_preview

        schedule_preview(
            db.session.scalars(
                select(PreviewInterview).where(PreviewInterview.position_id == position.id)
            ).one()
        )
    db.session.commit()
    return again


def preview_identity(position_id: int) -> tuple[str, str] | None:
    """The preview candidate's name and e-mail, when that candidate has an interview for the position."""
    record = db.session.scalar(
        select(PreviewInterview).where(PreviewInterview.position_id == position_id)
    )
    if record is None or record.decision not in OPEN_DECISIONS:
        return None
    return PREVIEW_CANDIDATE_NAME, PREVIEW_CANDIDATE_EMAIL
