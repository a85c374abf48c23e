"""Language prefixes in public URLs: ``/de/jobs/x`` is ``/jobs/x`` rendered in German.

A WSGI middleware moves a known prefix from ``PATH_INFO`` to ``SCRIPT_NAME``, so the views never
see it and every ``url_for`` on that request builds prefixed links by itself. Paths that are the
same in every language (static files, the admin, webhooks, feeds, the widget) are never prefixed:
a prefixed request for them is not stripped (and so is a 404), and links to them built during a
prefixed request drop the prefix again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from flask import Flask, g, request

from webapp.i18n.locales import BY_URL_TAG

URL_LOCALE_KEY = "careerframe.url_locale"
PREFIX_KEY = "careerframe.url_prefix"
# ``g`` attributes set by ``webapp.i18n.speak``: the language a page must speak, and its prefix.
FORCED_LOCALE_KEY = "careerframe_forced_locale"
FORCED_PREFIX_KEY = "careerframe_forced_prefix"

# Paths (and the endpoints behind them) that keep one URL whatever the language.
UNPREFIXED_PATHS = (
    "/static/",
    "/admin",
    "/webhooks/",
    "/jobs.atom",
    "/jobs.json",
    "/robots.txt",
    "/sitemap.xml",
    "/embed/",
    "/widget",
    "/brand/",
    "/theme-",
    "/preview/",
    "/language/",
)
UNPREFIXED_BLUEPRINTS = frozenset({"admin", "webhooks", "feeds", "widget", "preview", "i18n"})
UNPREFIXED_ENDPOINTS = frozenset({"static", "careers.section_image", "careers.theme"})


def is_unprefixed_path(path: str) -> bool:
    """Whether ``path`` is one of the language-independent URLs."""
    return path.startswith(UNPREFIXED_PATHS)


def is_unprefixed_endpoint(endpoint: str) -> bool:
    """Whether links to ``endpoint`` never carry a language prefix."""
    return endpoint in UNPREFIXED_ENDPOINTS or endpoint.split(".", 1)[0] in UNPREFIXED_BLUEPRINTS


class LanguagePrefixMiddleware:
    """Strip a shipped language's prefix from the path and record that language."""

    def __init__(self, wsgi_app: Callable[..., Iterable[bytes]]) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        path = environ.get("PATH_INFO") or "/"
        head, _, rest = path[1:].partition("/")
        locale = BY_URL_TAG.get(head)  # exact, lower-case: "/DE/" is an ordinary (missing) path
        if locale is not None and not is_unprefixed_path("/" + rest):
            environ["PATH_INFO"] = "/" + rest
            environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + "/" + head
            environ[URL_LOCALE_KEY] = locale.ident
            environ[PREFIX_KEY] = "/" + head
        return self.wsgi_app(environ, start_response)


def install(app: Flask) -> None:
    """Wrap the app in the middleware and teach its ``url_for`` about unprefixed endpoints."""
    app.wsgi_app = LanguagePrefixMiddleware(app.wsgi_app)  # type: ignore[method-assign]
    build = app.url_for

    def url_for(endpoint: str, **values: Any) -> str:
        url = build(endpoint, **values)
        if not request:
            return url
        prefix = request.environ.get(PREFIX_KEY) or ""
        wanted = g.get(FORCED_PREFIX_KEY, prefix)  # a page made to speak one language keeps it
        name = (request.blueprint or "") + endpoint if endpoint.startswith(".") else endpoint
        if is_unprefixed_endpoint(name):
            wanted = ""
        if wanted == prefix:
            return url
        return _swap_prefix(url, request.script_root, prefix, wanted)

    app.url_for = url_for  # type: ignore[method-assign]
    app.jinja_env.globals["url_for"] = url_for  # templates captured the original at start-up


def _swap_prefix(url: str, root: str, prefix: str, wanted: str) -> str:
    """``url`` built under ``root`` (which ends in ``prefix``) with ``wanted`` in its place."""
    parts = urlsplit(url)
    if parts.path == root or parts.path.startswith(root + "/"):
        path = root[: len(root) - len(prefix)] + wanted + parts.path[len(root) :]
        return urlunsplit(parts._replace(path=path or "/"))
    return url
