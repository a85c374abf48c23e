"""The languages the site ships, and how each is written in URLs, in HTML and by Babel."""

from __future__ import annotations

from dataclasses import dataclass

from babel import Locale


@dataclass(frozen=True)
class SiteLocale:
    """One shipped language: Babel's identifier, its URL prefix and its BCP 47 tag."""

    ident: str  # Babel's: "pt_BR"
    url_tag: str  # lower-case BCP 47, the URL prefix: "pt-br"
    tag: str  # BCP 47 for lang/hreflang/Content-Language: "pt-BR"
    rtl: bool

    @property
    def native_name(self) -> str:
        """The language's name written in itself, as the switch shows it ("Deutsch")."""
        locale = Locale.parse(self.ident)
        name = locale.get_display_name(locale) or self.ident
        return name[:1].upper() + name[1:]


def _make(ident: str) -> SiteLocale:
    tag = ident.replace("_", "-")
    return SiteLocale(
        ident, tag.lower(), tag, Locale.parse(ident).character_order == "right-to-left"
    )


# English is the source language of every catalogue; the rest ship translated (unreviewed).
SHIPPED: tuple[SiteLocale, ...] = tuple(
    _make(ident)
    for ident in (
        "en",
        "de",
        "nl",
        "fr",
        "es",
        "it",
        "pt_PT",
        "pt_BR",
        "pl",
        "cs",
        "sk",
        "hr",
        "ar",
    )
)
BY_IDENT: dict[str, SiteLocale] = {locale.ident: locale for locale in SHIPPED}
BY_URL_TAG: dict[str, SiteLocale] = {locale.url_tag: locale for locale in SHIPPED}


def parse_site_locale(value: str | None) -> SiteLocale | None:
    """A shipped locale from a Babel id or any-case BCP 47 tag ("pt-BR", "pt_br"), else None."""
    if not value:
        return None
    key = value.strip().replace("_", "-").lower()
    return BY_URL_TAG.get(key)
