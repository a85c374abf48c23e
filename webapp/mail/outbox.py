"""Putting e-mail in the outbox (inside the caller's transaction) and purging it on erasure."""

from __future__ import annotations

import re
import secrets
from datetime import datetime
from email.utils import parseaddr
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask import current_app, has_request_context
from sqlalchemy import select, update

from webapp.extensions import db
from webapp.i18n import page_locale
from webapp.mail.messages import KINDS
from webapp.models.common import utcnow
from webapp.models.outbox import MAIL_CANCELLED, MAIL_PENDING, MAIL_SENDING, OutboxMessage
from webapp.services import jobs

SEND_KIND = "mail"  # the background work that sends a message

# ``data`` is stored as it is, for as long as the row lives: it must never carry a secret, a
# one-time code or a link (those are minted when the message is rendered and never stored).
# Cheap guards against the obvious slips; the rule itself is the contract.
_FORBIDDEN_KEY = re.compile(r"code|token|secret|password|passwd|otp|link|url|key", re.IGNORECASE)
_LINK_LIKE = re.compile(r"://|^www\.|/applications/", re.IGNORECASE)
_MAX_DATA_VALUE = 500


class OutboxRefused(ValueError):
    """The message cannot be queued as asked (unknown kind, bad address, unsafe data)."""


def message_domain(mail_from: str) -> str:
    """The domain of the sender address, for Message-IDs ("localhost" when there is none)."""
    address = parseaddr(mail_from)[1]
    domain = address.rpartition("@")[2].strip().lower()
    return domain if re.fullmatch(r"[a-z0-9.-]+", domain or "") else "localhost"


def new_message_id(mail_from: str) -> str:
    """A fresh, globally unique Message-ID under our sender's domain."""
    return f"<{secrets.token_hex(16)}@{message_domain(mail_from)}>"


def _checked_address(to: str) -> str:
    if not isinstance(to, str) or any(c in to for c in "\r\n\0"):
        raise OutboxRefused("the recipient is not an e-mail address")
    try:
        return validate_email(to.strip(), check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise OutboxRefused("the recipient is not an e-mail address") from exc


def _checked_data(data: dict[str, Any] | None) -> dict[str, Any]:
    values = dict(data or {})
    for key, value in values.items():
        if not isinstance(key, str) or _FORBIDDEN_KEY.search(key):
            raise OutboxRefused(
                f"outbox data may not hold {key!r}: secrets and links are minted at send time"
            )
        if value is not None and not isinstance(value, str | int | float | bool):
            raise OutboxRefused(f"outbox data {key!r} must be a plain value")
        if isinstance(value, str) and (len(value) > _MAX_DATA_VALUE or _LINK_LIKE.search(value)):
            raise OutboxRefused(f"outbox data {key!r} looks like a link or a document")
    return values


def enqueue(
    kind: str,
    to: str,
    *,
    application_id: int | None = None,
    language: str | None = None,
    data: dict[str, Any] | None = None,
    not_before: datetime | None = None,
) -> OutboxMessage:
    """Add a message to the outbox in the caller's transaction; the caller commits.

    ``language`` is the one it is written in; by default a message about an application speaks
    the application's language (decided when it is sent), and any other message the language of
    the page that caused it ("find my application").

    ``not_before`` holds the message back until then (a reminder, a considerate delay); its kind
    decides at send time whether it still has anything to say.

    Committing it with the change that caused it means a rolled-back change sends nothing, and a
    committed one is never without its e-mail.
    """
    if kind not in KINDS:
        raise OutboxRefused(f"no e-mail of kind {kind!r}")
    if language is None and application_id is None and has_request_context():
        language = page_locale().ident
    due = max(not_before, utcnow()) if not_before is not None else utcnow()
    message = OutboxMessage(
        message_id=new_message_id(current_app.config["MAIL_FROM"]),
        kind=kind,
        to_address=_checked_address(to),
        application_id=application_id,
        language=(language or None) and str(language)[:16],
        data=_checked_data(data),
        state=MAIL_PENDING,
        due_at=due,
    )
    db.session.add(message)
    db.session.flush()  # the job names the message by its id
    jobs.schedule(SEND_KIND, message.id, run_at=due)
    return message


def purge_for_application(application_id: int) -> int:
    """Cancel an application's unsent e-mail and blank the personal data of all of it.

    Call it inside the erasure's transaction (the caller commits). A message being sent at this
    moment may still arrive once; after that it is never sent again.
    """
    unsent = db.session.scalars(
        select(OutboxMessage.id).where(
            OutboxMessage.application_id == application_id,
            OutboxMessage.state.in_((MAIL_PENDING, MAIL_SENDING)),
        )
    ).all()
    jobs.cancel(SEND_KIND, unsent, running=True)
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(unsent))
        .values(state=MAIL_CANCELLED)
        .execution_options(synchronize_session=False)
    )
    blanked = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.application_id == application_id)
        .values(to_address="", data={}, last_error=None)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(blanked, "rowcount", 0) or 0)
