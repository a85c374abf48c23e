"""Rolling back: publish a copy of an earlier version, or of the defaults, and reset the draft to it.

The draft follows a rollback, so that the next publish does not bring the undone change back; any
unpublished work in the draft is set aside first (``revisions``), to be restored at will.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from webapp.extensions import db
from webapp.models.content import DRAFT_NUMBER, SavedDraft, SiteVersion
from webapp.services.site_cache import forget_published_content
from webapp.services.studio.draft import content_columns, get_draft, live_version
from webapp.services.studio.fields import changed_fields, field_label, field_values
from webapp.services.studio.publishing import NothingToPublish, VersionNotFound, add_version
from webapp.services.studio.revisions import (
    REASON_ROLLBACK,
    DraftMoved,
    replace_draft,
    set_aside,
)

# The source number a rollback to Careerframe's defaults records: no published version has it.
DEFAULTS = DRAFT_NUMBER


def _target(number: int) -> SiteVersion | None:
    """The version to go back to; None stands for the defaults."""
    if number == DEFAULTS:
        return None
    old = db.session.scalar(
        select(SiteVersion).where(SiteVersion.number == number, SiteVersion.number > DRAFT_NUMBER)
    )
    if old is None:
        raise VersionNotFound(number)
    return old


def defaults_are_live() -> bool:
    """Whether the site shows Careerframe's defaults (nothing published, or a copy of them)."""
    return field_values(live_version()) == field_values(None)


@dataclass(frozen=True)
class RollbackPlan:
    """What a rollback would do, for the confirmation page."""

    number: int  # the version to go back to (DEFAULTS: the defaults)
    live_number: int | None
    changes: list[str]  # what candidates would see change
    draft_work: list[str]  # the draft's unpublished changes, which are set aside


def rollback_plan(number: int) -> RollbackPlan:
    """What rolling back to version ``number`` (or to the defaults) would change."""
    target = field_values(_target(number))
    live = live_version()
    live_values = field_values(live)
    if target == live_values:
        raise NothingToPublish("that version is what the site shows")
    draft_values = field_values(get_draft())
    return RollbackPlan(
        number=number,
        live_number=live.number if live else None,
        changes=[field_label(key) for key in changed_fields(live_values, target)],
        draft_work=[field_label(key) for key in changed_fields(live_values, draft_values)],
    )


@dataclass(frozen=True)
class Rollback:
    """A rollback's new version, and the draft it set aside (if the draft held unpublished work)."""

    version: SiteVersion
    kept: SavedDraft | None


def rollback(number: int, author_id: int | None) -> Rollback:
    """Publish a copy of version ``number`` (or of the defaults) and reset the draft to it."""
    old = _target(number)
    live = field_values(live_version())
    if live == field_values(old):
        raise NothingToPublish("that version is what the site shows")
    draft = get_draft()
    revision = draft.revision
    version = add_version(old, author_id, number)
    kept = set_aside(draft, REASON_ROLLBACK, author_id, version.number, live)
    columns = {**content_columns(old), "published_revision": revision + 1}
    if not replace_draft(draft, columns, revision, author_id):
        db.session.rollback()  # a save slipped in: nothing is published, nothing set aside
        raise DraftMoved("the draft was saved during the rollback")
    db.session.commit()
    forget_published_content()
    return Rollback(version, kept)
