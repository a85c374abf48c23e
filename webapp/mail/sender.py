"""Sending the outbox: claim a due message under a lease, render it, hand it over, record it.

At least once, with one stable Message-ID: a sender that dies after the SMTP server accepted a
message but before recording it leaves a lease that runs out; the next claim sends it again with
the same Message-ID, once. The lease outlasts a whole send (connect, login, data), so a live sender
never loses a message it is still sending.
"""

from __future__ import annotations

import logging
import os
import random
import smtplib
import socket
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from flask import Flask
from sqlalchemy import CursorResult, and_, or_, select, update
from sqlalchemy.exc import SQLAlchemyError

from webapp.extensions import db
from webapp.mail.kinds import MessageObsolete
from webapp.mail.render import build_mime, render, sender_address
from webapp.mail.smtp import MailFailure, SmtpSettings, classify, connect
from webapp.models import SystemAlert, utcnow
from webapp.models.outbox import (
    MAIL_CANCELLED,
    MAIL_GAVE_UP,
    MAIL_PENDING,
    MAIL_SENDING,
    MAIL_SENT,
    OutboxMessage,
)
from webapp.services import alerts

log = logging.getLogger(__name__)
ALERT_KEY = "mail_failing"


@dataclass(frozen=True)
class MailPolicy:
    """Backoff between attempts, when to give up, and how long a claim holds."""

    base_seconds: float = 30.0
    cap_seconds: float = 3600.0
    give_up_after: float = 2 * 86400
    lease_seconds: float = 120.0

    def backoff(self, attempt: int) -> float:
        """Exponential backoff with full jitter for the given 1-based attempt."""
        return random.uniform(0, min(self.cap_seconds, self.base_seconds * 2 ** (attempt - 1)))


def policy_from_config(config: Any) -> MailPolicy:
    """The policy from MAIL_* settings, with defaults; the lease covers several SMTP timeouts."""
    timeout = float(config.get("SMTP_TIMEOUT") or 10)
    return MailPolicy(
        base_seconds=float(config.get("MAIL_RETRY_BASE_SECONDS", 30.0)),
        cap_seconds=float(config.get("MAIL_RETRY_CAP_SECONDS", 3600.0)),
        give_up_after=float(config.get("MAIL_GIVE_UP_AFTER", 2 * 86400)),
        lease_seconds=float(config.get("MAIL_LEASE_SECONDS") or max(120.0, 8 * timeout)),
    )


def _due(now: datetime) -> Any:
    return or_(
        and_(OutboxMessage.state == MAIL_PENDING, OutboxMessage.next_attempt_at <= now),
        and_(OutboxMessage.state == MAIL_SENDING, OutboxMessage.lease_expires_at < now),
    )


def claim_next(owner: str, policy: MailPolicy, now: datetime | None = None) -> int | None:
    """Claim one due message for ``owner``; its id, or None. The conditional UPDATE is the lock."""
    now = now or utcnow()
    candidates = db.session.scalars(
        select(OutboxMessage.id)
        .where(_due(now))
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(8)
    ).all()
    for message_id in candidates:
        claimed = cast(
            CursorResult[Any],
            db.session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == message_id, _due(now))
                .values(
                    state=MAIL_SENDING,
                    lease_owner=owner,
                    lease_expires_at=now + timedelta(seconds=policy.lease_seconds),
                    attempts=OutboxMessage.attempts + 1,
                )
                .execution_options(synchronize_session=False)
            ),
        )
        db.session.commit()
        if claimed.rowcount == 1:
            return message_id
    return None


def _ours(message_id: int, owner: str) -> Any:
    return and_(
        OutboxMessage.id == message_id,
        OutboxMessage.lease_owner == owner,
        OutboxMessage.state == MAIL_SENDING,
    )


def _finish(message_id: int, owner: str, **values: Any) -> None:
    db.session.execute(
        update(OutboxMessage)
        .where(_ours(message_id, owner))
        .values(lease_owner=None, lease_expires_at=None, **values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def _failed(message: OutboxMessage, owner: str, failure: MailFailure, policy: MailPolicy) -> None:
    now = utcnow()
    if failure.permanent or now >= message.due_at + timedelta(seconds=policy.give_up_after):
        _finish(message.id, owner, state=MAIL_GAVE_UP, last_error=failure.description)
        if not failure.outage:  # during an outage the alert speaks for every message
            log.warning(
                "e-mail %s (%s) given up: %s", message.id, message.kind, failure.description
            )
        return
    delay = policy.backoff(message.attempts)
    _finish(
        message.id,
        owner,
        state=MAIL_PENDING,
        last_error=failure.description,
        next_attempt_at=now + timedelta(seconds=delay),
    )


def _alert_open() -> bool:
    return (
        db.session.scalar(
            select(SystemAlert.id).where(
                SystemAlert.key == ALERT_KEY, SystemAlert.resolved_at.is_(None)
            )
        )
        is not None
    )


def _outage(failure: MailFailure) -> None:
    if not _alert_open():
        log.warning("e-mail cannot be sent: %s; messages are kept and retried", failure.description)
    alerts.raise_alert(
        ALERT_KEY,
        f"E-mail cannot be sent: {failure.description}. Messages are kept and retried; "
        "those still unsent after MAIL_GIVE_UP_AFTER are given up.",
    )
    db.session.commit()


def _recovered() -> None:
    if _alert_open():
        log.info("e-mail is being delivered again")
        alerts.resolve(ALERT_KEY)
        db.session.commit()


def _close(smtp: smtplib.SMTP | None) -> None:
    if smtp is None:
        return
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()


def send_due(app: Flask, owner: str, limit: int = 20) -> int:
    """Send up to ``limit`` due messages over one SMTP connection; how many were accepted."""
    sent, smtp = 0, None
    with app.app_context():
        policy = policy_from_config(app.config)
        settings = SmtpSettings.from_config(app.config)
        mail_from = str(app.config["MAIL_FROM"])
        try:
            for _ in range(max(0, limit)):
                message_id = claim_next(owner, policy)
                if message_id is None:
                    break
                message = db.session.get(OutboxMessage, message_id)
                if message is None:
                    continue
                try:
                    mime = build_mime(message, render(message), mail_from)
                except MessageObsolete:
                    # Nothing was sent, so nothing about the recipient is kept.
                    _finish(message_id, owner, state=MAIL_CANCELLED, to_address="", data={})
                    continue
                except (
                    Exception
                ):  # a bug in a kind must not stop the others; backoff limits the noise
                    log.exception("e-mail %s (%s) could not be rendered", message_id, message.kind)
                    _failed(
                        message, owner, MailFailure("could not be rendered", outage=False), policy
                    )
                    continue
                try:
                    if smtp is None:
                        smtp = connect(settings)
                    smtp.send_message(
                        mime, from_addr=sender_address(mail_from), to_addrs=[message.to_address]
                    )
                except (MailFailure, smtplib.SMTPException, OSError) as exc:
                    failure = exc if isinstance(exc, MailFailure) else classify(exc)
                    if failure.outage:
                        _close(smtp)
                        smtp = None
                    _failed(message, owner, failure, policy)
                    if failure.outage:
                        _outage(failure)
                        break
                    continue
                finally:
                    del mime  # the body lives in memory for the length of one send, never longer
                try:
                    _finish(message_id, owner, state=MAIL_SENT, sent_at=utcnow(), last_error=None)
                except SQLAlchemyError:
                    db.session.rollback()
                    log.error(
                        "e-mail %s was accepted by the SMTP server but could not be recorded; "
                        "it will be sent once more, with the same Message-ID, when its lease ends",
                        message_id,
                    )
                    break
                sent += 1
                if sent == 1:
                    _recovered()
        finally:
            _close(smtp)
            db.session.remove()
    return sent


def mail_loop(
    app: Flask, stop: threading.Event, owner: str, poll_interval: float, limit: int = 20
) -> None:
    """Send due e-mail until ``stop`` is set; an unexpected error is logged once until it clears."""
    failing: str | None = None
    while not stop.is_set():
        sent = 0
        try:
            sent = send_due(app, owner, limit)
            if failing is not None:
                log.info("mail sender %s: working again", owner)
                failing = None
        except Exception as exc:  # the thread must outlive any one failure; leases guard the rows
            if failing != type(exc).__name__:
                log.exception("mail sender %s: unexpected error; carrying on", owner)
                failing = type(exc).__name__
        if sent < limit:
            stop.wait(poll_interval)


def start_mail_sender(
    app: Flask, poll_interval: float = 1.0
) -> tuple[threading.Event, threading.Thread]:
    """Run ``mail_loop`` on a daemon thread of this process; set the event to stop it."""
    stop = threading.Event()
    owner = f"{socket.gethostname()[:32]}:{os.getpid()}:mail:{uuid.uuid4().hex[:6]}"
    thread = threading.Thread(
        target=mail_loop, args=(app, stop, owner, poll_interval), name="mail-sender", daemon=True
    )
    thread.start()
    return stop, thread
