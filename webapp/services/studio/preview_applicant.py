"""The preview candidate: the test identity a marketer's preview interview is created for."""

from __future__ import annotations

from webapp.models import Application, Position
from webapp.models.content import PreviewInterview

PREVIEW_CANDIDATE_NAME = "Preview Candidate"
PREVIEW_CANDIDATE_EMAIL = "careerframe-preview@example.com"
PREVIEW_RESUME = (
    "Preview candidate created by Careerframe so that marketers can see the interview page as "
    "candidates see it. Not a real applicant: please ignore this profile when reviewing candidates."
)


def preview_applicant(position: Position, record: PreviewInterview | None = None) -> Application:
    """The preview candidate as an application that is never stored.

    It carries the test identity through the worker's own request builder.
    """
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
