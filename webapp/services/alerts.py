"""Configuration problems worth an operator's attention, kept until resolved."""

from __future__ import annotations

from sqlalchemy import select

from webapp.extensions import db
from webapp.models import SystemAlert, utcnow


def raise_alert(key: str, message: str) -> None:
    """Open (or refresh) the alert ``key``; the caller commits."""
    alert = db.session.scalar(select(SystemAlert).where(SystemAlert.key == key))
    now = utcnow()
    if alert is None:
        db.session.add(SystemAlert(key=key, message=message, first_seen_at=now, last_seen_at=now))
        return
    if alert.resolved_at is not None:
        alert.first_seen_at = now
    alert.message, alert.last_seen_at, alert.resolved_at = message, now, None


def resolve(key: str) -> None:
    """Close the alert ``key`` if it is open; the caller commits."""
    alert = db.session.scalar(select(SystemAlert).where(SystemAlert.key == key))
    if alert is not None and alert.resolved_at is None:
        alert.resolved_at = utcnow()


def open_alerts() -> list[SystemAlert]:
    """Every unresolved alert, oldest first."""
    return list(
        db.session.scalars(
            select(SystemAlert)
            .where(SystemAlert.resolved_at.is_(None))
            .order_by(SystemAlert.first_seen_at)
        )
    )
