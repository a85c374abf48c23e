"""Stale studio forms: the base record a form carries, and the conflict it reveals."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence

from webapp.models.content import SiteVersion
from webapp.services.studio.fields import field_values, normal


def digest(value: str) -> str:
    """A short fingerprint of a value, carried in forms to tell later who changed what."""
    return hashlib.sha256(normal(value).encode("utf-8")).hexdigest()[:16]


def base_of(values: Mapping[str, str], keys: Sequence[str]) -> str:
    """The form's hidden record of the values it was opened with."""
    return json.dumps({key: digest(values.get(key, "")) for key in keys}, separators=(",", ":"))


def parse_base(text: str | None) -> dict[str, str]:
    """Read a form's base record; a damaged one reads as empty."""
    try:
        data = json.loads(text or "{}")
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


class DraftConflict(Exception):
    """Someone saved the draft after this form was opened; nothing was saved."""

    def __init__(
        self, draft: SiteVersion, theirs: dict[str, str], both: set[str], base: str
    ) -> None:
        super().__init__("the draft changed since the form was opened")
        self.revision = draft.revision
        self.author = draft.author.email if draft.author else None
        self.saved_at = draft.updated_at
        self.theirs = (
            theirs  # field -> the value now saved, for fields changed since the form opened
        )
        self.both = both  # fields changed by them and by this form
        self.base = base  # the base record for the merged form


def conflict_with(
    draft: SiteVersion, values: Mapping[str, str], base: Mapping[str, str]
) -> DraftConflict:
    """The conflict between a stale form's values and the draft as it is now saved."""
    current = field_values(draft)
    if base:
        theirs = {
            k: current.get(k, "") for k in values if digest(current.get(k, "")) != base.get(k)
        }
        mine = {k for k in values if digest(values[k]) != base.get(k)}
    else:  # a form without its base record: every difference counts as both sides'
        theirs = {
            k: current.get(k, "") for k in values if normal(current.get(k, "")) != normal(values[k])
        }
        mine = set(theirs)
    return DraftConflict(draft, theirs, set(theirs) & mine, base_of(current, list(values)))
