"""The interview languages JobMojito accepts, by the platform's own codes.

These codes are the platform's, not all ISO 639-1: ``br`` is Brazilian Portuguese (not Breton),
``no`` is Norwegian and ``fil`` Filipino. People are always shown the name, never the code.
"""

from __future__ import annotations

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
