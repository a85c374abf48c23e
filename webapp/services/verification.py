"""Proving a candidate's e-mail address: six-digit codes derived at send time, never stored.

A code is an HMAC of the application's public id and a random per-application nonce under the
site's secret key, so neither the database nor the outbox ever holds it: the nonce alone is of no
use without the key, and a new nonce (a resend) makes every earlier code worthless. A code works
for ``CODE_TTL_SECONDS`` and ``MAX_TRIES`` wrong guesses lock it until a new one is sent; guesses
are counted with a conditional UPDATE so parallel guesses cannot exceed the limit.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import CursorResult, select, update

from webapp.extensions import db
from webapp.models import Application, utcnow
from webapp.models.outbox import MAIL_GAVE_UP, MAIL_PENDING, OutboxMessage

CODE_TTL_SECONDS = 30 * 60
MAX_TRIES = 5
CODE_DIGITS = 6
# The e-mails that carry a code or a link proving the address: the page watches their fate.
PROOF_KINDS = ("application_received", "verification_code", "application_link")


class CodeRefused(Exception):
    """The code typed does not open the interview; ``reason`` says why in the candidate's terms."""

    def __init__(self, reason: str, tries_left: int = 0) -> None:
        super().__init__(reason)
        self.reason = reason  # "wrong", "expired", "locked" or "none"
        self.tries_left = tries_left


def derive_code(secret_key: str, public_id: str, nonce: str) -> str:
    """The code of one nonce of one application, as six digits."""
    digest = hmac.new(
        secret_key.encode(), f"careerframe.email-code|{public_id}|{nonce}".encode(), hashlib.sha256
    ).digest()
    return str(int.from_bytes(digest[:8], "big") % 10**CODE_DIGITS).zfill(CODE_DIGITS)


def issue_code(application: Application, now: datetime | None = None) -> None:
    """Start a fresh code for this application (the caller enqueues its e-mail and commits)."""
    application.verify_nonce = secrets.token_hex(16)
    application.verify_issued_at = now or utcnow()
    application.verify_attempts = 0


def current_code(secret_key: str, application: Application) -> str | None:
    """The code to put in an e-mail now (None when none was issued); called at send time only."""
    if not application.verify_nonce:
        return None
    return derive_code(secret_key, application.public_id, application.verify_nonce)


def _digest(code: str) -> bytes:
    return hashlib.sha256(code.encode()).digest()


def clean_code(typed: str | None) -> str:
    """What the candidate typed, without spaces or dashes ("123 456" is fine)."""
    return re.sub(r"[\s\-–]", "", typed or "")[:32]


def check_code(
    application: Application,
    typed: str | None,
    secret_keys: Sequence[str],
    now: datetime | None = None,
) -> None:
    """Accept the code or raise CodeRefused; a wrong guess is counted and committed."""
    now = now or utcnow()
    nonce, issued = application.verify_nonce, application.verify_issued_at
    if not nonce or issued is None:
        raise CodeRefused("none")
    if application.verify_attempts >= MAX_TRIES:
        raise CodeRefused("locked")
    if now > issued + timedelta(seconds=CODE_TTL_SECONDS):
        raise CodeRefused("expired")
    entered = _digest(clean_code(typed))
    matched = False
    for key in secret_keys:  # every key that still verifies, so a key rotation spares live codes
        expected = _digest(derive_code(key, application.public_id, nonce))
        matched = hmac.compare_digest(entered, expected) or matched
    if matched:
        return
    counted = db.session.execute(
        update(Application)
        .where(
            Application.id == application.id,
            Application.verify_nonce == nonce,
            Application.verify_attempts < MAX_TRIES,
        )
        .values(verify_attempts=Application.verify_attempts + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    db.session.refresh(application)
    if not isinstance(counted, CursorResult) or counted.rowcount != 1:
        raise CodeRefused("locked")
    left = MAX_TRIES - application.verify_attempts
    raise CodeRefused("wrong" if left > 0 else "locked", tries_left=max(0, left))


def mark_verified(application: Application, now: datetime | None = None) -> None:
    """Record the first proof of the address (recruiters see it); the caller commits."""
    if application.verified_at is None:
        application.verified_at = now or utcnow()


def masked_email(email: str) -> str:
    """An address as a page may show it to whoever holds the link: a•••@example.com."""
    local, _, domain = email.strip().partition("@")
    return f"{local[:1]}•••@{domain}" if domain else "your e-mail address"


def mail_undelivered(application_id: int) -> bool:
    """Whether the latest e-mail proving this address was given up or is failing to be sent."""
    latest = db.session.scalars(
        select(OutboxMessage)
        .where(
            OutboxMessage.application_id == application_id,
            OutboxMessage.kind.in_(PROOF_KINDS),
        )
        .order_by(OutboxMessage.id.desc())
        .limit(1)
    ).first()
    if latest is None:
        return False
    return latest.state == MAIL_GAVE_UP or (
        latest.state == MAIL_PENDING and latest.attempts > 0 and latest.last_error is not None
    )
