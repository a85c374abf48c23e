"""Recruiters' positions: checked against the upstream contract, slugged once, opened and closed."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from webapp.extensions import db
from webapp.jobmojito.contract import PositionSettings, RequestInvalid
from webapp.models import Application, Position, utcnow
from webapp.models.positions import EMPLOYMENT_TYPES, POSITION_STATES, WORKPLACES
from webapp.reference import countries
from webapp.services import position_platform

# The interview options this admin manages, by their upstream names. Options stored by other means
# (a seed, a script) are kept as they are when a recruiter saves the form.
INTERVIEW_OPTIONS = (
    "interview_template_id",
    "interview_attempts",
    "max_duration",
    "result_view",
    "candidate_video_introduction",
    "include_rapport_question",
    "include_closing_prompt",
    "instructional_video",
    "instructional_video_custom_text",
    "welcome_message",
    "thank_you_message",
    "max_followups",
    "questions_random_subset",
    "interview_conversation_speed",
    "interview_available_till",
    "tags",
    "hiring_for_company",
)
# Position columns sent upstream; like every interview option, the platform fixes them when it
# first creates the position, and later calls look it up by id instead.
COLUMNS = (
    "title",
    "location",
    "country_code",
    "language_code",
    "seniority",
    "department",
    "salary",
    "summary",
    "description",
)
# Our own columns for job search: kept here, never sent upstream.
FACT_COLUMNS = ("employment_types", "workplace", "remote_countries")
# Letters that Unicode decomposition does not reduce to ASCII.
_TRANSLITERATE = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "ae",
        "ø": "o",
        "Ø": "o",
        "œ": "oe",
        "Œ": "oe",
        "đ": "d",
        "Đ": "d",
        "ł": "l",
        "Ł": "l",
        "þ": "th",
        "Þ": "th",
        "ı": "i",
        "&": " and ",
    }
)
SLUG_MAX = 80


@dataclass(frozen=True)
class PositionInput:
    """What a recruiter set for a position: its columns and its interview options (upstream names)."""

    title: str
    location: str
    country_code: str
    language_code: str
    seniority: str | None = None
    department: str | None = None
    salary: str | None = None
    summary: str = ""
    description: str = ""
    interview: dict[str, Any] = field(default_factory=dict)
    employment_types: tuple[str, ...] = ("FULL_TIME",)
    workplace: str = "on-site"
    remote_countries: tuple[str, ...] = ()


@dataclass(frozen=True)
class PositionRow:
    """A position in the recruiters' list, with its number of applications."""

    position: Position
    applications: int


class PositionStateError(ValueError):
    """The position cannot move to the asked state; the message says why."""


class PositionFactsInvalid(ValueError):
    """An employment type, workplace or country that job search would not understand."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def check_facts(data: PositionInput) -> None:
    """Refuse facts outside schema.org's employment types, our workplaces or the country list."""
    if not data.employment_types:
        raise PositionFactsInvalid("employment_types", "choose at least one employment type")
    unknown = [kind for kind in data.employment_types if kind not in EMPLOYMENT_TYPES]
    if unknown:
        raise PositionFactsInvalid("employment_types", f"unknown employment type {unknown[0]!r}")
    if data.workplace not in WORKPLACES:
        raise PositionFactsInvalid("workplace", "choose on-site, hybrid or remote")
    known = countries()
    strange = [code for code in data.remote_countries if code not in known]
    if strange:
        raise PositionFactsInvalid("remote_countries", f"unknown country code {strange[0]!r}")


def slugify(text: str) -> str:
    """A URL slug: accents folded to ASCII, lower case, words joined by hyphens."""
    folded = unicodedata.normalize("NFKD", text.translate(_TRANSLITERATE))
    ascii_text = folded.encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    return slug[:SLUG_MAX].rstrip("-") or "position"


def unique_slug(base: str, exclude_id: int | None = None) -> str:
    """``base``, or ``base-2``, ``base-3``… whichever no other position uses."""
    query = select(Position.slug).where(
        or_(Position.slug == base, Position.slug.startswith(base + "-", autoescape=True))
    )
    if exclude_id is not None:
        query = query.where(Position.id != exclude_id)
    taken = set(db.session.scalars(query))
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base[: SLUG_MAX - len(str(number)) - 1]}-{number}"
    return candidate


def input_of(position: Position) -> PositionInput:
    """The recruiter-facing values of a stored position."""
    return PositionInput(
        **{name: getattr(position, name) for name in COLUMNS},
        interview=dict(position.interview or {}),
        employment_types=tuple(position.employment_types or ("FULL_TIME",)),
        workplace=position.workplace or "on-site",
        remote_countries=tuple(position.remote_countries or ()),
    )


def position_values(data: PositionInput) -> dict[str, Any]:
    """The position under the platform's field names: its columns, then its interview options.

    Unset columns are None. An interview option named like a column is refused: the column is the
    one place that value is kept.
    """
    values: dict[str, Any] = {
        "position_name": data.title,
        "position_location": data.location,
        "position_country_code": data.country_code,
        "mojito_language_code": data.language_code,
        "position_description": data.summary or None,
        "position_description_long": data.description or None,
        "seniority_level": data.seniority,
        "interview_department": data.department,
        "interview_salary": data.salary,
    }
    clash = sorted(data.interview.keys() & {*values, *_SET_BY_US})
    if clash:
        raise RequestInvalid(clash[0], "is set by the position itself, not as an interview option")
    return {**values, **data.interview}


# Set for every call from the position's own record, never from its interview options.
_SET_BY_US = frozenset({"position_external_id", "position_def_set_id"})


def validate_position(data: PositionInput) -> PositionSettings:
    """The position's part of the upstream request, checked; RequestInvalid names what is wrong."""
    return PositionSettings.parse(position_values(data))


def list_positions(state: str | None = None) -> list[PositionRow]:
    """Positions, most recently changed first, each with its number of applications."""
    query = select(Position).order_by(Position.updated_at.desc(), Position.id.desc())
    if state in POSITION_STATES:
        query = query.where(Position.state == state)
    counts = dict(
        db.session.execute(
            select(Application.position_id, func.count()).group_by(Application.position_id)
        )
        .tuples()
        .all()
    )
    return [
        PositionRow(position, counts.get(position.id, 0)) for position in db.session.scalars(query)
    ]


def _assign(position: Position, data: PositionInput) -> None:
    for name in COLUMNS:
        setattr(position, name, getattr(data, name))
    position.employment_types = list(dict.fromkeys(data.employment_types))
    position.workplace = data.workplace
    # On site, nobody works from elsewhere: no countries are kept to mislead a later edit.
    position.remote_countries = (
        list(dict.fromkeys(data.remote_countries)) if data.workplace != "on-site" else []
    )
    kept = {
        key: value
        for key, value in (position.interview or {}).items()
        if key not in INTERVIEW_OPTIONS
    }
    position.interview = {
        **kept,
        **data.interview,
    }  # a new dict, so the JSON column sees the change


def _save(position: Position, data: PositionInput, slug_base: str | None) -> None:
    """Assign and commit, choosing the slug again should another save take it meanwhile."""
    for _ in range(3):
        _assign(position, data)
        if slug_base is not None:
            position.slug = unique_slug(slug_base, position.id)
        db.session.add(position)
        try:
            db.session.commit()
            return
        except IntegrityError:
            db.session.rollback()  # expires what we assigned: the next round assigns it again
    raise PositionStateError("could not find a free address for this position; try again")


def create_position(data: PositionInput) -> Position:
    """Create a draft position from checked values."""
    validate_position(data)
    check_facts(data)
    position = Position(state="draft", interview={})
    _save(position, data, slugify(data.title))
    return position


def duplicate_position(position: Position) -> Position:
    """A new draft with the same settings and a new external id: a new position upstream."""
    return create_position(input_of(position))


def _snapshot(position: Position) -> dict[str, Any]:
    values: dict[str, Any] = {name: getattr(position, name) for name in COLUMNS}
    values.update({f"interview.{key}": value for key, value in (position.interview or {}).items()})
    return values


def update_position(position: Position, data: PositionInput) -> list[str]:
    """Save checked values; returns what changed that the platform has already fixed.

    The names returned are column names and interview option names; the list is empty while the
    position does not exist upstream yet. The slug follows the title until the position is first
    opened, and never changes after that.
    """
    validate_position(data)
    check_facts(data)
    before = _snapshot(position)
    _save(position, data, slugify(data.title) if position.opened_at is None else None)
    if not position.upstream_position_id:
        return []
    after = _snapshot(position)
    changed = {
        key.removeprefix("interview.")
        for key in {**before, **after}
        if before.get(key) != after.get(key)
    }
    order = [*COLUMNS, *INTERVIEW_OPTIONS]
    return sorted(
        changed, key=lambda name: (order.index(name) if name in order else len(order), name)
    )


def unmanaged_options(position: Position) -> dict[str, Any]:
    """Interview options stored on the position that this admin does not edit (kept on save)."""
    return {
        key: value
        for key, value in (position.interview or {}).items()
        if key not in INTERVIEW_OPTIONS
    }


def open_position(position: Position) -> None:
    """Show the position on the careers page and take applications; its slug is fixed from now.

    A position the platform already has is reopened there too, by a background job scheduled in
    the same transaction.
    """
    if position.state == "open":
        return
    validate_position(input_of(position))
    position.state = "open"
    position.opened_at = position.opened_at or utcnow()
    position.closed_at = None
    position_platform.wish(position, "open")
    db.session.commit()


def close_position(position: Position) -> None:
    """Stop taking applications; the careers page then hides the position.

    The platform's copy is closed by a background job scheduled in the same transaction.
    Interviews already offered stay takeable until the position's available-until date.
    """
    if position.state != "open":
        raise PositionStateError("only an open position can be closed")
    position.state = "closed"
    position.closed_at = utcnow()
    position_platform.wish(position, "closed")
    db.session.commit()
