"""Finding positions for the careers pages."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select

from webapp.extensions import db
from webapp.models import Position


@dataclass(frozen=True)
class PositionFilters:
    """What a candidate narrowed the list by; empty strings mean no filter."""

    q: str = ""
    location: str = ""
    country: str = ""
    language: str = ""

    @property
    def active(self) -> bool:
        """Whether any filter is set."""
        return bool(self.q or self.location or self.country or self.language)


@dataclass(frozen=True)
class FilterChoices:
    """The values the open positions actually have, to offer as filter options."""

    locations: list[str]
    countries: list[str]
    languages: list[str]


class PositionNotFound(LookupError):
    """No position has this slug."""


class PositionClosed(LookupError):
    """The position existed but no longer takes applications."""

    def __init__(self, position: Position) -> None:
        super().__init__(position.slug)
        self.position = position


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def open_positions(filters: PositionFilters) -> list[Position]:
    """Open positions matching the filters, newest first."""
    query = select(Position).where(Position.state == "open")
    if filters.location:
        query = query.where(Position.location == filters.location)
    if filters.country:
        query = query.where(Position.country_code == filters.country)
    if filters.language:
        query = query.where(Position.language_code == filters.language)
    for word in filters.q.split()[:8]:
        pattern = f"%{_escape_like(word.lower())}%"
        query = query.where(
            or_(
                func.lower(Position.title).like(pattern, escape="\\"),
                func.lower(Position.summary).like(pattern, escape="\\"),
                func.lower(Position.location).like(pattern, escape="\\"),
                func.lower(func.coalesce(Position.department, "")).like(pattern, escape="\\"),
            )
        )
    query = query.order_by(Position.opened_at.desc().nulls_last(), Position.id.desc())
    return list(db.session.scalars(query))


def filter_choices() -> FilterChoices:
    """Distinct locations, countries and languages among open positions."""
    rows = db.session.execute(
        select(Position.location, Position.country_code, Position.language_code).where(
            Position.state == "open"
        )
    ).all()
    return FilterChoices(
        locations=sorted({row[0] for row in rows}),
        countries=sorted({row[1] for row in rows}),
        languages=sorted({row[2] for row in rows}),
    )


def position_for_candidates(slug: str) -> Position:
    """The open position with this slug; PositionClosed or PositionNotFound otherwise."""
    position = db.session.scalar(select(Position).where(Position.slug == slug))
    if position is None or position.state == "draft":
        raise PositionNotFound(slug)
    if not position.is_open:
        raise PositionClosed(position)
    return position
