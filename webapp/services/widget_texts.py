"""The jobs widget's words, from the catalogues, in the language of the page that shows it.

The script fetches its feed with the host page's language (``data-lang`` on the script tag, else the
page's own ``lang``); the feed carries the words for that language, and the script itself carries the
three it needs before the feed arrives (loading, and the way out when it cannot load), in every
offered language.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from babel.core import negotiate_locale
from flask_babel import force_locale, gettext, ngettext

from webapp.i18n.locales import BY_IDENT, BY_URL_TAG


def best_language(asked: str | None, offered: Iterable[str]) -> str | None:
    """The offered language closest to a page's ``lang`` (``de-AT`` → ``de``), or None."""
    offered = list(offered)
    value = (asked or "").strip()[:35]
    if not value:
        return None
    exact = BY_URL_TAG.get(value.lower())
    if exact is not None and exact.ident in offered:
        return exact.ident
    return negotiate_locale([value.replace("-", "_")], offered)


def feed_texts(company: str, most: int) -> dict[str, Any]:
    """The words of the widget in the current language; counts for 0 to ``most`` positions."""
    at = {"company": company}
    return {
        "heading": gettext("Open positions at %(company)s", **at)
        if company
        else gettext("Open positions"),
        "more": gettext("See all jobs at %(company)s", **at)
        if company
        else gettext("See all jobs"),
        "department": gettext("Department"),
        "allDepartments": gettext("All departments"),
        "location": gettext("Location"),
        "allLocations": gettext("All locations"),
        "counts": [
            ngettext("%(num)d open position", "%(num)d open positions", n) for n in range(most + 1)
        ],
        # ``{count}`` is one of the counts above, ``{limit}`` a number.
        "limited": gettext("{count}, showing the newest {limit}"),
        "none": gettext("No positions match. Try another department or location."),
    }


def early_texts(offered: Iterable[str], default: str) -> dict[str, dict[str, str]]:
    """What the script says before its feed arrives, keyed by URL tag ("" is the default)."""
    texts: dict[str, dict[str, str]] = {}
    for ident in [default, *offered]:
        with force_locale(ident):
            words = {
                "loading": gettext("Loading open positions…"),
                "failed": gettext("The open positions could not be loaded just now."),
                "elsewhere": gettext("See them on our careers site"),
                "label": gettext("Open positions"),
            }
        texts["" if ident == default and "" not in texts else BY_IDENT[ident].url_tag] = words
    return texts
