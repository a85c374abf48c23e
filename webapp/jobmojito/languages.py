"""The interview languages JobMojito accepts, by the platform's own codes.

These codes are the platform's, not all ISO 639-1: ``br`` is Brazilian Portuguese (not Breton),
``no`` is Norwegian and ``fil`` Filipino. People are always shown the name, never the code.
"""

from __future__ import annotations

from collections.abc import Iterable

LANGUAGES: dict[str, str] = {
    "ar": "Arabic",
    "bg": "Bulgarian",
    "zh": "Chinese",
    "hr": "Croatian",
    "cs": "Czech",
    "da": "Danish",
    "nl": "Dutch",
    "en": "English",
    "fil": "Filipino",
    "fi": "Finnish",
    "fr": "French",
    "de": "German",
    "el": "Greek",
    "hi": "Hindi",
    "hu": "Hungarian",
    "id": "Indonesian",
    "it": "Italian",
    "ja": "Japanese",
    "ko": "Korean",
    "ms": "Malay",
    "no": "Norwegian",
    "pl": "Polish",
    "pt": "Portuguese",
    "br": "Portuguese (Brazil)",
    "ro": "Romanian",
    "ru": "Russian",
    "sk": "Slovak",
    "es": "Spanish",
    "sv": "Swedish",
    "ta": "Tamil",
    "th": "Thai",
    "tr": "Turkish",
    "uk": "Ukrainian",
    "vi": "Vietnamese",
}

LANGUAGE_CODES: frozenset[str] = frozenset(LANGUAGES)


def language_name(code: str | None) -> str:
    """The English name of a platform language code; the code itself if unknown."""
    if not code:
        return ""
    return LANGUAGES.get(code, code)


def offered_choices(codes: Iterable[str], keep: str | None = None) -> dict[str, str]:
    """Code → name for the offered ``codes`` we know, by name.

    ``keep`` (a position's current language) stays selectable even when not offered, marked so
    that a recruiter sees why, rather than the form silently changing the language.
    """
    chosen = {code: LANGUAGES[code] for code in codes if code in LANGUAGES}
    if keep and keep not in chosen:
        chosen[keep] = f"{language_name(keep)} (no longer offered by JobMojito)"
    return dict(sorted(chosen.items(), key=lambda pair: pair[1]))
