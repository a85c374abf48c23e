"""The language switch: remember the visitor's choice and show the same page in that language."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, request
from werkzeug.wrappers import Response

from webapp.i18n import COOKIE_MAX_AGE, COOKIE_NAME, prefix, state
from webapp.i18n.locales import BY_URL_TAG

bp = Blueprint("i18n", __name__)


def safe_next(value: str | None) -> str:
    """A path on this site to go back to; anything else (other hosts, odd paths) is the home page."""
    if not value or not value.startswith("/") or value.startswith(("//", "/\\")):
        return "/"
    if any(ord(char) < 0x20 or char == "\\" for char in value) or prefix.is_unprefixed_path(value):
        return "/"
    head, _, rest = value[1:].partition("/")
    if head in BY_URL_TAG:  # a link that already carries a language: keep only the page
        return "/" + rest
    return value


@bp.get("/language/<tag>")
def switch(tag: str) -> Response:
    """Set the language cookie (the visitor asked for it) and open the page in that language."""
    locale = BY_URL_TAG.get(tag.lower())
    if locale is None or locale.ident not in state().offered:
        abort(404)
    target = safe_next(request.args.get("next"))
    lead = "" if locale.ident == state().default else "/" + locale.url_tag
    response = redirect(request.script_root + lead + target, code=303)
    response.set_cookie(
        COOKIE_NAME,
        locale.url_tag,
        max_age=COOKIE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
        path=request.script_root or "/",
    )
    response.headers["Cache-Control"] = "no-store"
    return response
