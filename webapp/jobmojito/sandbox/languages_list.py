"""The sandbox's answer to ``platform-languages-list``: the platform's 34 codes, named.

English names come from the site's own list (``webapp.jobmojito.languages``); the local names and
flags are the sandbox's. Two languages say their interview interface is not translated, so that
both values of ``interview_interface`` can be seen.
"""

from __future__ import annotations

from typing import Any

from webapp.jobmojito.languages import LANGUAGES

_LOCAL: dict[str, tuple[str, str]] = {
    "ar": ("العربية", "🇸🇦"),
    "bg": ("Български", "🇧🇬"),
    "zh": ("中文", "🇨🇳"),
    "hr": ("Hrvatski", "🇭🇷"),
    "cs": ("Čeština", "🇨🇿"),
    "da": ("Dansk", "🇩🇰"),
    "nl": ("Nederlands", "🇳🇱"),
    "en": ("English", "🇬🇧"),
    "fil": ("Filipino", "🇵🇭"),
    "fi": ("Suomi", "🇫🇮"),
    "fr": ("Français", "🇫🇷"),
    "de": ("Deutsch", "🇩🇪"),
    "el": ("Ελληνικά", "🇬🇷"),
    "hi": ("हिन्दी", "🇮🇳"),
    "hu": ("Magyar", "🇭🇺"),
    "id": ("Bahasa Indonesia", "🇮🇩"),
    "it": ("Italiano", "🇮🇹"),
    "ja": ("日本語", "🇯🇵"),
    "ko": ("한국어", "🇰🇷"),
    "ms": ("Bahasa Melayu", "🇲🇾"),
    "no": ("Norsk", "🇳🇴"),
    "pl": ("Polski", "🇵🇱"),
    "pt": ("Português", "🇵🇹"),
    "br": ("Português (Brasil)", "🇧🇷"),
    "ro": ("Română", "🇷🇴"),
    "ru": ("Русский", "🇷🇺"),
    "sk": ("Slovenčina", "🇸🇰"),
    "es": ("Español", "🇪🇸"),
    "sv": ("Svenska", "🇸🇪"),
    "ta": ("தமிழ்", "🇮🇳"),
    "th": ("ไทย", "🇹🇭"),
    "tr": ("Türkçe", "🇹🇷"),
    "uk": ("Українська", "🇺🇦"),
    "vi": ("Tiếng Việt", "🇻🇳"),
}
_UNTRANSLATED_INTERFACE = frozenset({"fil", "ta"})


def languages_body() -> dict[str, Any]:
    """Every language, sorted by English name, as the platform lists them."""
    rows = [
        {
            "code": code,
            "name_english": english,
            "name_local": _LOCAL[code][0],
            "flag_emoji": _LOCAL[code][1],
            "interview_interface": code not in _UNTRANSLATED_INTERFACE,
        }
        for code, english in LANGUAGES.items()
    ]
    return {"languages": sorted(rows, key=lambda row: row["name_english"])}
