"""The typed request of JobMojito's create-for-candidate call, its validation, and the decisions.

The contract is JobMojito's reference for ``job-interview-create-for-candidate-with-token`` plus the
extra fields listed in UPSTREAM.md. Validation states only what that contract states, so a request
we refuse is one JobMojito would refuse too, and we refuse it before a credit is spent.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, fields
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from webapp.jobmojito.languages import LANGUAGE_CODES

_COUNTRY_CODE = re.compile(r"[A-Za-z]{2}")


class RequestInvalid(ValueError):
    """A create-interview request that breaks the contract, naming the first offending field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class HiringForCompany:
    """The company a position is hired for, when it is not the merchant itself."""

    name: str | None = None
    description: str | None = None
    location: str | None = None
    sector: str | None = None
    company_size: str | None = None


# Field name -> allowed values, for the string enums of the contract.
_ENUMS: dict[str, frozenset[str]] = {
    "candidate_video_introduction": frozenset({"optional", "required"}),
    "seniority_level": frozenset(
        {"entry-level", "intermediate", "senior", "managerial", "director", "executive"}
    ),
    "result_view": frozenset(
        {"none", "minimal", "minimal_with_score", "advanced", "full", "full_expand_scores"}
    ),
    "interview_conversation_speed": frozenset({"slower", "normal", "faster"}),
}
# Field name -> inclusive (low, high); None means unbounded.
_INT_RANGES: dict[str, tuple[int, int | None]] = {
    "interview_attempts": (1, 20),
    "max_duration": (1, None),
    "max_followups": (0, 999),
}
_REQUIRED_TEXT = ("candidate_name", "candidate_email", "candidate_country_code", "candidate_resume")
# Identifiers and position fields: optional, but an empty one is a mistake, never "absent".
_NON_EMPTY_TEXT = frozenset(
    {
        "position_def_set_id",
        "position_external_id",
        "interview_template_id",
        "merchant_id",
        "position_name",
        "position_location",
        "candidate_external_id",
        "recruiter_profile_id",
    }
)
_POSITION_FIELDS = (
    "position_name",
    "position_location",
    "position_country_code",
    "mojito_language_code",
)
_COUNTRY_FIELDS = frozenset({"candidate_country_code", "position_country_code"})
_BOOLS = frozenset(
    {
        "use_enhanced_expectations",
        "include_rapport_question",
        "include_closing_prompt",
        "instructional_video",
        "is_embedded",
        "required_pronunciation",
        "result_enable_edit_transcript",
    }
)
_OBJECTS = frozenset({"custom_scoring", "pdf_export_auto_config"})


@dataclass(repr=False)
class CreateInterviewRequest:
    """Everything JobMojito accepts when creating an interview for one candidate."""

    candidate_name: str
    candidate_email: str
    candidate_country_code: str
    candidate_resume: str
    position_def_set_id: str | None = None
    position_external_id: str | None = None
    interview_template_id: str | None = None
    merchant_id: str | None = None
    position_name: str | None = None
    position_location: str | None = None
    position_country_code: str | None = None
    mojito_language_code: str | None = None
    position_description: str | None = None
    position_description_long: str | None = None
    candidate_external_id: str | None = None
    candidate_linkedin_url: str | None = None
    candidate_video_introduction: str | None = None
    interview_attempts: int | None = None
    seniority_level: str | None = None
    result_view: str | None = None
    custom_scoring: dict[str, Any] | None = None
    use_enhanced_expectations: bool | None = None
    include_rapport_question: bool | None = None
    include_closing_prompt: bool | None = None
    instructional_video: bool | None = None
    instructional_video_custom_text: str | None = None
    welcome_message: str | None = None
    thank_you_message: str | None = None
    max_duration: int | None = None
    is_embedded: bool | None = None
    interview_department: str | None = None
    interview_salary: str | None = None
    interview_available_till: str | None = None
    interview_conversation_speed: str | None = None
    max_followups: int | None = None
    questions_random_subset: float | None = None
    required_pronunciation: bool | None = None
    result_enable_edit_transcript: bool | None = None
    tags: list[str] | None = None
    recruiter_profile_id: str | None = None
    hiring_for_company: HiringForCompany | None = None
    pdf_export_auto_config: dict[str, Any] | None = None

    def __repr__(self) -> str:
        # The résumé and e-mail are personal data: keep them out of logs and tracebacks.
        return f"CreateInterviewRequest(position_external_id={self.position_external_id!r}, ...)"

    def validate(self) -> None:
        """Raise RequestInvalid for the first field, in declaration order, breaking the contract."""
        for spec in fields(self):
            value = getattr(self, spec.name)
            if value is None:
                if spec.name in _REQUIRED_TEXT:
                    raise RequestInvalid(spec.name, "is required")
                continue
            _check_field(spec.name, value)
        if self.position_def_set_id is None:
            for name in _POSITION_FIELDS:
                if getattr(self, name) is None:
                    raise RequestInvalid(name, "is required when position_def_set_id is not given")

    def to_payload(self) -> dict[str, Any]:
        """Validate, then return the JSON body with every unset (None) field left out."""
        self.validate()
        payload: dict[str, Any] = {}
        for spec in fields(self):
            value = getattr(self, spec.name)
            if value is None:
                continue
            if spec.name in _COUNTRY_FIELDS:
                value = value.upper()
            elif isinstance(value, HiringForCompany):
                value = {k: v for k, v in asdict(value).items() if v is not None}
                if not value:
                    continue
            elif spec.name == "tags":
                value = list(value)
            payload[spec.name] = value
        return payload


def _check_field(name: str, value: Any) -> None:
    """Raise RequestInvalid when one set field's value breaks its rule."""
    if name in _BOOLS:
        if not isinstance(value, bool):
            raise RequestInvalid(name, "must be true or false")
    elif name in _INT_RANGES:
        low, high = _INT_RANGES[name]
        if not isinstance(value, int) or isinstance(value, bool):
            raise RequestInvalid(name, "must be a whole number")
        if value < low or (high is not None and value > high):
            bounds = f"between {low} and {high}" if high is not None else f"at least {low}"
            raise RequestInvalid(name, f"must be {bounds}")
    elif name == "questions_random_subset":
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise RequestInvalid(name, "must be a number")
        if not 0.01 <= value <= 0.9:  # also refuses NaN
            raise RequestInvalid(name, "must be between 0.01 and 0.9")
    elif name in _OBJECTS:
        _check_object(name, value)
    elif name == "tags":
        if not isinstance(value, (list, tuple)):
            raise RequestInvalid(name, "must be a list of strings")
        if not all(isinstance(tag, str) and tag.strip() for tag in value):
            raise RequestInvalid(name, "must contain only non-empty strings")
    elif name == "hiring_for_company":
        if not isinstance(value, HiringForCompany):
            raise RequestInvalid(name, "must be a HiringForCompany")
        for part in fields(value):
            if not isinstance(getattr(value, part.name), (str, type(None))):
                raise RequestInvalid(f"{name}.{part.name}", "must be a string")
    else:
        _check_text(name, value)


def _check_text(name: str, value: Any) -> None:
    """Raise RequestInvalid when a string field is not a string or breaks its format."""
    if not isinstance(value, str):
        raise RequestInvalid(name, "must be a string")
    if (name in _REQUIRED_TEXT or name in _NON_EMPTY_TEXT) and not value.strip():
        raise RequestInvalid(name, "must not be empty")
    if name in _COUNTRY_FIELDS and not _COUNTRY_CODE.fullmatch(value):
        raise RequestInvalid(name, "must be a two-letter country code")
    if name == "mojito_language_code" and value not in LANGUAGE_CODES:
        raise RequestInvalid(name, "is not a language JobMojito supports")
    if name in _ENUMS and value not in _ENUMS[name]:
        raise RequestInvalid(name, f"must be one of {', '.join(sorted(_ENUMS[name]))}")
    if name == "interview_available_till" and not _is_iso_date_or_datetime(value):
        raise RequestInvalid(name, "must be an ISO 8601 date or date-time")


def _check_object(name: str, value: Any) -> None:
    """Raise RequestInvalid unless the value is a JSON object we can actually send."""
    if not isinstance(value, dict):
        raise RequestInvalid(name, "must be an object")
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError):
        raise RequestInvalid(name, "must contain only JSON values") from None


def _is_iso_date_or_datetime(value: str) -> bool:
    for parse in (date.fromisoformat, datetime.fromisoformat):
        try:
            parse(value)
        except ValueError:
            continue
        return True
    return False


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
