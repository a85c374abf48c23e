"""The preview interview: a test candidate's real interview, so marketers see what candidates see."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.exc import IntegrityError

from webapp.extensions import db
from webapp.jobmojito.client import JobMojitoClient, RequestInvalid, UpstreamError
from webapp.models import Application, Position, utcnow
from webapp.models.content import PreviewInterview
from webapp.services.interviews import signed_embed_url
from webapp.services.upstream_jobs import build_request, describe
from webapp.vault import Vault

PREVIEW_CANDIDATE_NAME = "Preview Candidate"
PREVIEW_CANDIDATE_EMAIL = "careerframe-preview@example.com"
PREVIEW_RESUME = (
    "Preview candidate created by Careerframe so that marketers can see the interview page as "
    "candidates see it. Not a real applicant: please ignore this profile when reviewing candidates."
)
OPEN_DECISIONS = frozenset({"ai_accept", "recruiter_accept", "already-applied"})


class PreviewInterviewUnavailable(Exception):
    """No preview interview can be shown now; the message says why."""


def _preview_applicant(position: Position, record: PreviewInterview | None = None) -> Application:
    # Never added to the session: it only carries the test identity through the worker's own
    # request builder and the candidate pages' own link signer.
    return Application(
        public_id=f"preview-{position.external_id}"[:32],
        full_name=PREVIEW_CANDIDATE_NAME,
        email=PREVIEW_CANDIDATE_EMAIL,
        country_code=position.country_code,
        resume_text=PREVIEW_RESUME,
        linkedin_url=None,
        embed_id=record.embed_id if record else None,
        embed_signing_key_encrypted=record.embed_signing_key_encrypted if record else None,
    )


def _claim(position: Position, stale_after: float) -> PreviewInterview | None:
    """The position's record; created (claimed) here when this request must call the platform."""
    record = db.session.scalar(
        select(PreviewInterview).where(PreviewInterview.position_id == position.id)
    )
    if record is None:
        db.session.add(PreviewInterview(position_id=position.id))
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            raise PreviewInterviewUnavailable(
                "The preview interview is being prepared. Reload this page in a few seconds."
            ) from None
        return None
    if record.decided_at is None:
        if utcnow() - record.created_at < timedelta(seconds=stale_after):
            raise PreviewInterviewUnavailable(
                "The preview interview is being prepared. Reload this page in a few seconds."
            )
        taken = cast(
            CursorResult[Any],
            db.session.execute(
                update(PreviewInterview)
                .where(
                    PreviewInterview.id == record.id,
                    PreviewInterview.created_at == record.created_at,
                )
                .values(created_at=utcnow())
                .execution_options(synchronize_session=False)
            ),
        )
        db.session.commit()
        if taken.rowcount != 1:
            raise PreviewInterviewUnavailable(
                "The preview interview is being prepared. Reload this page in a few seconds."
            )
        return None
    return record


def preview_interview_url(
    position: Position,
    client: JobMojitoClient,
    vault: Vault,
    embed_base: str,
    stale_after: float = 180,
) -> str:
    """The signed embed URL of the position's preview interview, created upstream the first time."""
    record = _claim(position, stale_after)
    if record is None:
        record = db.session.scalars(
            select(PreviewInterview).where(PreviewInterview.position_id == position.id)
        ).one()
        try:
            request = build_request(_preview_applicant(position), position)
            request.validate()
            result = client.create_interview_for_candidate(request)
        except (UpstreamError, RequestInvalid) as exc:
            db.session.delete(record)
            db.session.commit()
            detail = describe(exc) if isinstance(exc, UpstreamError) else str(exc)
            raise PreviewInterviewUnavailable(
                f"The interview platform did not create the preview interview ({detail})."
            ) from None
        record.decision = result.status.value
        record.profile_interview_id = result.profile_interview_id
        record.embed_id = result.embed_id
        record.embed_signing_key_encrypted = (
            vault.encrypt(result.embed_signing_key) if result.embed_signing_key else None
        )
        record.decided_at = utcnow()
        if result.position_def_set_id and not position.upstream_position_id:
            position.upstream_position_id = result.position_def_set_id
        db.session.commit()
    if (
        record.decision not in OPEN_DECISIONS
        or not record.embed_id
        or not record.embed_signing_key_encrypted
    ):
        raise PreviewInterviewUnavailable(
            f"The interview platform answered “{record.decision}” for the preview candidate, so there is no interview to show."
        )
    return signed_embed_url(_preview_applicant(position, record), vault, embed_base)


def preview_identity(position_id: int) -> tuple[str, str] | None:
    """The preview candidate's name and e-mail, when that candidate has an interview for the position."""
    record = db.session.scalar(
        select(PreviewInterview).where(PreviewInterview.position_id == position_id)
    )
    if record is None or record.decision not in OPEN_DECISIONS:
        return None
    return PREVIEW_CANDIDATE_NAME, PREVIEW_CANDIDATE_EMAIL
