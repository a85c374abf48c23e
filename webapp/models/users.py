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
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def is_active(self) -> bool:  # type: ignore[override]
        return self.active

    def bind_session(self, token: str) -> None:
        """Remember which sign-in this object stands for (kept in memory only; the cookie has it)."""
        self.__dict__["_staff_session_token"] = token

    def get_id(self) -> str:
        """The session identity Flask-Login keeps in the cookie: the staff session's random id.

        It names one server-side sign-in record, so ending that record ends every copy of the
        cookie. An object not bound to a sign-in has an identity no record matches.
        """
        return str(self.__dict__.get("_staff_session_token", ""))

    def can(self, *roles: str) -> bool:
        """Whether this account holds one of ``roles`` (admins hold all)."""
        return self.role == "admin" or self.role in roles
