"""Small helpers shared by test modules: seeding positions, polling for a condition."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask

from webapp.demo.seed import seed_positions
from webapp.extensions import db
from webapp.models import Application, Position

T = TypeVar("T")


def seed(app: Flask) -> None:
    """Load the demo positions."""
    with app.app_context():
        seed_positions()


def wait_for(check: Callable[[], T], timeout: float = 20.0, interval: float = 0.1, what: str = "condition") -> T:
    """Poll until ``check`` returns something truthy, or fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(interval)


def applications(app: Flask) -> list[dict[str, Any]]:
    """Every stored application as plain values."""
    with app.app_context():
        rows = db.session.scalars(db.select(Application).order_by(Application.id)).all()
        result = [
            {
                "email": row.email,
                "job_state": row.job_state,
                "decision": row.decision,
                "attempts": row.attempts,
                "public_id": row.public_id,
                "profile_interview_id": row.profile_interview_id,
                "interview_status": row.interview_status,
                "score": row.score,
                "last_error": row.last_error,
                "recovered": row.recovered,
            }
            for row in rows
        ]
        db.session.remove()
        return result


def position_id(app: Flask, slug: str) -> int:
    """The id of the position with this slug."""
    with app.app_context():
        value = db.session.scalar(db.select(Position.id).where(Position.slug == slug))
        db.session.remove()
        assert value is not None
        return value
