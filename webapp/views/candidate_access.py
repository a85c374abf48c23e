"""How a candidate's browser reaches their application: the signed link to their own page, the
applications this browser sent, and the application behind a link."""

from __future__ import annotations

from flask import current_app, session

from webapp.i18n import speak
from webapp.i18n.links import switch_through
from webapp.models import Application
from webapp.services.applications import application_by_public_id
from webapp.services.platform import platform
from webapp.tokens import CANDIDATE_LINK, TokenInvalid, make_token, read_token

# Public ids of the applications made from this browser: a repeated submit may go straight back to
# its application, but nobody else's e-mail opens that page.
MY_APPLICATIONS = "my_applications"


def candidate_link_token(public_id: str) -> str:
    """The signed, expiring token of a candidate's own page."""
    return make_token(
        current_app.config["SECRET_KEY"],
        current_app.config["SECRET_KEY_FALLBACKS"],
        CANDIDATE_LINK,
        public_id,
    )


def remember_application(public_id: str) -> None:
    """Note in the signed session that this browser sent the application ``public_id``."""
    mine = [pid for pid in session.get(MY_APPLICATIONS, []) if pid != public_id][-19:]
    session[MY_APPLICATIONS] = [*mine, public_id]


def application_from_token(token: str) -> Application:
    """The application behind a candidate link, with the rest of the request in its language.

    Raises ``TokenExpired`` or ``TokenInvalid`` (also when the application is gone)."""
    config = current_app.config
    public_id = read_token(
        config["SECRET_KEY"],
        config["SECRET_KEY_FALLBACKS"],
        CANDIDATE_LINK,
        token,
        max_age=config["CANDIDATE_LINK_MAX_AGE"],
    )
    application = application_by_public_id(public_id)
    if application is None:
        raise TokenInvalid("no such application")
    speak(application.locale)  # the candidate's pages keep the language they applied in
    switch_through("apply.choose_language", token=token)  # and the switch changes the application's
    return application


def embed_origin() -> str:
    """The origin the interview frame is served from."""
    return platform().embed_origin
