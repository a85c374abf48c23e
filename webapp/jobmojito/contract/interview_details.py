"""One interview result in depth (``job-interview-details``): the query and the answer.

For recruiters only: the answer holds the transcript, the AI's reading of the candidate and, when
asked for, short-lived signed links to the recordings. None of it belongs on a candidate's page.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Self

from pydantic import BeforeValidator, Field

from webapp.jobmojito.contract.base import (
    ContractRequest,
    ContractResponse,
    NonEmptyText,
    WholeNumber,
)
from webapp.jobmojito.contract.errors import RequestInvalid

_BOOLEANS = {"true": True, "false": False}

Score = Annotated[float, Field(strict=False, allow_inf_nan=False)]


def _null_is_empty(value: Any) -> Any:
    # A platform that has nothing to list may send null where a list is documented.
    return [] if value is None else value


NullIsEmpty = BeforeValidator(_null_is_empty)


class InterviewDetailsQuery(ContractRequest):
    """Which result to read, and whether to sign links to its recordings."""

    interview_result_id: NonEmptyText
    get_signed_recordings: bool | None = None

    @classmethod
    def from_query(cls, args: Mapping[str, str]) -> Self:
        """Read a query string (all text) into the model; RequestInvalid names the field."""
        values: dict[str, Any] = dict(args)
        flag = values.get("get_signed_recordings")
        if isinstance(flag, str):
            if flag.strip().lower() not in _BOOLEANS:
                raise RequestInvalid("get_signed_recordings", "must be true or false")
            values["get_signed_recordings"] = _BOOLEANS[flag.strip().lower()]
        return cls.parse(values)

    def to_query(self) -> dict[str, str]:
        """The parameters as a query string sends them (booleans as ``true``/``false``)."""
        return {
            name: ("true" if value is True else "false" if value is False else str(value))
            for name, value in self.to_payload().items()
        }


class HiringReasons(ContractResponse):
    """The AI's reasons for and against hiring, each a short sentence."""

    reasons_to_hire: Annotated[list[str], NullIsEmpty] = Field(default_factory=list)
    reasons_not_to_hire: Annotated[list[str], NullIsEmpty] = Field(default_factory=list)


class AnalysisOther(ContractResponse):
    """The part of ``ai_analysis_other`` we read (the rest is ignored)."""

    hiring_reasons: HiringReasons | None = None


class TranscriptEntry(ContractResponse):
    """One question of the interview and the candidate's answer to it.

    **Guess**: the documentation says each answer has a signed recording; the field's name is not
    given. We read ``recording_url`` and ``recording_is_video``, as on the whole result.
    """

    question_asked: str | None = None
    answer: str | None = Field(default=None, repr=False)
    score: Score | None = None
    recording_url: str | None = Field(default=None, repr=False)
    recording_is_video: bool | None = None


class InterviewDetails(ContractResponse):
    """A result: scores, duration, analyses, reasons, the transcript and recording links."""

    status: str | None = None
    start: str | None = None
    end: str | None = None
    duration: Annotated[int, Field(ge=0), WholeNumber] | None = None  # deciseconds
    score: Score | None = None
    score_text: str | None = None
    score_answer: Score | None = None
    score_sentiment: Score | None = None
    ai_analysis: str | None = Field(default=None, repr=False)
    ai_analysis_recruiter: str | None = Field(default=None, repr=False)
    ai_analysis_recruiter_score: Score | None = None
    ai_analysis_other: AnalysisOther | None = None
    transcript: Annotated[list[TranscriptEntry], NullIsEmpty] = Field(default_factory=list)
    # Signed, short-lived: shown to a recruiter at once, never stored or logged.
    recording_url: str | None = Field(default=None, repr=False)
    recording_is_video: bool | None = None

    @property
    def duration_seconds(self) -> int | None:
        """The duration in whole seconds (the platform counts tenths of a second)."""
        return None if self.duration is None else round(self.duration / 10)

    @property
    def reasons(self) -> HiringReasons:
        """The reasons to hire and not to hire; empty lists when the platform gave none."""
        other = self.ai_analysis_other
        if other is None or other.hiring_reasons is None:
            return HiringReasons()
        return other.hiring_reasons
