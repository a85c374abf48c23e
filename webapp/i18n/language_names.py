"""Names of the platform's interview languages in any shipped locale, from Babel's CLDR data.

The platform's codes are not all ISO 639-1. Each was checked against Babel 2.19: ``br`` is
JobMojito's Brazilian Portuguese (CLDR's ``br`` is Breton), so it maps to ``pt_BR``; ``no`` is the
Norwegian macrolanguage, which CLDR names itself ("Norwegian", "Norwegisch"), so it stays ``no``
rather than ``nb`` ("Norwegian Bokmål", narrower than the platform means); ``fil`` is CLDR's own
code for Filipino. Every other code is CLDR's as it stands.
"""

from __future__ import annotations

from functools import cache

from babel import Locale, UnknownLocaleError

# Platform code → the CLDR identifier whose name is meant.
PLATFORM_TO_CLDR: dict[str, str] = {"br": "pt_BR", "no": "no", "fil": "fil"}


@cache
def _locale(ident: str) -> Locale:
    return Locale.parse(ident)


def cldr_code(code: str) -> str:
    """The CLDR identifier for a platform language code."""
    return PLATFORM_TO_CLDR.get(code, code)


def interview_language_name(code: str | None, locale: str, *, standalone: bool = False) -> str:
    """The name of platform language ``code`` in ``locale``; ``standalone`` capitalises it for lists.

    Names come as CLDR writes them inside a sentence ("slovaque" in French), which is how a
    sentence such as "The interview is in Slovak" needs them. Unknown codes are returned as given.
    """
    if not code:
        return ""
    try:
        where = _locale(locale)
    except (UnknownLocaleError, ValueError):
        where = _locale("en")
    ident = cldr_code(code)
    name = where.languages.get(ident)
    if not name and "_" in ident:
        name = _locale(ident).get_display_name(where)
    if not name:
        return code
    return name[:1].upper() + name[1:] if standalone else name
