"""Which words a candidate reads for a studio text in a language: the marketer's, the fallback's, or built-in.

English is stored in ``texts``/``position_texts``; every other language in ``translations`` and
``position_translations``. For a text in language L, with the site's default (fallback) language F:

1. for a position, the position's own text in L; else its own text in F (a missing translation);
2. the site-wide text in L;
3. the site-wide text in F, when the marketer wrote one there (a missing translation);
4. else the built-in text, translated into L by the catalogues.

Page sections keep their English words in ``sections`` and every other language's beside the
texts, as ``translations[L]["sections"][<section id>] = {field: words}`` (the image is shared). A
section in L shows L's words, else the fallback's, else the English ones: never an empty section.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from webapp.i18n.locales import BY_IDENT
from webapp.i18n.offered import SOURCE
from webapp.services.sections import PAGES, SECTION_ID, WORDS, has_words, with_words

OWN = "own"  # the marketer's text in this language
FALLBACK = "fallback"  # the marketer's text in the fallback language: a translation is missing
BUILT_IN = "built_in"  # the built-in text, in this language's catalogue


@dataclass(frozen=True)
class Resolved:
    """A text as a candidate reads it in one language, and where it comes from."""

    value: str  # as written; a built-in text still in English, to be translated where shown
    source: str  # OWN, FALLBACK or BUILT_IN
    language: str  # the language the marketer wrote it in (for BUILT_IN: the page's)
    position: bool = False  # the position's own text rather than the site-wide one

    @property
    def missing(self) -> bool:
        """Whether candidates read the fallback language's words here (an empty text hides)."""
        return self.source == FALLBACK and self.value != ""


@dataclass(frozen=True)
class TextSources:
    """The stored texts of one version, per language, and which keys exist."""

    texts: Mapping[str, str]
    position_texts: Mapping[str, Mapping[str, str]]
    translations: Mapping[str, Mapping[str, str]]
    position_translations: Mapping[str, Mapping[str, Mapping[str, str]]]
    defaults: Mapping[str, str]
    optional: Collection[str]

    def site(self, ident: str) -> Mapping[str, str]:
        """The site-wide texts written in ``ident``."""
        return self.texts if ident == SOURCE else self.translations.get(ident, {})

    def of_position(self, ident: str, slug: str) -> Mapping[str, str]:
        """A position's own texts written in ``ident``."""
        if ident == SOURCE:
            return self.position_texts.get(slug, {})
        return self.position_translations.get(ident, {}).get(slug, {})

    def own(self, ident: str, key: str) -> str | None:
        """The marketer's site-wide text in ``ident`` (an emptied optional one is ""), or None."""
        value = self.site(ident).get(key)
        if value is None or (value == "" and key not in self.optional):
            return None
        return None if value == self.defaults.get(key) else value

    def own_for_position(self, ident: str, slug: str, key: str) -> str | None:
        """The position's own text in ``ident``, or None (an empty one uses the site-wide text)."""
        value = self.of_position(ident, slug).get(key)
        return value if value and value != self.defaults.get(key) else None

    def resolve(self, key: str, position: str | None, ident: str, fallback: str) -> Resolved:
        """What a candidate reads for ``key`` in ``ident`` (see the module's rules)."""
        if position:
            for language in dict.fromkeys((ident, fallback)):
                value = self.own_for_position(language, position, key)
                if value is not None:
                    source = OWN if language == ident else FALLBACK
                    return Resolved(value, source, language, position=True)
        for language in dict.fromkeys((ident, fallback)):
            value = self.own(language, key)
            if value is not None:
                return Resolved(value, OWN if language == ident else FALLBACK, language)
        return Resolved(self.defaults.get(key, ""), BUILT_IN, ident)


def clean_translations(value: object, known: Collection[str]) -> dict[str, dict[str, str]]:
    """Stored texts per language, keeping only shipped languages (not English) and ``known`` keys."""
    if not isinstance(value, dict):
        return {}
    return {
        ident: {k: v for k, v in texts.items() if k in known and isinstance(v, str)}
        for ident, texts in value.items()
        if ident in BY_IDENT and ident != SOURCE and isinstance(texts, dict)
    }


def clean_position_translations(
    value: object, known: Collection[str]
) -> dict[str, dict[str, dict[str, str]]]:
    """Stored position texts per language, keeping shipped languages and ``known`` keys, none empty."""
    if not isinstance(value, dict):
        return {}
    return {
        ident: {
            slug: {k: v for k, v in texts.items() if k in known and isinstance(v, str) and v}
            for slug, texts in positions.items()
            if isinstance(texts, dict)
        }
        for ident, positions in value.items()
        if ident in BY_IDENT and ident != SOURCE and isinstance(positions, dict)
    }


SectionWords = dict[str, dict[str, dict[str, Any]]]  # {language: {section id: {field: words}}}
SECTIONS_KEY = "sections"  # where a language's section words sit among its texts


def clean_section_translations(value: object) -> SectionWords:
    """Stored section words per language: shipped languages (not English), known fields only."""
    if not isinstance(value, dict):
        return {}
    fields = {name for names in WORDS.values() for name in names}
    cleaned: SectionWords = {}
    for ident, texts in value.items():
        stored = texts.get(SECTIONS_KEY) if isinstance(texts, dict) else None
        if ident not in BY_IDENT or ident == SOURCE or not isinstance(stored, dict):
            continue
        kept = {
            sid: {k: v for k, v in words.items() if k in fields and isinstance(v, str | list)}
            for sid, words in stored.items()
            if SECTION_ID.match(str(sid)) and isinstance(words, dict)
        }
        if kept := {sid: words for sid, words in kept.items() if words}:
            cleaned[ident] = kept
    return cleaned


@dataclass(frozen=True)
class ShownSection:
    """A section as candidates read it in one language, and whose words those are."""

    section: dict[str, Any]
    source: str  # OWN, or FALLBACK: the words are another language's (a translation is missing)
    language: str  # the language of the words


def resolve_section(
    section: Mapping[str, Any], words: SectionWords, ident: str, fallback: str
) -> ShownSection:
    """What candidates read of ``section`` in ``ident`` (see the module's rules)."""
    if not has_words(section):
        return ShownSection(dict(section), OWN, ident)  # nothing to translate
    for language in dict.fromkeys((ident, fallback, SOURCE)):
        source = OWN if language == ident else FALLBACK
        if language == SOURCE:
            return ShownSection(dict(section), source, SOURCE)
        shown = with_words(section, words.get(language, {}).get(str(section.get("id"))))
        if shown is not None:
            return ShownSection(shown, source, language)
    raise AssertionError("unreachable: SOURCE is always among the languages tried")


def localized_sections(
    sections: list[dict[str, Any]], words: SectionWords, ident: str, fallback: str
) -> list[dict[str, Any]]:
    """A page's sections in ``ident``; those shown in another language carry its tag as ``lang``."""
    shown = []
    for section in sections:
        found = resolve_section(section, words, ident, fallback)
        extra = {"lang": BY_IDENT[found.language].tag} if found.language != ident else {}
        shown.append({**found.section, **extra})
    return shown


def section_translation_values(translations: object, sections: object) -> dict[str, str]:
    """The section words of each language per page, as ``sections:de.home`` (for the change list)."""
    pages = {
        str(item.get("id")): page
        for page, items in (sections.items() if isinstance(sections, dict) else [])
        if page in PAGES and isinstance(items, list)
        for item in items
        if isinstance(item, dict)
    }
    values: dict[str, str] = {}
    for ident, by_id in clean_section_translations(translations).items():
        for page in PAGES:
            mine = {sid: words for sid, words in by_id.items() if pages.get(sid) == page}
            if mine:
                values[f"sections:{ident}.{page}"] = json.dumps(mine, sort_keys=True)
    return values
