"""The kinds of e-mail: each is a ``context_for(message) -> dict`` and a pair of templates.

A kind's templates are ``templates/email/<kind>.html`` and ``<kind>.txt`` (or, for a language,
``templates/email/<language>/<kind>.*``); its context must hold ``subject``. Links, codes and other
secrets are made here, at send time, and live only in the rendered message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import current_app

from webapp.extensions import db
from webapp.models import Application
from webapp.models.outbox import OutboxMessage
from webapp.tokens import CANDIDATE_LINK, make_token
from webapp.urls import external_url


class MessageObsolete(Exception):
    """The message no longer makes sense (its application was erased or is gone): do not send it."""


@dataclass(frozen=True)
class Kind:
    """One kind of e-mail: how to build what its templates need from the stored message."""

    name: str
    context_for: Callable[[OutboxMessage], dict[str, Any]]


def application_of(message: OutboxMessage) -> Application:
    """The live application a message is about; MessageObsolete if it has none or was erased."""
    application = (
        db.session.get(Application, message.application_id) if message.application_id else None
    )
    if application is None or application.erased_at is not None:
        raise MessageObsolete("the application is gone or erased")
    return application


def candidate_page_url(public_id: str) -> str:
    """A freshly signed, absolute link to the candidate's own page (never stored)."""
    token = make_token(
        current_app.config["SECRET_KEY"],
        current_app.config["SECRET_KEY_FALLBACKS"],
        CANDIDATE_LINK,
        public_id,
    )
    return external_url("apply.application", token=token)


def application_received(message: OutboxMessage) -> dict[str, Any]:
    """The confirmation a candidate gets right after applying: what happens next, and their link."""
    application = application_of(message)
    position = application.position
    return {
        "subject": f"We have your application for {position.title}",
        "position_title": position.title,
        "position_location": position.location,
        "candidate_name": application.full_name,
        "page_url": candidate_page_url(application.public_id),
        "link_days": CANDIDATE_LINK.max_age // 86400,
    }


# Every kind the outbox accepts. A new kind is a function above and its two templates.
KINDS: dict[str, Kind] = {
    kind.name: kind for kind in (Kind("application_received", application_received),)
}
