"""What every kind of e-mail shares: the registry of kinds, the obsolete-message signal, and the
links a message carries (made at send time, never stored).

``webapp.mail.kinds`` fills ``KINDS``; the outbox and the renderer read it from here, so the modules
that write messages (outcomes, accommodations) do not depend on the registry that lists them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import current_app

from webapp.extensions import db
from webapp.i18n import page_locale
from webapp.i18n.links import localized_external_url
from webapp.models import Application
from webapp.models.outbox import OutboxMessage
from webapp.tokens import EMAIL_LINK, make_token
from webapp.urls import external_url


class MessageObsolete(Exception):
    """The message no longer makes sense (its application was erased or is gone): do not send it."""


@dataclass(frozen=True)
class Kind:
    """One kind of e-mail: how to build what its templates need from the stored message."""

    name: str
    context_for: Callable[[OutboxMessage], dict[str, Any]]
    staff: bool = False  # written to staff: always in the site's default language


def application_of(message: OutboxMessage) -> Application:
    """The live application a message is about; MessageObsolete if it has none or was erased."""
    application = (
        db.session.get(Application, message.application_id) if message.application_id else None
    )
    if application is None or application.erased_at is not None:
        raise MessageObsolete("the application is gone or erased")
    if application.withdrawn_at is not None:
        raise MessageObsolete("the application was withdrawn for a corrected address")
    return application


def localized_url(endpoint: str, **values: Any) -> str:
    """An absolute link to a public page in the language the message is being rendered in."""
    return localized_external_url(page_locale().ident, endpoint, **values)


def email_link_url(public_id: str) -> str:
    """A freshly signed link that proves the address and opens the candidate's page (never stored)."""
    token = make_token(
        current_app.config["SECRET_KEY"],
        current_app.config["SECRET_KEY_FALLBACKS"],
        EMAIL_LINK,
        public_id,
    )
    return external_url("thread.from_email", token=token)


# Every kind the outbox accepts, by name (filled by ``webapp.mail.kinds`` when the package loads).
KINDS: dict[str, Kind] = {}
