"""Country names in the page's language, sorted as that language sorts (ICU collation).

PyICU rather than pyuca: Unicode's default order (all pyuca knows) files Czech "Ch" under C and
"Č" among the C's, where Czech puts "Ch" after H and "Č" after C; ICU carries each language's
tailoring. PyICU builds from PyPI against Debian's ``libicu-dev`` in about two minutes.
"""

from __future__ import annotations

from functools import cache

import icu
from babel import Locale, UnknownLocaleError

# Babel's territory list also has regions and pseudo-codes; these are not countries.
_NOT_COUNTRIES = frozenset(
    {"EU", "EZ", "UN", "QO", "ZZ", "XA", "XB", "XK", "AC", "CP", "CQ", "DG", "EA", "IC", "TA"}
)


@cache
def _collator(locale: str) -> icu.Collator:
    return icu.Collator.createInstance(icu.Locale(locale))


def sort_names(names: list[str], locale: str) -> list[str]:
    """``names`` in the order ``locale`` sorts them."""
    return sorted(names, key=_collator(locale).getSortKey)


@cache
def localized_countries(locale: str) -> dict[str, str]:
    """Country code → name in ``locale``, in that language's alphabetical order."""
    try:
        territories = Locale.parse(locale).territories
    except (UnknownLocaleError, ValueError):
        territories = Locale("en").territories
    pairs = [
        (code, name)
        for code, name in territories.items()
        if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
    ]
    key = _collator(locale).getSortKey
    return dict(sorted(pairs, key=lambda pair: key(pair[1])))


def localized_country_name(code: str | None, locale: str) -> str:
    """The name of a country code in ``locale``; the code itself if unknown."""
    if not code:
        return ""
    return localized_countries(locale).get(code.upper(), code)
