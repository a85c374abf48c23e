"""The kinds of e-mail: each is a ``context_for(message) -> dict`` and a pair of templates.

A kind's templates are ``templates/email/<kind>.html`` and ``<kind>.txt``; its context must hold
``subject``. Both are rendered, and the context built, under ``force_locale`` in the language of the
message (see ``render.message_locale``), so every text here and in the templates goes through the
catalogues. Links, codes and other secrets are made here, at send time, and live only in the
rendered message.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from webapp.extensions import db
from webapp.mail import outcomes
from webapp.mail.accommodations import accommodation_request
from webapp.mail.messages import (
    KINDS,
    Kind,
    MessageObsolete,
    application_of,
    email_link_url,
    localized_url,
)
from webapp.models import Application
from webapp.models.outbox import OutboxMessage
from webapp.services.verification import CODE_TTL_SECONDS, current_code
from webapp.tokens import EMAIL_LINK


def _about(application: Application) -> dict[str, Any]:
    position = application.position
    return {
        "position_title": position.title,
        "position_location": position.location,
        "candidate_name": application.full_name,
        "page_url": email_link_url(application.public_id),
        "link_days": EMAIL_LINK.max_age // 86400,
        "find_url": localized_url("thread.find"),
    }


def _code(application: Application) -> dict[str, Any]:
    if not current_app.config.get("CANDIDATE_EMAIL_VERIFICATION", True):
        return {"code": None}
    return {
        "code": current_code(current_app.config["SECRET_KEY"], application),
        "code_minutes": CODE_TTL_SECONDS // 60,
    }


def application_received(message: OutboxMessage) -> dict[str, Any]:
    """The confirmation a candidate gets right after applying: what happens next, their code and
    their link."""
    application = application_of(message)
    return {
        "subject": _("We have your application for %(title)s", title=application.position.title),
        **_about(application),
        **_code(application),
    }


def verification_code(message: OutboxMessage) -> dict[str, Any]:
    """A new code (asked for on the page, or by applying again from another browser)."""
    application = application_of(message)
    context = {**_about(application), **_code(application)}
    if not context.get("code"):
        raise MessageObsolete("no code to send")
    return {"subject": _("Your code for %(title)s", title=application.position.title), **context}


def application_link(message: OutboxMessage) -> dict[str, Any]:
    """The candidate's link again ("e-mail it to me", or a new one for an expired link)."""
    application = application_of(message)
    return {
        "subject": _(
            "Your link to your application for %(title)s", title=application.position.title
        ),
        **_about(application),
    }


def find_applications(message: OutboxMessage) -> dict[str, Any]:
    """ "Find my application": a link to each live application of the address, or nothing at all
    (the page said the same either way; an unknown address is never told anything)."""
    found = db.session.scalars(
        select(Application)
        .where(
            Application.email_normalized == message.to_address.strip().lower(),
            Application.erased_at.is_(None),
            Application.withdrawn_at.is_(None),
        )
        .order_by(Application.created_at.desc())
        .limit(20)
    ).all()
    if not found:
        raise MessageObsolete("no application under this address")
    return {
        "subject": ngettext("Your application", "Your applications", len(found)),
        "applications": [_about(application) for application in found],
        "candidate_name": found[0].full_name,
        "link_days": EMAIL_LINK.max_age // 86400,
        "find_url": localized_url("thread.find"),
    }


def interview_again(message: OutboxMessage) -> dict[str, Any]:
    """A recruiter gave the candidate another attempt at the interview: the link to take it."""
    application = application_of(message)
    if application.interview_attempt < 2:
        raise MessageObsolete("no further attempt was given")
    if application.interview_status is not None:
        raise MessageObsolete("the new attempt was started or finished already")
    return {
        "subject": _(
            "You can take your interview for %(title)s again", title=application.position.title
        ),
        **_about(application),
    }


# Every kind the outbox accepts. A new kind is a function (here, or in the module of its topic)
# and its two templates.
KINDS.update(
    (kind.name, kind)
    for kind in (
        Kind("application_received", application_received),
        Kind("verification_code", verification_code),
        Kind("application_link", application_link),
        Kind("find_applications", find_applications),
        Kind("interview_ready", lambda message: outcomes.interview_ready(message)),
        Kind("interview_accepted", lambda message: outcomes.interview_accepted(message)),
        Kind("interview_reminder", lambda message: outcomes.interview_reminder(message)),
        Kind("interview_thanks", lambda message: outcomes.interview_thanks(message)),
        Kind("rejection", lambda message: outcomes.rejection(message)),
        Kind("accommodation_request", accommodation_request, staff=True),
        Kind("interview_again", interview_again),
    )
)
