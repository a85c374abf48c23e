"""Storing a candidate's request for an adjustment, and telling the people who handle them."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext

from webapp.extensions import db
from webapp.mail import enqueue
from webapp.models import Application
from webapp.models.accommodations import DETAILS_MAX, NEEDS, AccommodationRequest
from webapp.models.applications import ApplicationEvent

KIND = "accommodation_request"


class RequestRefused(ValueError):
    """The request cannot be stored as sent; ``message`` says what to change."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class RequestInput:
    """What the candidate sent, as plain values."""

    need: str
    details: str


def checked(need: str | None, details: str | None) -> RequestInput:
    """The request with its text trimmed, or RequestRefused naming the field to fix."""
    need = (need or "").strip()
    text = (details or "").replace("\r\n", "\n").strip()
    if need not in NEEDS:
        raise RequestRefused(gettext("Choose what you would like us to arrange."), "need")
    if not text:
        raise RequestRefused(gettext("Tell us a little about what would help you."), "details")
    if len(text) > DETAILS_MAX:
        raise RequestRefused(
            gettext(
                "Please keep it under %(max)d characters (it is %(length)d now).",
                max=DETAILS_MAX,
                length=len(text),
            ),
            "details",
        )
    return RequestInput(need, text)


def request_accommodation(
    application: Application, sent: RequestInput, notify: str | None
) -> AccommodationRequest:
    """Store the request on the application, note it in its history and, when an address is
    configured, e-mail it there (in the same transaction)."""
    if application.erased_at is not None or application.withdrawn_at is not None:
        raise RequestRefused(gettext("This application is closed."), "need")
    stored = AccommodationRequest(application=application, need=sent.need, details=sent.details)
    db.session.add(stored)
    application.events.append(
        ApplicationEvent(kind="accommodation", detail="The candidate asked for an adjustment")
    )
    db.session.flush()
    if notify:
        enqueue(KIND, notify, application_id=application.id, data={"request": stored.id})
    db.session.commit()
    return stored
