"""A position's state upstream (``job-interview-set-state``) and a candidate's extra attempt
(``job-interview-result-request-another-attempt``): bodies and answers.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self

from pydantic import Field, model_validator

from webapp.jobmojito.contract.base import ContractRequest, ContractResponse, NonEmptyText
from webapp.jobmojito.contract.errors import RequestInvalid


class PositionStatus(StrEnum):
    """A position's lifecycle status upstream.

    **Guess**, kept here only: JobMojito's reference does not list the values. These are the ones a
    third-party listing of its tools names; the sandbox accepts exactly these.
    """

    DRAFT = "draft"
    ACTIVE = "active"
    ARCHIVED = "archived"
    PREPARING = "preparing"
    COMPLETED = "completed"
    DELETED = "deleted"


# Our reading of "open" and "closed" in those words (a guess, like the list).
OPEN_STATUS = PositionStatus.ACTIVE
CLOSED_STATUS = PositionStatus.ARCHIVED


class SetStateRequest(ContractRequest):
    """Change a position's status, its embedding, or both (at least one)."""

    position_id: NonEmptyText
    status: PositionStatus | None = Field(None, strict=False)
    is_embedded: bool | None = None

    @model_validator(mode="after")
    def _something_to_change(self) -> Self:
        if self.status is None and self.is_embedded is None:
            raise RequestInvalid("status", "or is_embedded must be given")
        return self


class SetStateResult(ContractResponse):
    """The answer: the embed id and its new or existing key when ``is_embedded`` was true."""

    success: bool | None = None
    embed_id: str | None = None
    embed_signing_key: str | None = Field(default=None, repr=False)


class AnotherAttemptRequest(ContractRequest):
    """Give the candidate of one active, submitted result one more attempt."""

    interview_result_id: NonEmptyText


class EmptyAnswer(ContractResponse):
    """An answer with nothing to read (``{}``); any fields the platform adds are ignored."""
