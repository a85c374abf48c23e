"""The studio: the shared draft, publishing, rollback, preview links and the preview interview."""

from __future__ import annotations

from webapp.services.studio.conflicts import DraftConflict, base_of, digest, parse_base
from webapp.services.studio.draft import (
    get_draft,
    live_version,
    save_draft,
    set_logo,
    store_logo,
    unpublished_changes,
)
from webapp.services.studio.fields import changed_fields, field_label, field_values, normal
from webapp.services.studio.preview_interview import (
    OPEN_DECISIONS,
    PREVIEW_CANDIDATE_EMAIL,
    PREVIEW_CANDIDATE_NAME,
    PREVIEW_RESUME,
    PreviewInterviewUnavailable,
    preview_identity,
    preview_interview_url,
)
from webapp.services.studio.preview_links import (
    PREVIEW_VALUE,
    check_preview_token,
    make_preview_token,
)
from webapp.services.studio.publishing import (
    DraftChanged,
    HistoryEntry,
    NothingToPublish,
    Rollback,
    VersionNotFound,
    history,
    publish,
    rollback,
)

__all__ = [
    "OPEN_DECISIONS",
    "PREVIEW_CANDIDATE_EMAIL",
    "PREVIEW_CANDIDATE_NAME",
    "PREVIEW_RESUME",
    "PREVIEW_VALUE",
    "DraftChanged",
    "DraftConflict",
    "HistoryEntry",
    "NothingToPublish",
    "PreviewInterviewUnavailable",
    "Rollback",
    "VersionNotFound",
    "base_of",
    "changed_fields",
    "check_preview_token",
    "digest",
    "field_label",
    "field_values",
    "get_draft",
    "history",
    "live_version",
    "make_preview_token",
    "normal",
    "parse_base",
    "preview_identity",
    "preview_interview_url",
    "publish",
    "rollback",
    "save_draft",
    "set_logo",
    "store_logo",
    "unpublished_changes",
]
