"""Candidates' requests for an adjustment to, or an alternative to, the AI interview."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from webapp.extensions import db
from webapp.i18n import N_
from webapp.models.applications import Application
from webapp.models.common import UTCDateTime, utcnow

# What a candidate may ask for (translated where the form shows it); the free text says the rest.
NEEDS = {
    "adjustment": N_("An adjustment to the video interview (more time, captions, a break…)"),
    "alternative": N_("A different way to interview (a call or a meeting with a person)"),
    "other": N_("Something else"),
}
DETAILS_MAX = 2000


class AccommodationRequest(db.Model):  # type: ignore[name-defined,misc]
    """One request, as the candidate wrote it, kept on the application for its recruiters."""

    __tablename__ = "accommodation_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    need: Mapped[str] = mapped_column(String(16))
    details: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    application: Mapped[Application] = relationship(
        Application,
        backref=backref(
            "accommodation_requests",
            order_by="AccommodationRequest.created_at",
            cascade="all, delete-orphan",
            passive_deletes=True,
        ),
    )

    @property
    def need_label(self) -> str:
        """The need in the words the candidate chose it by."""
        return NEEDS.get(self.need, self.need)
