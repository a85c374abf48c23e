"""A candidate chooses the language of their application: its pages and its e-mails follow the choice."""

from __future__ import annotations

from flask import abort, redirect, url_for
from werkzeug.wrappers import Response

from webapp.extensions import db
from webapp.i18n import speak, state
from webapp.i18n.locales import BY_URL_TAG
from webapp.models import Application


def choose(application: Application, token: str, tag: str) -> Response:
    """Store the language on the application and show its page in it (303)."""
    locale = BY_URL_TAG.get(tag.lower())
    if locale is None or locale.ident not in state().offered:
        abort(404)
    if application.locale != locale.ident:
        application.locale = locale.ident
        db.session.commit()
    speak(locale.ident)
    response = redirect(url_for("apply.application", token=token), 303)
    response.headers["Cache-Control"] = "no-store"
    return response
