"""Validation of the create-for-candidate body, by the rules of the published contract."""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

from webapp.jobmojito.languages import LANGUAGE_CODES

CANDIDATE_FIELDS = (
    "candidate_name",
    "candidate_email",
    "candidate_country_code",
    "candidate_resume",
)
POSITION_FIELDS = ("position_name", "position_location", "position_country_code")

OPTIONAL_STRINGS = (
    "position_def_set_id",
    "position_external_id",
    "interview_template_id",
    "merchant_id",
    "position_name",
    "position_location",
    "position_country_code",
    "position_description",
    "position_description_long",
    "candidate_external_id",
    "candidate_linkedin_url",
    "instructional_video_custom_text",
    "welcome_message",
    "thank_you_message",
    "interview_department",
    "interview_salary",
    "recruiter_profile_id",
)
BOOLEANS = (
    "is_embedded",
    "use_enhanced_expectations",
    "include_rapport_question",
    "include_closing_prompt",
    "instructional_video",
    "required_pronunciation",
    "result_enable_edit_transcript",
)
ENUMS: dict[str, frozenset[str]] = {
    "mojito_language_code": LANGUAGE_CODES,
    "result_view": frozenset(
        {"none", "minimal", "minimal_with_score", "advanced", "full", "full_expand_scores"}
    ),
    "seniority_level": frozenset(
        {"entry-level", "intermediate", "senior", "managerial", "director", "executive"}
    ),
    "candidate_video_introduction": frozenset({"optional", "required"}),
    "interview_conversation_speed": frozenset({"slower", "normal", "faster"}),
}
# field -> (minimum, maximum, must be a whole number)
RANGES: dict[str, tuple[float, float, bool]] = {
    "interview_attempts": (1, 20, False),
    "max_followups": (0, 999, True),
    "questions_random_subset": (0.01, 0.9, False),
    "max_duration": (1, 86_400, False),
}
OBJECTS = ("custom_scoring", "pdf_export_auto_config", "hiring_for_company")


class RequestRejected(Exception):
    """A request the platform answers with an error envelope instead of an interview."""

    def __init__(self, status: int, message: str, name: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.name = name

    def envelope(self) -> dict[str, str]:
        """The error body the platform sends: a message and, when known, the field."""
        body = {"error": self.message}
        if self.name:
            body["name"] = self.name
        return body


def _invalid(name: str, message: str) -> RequestRejected:
    return RequestRejected(422, message, name)


def _is_number(value: Any) -> bool:
    # JSON true/false arrive as bool, which Python also counts as int: not a number here.
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _check_date(name: str, value: Any) -> None:
    if not isinstance(value, str):
        raise _invalid(name, f"{name} must be an ISO date or date-time string")
    try:
        datetime.fromisoformat(value)
    except ValueError:
        try:
            date.fromisoformat(value)
        except ValueError:
            raise _invalid(name, f"{name} must be an ISO date or date-time string") from None


def validate_create_body(body: Any) -> dict[str, Any]:
    """Return the body when it is acceptable, else raise RequestRejected naming the field."""
    if not isinstance(body, dict):
        raise RequestRejected(422, "Request body must be a JSON object")
    for name in CANDIDATE_FIELDS:
        value = body.get(name)
        if not isinstance(value, str) or not value.strip():
            raise _invalid(name, f"{name} is required and must be a non-empty string")
    for name in OPTIONAL_STRINGS:
        if body.get(name) is not None and not isinstance(body[name], str):
            raise _invalid(name, f"{name} must be a string")
    for name in BOOLEANS:
        if body.get(name) is not None and not isinstance(body[name], bool):
            raise _invalid(name, f"{name} must be a boolean")
    for name, allowed in ENUMS.items():
        if body.get(name) is not None and body[name] not in allowed:
            raise _invalid(name, f"{name} must be one of: {', '.join(sorted(allowed))}")
    for name, (low, high, whole) in RANGES.items():
        value = body.get(name)
        if value is None:
            continue
        if not _is_number(value) or (whole and value != int(value)):
            kind = "an integer" if whole else "a number"
            raise _invalid(name, f"{name} must be {kind}")
        if not low <= value <= high:
            raise _invalid(name, f"{name} must be between {low} and {high}")
    for name in OBJECTS:
        if body.get(name) is not None and not isinstance(body[name], dict):
            raise _invalid(name, f"{name} must be an object")
    tags = body.get("tags")
    if tags is not None and not (isinstance(tags, list) and all(isinstance(t, str) for t in tags)):
        raise _invalid("tags", "tags must be a list of strings")
    if body.get("interview_available_till") is not None:
        _check_date("interview_available_till", body["interview_available_till"])
    if not body.get("position_def_set_id"):
        for name in (*POSITION_FIELDS, "mojito_language_code"):
            value = body.get(name)
            if not isinstance(value, str) or not value.strip():
                raise _invalid(name, f"{name} is required when position_def_set_id is not provided")
    return body
