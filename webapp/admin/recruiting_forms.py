"""Recruiters' and admins' forms: positions with every upstream option, list filters, accounts."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from enum import StrEnum
from typing import Any, TypeVar

from flask import abort
from wtforms import (
    DateField,
    EmailField,
    Field,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from webapp.admin.forms import ConfirmForm
from webapp.admin.numbers import ID, MAX_ID, page_number, parse_id  # noqa: F401  (used by the views)
from webapp.form_base import Form
from webapp.jobmojito.contract import (
    MAX_DURATION_LIMIT_SECONDS,
    ConversationSpeed,
    HiringForCompany,
    PositionSettings,
    RequestInvalid,
    ResultView,
    SeniorityLevel,
    VideoIntroduction,
    bounds,
)
from webapp.jobmojito.languages import LANGUAGES, offered_choices
from webapp.models import ROLES, Position
from webapp.models.positions import EMPLOYMENT_TYPES, WORKPLACES
from webapp.reference import countries
from webapp.services.application_admin import STATUS_LABELS, ApplicationFilters
from webapp.services.position_admin import (
    PositionFactsInvalid,
    PositionInput,
    check_facts,
    validate_position,
)

_WHOLE_NUMBER = re.compile(r"-?[0-9]{1,9}")


class WholeNumberField(IntegerField):
    """An integer field taking only plain ASCII digits, at most nine: nothing further on overflows."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        text = valuelist[0].strip() if valuelist and isinstance(valuelist[0], str) else ""
        if text and not _WHOLE_NUMBER.fullmatch(text):
            self.data = None
            raise ValueError("Enter a whole number, like 5.")
        super().process_formdata(valuelist)


class CheckboxesField(SelectMultipleField):
    """Several choices as a list of checkboxes (the template puts them in a fieldset)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def require_confirmation() -> None:
    """Refuse (400) a button-only POST whose CSRF token does not check out."""
    if not ConfirmForm().validate_on_submit():
        abort(400)


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _text(value: str | None) -> str | None:
    # Browsers send a textarea's line breaks as CRLF; store them as the rest of the code writes them.
    value = (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    return value or None


# Booleans whose platform default matters: "" leaves the option unset.
TRI_STATE = {"yes": True, "no": False}
_BOOLEAN_DEFAULTS = {
    "include_rapport_question": "no",
    "include_closing_prompt": "yes",
    "instructional_video": "no",
}
HIRING_PARTS = tuple(HiringForCompany.model_fields)
# The bounds are the contract's; the form shows some of them in recruiters' units.
ATTEMPTS = bounds(PositionSettings, "interview_attempts")
FOLLOWUPS = bounds(PositionSettings, "max_followups")
SUBSET_PERCENT = tuple(
    round(share * 100) for share in bounds(PositionSettings, "questions_random_subset")
)
MAX_DURATION_MINUTES = MAX_DURATION_LIMIT_SECONDS // 60


_Choice = TypeVar("_Choice", bound=StrEnum)


def choices(
    values: type[_Choice], unset: str, labels: Mapping[_Choice, str] | None = None
) -> dict[str, str]:
    """A select's choices: the contract's values in its order, worded for recruiters."""
    words = labels or {}
    return {
        "": unset,
        **{
            v.value: words.get(v, v.value.replace("-", " ").replace("_", " ").capitalize())
            for v in values
        },
    }


RESULT_VIEW_LABELS = {
    ResultView.NONE: "Nothing: submitted as soon as they finish",
    ResultView.MINIMAL_WITH_SCORE: "Minimal, with the score",
    ResultView.FULL_EXPAND_SCORES: "Full, with scores expanded",
}


def _tri_state(label: str, option: str) -> SelectField:
    default = "Yes" if _BOOLEAN_DEFAULTS[option] == "yes" else "No"
    return SelectField(
        label,
        choices={"": f"Platform default ({default.lower()})", "yes": "Yes", "no": "No"},
        validate_choice=False,
    )


class PositionForm(Form):
    """A position and its interview: every option the platform accepts, named as recruiters say it."""

    title = StringField(
        "Job title", [DataRequired("Enter the job title."), Length(max=200)], filters=[_strip]
    )
    location = StringField(
        "Location", [DataRequired("Enter a city, or “Remote”."), Length(max=200)], filters=[_strip]
    )
    country = SelectField("Country", [DataRequired("Choose the country of the position.")])
    language = SelectField(
        "Interview language", [DataRequired("Choose the language of the interview.")]
    )
    seniority = SelectField(
        "Seniority",
        choices=choices(SeniorityLevel, "Let the platform detect it"),
        validate_choice=False,
    )
    department = StringField("Department", [Optional(), Length(max=120)], filters=[_strip])
    salary = StringField("Salary", [Optional(), Length(max=120)], filters=[_strip])
    summary = TextAreaField("Short description", [Optional(), Length(max=2000)])
    description = TextAreaField("Long description", [Optional(), Length(max=50_000)])
    # Checked against the choices by check_facts, so its message is the one shown.
    employment_types = CheckboxesField(
        "Employment type",
        choices=dict(EMPLOYMENT_TYPES),
        default=["FULL_TIME"],
        validate_choice=False,
    )
    workplace = RadioField(
        "Where the work is done",
        choices=dict(WORKPLACES),
        default="on-site",
        validate_choice=False,
    )
    remote_countries = SelectMultipleField(
        "Countries candidates may work from", validate_choice=False
    )

    interview_attempts = WholeNumberField(
        "Attempts the candidate gets",
        [Optional()],
        render_kw={"min": ATTEMPTS[0], "max": ATTEMPTS[1]},
    )
    max_duration = WholeNumberField(
        "Maximum length (minutes)",
        [
            Optional(),
            NumberRange(
                1, MAX_DURATION_MINUTES, f"Enter between 1 and {MAX_DURATION_MINUTES} minutes."
            ),
        ],
        render_kw={"min": 1, "max": MAX_DURATION_MINUTES},
    )
    max_followups = WholeNumberField(
        "Follow-up questions, at most",
        [Optional()],
        render_kw={"min": FOLLOWUPS[0], "max": FOLLOWUPS[1]},
    )
    questions_random_subset = WholeNumberField(
        "Ask a random share of the questions (%)",
        [Optional()],
        render_kw={"min": SUBSET_PERCENT[0], "max": SUBSET_PERCENT[1]},
    )
    interview_conversation_speed = SelectField(
        "Conversation speed",
        choices=choices(ConversationSpeed, "Platform default"),
        validate_choice=False,
    )
    interview_template_id = StringField(
        "Interview template id", [Optional(), Length(max=64)], filters=[_strip]
    )
    candidate_video_introduction = SelectField(
        "Candidate's video introduction",
        choices=choices(VideoIntroduction, "Platform default"),
        validate_choice=False,
    )
    include_rapport_question = _tri_state("Opening rapport question", "include_rapport_question")
    include_closing_prompt = _tri_state("Closing prompt", "include_closing_prompt")
    result_view = SelectField(
        "What the candidate sees at the end",
        choices=choices(ResultView, "Platform default (minimal)", RESULT_VIEW_LABELS),
        validate_choice=False,
    )
    welcome_message = TextAreaField("Welcome message", [Optional(), Length(max=2000)])
    thank_you_message = TextAreaField("Thank-you message", [Optional(), Length(max=2000)])
    instructional_video = _tri_state(
        "Instructional video before the interview", "instructional_video"
    )
    instructional_video_custom_text = TextAreaField(
        "Text shown with the instructional video", [Optional(), Length(max=2000)]
    )
    interview_available_till = DateField("Interview available until", [Optional()])
    tags = StringField("Tags", [Optional(), Length(max=500)])

    hiring_name = StringField("Company name", [Optional(), Length(max=200)], filters=[_strip])
    hiring_location = StringField(
        "Company location", [Optional(), Length(max=200)], filters=[_strip]
    )
    hiring_sector = StringField("Sector", [Optional(), Length(max=120)], filters=[_strip])
    hiring_company_size = StringField(
        "Company size", [Optional(), Length(max=60)], filters=[_strip]
    )
    hiring_description = TextAreaField("About the company", [Optional(), Length(max=2000)])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.country.choices = {"": "Choose a country…", **countries()}
        self.remote_countries.choices = countries()
        self.offer_languages(offered_choices(LANGUAGES))

    def offer_languages(self, choices: Mapping[str, str]) -> None:
        """Offer these interview languages (code → name) instead of every one we know."""
        self.language.choices = {"": "Choose a language…", **choices}

    # -- between the form and the service ------------------------------------------------------

    @staticmethod
    def data_of(position: Position) -> dict[str, Any]:
        """Form data for an existing position."""
        options = dict(position.interview or {})
        data: dict[str, Any] = {
            "title": position.title,
            "location": position.location,
            "country": position.country_code,
            "language": position.language_code,
            "seniority": position.seniority or "",
            "department": position.department or "",
            "salary": position.salary or "",
            "summary": position.summary,
            "description": position.description,
            "employment_types": list(position.employment_types or ["FULL_TIME"]),
            "workplace": position.workplace or "on-site",
            "remote_countries": position.applicant_countries
            if position.workplace != "on-site"
            else [],
        }
        for name in (
            "interview_template_id",
            "interview_attempts",
            "max_followups",
            "result_view",
            "candidate_video_introduction",
            "interview_conversation_speed",
            "instructional_video_custom_text",
            "welcome_message",
            "thank_you_message",
        ):
            data[name] = options.get(name)
        yes_no: dict[object, str] = {True: "yes", False: "no"}
        for name in _BOOLEAN_DEFAULTS:
            data[name] = yes_no.get(options.get(name), "")
        seconds = options.get("max_duration")
        data["max_duration"] = -(-int(seconds) // 60) if isinstance(seconds, int) else None
        subset = options.get("questions_random_subset")
        data["questions_random_subset"] = (
            round(subset * 100) if isinstance(subset, (int, float)) else None
        )
        till = options.get("interview_available_till")
        data["interview_available_till"] = _date_or_none(till)
        data["tags"] = ", ".join(options.get("tags") or [])
        hiring = options.get("hiring_for_company") or {}
        for part in HIRING_PARTS:
            data[f"hiring_{part}"] = hiring.get(part)
        return data

    def to_input(self) -> PositionInput:
        """The position as plain values, interview options under their upstream names, unset ones left out."""
        interview: dict[str, Any] = {}

        def put(name: str, value: Any) -> None:
            if value is not None and value != "" and value != [] and value != {}:
                interview[name] = value

        put("interview_template_id", _text(self.interview_template_id.data))
        put("interview_attempts", self.interview_attempts.data)
        minutes = self.max_duration.data
        put("max_duration", minutes * 60 if minutes is not None else None)
        for name in ("result_view", "candidate_video_introduction", "interview_conversation_speed"):
            put(name, self[name].data or None)
        for name in _BOOLEAN_DEFAULTS:
            put(name, TRI_STATE.get(self[name].data or ""))
        for name in ("instructional_video_custom_text", "welcome_message", "thank_you_message"):
            put(name, _text(self[name].data))
        put("max_followups", self.max_followups.data)
        share = self.questions_random_subset.data
        put("questions_random_subset", share / 100 if share is not None else None)
        till = self.interview_available_till.data
        put("interview_available_till", till.isoformat() if till else None)
        put("tags", split_tags(self.tags.data))
        hiring = {part: _text(self[f"hiring_{part}"].data) for part in HIRING_PARTS}
        put("hiring_for_company", {part: value for part, value in hiring.items() if value})
        return PositionInput(
            title=(self.title.data or "").strip(),
            location=(self.location.data or "").strip(),
            country_code=self.country.data or "",
            language_code=self.language.data or "",
            seniority=self.seniority.data or None,
            department=_text(self.department.data),
            salary=_text(self.salary.data),
            summary=_text(self.summary.data) or "",
            description=_text(self.description.data) or "",
            interview=interview,
            employment_types=tuple(self.employment_types.data or ()),
            workplace=self.workplace.data or "",
            remote_countries=tuple(self.remote_countries.data or ()),
        )

    def validate(self, extra_validators: Any = None) -> bool:
        """The form's own checks, then the platform's contract, so both kinds of error show at once."""
        valid = super().validate(extra_validators)
        data = self.to_input()
        # Stand-ins for required fields already flagged, so the contract check reaches the others.
        data = replace(
            data,
            title=data.title or "-",
            location=data.location or "-",
            country_code=data.country_code or "HR",
            language_code=data.language_code or "en",
        )
        try:
            validate_position(data)
            check_facts(data)
        except (RequestInvalid, PositionFactsInvalid) as error:
            self.attach(error)
            return False
        return valid

    def attach(self, error: RequestInvalid | PositionFactsInvalid) -> None:
        """Put an upstream validation error next to the field it names."""
        name = FIELD_OF_UPSTREAM.get(error.field, error.field)
        target: Field | None = self._fields.get(name)
        message = MESSAGES.get(name) or error.message[:1].upper() + error.message[1:] + "."
        if target is None:
            self.form_errors.append(f"{error.field}: {message}")
        elif not target.errors:
            target.errors = [*target.errors, message]

    def label_of(self, name: str) -> str:
        """The label recruiters know a column or upstream option by."""
        field = self._fields.get(FIELD_OF_UPSTREAM.get(name, name))
        return str(field.label.text) if field is not None else name.replace("_", " ")

    @property
    def error_fields(self) -> list[Field]:
        """The fields with errors, in the order they appear on the page."""
        return [field for field in self if field.errors and field.name != "csrf_token"]


# Upstream (and column) names whose form field is named otherwise.
FIELD_OF_UPSTREAM = {
    "position_name": "title",
    "position_location": "location",
    "position_country_code": "country",
    "mojito_language_code": "language",
    "position_description": "summary",
    "position_description_long": "description",
    "seniority_level": "seniority",
    "interview_department": "department",
    "interview_salary": "salary",
    "country_code": "country",
    "language_code": "language",
    "hiring_for_company": "hiring_name",
    **{f"hiring_for_company.{part}": f"hiring_{part}" for part in HIRING_PARTS},
}
# Fields shown in other units than the platform's: its message would confuse.
MESSAGES = {
    "max_duration": f"Enter between 1 and {MAX_DURATION_MINUTES} minutes.",
    "questions_random_subset": (
        f"Enter a share between {SUBSET_PERCENT[0]} and {SUBSET_PERCENT[1]} %."
    ),
}


def split_tags(text: str | None) -> list[str]:
    """Comma-separated tags, trimmed, without blanks or repeats."""
    seen: dict[str, None] = {}
    for tag in (text or "").split(","):
        if tag.strip():
            seen.setdefault(tag.strip(), None)
    return list(seen)


def _date_or_none(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


class ApplicationFilterForm(Form):
    """The applications list's filters, read from the query string."""

    class Meta:
        csrf = False

    position = SelectField("Position", validate_choice=False)
    status = SelectField(
        "Status", choices={"": "Any status", **STATUS_LABELS}, validate_choice=False
    )
    date_from = DateField("Received from", [Optional()])
    date_to = DateField("Received until", [Optional()])
    q = StringField("Name or e-mail", [Optional(), Length(max=200)])

    def __init__(
        self, *args: Any, positions: list[tuple[int, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.position.choices = {
            "": "All positions",
            **{str(pid): label for pid, label in positions or []},
        }

    def validate_position(self, field: Field) -> None:
        """Only an id the database can hold; anything else is a mistyped or tampered link."""
        if field.data and parse_id(field.data) is None:
            raise ValidationError("Choose a position from the list.")

    def to_filters(self) -> ApplicationFilters:
        """The filters; a value that does not parse is ignored (its error shows by the field)."""
        self.validate()
        return ApplicationFilters(
            position_id=parse_id(self.position.data) if not self.position.errors else None,
            status=self.status.data if self.status.data in STATUS_LABELS else "",
            date_from=self.date_from.data if not self.date_from.errors else None,
            date_to=self.date_to.data if not self.date_to.errors else None,
            q=(self.q.data or "").strip()[:200],
        )


ROLE_LABELS = {
    "admin": "Admin — everything, including users and settings",
    "marketer": "Marketer — branding and pages",
    "recruiter": "Recruiter — positions and applications",
}


class UserForm(Form):
    """A new staff account: e-mail and role (the password is generated)."""

    email = EmailField(
        "E-mail",
        [
            DataRequired("Enter the person's e-mail."),
            Email("Enter a valid e-mail.", check_deliverability=False),
        ],
    )
    role = SelectField(
        "Role",
        choices={role: ROLE_LABELS[role] for role in ROLES},
        default="recruiter",
    )
