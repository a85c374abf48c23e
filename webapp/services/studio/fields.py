"""Studio fields, the unit of a change: their values, labels and order."""

from __future__ import annotations

import json
from collections.abc import Mapping

from babel import Locale
from flask import current_app

from webapp.i18n.offered import SOURCE, LanguageSettings, parse_settings
from webapp.models.content import SavedDraft, SiteVersion
from webapp.services.sections import PAGES
from webapp.services.site import (
    BRAND_FIELDS,
    DEFAULT_BRAND,
    DEFAULT_TEXTS,
    OPTIONAL_TEXTS,
    TEXT_GROUPS,
)
from webapp.services.site_translations import (
    clean_position_translations,
    clean_translations,
    section_translation_values,
)


def normal(value: str) -> str:
    """A submitted value as stored: trimmed, with Unix line ends."""
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def field_values(row: SiteVersion | SavedDraft | None) -> dict[str, str]:
    """Every editable value of a version as shown in the studio, keyed ``brand.x``, ``text.x``..."""
    brand = {**DEFAULT_BRAND, **((row.brand if row else None) or {})}
    texts = (row.texts if row else None) or {}
    values = {f"brand.{key}": str(brand.get(key, "")) for key in BRAND_FIELDS}
    for key, default in DEFAULT_TEXTS.items():
        stored = texts.get(key)
        values[f"text.{key}"] = (
            stored if stored or (stored == "" and key in OPTIONAL_TEXTS) else default
        )
    values["css"] = (row.custom_css if row else "") or ""
    values["logo"] = row.logo.digest if row is not None and row.logo is not None else ""
    sections = (row.sections if row else None) or {}
    for page in PAGES:
        listed = sections.get(page) if isinstance(sections, dict) else None
        values[f"sections.{page}"] = json.dumps(listed, sort_keys=True) if listed else ""
    for slug, overrides in ((row.position_texts if row else None) or {}).items():
        for key, value in overrides.items():
            if value:
                values[f"position.{slug}.{key}"] = value
    values.update(translation_values(row))
    return values


def language_settings(row: SiteVersion | SavedDraft | None) -> LanguageSettings:
    """The languages a version offers (older versions and the defaults: as configured)."""
    configured = str(current_app.config.get("DEFAULT_LOCALE", SOURCE))
    return parse_settings(row.languages if row else None, configured)


def translation_values(row: SiteVersion | SavedDraft | None) -> dict[str, str]:
    """The language settings and every non-English text: ``text:de.x``, ``sections:de.home``..."""
    values = {"languages": json.dumps(language_settings(row).as_json(), sort_keys=True)}
    for ident, texts in clean_translations(
        row.translations if row else None, DEFAULT_TEXTS
    ).items():
        for key, value in texts.items():
            values[f"text:{ident}.{key}"] = value
    positions = clean_position_translations(
        row.position_translations if row else None, DEFAULT_TEXTS
    )
    for ident, by_slug in positions.items():
        for slug, texts in by_slug.items():
            for key, value in texts.items():
                values[f"position:{ident}.{slug}.{key}"] = value
    if row is not None:
        values.update(section_translation_values(row.translations, row.sections))
    return values


def language_label(ident: str) -> str:
    """A language's English name, as the studio (in English) names it: "Portuguese (Brazil)"."""
    return Locale.parse(ident).get_display_name("en") or ident


_TEXT_LABELS = {
    key: f"{group}: {label}" for group, fields in TEXT_GROUPS for key, label, _ in fields
}


def field_label(key: str) -> str:
    """How a field is named to marketers."""
    kind, _, name = key.partition(".")
    kind, _, language = kind.partition(":")
    if language:
        return f"{field_label(kind + '.' + name)} — {language_label(language)}"
    if kind == "brand":
        return f"Brand kit: {BRAND_FIELDS.get(name, name)}"
    if kind == "text":
        return _TEXT_LABELS.get(name, name)
    if kind == "sections":
        return f"{PAGES.get(name, name)}: sections"
    if kind == "position":
        slug, _, text = name.partition(".")
        return f"{slug} → {_TEXT_LABELS.get(text, text)}"
    return {
        "css": "Custom CSS",
        "logo": "Logo",
        "languages": "Languages: offered, default and publishing rule",
    }.get(key, key)


_ORDER = {
    key: index
    for index, key in enumerate(
        [f"brand.{k}" for k in BRAND_FIELDS]
        + ["logo", "languages"]
        + [f"text.{k}" for _, fs in TEXT_GROUPS for k, _, _ in fs]
        + [f"sections.{page}" for page in PAGES]
        + ["css"]
    )
}


def changed_fields(before: Mapping[str, str], after: Mapping[str, str]) -> list[str]:
    """The keys whose values differ, in the order the studio shows the fields."""
    changed = [key for key in set(before) | set(after) if before.get(key, "") != after.get(key, "")]
    return sorted(changed, key=lambda key: (_ORDER.get(key, len(_ORDER)), key))
