"""Links between the languages of one page: the switch, ``hreflang`` alternates and the canonical."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import g, request, url_for

from webapp.i18n import page_locale, prefix, state
from webapp.i18n.locales import BY_IDENT, SiteLocale
from webapp.urls import external_url, site_url


@dataclass(frozen=True)
class LanguageLink:
    """One entry of the language switch, or one alternate of the page."""

    locale: SiteLocale
    href: str
    current: bool = False


def localized_external_url(ident: str, endpoint: str, **values: Any) -> str:
    """The absolute URL of ``endpoint`` in language ``ident``: unprefixed for the default."""
    url = external_url(endpoint, **values)
    if ident == state().default or prefix.is_unprefixed_endpoint(endpoint):
        return url
    base = site_url()
    return f"{base}/{BY_IDENT[ident].url_tag}{url[len(base) :]}"


def _page() -> tuple[str, dict[str, Any]] | None:
    """This request's public page as an endpoint and its arguments, when it has one."""
    endpoint = request.endpoint
    if not endpoint or request.url_rule is None or prefix.is_unprefixed_endpoint(endpoint):
        return None
    if "GET" not in (request.url_rule.methods or ()):
        return None
    if "token" in (request.view_args or {}):  # a candidate's own page is nobody else's to index
        return None
    return endpoint, dict(request.view_args or {})


def canonical_url() -> str | None:
    """The page's canonical URL in the language it is rendered in (no query string)."""
    page = _page()
    if page is None:
        return None
    return localized_external_url(page_locale().ident, page[0], **page[1])


def alternate_links() -> list[tuple[str, str]]:
    """``(hreflang, href)`` for every offered language and ``x-default``."""
    page = _page()
    if page is None:
        return []
    endpoint, values = page
    pairs = [
        (BY_IDENT[ident].tag, localized_external_url(ident, endpoint, **values))
        for ident in state().offered
    ]
    pairs.append(("x-default", external_url(endpoint, **values)))
    return pairs


SWITCH_KEY = "careerframe.i18n.switch"


def switch_through(endpoint: str, **values: Any) -> None:
    """Let this request's language switch go through ``endpoint`` (given ``tag``) rather than the
    cookie: a candidate's own pages change their application's language instead."""
    setattr(g, SWITCH_KEY, (endpoint, values))


def language_switch() -> list[LanguageLink]:
    """The switch: each offered language, linking to this same page in it (query kept)."""
    through = g.get(SWITCH_KEY)
    if through is not None:
        endpoint, values = through
        return _links(url_for(endpoint, tag=_TAG, **values))
    here = request.path
    if request.query_string:
        here += "?" + request.query_string.decode("latin-1")
    if request.url_rule is None or prefix.is_unprefixed_path(here):
        here = "/"
    return _links(url_for("i18n.switch", tag=_TAG, next=here))


# The switch's links differ only in their language tag: built once, the tag put in each (tags are
# lower-case letters and hyphens, so the placeholder cannot be mistaken for anything else).
_TAG = "xx-language-tag"


def _links(pattern: str) -> list[LanguageLink]:
    current = page_locale().ident
    return [
        LanguageLink(
            BY_IDENT[ident],
            pattern.replace(_TAG, BY_IDENT[ident].url_tag, 1),
            ident == current,
        )
        for ident in state().offered
    ]
