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


def _public_id_of(app: Flask, page: str) -> str:
    from webapp.tokens import CANDIDATE_LINK, read_token

    token = page.rstrip("/").split("?")[0].rsplit("/", 1)[-1]
    config = app.config
    return read_token(
        config["SECRET_KEY"], config["SECRET_KEY_FALLBACKS"], CANDIDATE_LINK, token, max_age=10**9
    )


def email_link_path(app: Flask, page: str) -> str:
    """The path of the link the candidate's e-mail carries for this candidate page (signed with
    the app's key, as the e-mail would be): opening it proves the address in that browser."""
    from webapp.tokens import EMAIL_LINK, make_token

    config = app.config
    token = make_token(
        config["SECRET_KEY"], config["SECRET_KEY_FALLBACKS"], EMAIL_LINK, _public_id_of(app, page)
    )
    return f"/continue/{token}"


def verify_session(candidate: Candidate, app: Flask, page: str) -> None:
    """Give this candidate's cookies a verified session for the application behind ``page``."""
    response = candidate.http.get(email_link_path(app, page))
    assert response.status_code == 303, response.text[:500]


def mail_text(message: Any) -> str:
    """The plain-text body of a received MIME message."""
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def code_in(message: Any) -> str:
    """The six-digit code of a received message."""
    import re

    from tests.leakwatch import LEAKS

    found = re.search(r"code: (\d{6})\b", mail_text(message))
    assert found, mail_text(message)
    LEAKS.codes.append(found.group(1))  # every code a test reads is watched for in the logs
    return found.group(1)


def link_in(message: Any) -> str:
    """The path of the first link to our site's /continue/ page in a received message."""
    import re

    found = re.search(r"https?://[^/\s]+(/continue/[^\s\"<>]+)", mail_text(message))
    assert found, mail_text(message)
    return found.group(1)


def mail_to(server: Any, address: str, count: int = 1, timeout: float = 15.0) -> list[Any]:
    """Wait for ``count`` messages to ``address``; all of them, oldest first."""

    def found() -> list[Any]:
        hits = [m for m in server.messages if address in str(m["To"])]
        return hits if len(hits) >= count else []

    return wait_for(found, timeout=timeout, interval=0.05, what=f"{count} e-mail(s) to {address}")


def mail_env(port: int, **extra: str) -> dict[str, str]:
    """Settings that send the site's e-mail to a test SMTP server on ``port``, retrying fast."""
    return {
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(port),
        "SMTP_SECURITY": "none",
        "SMTP_TIMEOUT": "5",
        "MAIL_FROM": "Kestrel Careers <careers@kestrel.example>",
        "MAIL_RETRY_BASE_SECONDS": "0.05",
        "MAIL_RETRY_CAP_SECONDS": "0.2",
        **extra,
    }


class VerifiedCandidate(Candidate):
    """A candidate whose browser proves the address right after applying (as the e-mailed link
    would), for tests about what follows rather than about the proof itself."""

    def __init__(self, site_url: str, app: Flask) -> None:
        super().__init__(site_url)
        self.app = app

    def apply(self, slug: str, email: str, **kwargs: Any) -> str:
        """Submit the form, then open the e-mailed link in this browser; the page URL."""
        page = super().apply(slug, email, **kwargs)
        verify_session(self, self.app, page)
        return page
