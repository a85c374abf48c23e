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


def wait_for(
    check: Callable[[], T], timeout: float = 20.0, interval: float = 0.1, what: str = "condition"
) -> T:
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


RESUME_TEXT = (
    "Data analyst with four years of SQL, Python and dashboard work for a logistics company; "
    "built demand forecasts per region and explained them clearly to operations managers."
)


class Candidate:
    """A person applying over real HTTP, with their own cookies, as a browser without JS would."""

    def __init__(self, site_url: str) -> None:
        import httpx

        self.http = httpx.Client(base_url=site_url, timeout=20, follow_redirects=False)

    def close(self) -> None:
        self.http.close()

    def apply(
        self,
        slug: str,
        email: str,
        *,
        name: str = "Amara Okafor",
        resume: str = RESUME_TEXT,
        file: tuple[str, bytes] | None = None,
        country: str = "NG",
    ) -> str:
        """Submit the form; returns the candidate's own page URL (path)."""
        import re

        page = self.http.get(f"/jobs/{slug}/apply").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        data = {
            "csrf_token": token,
            "full_name": name,
            "email": email,
            "country": country,
            "consent": "y",
            "website": "",
            "resume_text": "" if file else resume,
        }
        files = {"resume_file": (file[0], file[1])} if file else {"resume_file": ("", b"")}
        response = self.http.post(f"/jobs/{slug}/apply", data=data, files=files)
        assert response.status_code == 303, response.text[:2000]
        return response.headers["Location"]

    def status(self, page: str) -> dict[str, Any]:
        """The polled status document of a candidate page."""
        return self.http.get(page + "/status.json").json()  # type: ignore[no-any-return]

    def wait_for_stage(self, page: str, stage: str, timeout: float = 30) -> dict[str, Any]:
        """Poll like the page does until the stage is reached."""
        return wait_for(
            lambda: (s := self.status(page))["stage"] == stage and s,
            timeout=timeout,
            what=f"stage {stage}",
        )
