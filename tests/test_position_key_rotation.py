"""Revoking a position's interview links over real HTTP: the sandbox refuses old links, reloaded
pages work, the audit says who and when, and failures retry or give up clearly."""

from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from typing import Any

import httpx
import pytest
from flask import Flask
from werkzeug.serving import make_server

from tests.conftest import Site, make_site
from tests.helpers import VerifiedCandidate, position_id, seed, wait_for
from tests.studio_fixtures import PASSWORD, make_account
from webapp.extensions import db
from webapp.models.positions import PositionKeyRotation
from webapp.services import platform as platform_objects

SLUG = "data-analyst-amsterdam"
RECRUITER = "rita@kestrel.example"


class FlakyPlatform:
    """A real HTTP hop in front of the sandbox that can fail the calls switching embedding on
    (``is_embedded: true``) with a chosen status, a given number of times."""

    def __init__(self) -> None:
        self.upstream = ""
        self.fail_on_with: tuple[int, int] | None = None  # (status, how many times)
        self._lock = threading.Lock()
        self.server = make_server("127.0.0.1", 0, self, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def _should_fail(self, path: str, body: bytes) -> int | None:
        if not path.endswith("/job-interview-set-state"):
            return None
        with self._lock:
            if (
                self.fail_on_with is None
                or json.loads(body or b"{}").get("is_embedded") is not True
            ):
                return None
            status, left = self.fail_on_with
            self.fail_on_with = (status, left - 1) if left > 1 else None
            return status

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        path = environ["PATH_INFO"]
        status = self._should_fail(path, body)
        if status is not None:
            payload = json.dumps({"error": "Refused on purpose", "name": "position_id"}).encode()
            start_response(f"{status} Refused", [("Content-Type", "application/json")])
            return [payload]
        query = environ.get("QUERY_STRING", "")
        headers = {
            name: environ[key]
            for name, key in (
                ("Authorization", "HTTP_AUTHORIZATION"),
                ("Content-Type", "CONTENT_TYPE"),
            )
            if environ.get(key)
        }
        with httpx.Client(timeout=20) as http:
            answer = http.request(
                environ["REQUEST_METHOD"],
                f"{self.upstream}{path}" + (f"?{query}" if query else ""),
                content=body,
                headers=headers,
            )
        start_response(
            f"{answer.status_code} Answer",
            [("Content-Type", answer.headers.get("content-type", ""))],
        )
        return [answer.content]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def flaky() -> Iterator[FlakyPlatform]:
    hop = FlakyPlatform()
    yield hop
    hop.close()


@pytest.fixture
def live(tmp_path: Path, migrated_template: Path, flaky: FlakyPlatform) -> Iterator[Site]:
    """The live site whose API calls pass through ``flaky`` to its sandbox; workers running."""
    for site in make_site(tmp_path, migrated_template, env={"UPSTREAM_RETRY_BASE_SECONDS": "0.05"}):
        flaky.upstream = site.sandbox.url
        site.app.config["JOBMOJITO_API_URL"] = f"{flaky.url}/functions/v1"
        platform_objects.init_app(site.app)
        seed(site.app)
        site.start_workers()
        yield site


@pytest.fixture
def recruiter(live: Site) -> Any:
    """A recruiter's browser on the live app, CSRF checked as in production."""
    return sign_in_with_csrf(live.app, RECRUITER, "recruiter")


def sign_in_with_csrf(app: Flask, email: str, role: str) -> Any:
    """A new account's browser on ``app``, signed in through the form with its CSRF token."""
    make_account(app, email, role)
    client = app.test_client()
    token = csrf_of(client.get("/admin/login").get_data(as_text=True))
    response = client.post(
        "/admin/login", data={"email": email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302
    return client


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert found, html[:500]
    return found.group(1)


def frame_src(html: str) -> str:
    found = re.search(r'<iframe[^>]*\ssrc="([^"]+)"', html)
    assert found, "no interview frame on the page"
    return unescape(found.group(1))


def rotation_state(app: Flask) -> tuple[str, str | None]:
    with app.app_context():
        row = db.session.scalars(
            db.select(PositionKeyRotation).order_by(PositionKeyRotation.id.desc())
        ).first()
        db.session.remove()
        assert row is not None
        return row.state, row.last_error


def offered_interview(site: Site, email: str) -> tuple[VerifiedCandidate, str, str]:
    candidate = VerifiedCandidate(site.url, site.app)
    page = candidate.apply(SLUG, email)
    candidate.wait_for_stage(page, "interview")
    return candidate, page, frame_src(candidate.http.get(page).text)


def ask_to_revoke(recruiter: Any, position: int, reason: str) -> Any:
    form = f"/admin/positions/{position}/embed-key/revoke"
    confirm = recruiter.get(form)
    assert confirm.status_code == 200
    return confirm, recruiter.post(
        form, data={"csrf_token": csrf_of(confirm.get_data(as_text=True)), "reason": reason}
    )


def test_revoking_refuses_old_links_and_the_reloaded_page_works(
    live: Site, recruiter: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    candidate, page, old_link = offered_interview(live, "amara@example.com")
    position = position_id(live.app, SLUG)
    with httpx.Client(timeout=10) as browser:
        assert browser.get(old_link).status_code == 200
        panel = recruiter.get(f"/admin/positions/{position}").get_data(as_text=True)
        assert 'id="revoke-links"' in panel

        # Without the form's token nothing happens.
        refused = recruiter.post(
            f"/admin/positions/{position}/embed-key/revoke", data={"reason": "x"}
        )
        assert refused.status_code in (400, 422)
        with live.app.app_context():
            assert db.session.scalar(db.select(db.func.count(PositionKeyRotation.id))) == 0

        confirm, asked = ask_to_revoke(recruiter, position, "A link was posted on a forum")
        assert "1 interview in progress" in confirm.get_data(as_text=True)
        assert asked.status_code == 303
        wait_for(lambda: rotation_state(live.app)[0] == "done", timeout=20, what="the rotation")

        refused_link = browser.get(old_link)
        assert refused_link.status_code == 403
        reloaded = candidate.http.get(page)
        new_link = frame_src(reloaded.text)
        assert new_link != old_link
        opened = browser.get(new_link)
        assert opened.status_code == 200 and "Welcome, Amara Okafor" in opened.text

        audit = recruiter.get(f"/admin/positions/{position}").get_data(as_text=True)
        assert RECRUITER in audit and "A link was posted on a forum" in audit
        assert re.search(r'<tr data-state="done">.*?UTC.*?New key in use since', audit, re.S)
        pages = [confirm.get_data(as_text=True), audit, reloaded.text]
    candidate.close()
    keys = live.sandbox.server.sandbox.store.signing_keys()
    assert len(keys) == 2  # the retired one and the new one
    for key in keys:
        assert key not in caplog.text
        assert all(key not in html for html in pages)
    assert old_link not in caplog.text and new_link not in caplog.text


def rotation_attempts(app: Flask) -> int:
    with app.app_context():
        found = db.session.scalar(db.select(db.func.max(PositionKeyRotation.attempts)))
        db.session.remove()
        return int(found or 0)


def test_a_half_done_rotation_retries_the_second_step_and_says_interviews_are_unavailable(
    live: Site, recruiter: Any, flaky: FlakyPlatform
) -> None:
    candidate, page, old_link = offered_interview(live, "ben@example.com")
    position = position_id(live.app, SLUG)
    flaky.fail_on_with = (503, 1000)  # switching on keeps failing until the platform recovers
    ask_to_revoke(recruiter, position, "")
    wait_for(lambda: rotation_attempts(live.app) >= 3, timeout=20, what="three failed attempts")
    state, error = rotation_state(live.app)
    assert state == "disabled" and error is not None and "HTTP 503" in error
    panel = unescape(recruiter.get(f"/admin/positions/{position}").get_data(as_text=True))
    assert 'id="embed-key-unavailable"' in panel
    assert "Interviews of this position are unavailable" in panel
    assert "Old links are off; waiting for the new key (retrying: Switching embedding on" in panel
    assert httpx.get(old_link, timeout=10).status_code == 403
    assert "<iframe" not in candidate.http.get(page).text  # no link that would be refused
    flaky.fail_on_with = None  # the platform is back
    wait_for(
        lambda: rotation_state(live.app)[0] == "done", timeout=30, what="the retried second step"
    )
    assert httpx.get(old_link, timeout=10).status_code == 403
    assert httpx.get(frame_src(candidate.http.get(page).text), timeout=10).status_code == 200
    after = recruiter.get(f"/admin/positions/{position}").get_data(as_text=True)
    assert 'id="embed-key-unavailable"' not in after
    # The first step ran once: the retries only switched embedding on.
    assert len(live.sandbox.server.sandbox.store.signing_keys()) == 2
    candidate.close()


def test_a_refusal_gives_up_clearly_and_try_again_completes(
    live: Site, recruiter: Any, flaky: FlakyPlatform
) -> None:
    candidate, page, old_link = offered_interview(live, "cleo@example.com")
    position = position_id(live.app, SLUG)
    flaky.fail_on_with = (422, 1)
    ask_to_revoke(recruiter, position, "")
    wait_for(lambda: rotation_state(live.app)[0] == "failed", timeout=20, what="the give-up")
    state, error = rotation_state(live.app)
    assert error is not None and "Switching embedding on: HTTP 422" in error
    panel = unescape(recruiter.get(f"/admin/positions/{position}").get_data(as_text=True))
    assert "Gave up: Switching embedding on: HTTP 422" in panel
    assert "interviews stay unavailable until this completes" in panel
    assert 'id="embed-key-unavailable"' in panel
    with live.app.app_context():
        rotation_id = db.session.scalar(db.select(PositionKeyRotation.id))
    retry = f"/admin/positions/{position}/embed-key/rotations/{rotation_id}/retry"
    assert recruiter.post(retry).status_code == 400  # the button's token is required
    assert recruiter.post(retry, data={"csrf_token": csrf_of(panel)}).status_code == 303
    wait_for(lambda: rotation_state(live.app)[0] == "done", timeout=20, what="the second try")
    assert httpx.get(old_link, timeout=10).status_code == 403
    assert httpx.get(frame_src(candidate.http.get(page).text), timeout=10).status_code == 200
    candidate.close()


def test_only_recruiters_and_admins_may_revoke(live: Site) -> None:
    position = position_id(live.app, SLUG)
    marketer = sign_in_with_csrf(live.app, "mara@kestrel.example", "marketer")
    assert marketer.get(f"/admin/positions/{position}/embed-key/revoke").status_code == 403
    admin = sign_in_with_csrf(live.app, "ada@kestrel.example", "admin")
    page = admin.get(f"/admin/positions/{position}/embed-key/revoke").get_data(as_text=True)
    assert "0 interviews in progress" in page
    # Not on the platform yet (no application): asking is refused with a clear message.
    answer = admin.post(
        f"/admin/positions/{position}/embed-key/revoke",
        data={"csrf_token": csrf_of(page), "reason": ""},
    )
    assert answer.status_code == 303
    shown = admin.get(answer.headers["Location"]).get_data(as_text=True)
    assert "JobMojito has no interview links for this position yet" in unescape(shown)
