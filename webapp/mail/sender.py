"""Sending the outbox: a background job per message renders it, hands it over and records it.

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
from datetime import timedelta
from typing import Any

from flask import Flask, current_app
from sqlalchemy import select

from webapp.extensions import db
from webapp.mail.messages import MessageObsolete
from webapp.mail.outbox import SEND_KIND
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
from webapp.services import alerts, jobs

log = logging.getLogger(__name__)
ALERT_KEY = "mail_failing"
KIND = SEND_KIND


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


def _failed(message: OutboxMessage, failure: MailFailure, policy: MailPolicy) -> jobs.Outcome:
    now = utcnow()
    message.last_error = failure.description
    if failure.permanent or now >= message.due_at + timedelta(seconds=policy.give_up_after):
        message.state = MAIL_GAVE_UP
        if not failure.outage:  # during an outage the alert speaks for every message
            log.warning(
                "e-mail %s (%s) given up: %s", message.id, message.kind, failure.description
            )
        return jobs.give_up(failure.description, outage="smtp" if failure.outage else None)
    message.state = MAIL_PENDING
    return jobs.retry_after(
        policy.backoff(message.attempts),
        failure.description,
        outage="smtp" if failure.outage else None,
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


def _recovered() -> None:
    if _alert_open():
        log.info("e-mail is being delivered again")
        alerts.resolve(ALERT_KEY)


def _close(smtp: smtplib.SMTP | None) -> None:
    if smtp is None:
        return
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()


def lease_seconds() -> float:
    """How long a send may hold its message (the current app's settings)."""
    return policy_from_config(current_app.config).lease_seconds


def send_one(job: jobs.Claimed) -> jobs.Outcome:
    """Render and send one claimed message over its own SMTP connection; what came of it."""
    config = current_app.config
    policy = policy_from_config(config)
    mail_from = str(config["MAIL_FROM"])
    message = db.session.get(OutboxMessage, job.subject_id)
    if message is None or message.state not in (MAIL_PENDING, MAIL_SENDING):
        return jobs.done("not wanted any more")  # cancelled, erased or already sent
    message.state = MAIL_SENDING
    message.attempts += 1
    db.session.commit()
    try:
        mime = build_mime(message, render(message), mail_from)
    except MessageObsolete:
        # Nothing was sent, so nothing about the recipient is kept.
        message.state, message.to_address, message.data = MAIL_CANCELLED, "", {}
        return jobs.done("obsolete")
    except Exception:  # a bug in a kind must not stop the others; backoff limits the noise
        log.exception("e-mail %s (%s) could not be rendered", message.id, message.kind)
        return _failed(message, MailFailure("could not be rendered", outage=False), policy)
    smtp = None
    try:
        smtp = connect(SmtpSettings.from_config(config))
        smtp.send_message(mime, from_addr=sender_address(mail_from), to_addrs=[message.to_address])
    except (MailFailure, smtplib.SMTPException, OSError) as exc:
        failure = exc if isinstance(exc, MailFailure) else classify(exc)
        if failure.outage:
            _outage(failure)
        return _failed(message, failure, policy)
    finally:
        del mime  # the body lives in memory for the length of one send, never longer
        _close(smtp)
    message.state, message.sent_at, message.last_error = MAIL_SENT, utcnow(), None
    _recovered()
    return jobs.done("sent")


def sent_but_not_recorded(job: jobs.Claimed, outcome: jobs.Outcome) -> None:
    """Say so when the server accepted a message that could not be recorded as sent."""
    if outcome.note == "sent":
        log.error(
            "e-mail %s was accepted by the SMTP server but could not be recorded; "
            "it will be sent once more, with the same Message-ID, when its lease ends",
            job.subject_id,
        )
    else:
        log.error("e-mail %s: the outcome of a send could not be recorded", job.subject_id)


def send_due(app: Flask, owner: str, limit: int = 20) -> int:
    """Send up to ``limit`` due messages; how many the SMTP server accepted."""
    sent = 0
    with app.app_context():
        try:
            for _ in range(max(0, limit)):
                ran = jobs.run_next(app, owner, [KIND])
                if ran is None:
                    break
                outcome = ran[1]
                sent += outcome.note == "sent"
                if outcome.outage or outcome.state == "leave":
                    break  # the server is down, or our records are: try again later
        finally:
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
