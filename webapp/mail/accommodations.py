"""The e-mail that tells the configured address (ACCOMMODATION_EMAIL) of a candidate's request.

It is written to staff, so it is rendered in the site's default language (``Kind.staff``).
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from webapp.extensions import db
from webapp.mail.messages import MessageObsolete, application_of
from webapp.models.accommodations import AccommodationRequest
from webapp.models.outbox import OutboxMessage
from webapp.urls import external_url


def accommodation_request(message: OutboxMessage) -> dict[str, Any]:
    """What the candidate asked for, and where the application is in the admin."""
    application = application_of(message)
    stored = db.session.get(AccommodationRequest, (message.data or {}).get("request"))
    if stored is None or stored.application_id != application.id:
        raise MessageObsolete("the request is gone")
    return {
        "subject": _(
            "Adjustment requested: %(name)s, %(title)s",
            name=application.full_name,
            title=application.position.title,
        ),
        "candidate_name": application.full_name,
        "candidate_email": application.email,
        "position_title": application.position.title,
        "position_location": application.position.location,
        "need": _(stored.need_label),  # the built-in label, in the staff's language
        "details": stored.details,
        "admin_url": external_url("admin.application", application_id=application.id),
    }
