"""Reference data shown to people by name: countries (ISO 3166-1 alpha-2) and languages."""

from __future__ import annotations

from functools import cache

from babel import Locale

from webapp.jobmojito.languages import LANGUAGES, language_name

# Babel's territory list also has regions and pseudo-codes; these are not countries.
_NOT_COUNTRIES = frozenset(
    {"EU", "EZ", "UN", "QO", "ZZ", "XA", "XB", "XK", "AC", "CP", "CQ", "DG", "EA", "IC", "TA"}
)


@cache
def countries() -> dict[str, str]:
    """Country code → English name, sorted by name."""
    territories = Locale("en").territories
    pairs = [
        (code, name)
        for code, name in territories.items()
        if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
    ]
    return dict(sorted(pairs, key=lambda pair: pair[1]))


def country_name(code: str | None) -> str:
    """The English name of a country code; the code itself if unknown."""
    if not code:
        return ""
    return countries().get(code.upper(), code)


__all__ = ["LANGUAGES", "countries", "country_name", "language_name"]
