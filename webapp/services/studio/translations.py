"""Studio texts and sections per language: saving them, the languages setting, what is missing."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from flask_babel import force_locale, gettext

from webapp.i18n.locales import BY_IDENT
from webapp.i18n.offered import SOURCE, parse_settings
from webapp.models.content import SiteVersion
from webapp.services.sections import KINDS, PAGES
from webapp.services.site import (
    DEFAULT_TEXTS,
    POSITION_TEXT_GROUPS,
    TEXT_GROUPS,
    SiteContent,
    content_from_version,
)
from webapp.services.site_translations import BUILT_IN, FALLBACK, OWN, resolve_section
from webapp.services.studio.fields import field_label, language_label


def built_in_in(key: str, ident: str) -> str:
    """The built-in text ``key`` as the catalogue of ``ident`` has it."""
    default = DEFAULT_TEXTS.get(key, "")
    if not default:
        return ""
    with force_locale(ident):
        return gettext(default)


@dataclass
class Translations:
    """The draft's non-English texts and language settings, while a save applies its values."""

    site: dict[str, dict[str, str]] = field(default_factory=dict)
    positions: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    languages: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, draft: SiteVersion) -> Translations:
        """Fresh copies of the draft's columns."""
        copy = json.loads(json.dumps([draft.translations, draft.position_translations]))
        return cls(copy[0] or {}, copy[1] or {}, dict(draft.languages or {}))

    def apply(self, kind: str, name: str, value: str) -> None:
        """Store ``text:de.key`` or ``position:de.slug.key``; empty or built-in: none of the marketer's."""
        base, _, ident = kind.partition(":")
        if ident not in BY_IDENT or ident == SOURCE:
            return
        if base == "text":
            slug, key = None, name
        elif base == "position":
            slug, _, key = name.partition(".")
            if not slug:
                return
        else:
            return
        if key not in DEFAULT_TEXTS:
            return
        stored: dict[str, str]
        if slug is None:
            stored = self.site.setdefault(ident, {})
        else:
            stored = self.positions.setdefault(ident, {}).setdefault(slug, {})
        if not value or value in (DEFAULT_TEXTS[key], built_in_in(key, ident)):
            stored.pop(key, None)
        else:
            stored[key] = value
        self._prune()

    def set_languages(self, value: str) -> None:
        """Store the languages setting from its JSON form (made sound first)."""
        try:
            raw = json.loads(value) if value else {}
        except ValueError:
            raw = {}
        configured = str(current_app.config.get("DEFAULT_LOCALE", SOURCE))
        self.languages = parse_settings(raw if isinstance(raw, dict) else {}, configured).as_json()

    def _prune(self) -> None:
        for ident in list(self.positions):
            self.positions[ident] = {s: t for s, t in self.positions[ident].items() if t}
        self.positions = {i: p for i, p in self.positions.items() if p}
        self.site = {i: t for i, t in self.site.items() if t}

    def columns(self) -> dict[str, Any]:
        """The columns to write."""
        return {
            "translations": self.site,
            "position_translations": self.positions,
            "languages": self.languages,
        }


@dataclass(frozen=True)
class Cell:
    """One text in one language: whose words candidates read, and those words."""

    language: str
    source: str  # OWN, FALLBACK ("missing") or BUILT_IN
    shown: str  # what candidates read, built-in texts translated
    from_language: str  # the language of those words
    inherited: bool = False  # a position's row showing the site-wide text


@dataclass(frozen=True)
class Row:
    """One text (site-wide, or one position's), across the offered languages."""

    key: str  # the draft field, "text.x" or "position.slug.x"; a section: "section.page.id"
    label: str
    cells: list[Cell]

    @property
    def missing(self) -> list[Cell]:
        """The languages where candidates read the fallback's words."""
        return [
            cell
            for cell in self.cells
            if cell.source == FALLBACK and cell.shown and not cell.inherited
        ]


@dataclass(frozen=True)
class Coverage:
    """Every studio text the marketer wrote, by language; the rest use the built-in translations."""

    offered: tuple[str, ...]
    fallback: str
    require_complete: bool
    rows: list[Row]
    built_in_only: int  # texts nobody wrote in any language

    @property
    def gaps(self) -> list[tuple[Row, Cell]]:
        """Each (text, language) whose translation is missing."""
        return [(row, cell) for row in self.rows for cell in row.missing]


def cell_for(content: SiteContent, key: str, slug: str | None, ident: str) -> Cell:
    """One text in one language, as the coverage table and the studio forms show it."""
    found = content.resolve(key, slug, ident)
    shown = built_in_in(key, ident) if found.source == BUILT_IN else found.value
    # A position without its own text in either language uses the site-wide one (counted there).
    inherited = slug is not None and not found.position
    return Cell(ident, found.source, shown, found.language, inherited)


def coverage(draft: SiteVersion) -> Coverage:
    """The draft's texts × offered languages: "your text", "built-in translation" or missing."""
    content = content_from_version(draft, preview=True)
    settings = content.languages
    assert settings is not None  # always set for a stored version
    offered = settings.offered
    sources = content.sources
    languages = (SOURCE, *content.translations)
    rows, quiet = [], 0
    for _, fields in TEXT_GROUPS:
        for key, _, _ in fields:
            if all(sources.own(ident, key) is None for ident in languages):
                quiet += 1
                continue
            cells = [cell_for(content, key, None, ident) for ident in offered]
            rows.append(Row(f"text.{key}", field_label(f"text.{key}"), cells))
    position_keys = [key for _, fields in POSITION_TEXT_GROUPS for key, _, _ in fields]
    slugs = sorted(
        {*content.position_texts, *(s for p in content.position_translations.values() for s in p)}
    )
    for slug in slugs:
        for key in position_keys:
            if all(
                sources.own_for_position(ident, slug, key) is None
                for ident in (SOURCE, *content.position_translations)
            ):
                continue
            cells = [cell_for(content, key, slug, ident) for ident in offered]
            name = f"position.{slug}.{key}"
            rows.append(Row(name, field_label(name), cells))
    rows.extend(section_rows(content, offered))
    return Coverage(offered, settings.default, settings.require_complete, rows, quiet)


def section_summary(section: dict[str, Any]) -> str:
    """A section's words in one line, as the studio quotes them."""
    parts: list[str] = []
    for name in ("heading", "alt", "quote", "name", "role", "body"):
        if section.get(name):
            parts.append(str(section[name]))
    for item in section.get("items") or []:
        parts.append(item["q"] if isinstance(item, dict) else str(item))
    return " · ".join(parts)


def section_rows(content: SiteContent, offered: tuple[str, ...]) -> list[Row]:
    """One row per page section with words, across the offered languages."""
    rows = []
    for page, page_label in PAGES.items():
        for number, section in enumerate(content.sections.get(page, []), start=1):
            cells = []
            for ident in offered:
                found = resolve_section(
                    section, content.section_translations, ident, content.fallback
                )
                shown = section_summary(found.section)
                cells.append(Cell(ident, found.source, shown, found.language))
            if not section_summary(section):
                continue  # a decorative image: nothing to translate
            first = section_summary(section).split(" · ")[0]
            label = f"{page_label}: {KINDS[section['kind']]} {number} “{_short(first, 32)}”"
            rows.append(Row(f"section.{page}.{section['id']}", label, cells))
    return rows


def gap_lines(report: Coverage) -> list[str]:
    """One sentence per missing translation, naming what candidates read instead."""
    return [
        f"{row.label} in {language_label(cell.language)}: candidates read the "
        f"{language_label(cell.from_language)} text “{_short(cell.shown)}”"
        for row, cell in report.gaps
    ]


def _short(text: str, limit: int = 80) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


__all__ = ["BUILT_IN", "FALLBACK", "OWN", "Coverage", "Translations", "coverage", "gap_lines"]
