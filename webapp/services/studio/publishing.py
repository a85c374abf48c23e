"""Publishing the draft, and the history of published versions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.exc import IntegrityError

from webapp.extensions import db
from webapp.models import utcnow
from webapp.models.content import DRAFT_NUMBER, SiteVersion
from webapp.services.site_cache import forget_published_content
from webapp.services.studio.draft import copy_version, get_draft, live_version
from webapp.services.studio.fields import changed_fields, field_label, field_values
from webapp.services.studio.translations import coverage, gap_lines


class DraftChanged(Exception):
    """The draft was saved again after the page that asks to publish it was shown."""


class NothingToPublish(Exception):
    """The draft (or the chosen version) is what the site shows already."""


class IncompleteTranslations(Exception):
    """The site requires complete translations and the draft misses some; nothing was published."""

    def __init__(self, gaps: list[str]) -> None:
        super().__init__(f"{len(gaps)} translations missing")
        self.gaps = gaps


class VersionNotFound(LookupError):
    """No published version has that number."""


def _next_number() -> int:
    return int(db.session.scalar(select(func.max(SiteVersion.number))) or 0) + 1


def add_version(
    source: SiteVersion | None, author_id: int | None, source_number: int | None
) -> SiteVersion:
    """Flush a new published version copying ``source`` (None: the defaults), under the next number."""
    # Two publishes at once both read the same max: the unique number lets one win, the other retries.
    for _ in range(5):
        version = copy_version(
            source,
            number=_next_number(),
            author_id=author_id,
            source_number=source_number,
            published_at=utcnow(),
        )
        db.session.add(version)
        try:
            db.session.flush()
            return version
        except IntegrityError:
            db.session.rollback()
    raise RuntimeError("could not allocate a version number")


def publish(revision: int, author_id: int | None) -> SiteVersion:
    """Make the draft, as it was at ``revision``, the live site."""
    draft = get_draft()
    # Marking the revision as published doubles as the row lock: a save cannot slip in between.
    locked = cast(
        CursorResult[Any],
        db.session.execute(
            update(SiteVersion)
            .where(SiteVersion.id == draft.id, SiteVersion.revision == revision)
            .values(published_revision=revision)
            .execution_options(synchronize_session=False)
        ),
    )
    if locked.rowcount != 1:
        db.session.rollback()
        raise DraftChanged("the draft was saved again since this page was shown")
    db.session.refresh(draft)
    live = live_version()
    if live is not None and field_values(live) == field_values(draft):
        db.session.rollback()
        raise NothingToPublish("the draft is what the site shows")
    report = coverage(draft)
    if report.require_complete and report.gaps:
        db.session.rollback()  # the lock too: the draft stays unpublished and editable
        raise IncompleteTranslations(gap_lines(report))
    version = add_version(draft, author_id, None)
    db.session.commit()
    forget_published_content()
    return version


@dataclass(frozen=True)
class HistoryEntry:
    """A published version as the history table lists it."""

    number: int
    published_at: datetime | None
    author: str | None
    source_number: int | None
    changes: list[str]
    is_live: bool
    same_as_live: bool  # rolling back to it would change nothing


def history(limit: int = 30) -> list[HistoryEntry]:
    """Published versions, newest first, each with what it changed from the one before."""
    rows = db.session.scalars(
        select(SiteVersion)
        .where(SiteVersion.number > DRAFT_NUMBER)
        .order_by(SiteVersion.number.desc())
        .limit(limit + 1)
    ).all()
    entries = []
    live = field_values(rows[0]) if rows else None
    for index, row in enumerate(rows[:limit]):
        previous = rows[index + 1] if index + 1 < len(rows) else None
        values = field_values(row)
        changes = [field_label(key) for key in changed_fields(field_values(previous), values)]
        author = row.author.email if row.author else None
        entries.append(
            HistoryEntry(
                row.number,
                row.published_at,
                author,
                row.source_number,
                changes,
                index == 0,
                values == live,
            )
        )
    return entries
