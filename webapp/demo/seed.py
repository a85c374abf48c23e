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


DEMO_ACCOUNTS = (
    ("admin@kestrel.example", "admin"),
    ("marketer@kestrel.example", "marketer"),
    ("recruiter@kestrel.example", "recruiter"),
)


def seed_accounts(instance_path: Path) -> list[tuple[str, str, str]]:
    """One demo account per role; passwords are generated once and kept (0600) in the instance folder."""
    import json
    import os

    from webapp.models import User
    from webapp.services.accounts import create_user, set_password

    path = instance_path / "demo-logins.json"
    stored: dict[str, str] = json.loads(path.read_text("utf-8")) if path.exists() else {}
    logins = []
    for email, role in DEMO_ACCOUNTS:
        user = db.session.scalar(select(User).where(User.email == email))
        password = stored.get(email)
        if user is None:
            account = create_user(email, role, password)
            password = password or account.generated_password
        elif password is None:
            import secrets

            password = secrets.token_urlsafe(12)
            set_password(user, password)
        stored[email] = str(password)
        logins.append((email, role, str(password)))
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(stored, handle, indent=2)
    return logins
