"""Loading the demo company into the database: positions (idempotent) and sample résumés."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from webapp.demo.positions import DEMO_POSITIONS
from webapp.extensions import db
from webapp.models import Position, utcnow


def seed_positions() -> int:
    """Create or refresh the demo positions, all open; returns how many were created."""
    created = 0
    for data in DEMO_POSITIONS:
        position = db.session.scalar(select(Position).where(Position.slug == data["slug"]))
        if position is None:
            position = Position(slug=data["slug"], state="open", opened_at=utcnow())
            db.session.add(position)
            created += 1
        for key, value in data.items():
            setattr(position, key, value)
    db.session.commit()
    return created


def seed_resumes(folder: Path) -> list[Path]:
    """Write the sample résumés candidates can try, and return their paths."""
    from webapp.demo.resumes import write_sample_resumes

    folder.mkdir(parents=True, exist_ok=True)
    return write_sample_resumes(folder)
