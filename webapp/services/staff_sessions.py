"""Staff sign-ins kept server-side, so that ending one ends every copy of its cookie."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update

from webapp.extensions import db
from webapp.models import User, utcnow
from webapp.models.staff_sessions import StaffSession

# Seeing a session again within this long does not rewrite its row: one write a minute at most.
TOUCH_EVERY = timedelta(seconds=60)
# A sign-in from an address counts as "succeeded from here before" for this long.
KNOWN_ADDRESS_DAYS = 90


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def start_session(user: User, address: str, lifetime: timedelta) -> str:
    """Open a sign-in record for ``user``; returns the random id for the cookie (stored hashed)."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.add(
        StaffSession(
            token_hash=_hash(token),
            user_id=user.id,
            address=address[:64],
            created_at=now,
            last_seen_at=now,
            expires_at=now + lifetime,
        )
    )
    db.session.commit()
    user.bind_session(token)
    return token


def session_user(token: str, now: datetime | None = None) -> User | None:
    """The active account behind an open, unexpired sign-in record, or None."""
    if not token or len(token) > 100:
        return None
    now = now or utcnow()
    record = db.session.scalar(select(StaffSession).where(StaffSession.token_hash == _hash(token)))
    if record is None or record.ended_at is not None or record.expires_at <= now:
        return None
    user = db.session.get(User, record.user_id)
    if user is None or not user.active:
        return None
    if now - record.last_seen_at >= TOUCH_EVERY:
        record.last_seen_at = now
        db.session.commit()
    user.bind_session(token)
    return user


def end_session(token: str | None) -> None:
    """End one sign-in record (sign-out): its cookie, and every copy of it, stops working."""
    if not token:
        return
    db.session.execute(
        update(StaffSession)
        .where(StaffSession.token_hash == _hash(token), StaffSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )
    db.session.commit()


def end_all_sessions(user_id: int, keep: str | None = None) -> int:
    """End every open sign-in of an account, except ``keep``; returns how many were ended."""
    statement = (
        update(StaffSession)
        .where(StaffSession.user_id == user_id, StaffSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )
    if keep:
        statement = statement.where(StaffSession.token_hash != _hash(keep))
    ended = db.session.execute(statement).rowcount  # type: ignore[attr-defined]
    db.session.commit()
    return int(ended or 0)


def signed_in_before_from(email: str, address: str) -> bool:
    """Whether the account with this e-mail has signed in successfully from ``address`` lately."""
    since = utcnow() - timedelta(days=KNOWN_ADDRESS_DAYS)
    found = db.session.scalar(
        select(StaffSession.id)
        .join(User, User.id == StaffSession.user_id)
        .where(
            User.email == email.strip().lower(),
            StaffSession.address == address[:64],
            StaffSession.created_at >= since,
        )
        .limit(1)
    )
    return found is not None
