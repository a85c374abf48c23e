"""The results call (``merchant-result-list``): its query, its rows, and how we read a decision.

This is how a host learns what webhooks did not tell it: a recruiter's decision on a
``recruiter_action`` candidate, and whether an interview was collected, scored or failed. The
client sends ``ResultListQuery`` and parses ``ResultList``; the sandbox validates incoming
queries with the same model and answers rows of the same shape.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum, StrEnum
from typing import Annotated, Any, Self

from pydantic import Field

from webapp.jobmojito.contract.base import (
    ContractRequest,
    ContractResponse,
    NonEmptyText,
    WholeNumber,
)
from webapp.jobmojito.contract.errors import RequestInvalid

MAX_LIMIT = 1000
DEFAULT_LIMIT = 50
_WHOLE_NUMBERS = ("limit", "offset")


class Step(StrEnum):
    """Which stage of the process a result belongs to."""

    PRE_SCREENING = "pre-screening"
    INTERVIEW = "interview"


class Tab(StrEnum):
    """The recruiter's view a result appears under (the documented ones)."""

    DECIDED_REJECTED = "decided-rejected"
    UNDECIDED = "undecided"
    SHORTLIST = "shortlist"
    DECIDED_SELECTED = "decided-selected"
    COMPLETED = "completed"
    INCOMPLETE = "incomplete"
    ARCHIVED_INTERVIEW = "archived-interview"


class OrderBy(StrEnum):
    """How the rows are sorted."""

    SCORE = "score"
    CREATED_AT_NEWEST = "created_at_newest"
    CREATED_AT_OLDEST = "created_at_oldest"
    UPDATED_AT_NEWEST = "updated_at_newest"


class ResultStatus(StrEnum):
    """A result's own status: ``draft`` until answers are scored, then ``active``."""

    DRAFT = "draft"
    ACTIVE = "active"
    ARCHIVED = "archived"


def _choice() -> Any:
    return Field(None, strict=False)


class ResultListQuery(ContractRequest):
    """The query of one results call; every parameter is optional."""

    profile_interview_id: NonEmptyText | None = None
    interview_id: NonEmptyText | None = None
    step: Step | None = _choice()
    tab: Tab | None = _choice()
    order_by: OrderBy | None = _choice()
    limit: Annotated[int, Field(ge=1, le=MAX_LIMIT), WholeNumber] | None = None
    offset: Annotated[int, Field(ge=0), WholeNumber] | None = None

    @classmethod
    def from_query(cls, args: Mapping[str, str]) -> Self:
        """Read a query string's values (all text) into the model; RequestInvalid names the field."""
        values: dict[str, Any] = dict(args)
        for name in _WHOLE_NUMBERS:
            text = values.get(name)
            if isinstance(text, str):
                stripped = text.strip()
                if not stripped.lstrip("-").isdigit() or len(stripped) > 12:
                    raise RequestInvalid(name, "must be a whole number")
                values[name] = int(stripped)
        return cls.parse(values)

    def to_query(self) -> dict[str, str]:
        """The parameters as a query string sends them (unset ones left out)."""
        return {name: str(value) for name, value in self.to_payload().items()}


class ResultRow(ContractResponse):
    """One candidate's result for one position, as the platform lists it."""

    id: str
    interview_result_id: str | None = None
    profile_interview_id: str | None = None
    candidate_name: str | None = Field(default=None, repr=False)
    candidate_email: str | None = Field(default=None, repr=False)
    position_name: str | None = None
    position_step: str | None = None
    status: ResultStatus | None = Field(default=None, strict=False)
    coach_status: str | None = None
    decision_status: str | None = None
    interview_started: bool | None = None
    score: float | None = Field(default=None, strict=False, allow_inf_nan=False)
    processing_status: str | None = None
    created_at: str | None = None
    updated_at: str | None = None


class Pagination(ContractResponse):
    """Where a page of rows sits in the whole list."""

    total: int
    limit: int
    offset: int
    has_more: bool


class ResultList(ContractResponse):
    """One page of the results call.

    **Guess**: the documentation names the rows' fields and ``pagination`` but not the key of the
    list itself; we read ``results`` (see docs/platform.md, "Our readings").
    """

    results: list[ResultRow]
    pagination: Pagination


class ReviewVerdict(Enum):
    """What a recruiter decided about a candidate who needed one."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


# The values below are a guess (see ``recruiter_verdict``): the documentation names
# ``recruiter_action``, "selected" and "rejected" as examples, and the tabs ``decided-selected``
# and ``decided-rejected``; the create call's own words are ``recruiter_accept`` and
# ``recruiter_reject``.
_ACCEPTED = frozenset({"selected", "decided-selected", "recruiter_accept", "accepted"})
_REJECTED = frozenset({"rejected", "decided-rejected", "recruiter_reject"})


def recruiter_verdict(decision_status: str | None) -> ReviewVerdict:
    """Read a row's ``decision_status`` as a recruiter's verdict. **A guess**, kept in one place.

    JobMojito does not document which values mean "accepted" or "rejected". Anything we do not
    recognise (``recruiter_action`` included) reads as still pending: we keep waiting rather than
    open an interview or turn a candidate away on a word we do not know.
    """
    value = (decision_status or "").strip().lower()
    if value in _ACCEPTED:
        return ReviewVerdict.ACCEPTED
    if value in _REJECTED:
        return ReviewVerdict.REJECTED
    return ReviewVerdict.PENDING
