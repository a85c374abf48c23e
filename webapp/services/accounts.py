"""Staff accounts: creating them, checking passwords (argon2), ending sessions."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from webapp.extensions import db
from webapp.models import ROLES, User, utcnow

_hasher = PasswordHasher()
# Verifying against this keeps the time of a login for an unknown e-mail like that of a known one.
_DUMMY_HASH = _hasher.hash("not-a-real-password")
MIN_PASSWORD_LENGTH = 12


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
        session_nonce=secrets.token_hex(8),
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
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
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
    """The account behind a session id (``id:nonce``), if the nonce still matches."""
    user_id, _, nonce = session_id.partition(":")
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or not secrets.compare_digest(user.session_nonce, nonce):
        return None
    return user


def set_active(user: User, active: bool) -> None:
    """Switch an account on or off; switching it off ends its sessions at once."""
    user.active = active
    if not active:
        user.session_nonce = secrets.token_hex(8)
    db.session.commit()


def set_password(user: User, password: str) -> None:
    """Change a password and end the account's other sessions."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"passwords need at least {MIN_PASSWORD_LENGTH} characters")
    user.password_hash = _hasher.hash(password)
    user.session_nonce = secrets.token_hex(8)
    db.session.commit()
