"""The status the candidate's page polls, read as a few columns rather than a whole application.

The poll comes every few hundred milliseconds from every waiting candidate; loading the whole row
(résumé included) through the ORM was most of its cost (``make bench``, "status_document").
"""

from __future__ import annotations

from typing import cast

from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Application
from webapp.services.applications import CandidateStatus, candidate_status

# Every column ``candidate_status`` reads (tests/test_new_tab.py compares both ways of reading).
STATUS_COLUMNS = (
    Application.created_at,
    Application.erased_at,
    Application.job_state,
    Application.attempts,
    Application.last_error,
    Application.decision,
    Application.decided_at,
    Application.interview_status,
)
_QUERY = select(*STATUS_COLUMNS)


def polled_status(public_id: str, *, rejection_delay: float = 0.0) -> CandidateStatus | None:
    """The candidate's status by the id their link carries; None when there is no such application."""
    row = db.session.execute(_QUERY.where(Application.public_id == public_id)).first()
    if row is None:
        return None
    # A row answers the same attribute names as the application for the columns chosen above.
    return candidate_status(cast(Application, row), rejection_delay=rejection_delay)
