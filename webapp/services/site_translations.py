"""Which words a candidate reads for a studio text in a language: the marketer's, the fallback's, or built-in.

English is stored in ``texts``/``position_texts``; every other language in ``translations`` and
``position_translations``. For a text in language L, with the site's default (fallback) language F:

1. for a position, the position's own text in L; else its own text in F (a missing translation);
2. the site-wide text in L;
3. the site-wide text in F, when the marketer wrote one there (a missing translation);
4. else the built-in text, translated into L by the catalogues.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from webapp.i18n.locales import BY_IDENT
from webapp.i18n.offered import SOURCE

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
