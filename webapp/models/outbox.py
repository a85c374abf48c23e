"""The outbox: e-mail waiting to be sent (by a background job), rendered only at send time."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import db
from webapp.models.common import UTCDateTime, utcnow

# A message's life: waiting (or waiting to retry), being sent, accepted by the SMTP
# server, given up after MAIL_GIVE_UP_AFTER, or cancelled (its application was erased or is gone).
MAIL_PENDING, MAIL_SENDING, MAIL_SENT = "pending", "sending", "sent"
MAIL_GAVE_UP, MAIL_CANCELLED = "gave_up", "cancelled"
MAIL_STATES = (MAIL_PENDING, MAIL_SENDING, MAIL_SENT, MAIL_GAVE_UP, MAIL_CANCELLED)


class OutboxMessage(db.Model):  # type: ignore[name-defined,misc]
    """One e-mail to send: its kind, recipient and ids, never its body.

    ``data`` holds plain facts the kind's renderer needs beyond ``application_id`` (never a
    secret, one-time code or link: those are minted when the message is rendered, then dropped).
    """

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Fixed at enqueue: a resend after a crash carries the same id, so mail clients fold it.
    message_id: Mapped[str] = mapped_column(String(255), unique=True)
    kind: Mapped[str] = mapped_column(String(64))
    to_address: Mapped[str] = mapped_column(String(254))
    application_id: Mapped[int | None] = mapped_column(
        ForeignKey("applications.id", ondelete="SET NULL"), index=True
    )
    language: Mapped[str | None] = mapped_column(String(16))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    state: Mapped[str] = mapped_column(String(16), default=MAIL_PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # What went wrong last, in our own words (an SMTP code and a category, never the server's text).
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When it may first go (a reminder waits); the give-up clock starts here, not at creation.
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
