"""The sandbox's records: positions, interviews, and what one create call resolved."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from webapp.jobmojito.contract import PositionStatus
from webapp.jobmojito.sandbox.decisions import INTERVIEW_OPEN_STATUSES

# A position in one of these statuses takes no new candidates (the sandbox's reading; the
# platform's own statuses are a guess kept in the contract's ``PositionStatus``).
CLOSED_POSITION_STATUSES = frozenset(
    {PositionStatus.ARCHIVED, PositionStatus.COMPLETED, PositionStatus.DELETED}
)


def now_iso() -> str:
    """The current time as the platform writes it (ISO 8601, UTC)."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass
class Position:
    """A position (JobMojito's position_def_set) and its one interview definition."""

    id: str
    interview_def_set_id: str
    external_id: str | None
    name: str
    location: str
    country_code: str
    language_code: str
    description: str
    embed_id: str | None = None
    signing_key: str | None = None
    status: str = PositionStatus.ACTIVE.value

    @property
    def takes_candidates(self) -> bool:
        """Whether new candidates may apply to the position."""
        return self.status not in CLOSED_POSITION_STATUSES


@dataclass
class Interview:
    """One candidate's interview (a profile_interview) for one position."""

    id: str
    result_id: str
    position_id: str
    candidate_name: str
    candidate_email: str
    candidate_external_id: str | None
    status: str
    reason: str | None
    state: str = "pending"
    answers: list[str] = field(default_factory=list)
    extra_attempts: int = 0
    # The result ids of earlier attempts: each attempt has its own result (the sandbox's reading).
    earlier_result_ids: list[str] = field(default_factory=list)
    created_at: str = field(default_factory=now_iso)
    updated_at: str = field(default_factory=now_iso)

    @property
    def is_open(self) -> bool:
        """Whether the candidate may take the interview now."""
        return self.state == "pending" and self.status in INTERVIEW_OPEN_STATUSES


@dataclass(frozen=True)
class Enrolment:
    """What one create call resolved: the position, the interview, and whether it was new."""

    position: Position
    interview: Interview
    already_applied: bool


class InterviewClosed(Exception):
    """The interview is not open: it was rejected, awaits a recruiter, or is already finished."""
