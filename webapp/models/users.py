"""Staff accounts: admins, marketers and recruiters."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import db
from webapp.models.common import UTCDateTime, utcnow

ROLES = ("admin", "marketer", "recruiter")


class User(UserMixin, db.Model):  # type: ignore[name-defined,misc]
    """A person who signs in to /admin; ``role`` decides what they may do."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(default=True)
    # Changing it (password change, deactivation) signs every session of the account out.
    session_nonce: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def is_active(self) -> bool:  # type: ignore[override]
        return self.active

    def get_id(self) -> str:
        """The session identity: id and nonce, so a changed nonce ends old sessions."""
        return f"{self.id}:{self.session_nonce}"

    def can(self, *roles: str) -> bool:
        """Whether this account holds one of ``roles`` (admins hold all)."""
        return self.role == "admin" or self.role in roles
