"""Staff accounts: creating them, checking passwords (argon2), ending sessions."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from webapp.extensions import db
from webapp.models import ROLES, User, utcnow
from webapp.services.staff_sessions import end_all_sessions, session_user

_hasher = PasswordHasher()
MIN_PASSWORD_LENGTH = 12
DUMMY_HASH_KEY = "careerframe.dummy_password_hash"


def _dummy_hash() -> str:
    """A hash to verify against for unknown e-mails, so their sign-in takes as long as a real one.

    Made on first use and kept per app: hashing costs tens of milliseconds, not worth paying
    at import time or in processes (workers, commands) that never sign anyone in.
    """
    extensions = current_app.extensions
    if DUMMY_HASH_KEY not in extensions:
        extensions[DUMMY_HASH_KEY] = _hasher.hash(secrets.token_urlsafe(16))
    return str(extensions[DUMMY_HASH_KEY])


class AccountError(ValueError):
    """An account cannot be created or changed as asked; the message says why."""


@dataclass(frozen=True)
class NewAccount:
    """A created account and its password, shown once when it was generated."""

    user: User
    generated_password: str | None


def create_user(email: str, role: str, password: str | None = None) -> NewAccount:
    """Create an account; a password is generated when none is given."""
    email = email.strip().lower()
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    if "@" not in email or len(email) > 254:
        raise AccountError("enter a valid e-mail address")
    generated = None
    if password is None:
        password = generated = secrets.token_urlsafe(15)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"passwords need at least {MIN_PASSWORD_LENGTH} characters")
    user = User(
        email=email,
        role=role,
        password_hash=_hasher.hash(password),
    )
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise AccountError("an account with this e-mail already exists") from None
    return NewAccount(user, generated)


def authenticate(email: str, password: str) -> User | None:
    """The active account with this e-mail and password, or None."""
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    try:
        _hasher.verify(user.password_hash if user else _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    user.last_login_at = utcnow()
    db.session.commit()
    return user


def load_session_user(session_id: str) -> User | None:
    """The account behind the staff-session id a cookie carries, while that sign-in is open."""
    return session_user(session_id)


def set_active(user: User, active: bool) -> None:
    """Switch an account on or off; switching it off ends all its sessions at once."""
    user.active = active
    db.session.commit()
    if not active:
        end_all_sessions(user.id)


def set_password(user: User, password: str, keep_session: str | None = None) -> None:
    """Change a password and end the account's sessions (all but ``keep_session``, if given).

    A person changing their own password may keep the session they did it from; a reset by
    an admin ends every session of the account.
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"passwords need at least {MIN_PASSWORD_LENGTH} characters")
    user.password_hash = _hasher.hash(password)
    db.session.commit()
    end_all_sessions(user.id, keep=keep_session)
