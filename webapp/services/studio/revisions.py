"""Drafts set aside: unpublished work a rollback or a restore replaced, kept to be restored."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, select, update

from webapp.extensions import db
from webapp.models import utcnow
from webapp.models.content import SavedDraft, SiteVersion
from webapp.services.studio.draft import content_columns, get_draft, live_version
from webapp.services.studio.fields import changed_fields, field_label, field_values

REASON_ROLLBACK = "rollback"
REASON_RESTORE = "restore"


class DraftMoved(Exception):
    """The draft was saved after the page that asked for this was shown; nothing changed."""


class SavedDraftNotFound(LookupError):
    """No set-aside draft has that id."""


def has_unpublished_work(draft: SiteVersion) -> bool:
    """Whether the draft differs from what the site shows."""
    return field_values(draft) != field_values(live_version())


def set_aside(
    draft: SiteVersion,
    reason: str,
    saved_by_id: int | None,
    rollback_number: int | None = None,
    live: dict[str, str] | None = None,
) -> SavedDraft | None:
    """Keep the draft's content as a saved draft when it holds unpublished work (not committed).

    ``live`` is what the site showed, when the caller has already published something new.
    """
    live = field_values(live_version()) if live is None else live
    if field_values(draft) == live:
        return None
    kept = SavedDraft(
        **content_columns(draft),
        draft_revision=draft.revision,
        edited_by_id=draft.author_id,
        edited_at=draft.updated_at,
        reason=reason,
        saved_by_id=saved_by_id,
        saved_at=utcnow(),
        rollback_number=rollback_number,
    )
    db.session.add(kept)
    return kept


def replace_draft(
    draft: SiteVersion, columns: dict[str, Any], revision: int, author_id: int | None
) -> bool:
    """Put new content into the draft if it is still at ``revision`` (not committed)."""
    replaced = cast(
        CursorResult[Any],
        db.session.execute(
            update(SiteVersion)
            .where(SiteVersion.id == draft.id, SiteVersion.revision == revision)
            .values(**columns, revision=revision + 1, author_id=author_id, updated_at=utcnow())
            .execution_options(synchronize_session=False)
        ),
    )
    return replaced.rowcount == 1


@dataclass(frozen=True)
class SavedDraftEntry:
    """A set-aside draft as the studio lists it."""

    id: int
    reason: str
    saved_at: datetime
    saved_by: str | None
    edited_at: datetime | None
    edited_by: str | None
    rollback_number: int | None
    restored_at: datetime | None
    restored_by: str | None
    changes: list[str]  # where it differs from the live site
    same_as_draft: bool  # restoring it would change nothing


def _entry(row: SavedDraft, live: dict[str, str], draft: dict[str, str]) -> SavedDraftEntry:
    values = field_values(row)
    return SavedDraftEntry(
        id=row.id,
        reason=row.reason,
        saved_at=row.saved_at,
        saved_by=row.saved_by.email if row.saved_by else None,
        edited_at=row.edited_at,
        edited_by=row.edited_by.email if row.edited_by else None,
        rollback_number=row.rollback_number,
        restored_at=row.restored_at,
        restored_by=row.restored_by.email if row.restored_by else None,
        changes=[field_label(key) for key in changed_fields(live, values)],
        same_as_draft=values == draft,
    )


def saved_drafts(limit: int = 20) -> list[SavedDraftEntry]:
    """Set-aside drafts, newest first."""
    rows = db.session.scalars(
        select(SavedDraft).order_by(SavedDraft.saved_at.desc(), SavedDraft.id.desc()).limit(limit)
    ).all()
    live = field_values(live_version())
    draft = field_values(get_draft())
    return [_entry(row, live, draft) for row in rows]


@dataclass(frozen=True)
class RestorePlan:
    """What restoring a set-aside draft would do, for the confirmation page."""

    saved: SavedDraftEntry
    draft_revision: int
    changes: list[str]  # the draft fields restoring would change
    draft_work: list[str]  # the current draft's unpublished changes, which are set aside first


def _saved(saved_id: int) -> SavedDraft:
    row = db.session.get(SavedDraft, saved_id)
    if row is None:
        raise SavedDraftNotFound(saved_id)
    return row


def restore_plan(saved_id: int) -> RestorePlan:
    """What restoring the set-aside draft ``saved_id`` would change."""
    row = _saved(saved_id)
    draft = get_draft()
    live = field_values(live_version())
    current = field_values(draft)
    return RestorePlan(
        saved=_entry(row, live, current),
        draft_revision=draft.revision,
        changes=[field_label(key) for key in changed_fields(current, field_values(row))],
        draft_work=[field_label(key) for key in changed_fields(live, current)],
    )


def restore(saved_id: int, revision: int, author_id: int | None) -> SavedDraft | None:
    """Make a set-aside draft the draft again, if the draft is still at ``revision``.

    The draft it replaces is set aside first when it holds unpublished work, so a restore loses
    nothing either. Returns that newly set-aside draft, if any.
    """
    row = _saved(saved_id)
    draft = get_draft()
    if draft.revision != revision:
        raise DraftMoved("the draft was saved since the page was shown")
    kept = None
    if field_values(draft) != field_values(row):
        kept = set_aside(draft, REASON_RESTORE, author_id)
    if not replace_draft(draft, content_columns(row), revision, author_id):
        db.session.rollback()
        raise DraftMoved("the draft was saved since the page was shown")
    row.restored_at = utcnow()
    row.restored_by_id = author_id
    db.session.commit()
    db.session.refresh(draft)
    return kept
