"""Applications: a candidate's submission, its upstream job, its interview and its history."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, LargeBinary, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import db
from webapp.models.common import UTCDateTime, utcnow
from webapp.models.positions import Position

# The upstream job's life: waiting to be called, being called (under a lease), answered, or
# given up (recruiters can re-queue it).
JOB_PENDING, JOB_IN_FLIGHT, JOB_DONE, JOB_GAVE_UP = "pending", "in_flight", "done", "gave_up"


def new_public_id() -> str:
    """A random id for candidate links; the database id never leaves the server."""
    return uuid.uuid4().hex


class Application(db.Model):  # type: ignore[name-defined,misc]
    """A candidate's application to one position."""

    __tablename__ = "applications"
    # One live application per address and position; a withdrawn one (its address was mistyped
    # and corrected) leaves the address free for its real owner.
    __table_args__ = (
        Index(
            "uq_application_once",
            "position_id",
            "email_normalized",
            unique=True,
            sqlite_where=text("withdrawn_at IS NULL"),
            postgresql_where=text("withdrawn_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    position_id: Mapped[int] = mapped_column(ForeignKey("positions.id"), index=True)
    position: Mapped[Position] = relationship(lazy="joined")

    full_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    email_normalized: Mapped[str] = mapped_column(String(254))
    country_code: Mapped[str] = mapped_column(String(2))
    linkedin_url: Mapped[str | None] = mapped_column(String(500))
    resume_text: Mapped[str] = mapped_column(Text)
    resume_filename: Mapped[str | None] = mapped_column(String(255))
    consented_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A hash of the submitting browser's CSRF secret: a repeated submit from that browser may go
    # back to this application; the same e-mail from anywhere else may not.
    submitted_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # Where the candidate came from (campaign parameters and the referring site's host only).
    utm_source: Mapped[str | None] = mapped_column(String(100))
    utm_medium: Mapped[str | None] = mapped_column(String(100))
    utm_campaign: Mapped[str | None] = mapped_column(String(100))
    referrer_host: Mapped[str | None] = mapped_column(String(100))
    # The language the candidate applied in (Babel's id, "pt_BR"); their page and every e-mail
    # about the application speak it. NULL (older rows) is the site's default language.
    locale: Mapped[str | None] = mapped_column(String(16))
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A mistyped address corrected by the candidate: this row is withdrawn and points to the
    # application made for the corrected address (same position and data, new public id).
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"), index=True)
    replaced_by: Mapped[Application | None] = relationship(
        remote_side="Application.id", foreign_keys=[replaced_by_id], back_populates="corrected_from"
    )
    corrected_from: Mapped[list[Application]] = relationship(
        foreign_keys=[replaced_by_id], back_populates="replaced_by"
    )

    # Proof of the e-mail address: the code is derived at send time from SECRET_KEY and this
    # nonce and never stored; a new nonce (a resend) makes the previous code useless.
    verify_nonce: Mapped[str | None] = mapped_column(String(64))
    verify_issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    verify_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # Where the upstream call stands, as candidates and recruiters see it; kept by the job's
    # handler (the scheduling itself, lease and retry clock, lives in ``jobs``).
    job_state: Mapped[str] = mapped_column(String(16), default=JOB_PENDING, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)

    # What the upstream answered.
    decision: Mapped[str | None] = mapped_column(String(32), index=True)
    reason: Mapped[str | None] = mapped_column(Text)
    recovered: Mapped[bool] = mapped_column(default=False)
    # The platform's values have no documented length: text, not bounded strings.
    interview_url: Mapped[str | None] = mapped_column(Text)
    profile_interview_id: Mapped[str | None] = mapped_column(String(255), index=True)
    upstream_position_id: Mapped[str | None] = mapped_column(String(255))
    interview_def_set_id: Mapped[str | None] = mapped_column(String(255))
    # The embed the platform answered for this application. Its key now lives on the position
    # (``Position.embed_signing_key_encrypted``, what every page signs with); this copy is no
    # longer written or read for signing, only kept readable for the processes of the previous
    # release during an upgrade, and cleared when the position's key is rotated.
    embed_id: Mapped[str | None] = mapped_column(String(255))
    embed_signing_key_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # What the webhooks reported about the interview.
    interview_status: Mapped[str | None] = mapped_column(String(64))
    result_status: Mapped[str | None] = mapped_column(String(16))
    score: Mapped[float | None] = mapped_column(Float)
    interview_finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # Numbered attempts: a recruiter may give another attempt at a submitted interview
    # (``services.attempts``). The result ids of earlier attempts and the time the platform granted
    # the current one tell news about an earlier attempt from news about this one.
    interview_attempt: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    attempt_granted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    retired_result_ids: Mapped[list[str] | None] = mapped_column(JSON)
    # The latest request for another attempt: asking, granted, refused or failed; the result it was
    # for, the platform's words when it refused, and the staff member who asked.
    attempt_request_state: Mapped[str | None] = mapped_column(String(16))
    attempt_request_result_id: Mapped[str | None] = mapped_column(String(255))
    attempt_request_note: Mapped[str | None] = mapped_column(Text)
    attempt_requested_by: Mapped[str | None] = mapped_column(String(254))

    events: Mapped[list[ApplicationEvent]] = relationship(
        back_populates="application", order_by="ApplicationEvent.id", cascade="all, delete-orphan"
    )


class ApplicationEvent(db.Model):  # type: ignore[name-defined,misc]
    """One entry of an application's history, shown to recruiters with its time."""

    __tablename__ = "application_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    application: Mapped[Application] = relationship(back_populates="events")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    kind: Mapped[str] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(Text, default="")


class WebhookDelivery(db.Model):  # type: ignore[name-defined,misc]
    """An update about an interview we applied: a webhook delivery or what a check found.

    The dedupe key is the update's identity (event, result id, the values we store), so a
    redelivery, however serialised, or a check finding what a webhook already said, is a no-op.
    """

    __tablename__ = "webhook_deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    dedupe_key: Mapped[str] = mapped_column(String(64), unique=True)
    event: Mapped[str] = mapped_column(String(64))
    profile_interview_id: Mapped[str | None] = mapped_column(String(255), index=True)
    application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"), index=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    # "webhook" (the platform told us) or "check" (we asked the results list).
    source: Mapped[str] = mapped_column(String(16), default="webhook", server_default="webhook")
