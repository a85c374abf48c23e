"""The languages the site offers, as the marketer set them in the studio (or as configured)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from webapp.i18n.locales import BY_IDENT, SHIPPED

# English is the language of the built-in texts and of the ``texts`` column.
SOURCE = "en"


@dataclass(frozen=True)
class LanguageSettings:
    """Which shipped languages the site offers, the default (and fallback) one, and the rule."""

    offered: tuple[str, ...]
    default: str
    require_complete: bool = False

    def as_json(self) -> dict[str, Any]:
        """The settings as stored in a site version's ``languages`` column."""
        return {
            "offered": list(self.offered),
            "default": self.default,
            "require_complete": self.require_complete,
        }


def ordered(idents: Iterable[str]) -> tuple[str, ...]:
    """Shipped identifiers among ``idents``, in the order the site lists its languages."""
    wanted = set(idents)
    return tuple(locale.ident for locale in SHIPPED if locale.ident in wanted)


def all_languages(default: str) -> LanguageSettings:
    """Every shipped language, with ``default`` first in rank: the site before any choice."""
    return LanguageSettings(ordered(BY_IDENT), default if default in BY_IDENT else SOURCE)


def parse_settings(value: Mapping[str, Any] | None, configured: str) -> LanguageSettings:
    """Stored settings, made sound: unknown languages dropped, the default always offered.

    Nothing stored (older versions, the defaults) means every shipped language and the
    configured default; a damaged value never takes the site's languages away.
    """
    if not isinstance(value, Mapping) or not value:
        return all_languages(configured)
    raw = value.get("offered")
    offered = ordered(str(item) for item in raw) if isinstance(raw, list) else ()
    default = str(value.get("default") or "")
    if default not in BY_IDENT:
        default = configured if configured in offered or not offered else offered[0]
    if default not in offered:
        offered = ordered((*offered, default))
    return LanguageSettings(offered, default, bool(value.get("require_complete")))
