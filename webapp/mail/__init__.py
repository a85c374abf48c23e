"""Outgoing e-mail: an outbox in the database, kinds rendered in the brand at send time, SMTP."""

from __future__ import annotations

from webapp.mail.outbox import OutboxRefused, enqueue, purge_for_application
from webapp.mail.sender import mail_loop, send_due, start_mail_sender

__all__ = [
    "OutboxRefused",
    "enqueue",
    "mail_loop",
    "purge_for_application",
    "send_due",
    "start_mail_sender",
]
