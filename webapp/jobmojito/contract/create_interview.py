"""The create-for-candidate call (``job-interview-create-for-candidate-with-token``): body and answer.

The one statement of this contract in the code: the client builds and sends these models, the
sandbox validates incoming bodies with them, the admin's position form takes its choices and
bounds from them. Where JobMojito's own texts leave a rule open, the reading chosen here is
written down in ``docs/platform.md`` ("Our readings").
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Self

from pydantic import AfterValidator, Field, field_validator, model_validator

from webapp.jobmojito.contract.base import (
    ContractPart,
    ContractRequest,
    ContractResponse,
    CountryCode,
    IsoDate,
    JsonObject,
    NonEmptyText,
    WholeNumber,
)
from webapp.jobmojito.contract.endpoints import CREATE_FOR_CANDIDATE
from webapp.jobmojito.contract.errors import RequestInvalid
from webapp.jobmojito.languages import LANGUAGE_CODES

ENDPOINT = CREATE_FOR_CANDIDATE.path
# Ours, not the platform's (it states no upper bound): four hours is a typo, not an interview.
MAX_DURATION_LIMIT_SECONDS = 4 * 3600


class SeniorityLevel(StrEnum):
    """How senior the position is; the platform detects it when omitted."""

    ENTRY_LEVEL = "entry-level"
    INTERMEDIATE = "intermediate"
    SENIOR = "senior"
    MANAGERIAL = "managerial"
    DIRECTOR = "director"
    EXECUTIVE = "executive"


class ResultView(StrEnum):
    """What the candidate sees inside the frame at the end (``none`` submits at once)."""

    NONE = "none"
    MINIMAL = "minimal"
    MINIMAL_WITH_SCORE = "minimal_with_score"
    ADVANCED = "advanced"
    FULL = "full"
    FULL_EXPAND_SCORES = "full_expand_scores"


class ConversationSpeed(StrEnum):
    """How fast the AI interviewer speaks."""

    SLOWER = "slower"
    NORMAL = "normal"
    FASTER = "faster"


class VideoIntroduction(StrEnum):
    """Whether the candidate records a video introduction."""

    OPTIONAL = "optional"
    REQUIRED = "required"


def _known_language(code: str) -> str:
    if code not in LANGUAGE_CODES:
        raise ValueError("is not a language JobMojito supports")
    return code


LanguageCode = Annotated[
    str,
    AfterValidator(_known_language),
    Field(json_schema_extra={"enum": sorted(LANGUAGE_CODES)}),
]
# Required unless the position is named by position_def_set_id.
POSITION_FIELDS = ("position_name", "position_location", "position_country_code")
POSITION_REQUIRED = (*POSITION_FIELDS, "mojito_language_code")


def _choice(default: None = None) -> Any:
    # Enum values arrive as plain strings from Python and JSON alike.
    return Field(default, strict=False)


class HiringForCompany(ContractPart):
    """The company a position is hired for, when it is not the merchant itself."""

    name: str | None = None
    description: str | None = None
    location: str | None = None
    sector: str | None = None
    company_size: str | None = None


class PositionSettings(ContractRequest):
    """The position half of the body: which position, and how its interview is set up."""

    position_def_set_id: NonEmptyText | None = None
    position_external_id: NonEmptyText | None = None
    interview_template_id: NonEmptyText | None = None
    position_name: NonEmptyText | None = None
    position_location: NonEmptyText | None = None
    position_country_code: CountryCode | None = None
    mojito_language_code: LanguageCode | None = None
    position_description: str | None = None
    position_description_long: str | None = None
    seniority_level: SeniorityLevel | None = _choice()
    interview_department: str | None = None
    interview_salary: str | None = None
    candidate_video_introduction: VideoIntroduction | None = _choice()
    interview_attempts: Annotated[int, Field(ge=1, le=20), WholeNumber] | None = None
    result_view: ResultView | None = _choice()
    custom_scoring: JsonObject | None = None
    use_enhanced_expectations: bool | None = None
    include_rapport_question: bool | None = None
    include_closing_prompt: bool | None = None
    instructional_video: bool | None = None
    instructional_video_custom_text: str | None = None
    welcome_message: str | None = None
    thank_you_message: str | None = None
    max_duration: Annotated[int, Field(ge=1, le=MAX_DURATION_LIMIT_SECONDS), WholeNumber] | None = (
        None  # seconds
    )
    interview_available_till: IsoDate | None = None
    interview_conversation_speed: ConversationSpeed | None = _choice()
    max_followups: Annotated[int, Field(ge=0, le=999), WholeNumber] | None = None
    questions_random_subset: (
        Annotated[float, Field(ge=0.01, le=0.9, allow_inf_nan=False)] | None
    ) = None
    required_pronunciation: bool | None = None
    result_enable_edit_transcript: bool | None = None
    tags: list[NonEmptyText] | None = None
    recruiter_profile_id: NonEmptyText | None = None
    hiring_for_company: HiringForCompany | None = None
    pdf_export_auto_config: JsonObject | None = None

    @field_validator("hiring_for_company", mode="after")
    @classmethod
    def _empty_company_is_none(cls, value: HiringForCompany | None) -> HiringForCompany | None:
        # Nothing about the company is the same as no company: nothing to send.
        if value is not None and not value.model_dump(exclude_none=True):
            return None
        return value

    @model_validator(mode="after")
    def _position_is_named(self) -> Self:
        if self.position_def_set_id is None:
            for name in POSITION_REQUIRED:
                if getattr(self, name) is None:
                    raise RequestInvalid(name, "is required when position_def_set_id is not given")
        return self


class CreateInterviewRequest(PositionSettings):
    """Everything JobMojito accepts when creating an interview for one candidate."""

    candidate_name: NonEmptyText = Field(repr=False)
    candidate_email: NonEmptyText = Field(repr=False)
    candidate_country_code: CountryCode
    candidate_resume: NonEmptyText = Field(repr=False)
    candidate_external_id: NonEmptyText | None = None
    candidate_linkedin_url: str | None = Field(default=None, repr=False)
    merchant_id: NonEmptyText | None = None
    is_embedded: bool | None = None


class Decision(StrEnum):
    """JobMojito's decision for a candidate against a position, as returned in ``status``."""

    AI_ACCEPT = "ai_accept"
    RECRUITER_ACCEPT = "recruiter_accept"
    RECRUITER_ACTION = "recruiter_action"
    AI_REJECT = "ai_reject"
    RECRUITER_REJECT = "recruiter_reject"
    ALREADY_APPLIED = "already-applied"

    @property
    def shows_interview(self) -> bool:
        """True when the candidate should be shown the interview now."""
        return self in (Decision.AI_ACCEPT, Decision.RECRUITER_ACCEPT, Decision.ALREADY_APPLIED)

    @property
    def is_rejection(self) -> bool:
        """True when the AI or a recruiter turned the candidate down."""
        return self in (Decision.AI_REJECT, Decision.RECRUITER_REJECT)

    @property
    def awaits_recruiter(self) -> bool:
        """True when a recruiter must confirm before the candidate may interview."""
        return self is Decision.RECRUITER_ACTION


class CreateInterviewResult(ContractResponse):
    """JobMojito's answer to a create-interview call; which ids come depends on the branch."""

    status: Decision = Field(strict=False)
    interview_url: NonEmptyText = Field(repr=False)  # tokenised: whoever holds it opens it
    position_def_set_id: str | None = None
    interview_def_set_id: str | None = None
    profile_interview_id: str | None = None
    reason: str | None = None
    embed_id: str | None = None
    embed_signing_key: str | None = Field(default=None, repr=False)
