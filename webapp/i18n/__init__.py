"""The site in several languages: Flask-Babel, URL prefixes, choosing a language, page headers.

Wrap candidate-facing text with ``_()``/``gettext`` (or ``lazy_gettext``/``N_`` for module-level
values); ``docs/languages.md`` explains how to extract, update and compile the catalogues.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from babel.core import Locale, negotiate_locale
from babel.support import NullTranslations
from flask import Flask, abort, current_app, g, has_request_context, request
from flask_babel import Babel, get_locale, get_translations, refresh
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response

from webapp.i18n import prefix
from webapp.i18n.locales import BY_IDENT, SHIPPED, SiteLocale, parse_site_locale
from webapp.i18n.offered import LanguageSettings

EXTENSION_KEY = "careerframe.i18n"
TRANSLATIONS_KEY = "careerframe.i18n.translations"  # {Locale: catalogue}, per app
SERIAL_KEY = "careerframe.i18n.serial"  # tells apps apart for what is remembered per translation
_SERIALS = itertools.count(1)
# Where ``state`` reads the languages the studio set (a callable); and its per-request copy.
OFFERED_KEY = "careerframe.i18n.offered"
_STATE_KEY = "careerframe_languages"
COOKIE_NAME = "lang"
LANGUAGE_VARY = "Accept-Language, Cookie"  # what a public page's language depends on
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
    """The languages of ``app`` (the current app by default): the studio's, else the configured.

    The studio's setting comes with the published content (the draft's in a preview browser),
    which each app caches; within a request it is read once.
    """
    target = app or current_app
    configured: I18nState = target.extensions[EXTENSION_KEY]
    lookup = target.extensions.get(OFFERED_KEY)
    if lookup is None or (app is not None and app is not current_app):
        return configured
    # A preview browser is recognised early in the request: a copy from before that is stale.
    preview = bool(has_request_context() and g.get("site_preview"))
    cached = g.get(_STATE_KEY) if has_request_context() else None
    if cached is not None and cached[0] == preview:
        return cached[1]  # type: ignore[no-any-return]
    try:
        settings = lookup()
    except SQLAlchemyError:  # the database is down: the error page still speaks
        return configured
    found = configured if settings is None else I18nState(settings.default, settings.offered)
    if has_request_context():
        setattr(g, _STATE_KEY, (preview, found))
    return found


def offer_languages_from(app: Flask, lookup: Callable[[], LanguageSettings | None]) -> None:
    """Read the languages ``app`` offers from ``lookup`` (the studio's setting, from the content the
    request shows; None when the studio never set any)."""
    app.extensions[OFFERED_KEY] = lookup


def speak(ident: str | None) -> None:
    """Render the rest of this request, and the links it builds, in ``ident`` (None: the default).

    A candidate's own pages call it with their application's language, which then outranks the
    URL prefix, the cookie and Accept-Language.
    """
    settings = state()
    chosen = BY_IDENT.get(ident or "")
    forced = chosen.ident if chosen is not None and chosen.ident in settings.offered else None
    forced = forced or settings.default
    setattr(g, prefix.FORCED_LOCALE_KEY, forced)
    setattr(
        g,
        prefix.FORCED_PREFIX_KEY,
        "" if forced == settings.default else "/" + BY_IDENT[forced].url_tag,
    )
    refresh()  # anything already rendered in the URL's language is forgotten


def select_locale() -> str:
    """The page's language: URL prefix, else the remembered choice, else Accept-Language, else default."""
    settings = state()
    forced = g.get(prefix.FORCED_LOCALE_KEY)
    if forced:  # set by ``speak``
        return str(forced)
    if not has_request_context():  # e-mail is rendered by workers, outside any request
        return settings.default
    from_url = request.environ.get(prefix.URL_LOCALE_KEY)
    if from_url and from_url in settings.offered:  # a disabled one's pages are 404s, by default
        return str(from_url)
    remembered = parse_site_locale(request.cookies.get(COOKIE_NAME))
    if remembered is not None and remembered.ident in settings.offered:
        return remembered.ident
    wanted = [
        value.replace("-", "_") for value in request.accept_languages.values() if value != "*"
    ]
    best = negotiate_locale(wanted, list(settings.offered)) if wanted else None
    return best or settings.default


@lru_cache(maxsize=64)
def _locale_object(ident: str) -> Locale:
    return Locale.parse(ident)


def _selected_locale() -> Locale:
    """``select_locale`` as the Locale object Flask-Babel keeps (parsed once per language, not
    once per request)."""
    return _locale_object(select_locale())


def current_locale() -> Locale | None:
    """Flask-Babel's locale for this context (``force_locale``'s too), read where it keeps it once
    chosen: a page asks dozens of times, and the full lookup costs microseconds each time
    (``bench/`` — the interview page renders every text of the room)."""
    try:
        locale = g._flask_babel.babel_locale
    except (AttributeError, RuntimeError):  # not chosen yet, refreshed, or no app context
        return get_locale()
    return locale if locale is not None else get_locale()


@lru_cache(maxsize=64)
def _shipped(locale: Locale) -> SiteLocale | None:
    return BY_IDENT.get(str(locale))


def page_locale() -> SiteLocale:
    """The shipped locale this request (or a worker's ``force_locale``) renders in."""
    current = current_locale()  # force_locale's, also in a worker; None outside an app context
    found = _shipped(current) if current is not None else None
    return found or BY_IDENT[state().default]


def _translations() -> NullTranslations:
    """The catalogue of the current locale, kept per app by locale once Flask-Babel loaded it."""
    locale = current_locale()
    if locale is None:
        return get_translations()
    loaded: dict[Locale, NullTranslations] = current_app.extensions[TRANSLATIONS_KEY]
    found = loaded.get(locale)
    if found is None:
        found = loaded[locale] = get_translations()
    return found


def catalogue_serial() -> int:
    """A number that differs between apps (each may load other catalogues), 0 outside any app."""
    try:
        return int(current_app.extensions[SERIAL_KEY])
    except (RuntimeError, KeyError):
        return 0


def translate(message: str, **values: object) -> str:
    """``gettext`` by the fast path: the message in the current language, ``%`` filled."""
    text = _translations().ugettext(message)
    return text % values if values else text


def translate_plural(singular: str, plural: str, num: int, **values: object) -> str:
    """``ngettext`` by the fast path; ``num`` is available to the message as ``%(num)d``."""
    values.setdefault("num", num)
    return _translations().ungettext(singular, plural, num) % values


def init_app(app: Flask) -> None:
    """Bind Flask-Babel, the prefix middleware, the language switch and the page helpers."""
    from webapp.i18n import filters, links, views

    default = app.config.get("DEFAULT_LOCALE", "en")
    app.extensions[EXTENSION_KEY] = I18nState(default, tuple(loc.ident for loc in SHIPPED))
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
    Babel(app, locale_selector=_selected_locale, default_locale=default)
    app.extensions[TRANSLATIONS_KEY] = {}
    app.extensions[SERIAL_KEY] = next(_SERIALS)
    # Templates translate through the fast path too (Flask-Babel installed its own just now).
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        lambda message: _translations().ugettext(message),
        lambda singular, plural, num: _translations().ungettext(singular, plural, num),
        newstyle=True,
    )
    prefix.install(app)
    app.register_blueprint(views.bp)
    filters.register(app)
    app.jinja_env.globals.update(
        page_locale=page_locale,
        language_switch=links.language_switch,
        alternate_links=links.alternate_links,
        page_canonical_url=links.canonical_url,
    )
    app.before_request(_refuse_disabled_prefix)
    app.after_request(_language_headers)


def _refuse_disabled_prefix() -> None:
    """A prefix of a language the site does not offer (any more) is a page that is not there."""
    from_url = request.environ.get(prefix.URL_LOCALE_KEY)
    if from_url and from_url not in state().offered:
        abort(404)


def _language_headers(response: Response) -> Response:
    """Public pages vary by language; say which one this is."""
    if prefix.is_unprefixed_path(request.path) or request.blueprint in prefix.UNPREFIXED_BLUEPRINTS:
        return response
    # Set as a plain header (the parsed ``vary`` set costs a parse and a rebuild per response).
    headers = response.headers
    vary = headers.get("Vary")
    headers["Vary"] = f"{vary}, {LANGUAGE_VARY}" if vary else LANGUAGE_VARY
    if response.mimetype == "text/html":
        response.headers["Content-Language"] = page_locale().tag
    return response
