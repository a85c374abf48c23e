"""Sections in the draft: add, change, reorder and remove them, and keep their images.

Each change is an intention ("move this section up", "change this section") applied to the draft
as it is now, under the draft's revision check and retried if another save slipped in: two people
arranging sections at once lose nothing. Changing a section that someone else changed since the
form was opened is refused (``SectionChanged``), so that nobody overwrites what they did not see.
A section's words in another language than English are saved the same way, beside the texts.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable, Mapping
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.exc import IntegrityError

from webapp.extensions import db
from webapp.i18n.locales import BY_IDENT
from webapp.i18n.offered import SOURCE
from webapp.models import utcnow
from webapp.models.content import SiteImage, SiteVersion
from webapp.services.images import PreparedImage
from webapp.services.sections import (
    MAX_SECTIONS,
    PAGES,
    WORDS,
    SectionInvalid,
    check_section,
    clean_sections,
    words_of,
)
from webapp.services.site_translations import SECTIONS_KEY, clean_section_translations
from webapp.services.studio.draft import get_draft

Section = dict[str, Any]


class SectionNotFound(LookupError):
    """No section of that page has that id (it may have just been removed)."""


class SectionChanged(Exception):
    """Someone changed the section after the form was opened; ``current`` is what is saved now."""

    def __init__(self, current: Section) -> None:
        super().__init__("the section changed since the form was opened")
        self.current = current


class TooManySections(Exception):
    """The page already holds the most sections it may."""


def section_digest(section: Mapping[str, Any]) -> str:
    """A fingerprint of a section, carried by its form to notice a change made meanwhile."""
    text = json.dumps(dict(section), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def draft_sections(page: str) -> list[Section]:
    """The draft's sections of a page, in order."""
    return clean_sections(get_draft().sections).get(page, [])


def find_section(page: str, section_id: str) -> Section:
    """One section of the draft's page, or SectionNotFound."""
    for section in draft_sections(page):
        if section["id"] == section_id:
            return section
    raise SectionNotFound(section_id)


def store_image(prepared: PreparedImage, author_id: int | None) -> str:
    """Keep every size of a prepared image (once per distinct image); its digest."""
    digest = prepared.digest
    if db.session.scalar(select(SiteImage.id).where(SiteImage.digest == digest)) is None:
        for rendition in prepared.renditions:
            db.session.add(
                SiteImage(
                    digest=digest,
                    width=rendition.width,
                    height=rendition.height,
                    mime=rendition.mime,
                    data=rendition.data,
                    size=len(rendition.data),
                    uploaded_by_id=author_id,
                )
            )
        try:
            db.session.commit()
        except IntegrityError:  # the same image stored by another request at the same moment
            db.session.rollback()
    return digest


def _with_sizes(kind: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """The submitted values, with a hero image's sizes read from what was stored (never the form)."""
    merged = dict(values)
    if kind == "hero":
        rows = db.session.execute(
            select(SiteImage.width, SiteImage.height)
            .where(SiteImage.digest == str(values.get("image", "")))
            .order_by(SiteImage.width)
        ).all()
        merged["widths"] = [width for width, _ in rows]
        merged["ratio"] = [rows[-1][0], rows[-1][1]] if rows else []
    return merged


Translated = dict[str, Any]  # the draft's ``translations`` column, a fresh copy


def _apply(
    page: str,
    change: Callable[[list[Section]], list[Section]],
    author_id: int | None,
    words: Callable[[Translated], None] | None = None,
) -> None:
    """Apply ``change`` (and ``words``, to the translations) to the draft, retrying on a race."""
    if page not in PAGES:
        raise SectionNotFound(page)
    for _ in range(5):
        draft = get_draft()
        revision = draft.revision
        sections = clean_sections(draft.sections)
        sections[page] = change(list(sections.get(page, [])))
        if not sections[page]:
            sections.pop(page)
        translations = json.loads(json.dumps(draft.translations or {}))
        if words is not None:
            words(translations)
        saved = cast(
            CursorResult[Any],
            db.session.execute(
                update(SiteVersion)
                .where(SiteVersion.id == draft.id, SiteVersion.revision == revision)
                .values(
                    sections=sections,
                    translations=translations,
                    revision=revision + 1,
                    author_id=author_id,
                    updated_at=utcnow(),
                )
                .execution_options(synchronize_session=False)
            ),
        )
        db.session.commit()
        db.session.refresh(draft)
        if saved.rowcount == 1:
            return
    raise RuntimeError("the draft kept changing; the section was not saved")


def add_section(page: str, kind: str, values: Mapping[str, Any], author_id: int | None) -> Section:
    """Check a new section and append it to the page; raise SectionInvalid or TooManySections."""
    section = {"id": secrets.token_hex(6), **check_section(kind, _with_sizes(kind, values))}

    def append(sections: list[Section]) -> list[Section]:
        if len(sections) >= MAX_SECTIONS:
            raise TooManySections(page)
        return [*sections, section]

    _apply(page, append, author_id)
    return section


def update_section(
    page: str, section_id: str, values: Mapping[str, Any], base: str, author_id: int | None
) -> Section:
    """Replace a section's fields, if nobody changed it since its form showed ``base``."""
    current = find_section(page, section_id)
    new = {"id": section_id, **check_section(current["kind"], _with_sizes(current["kind"], values))}

    def replace(sections: list[Section]) -> list[Section]:
        for index, section in enumerate(sections):
            if section["id"] == section_id:
                if section_digest(section) != base:
                    raise SectionChanged(section)
                return [*sections[:index], new, *sections[index + 1 :]]
        raise SectionNotFound(section_id)

    _apply(page, replace, author_id)
    return new


def move_section(page: str, section_id: str, offset: int, author_id: int | None) -> None:
    """Move a section one place up (-1) or down (+1); at either end it stays."""

    def move(sections: list[Section]) -> list[Section]:
        ids = [section["id"] for section in sections]
        if section_id not in ids:
            raise SectionNotFound(section_id)
        index = ids.index(section_id)
        target = max(0, min(len(sections) - 1, index + offset))
        section = sections.pop(index)
        sections.insert(target, section)
        return sections

    _apply(page, move, author_id)


def remove_section(page: str, section_id: str, author_id: int | None) -> Section:
    """Take a section off the page (a rollback or a set-aside draft can bring it back)."""
    removed: list[Section] = []

    def remove(sections: list[Section]) -> list[Section]:
        kept = [section for section in sections if section["id"] != section_id]
        if len(kept) == len(sections):
            raise SectionNotFound(section_id)
        removed.extend(s for s in sections if s["id"] == section_id)
        return kept

    def forget(translations: Translated) -> None:
        for ident in list(translations):
            _set_words(translations, ident, section_id, None)

    _apply(page, remove, author_id, forget)
    return removed[0]


def own_words(page: str, section_id: str, ident: str) -> dict[str, Any]:
    """The words the marketer wrote for a section in ``ident`` ({} when none: it falls back)."""
    if ident == SOURCE:
        return words_of(find_section(page, section_id))
    return clean_section_translations(get_draft().translations).get(ident, {}).get(section_id, {})


def _set_words(
    translations: Translated, ident: str, section_id: str, words: dict[str, Any] | None
) -> None:
    """Put (or, with None, take out) a section's words in one language of the column copy."""
    texts = translations.get(ident)
    if not isinstance(texts, dict):
        if words is None:
            return
        texts = translations[ident] = {}
    stored = texts.get(SECTIONS_KEY)
    if not isinstance(stored, dict):
        stored = texts[SECTIONS_KEY] = {}
    if words is None:
        stored.pop(section_id, None)
    else:
        stored[section_id] = words
    if not stored:
        texts.pop(SECTIONS_KEY)
    if not texts:
        translations.pop(ident)


def translate_section(
    page: str,
    section_id: str,
    ident: str,
    values: Mapping[str, Any],
    base: str,
    author_id: int | None,
) -> dict[str, Any] | None:
    """Save a section's words in a language other than English; all empty: it falls back again.

    The words are checked as the section itself is (with its shared image); raise SectionInvalid,
    or SectionChanged if someone changed them since the form showed ``base``.
    """
    if ident not in BY_IDENT or ident == SOURCE:
        raise SectionNotFound(ident)
    current = find_section(page, section_id)
    kind = str(current["kind"])
    typed = {name: values.get(name, "") for name in WORDS[kind]}
    new: dict[str, Any] | None = None
    if any(str(value).strip() for value in typed.values()):
        new = words_of(check_section(kind, {**current, **typed}))

    def store(translations: Translated) -> None:
        mine = clean_section_translations(translations).get(ident, {}).get(section_id, {})
        if section_digest(mine) != base:
            raise SectionChanged(mine)
        _set_words(translations, ident, section_id, new)

    _apply(page, lambda sections: sections, author_id, store)
    return new


__all__ = [
    "SectionChanged",
    "SectionInvalid",
    "SectionNotFound",
    "TooManySections",
    "add_section",
    "draft_sections",
    "find_section",
    "move_section",
    "own_words",
    "remove_section",
    "section_digest",
    "store_image",
    "translate_section",
    "update_section",
]
