"""The site in several languages: Flask-Babel, URL prefixes, choosing a language, page headers.

Wrap candidate-facing text with ``_()``/``gettext`` (or ``lazy_gettext``/``N_`` for module-level
values); ``docs/languages.md`` explains how to extract, update and compile the catalogues.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from babel.core import negotiate_locale
from flask import Flask, current_app, has_request_context, request
from flask_babel import Babel, get_locale
from werkzeug.wrappers import Response

from webapp.i18n import prefix
from webapp.i18n.locales import BY_IDENT, SHIPPED, SiteLocale, parse_site_locale

EXTENSION_KEY = "careerframe.i18n"
COOKIE_NAME = "lang"
COOKIE_MAX_AGE = 365 * 24 * 3600
TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it (it is translated where shown)."""
    return message


@dataclass(frozen=True)
class I18nState:
    """This app's languages: the default and the ones the site offers, as Babel identifiers."""

    default: str
    offered: tuple[str, ...]


def state(app: Flask | None = None) -> I18nState:
    """The language settings of ``app`` (the current app by default)."""
    return (app or current_app).extensions[EXTENSION_KEY]


def select_locale() -> str:
    """The page's language: URL prefix, else the remembered choice, else Accept-Language, else default."""
    settings = state()
    if not has_request_context():  # e-mail is rendered by workers, outside any request
        return settings.default
    from_url = request.environ.get(prefix.URL_LOCALE_KEY)
    if from_url:
        return str(from_url)
    remembered = parse_site_locale(request.cookies.get(COOKIE_NAME))
    if remembered is not None and remembered.ident in settings.offered:
        return remembered.ident
    wanted = [
        value.replace("-", "_") for value in request.accept_languages.values() if value != "*"
    ]
    best = negotiate_locale(wanted, list(settings.offered)) if wanted else None
    return best or settings.default


def page_locale() -> SiteLocale:
    """The shipped locale this request renders in (the default outside a request)."""
    ident = str(get_locale()) if has_request_context() else state().default
    return BY_IDENT.get(ident) or BY_IDENT[state().default]


def init_app(app: Flask) -> None:
    """Bind Flask-Babel, the prefix middleware, the language switch and the page helpers."""
    from webapp.i18n import filters, links, views

    default = app.config.get("DEFAULT_LOCALE", "en")
    app.extensions[EXTENSION_KEY] = I18nState(default, tuple(loc.ident for loc in SHIPPED))
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
    Babel(app, locale_selector=select_locale, default_locale=default)
    prefix.install(app)
    app.register_blueprint(views.bp)
    filters.register(app)
    app.jinja_env.globals.update(
        page_locale=page_locale,
        language_switch=links.language_switch,
        alternate_links=links.alternate_links,
        page_canonical_url=links.canonical_url,
    )
    app.after_request(_language_headers)


def _language_headers(response: Response) -> Response:
    """Public pages vary by language; say which one this is."""
    if prefix.is_unprefixed_path(request.path) or request.blueprint in prefix.UNPREFIXED_BLUEPRINTS:
        return response
    response.vary.add("Accept-Language")
    response.vary.add("Cookie")
    if response.mimetype == "text/html":
        response.headers["Content-Language"] = page_locale().tag
    return response
