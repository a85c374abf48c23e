"""The status document the preparation page polls: cheap, yet correct the moment the row changes."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import Site, make_site, worker_env
from tests.helpers import Candidate, VerifiedCandidate, seed
from webapp.tokens import CANDIDATE_LINK, TokenCache, TokenExpired, TokenInvalid, make_token

SLUG = "data-analyst-amsterdam"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def waiting_site(tmp_path: Path, migrated_template: Path) -> Iterator[Site]:
    """A seeded site whose sandbox answers after 3 s, and no workers of its own."""
    for site in make_site(tmp_path, migrated_template, latency=3.0):
        seed(site.app)
        yield site


def _row_state(database: str, public_id: str) -> str:
    with sqlite3.connect(database) as connection:
        (state,) = connection.execute(
            "SELECT job_state FROM applications WHERE public_id = ?", (public_id,)
        ).fetchone()
    return str(state)


def test_a_worker_in_another_process_is_seen_on_the_next_poll(waiting_site: Site) -> None:
    person = Candidate(waiting_site.url)
    page = person.apply(SLUG, "next.poll@example.com")
    for _ in range(20):  # warm every per-process memory the poll may keep
        assert person.status(page)["stage"] == "preparing"
    database = waiting_site.app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    from webapp.tokens import read_token

    config = waiting_site.app.config
    public_id = read_token(config["SECRET_KEY"], (), CANDIDATE_LINK, page.split("/")[2])
    worker = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "worker", "--threads", "1"],
        cwd=ROOT,
        env=worker_env(waiting_site),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while _row_state(database, public_id) != "done":
            assert time.monotonic() < deadline, "the worker never finished the upstream call"
            assert person.status(page)["stage"] == "preparing"
            time.sleep(0.05)
        # Committed by the other process a moment ago: the very next poll says so.
        assert person.status(page)["stage"] == "interview"
    finally:
        worker.terminate()
        worker.wait(timeout=20)
    person.close()


def test_the_poll_leaves_the_session_cookie_alone_and_stays_private(waiting_site: Site) -> None:
    waiting_site.start_workers()
    person = VerifiedCandidate(waiting_site.url, waiting_site.app)
    page = person.apply(SLUG, "cookie.poll@example.com")
    person.wait_for_stage(page, "interview")
    before = dict(person.http.cookies)
    answer = person.http.get(page + "/status.json")
    assert answer.status_code == 200 and answer.json()["stage"] == "interview"
    assert "Set-Cookie" not in answer.headers
    assert answer.headers["Cache-Control"] == "no-store"
    assert answer.headers["Referrer-Policy"] == "no-referrer"
    assert answer.headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert set(answer.json()) == {"stage", "step", "steps", "waiting_seconds", "slow", "retrying"}
    assert dict(person.http.cookies) == before
    # The candidate's page still reads the same session: the proven browser gets its frame.
    assert 'id="interview-frame"' in person.http.get(page).text
    person.close()


def test_a_broken_or_foreign_link_is_refused_by_the_poll(waiting_site: Site) -> None:
    person = Candidate(waiting_site.url)
    page = person.apply(SLUG, "broken.poll@example.com")
    assert person.http.get(page + "/status.json").status_code == 200
    assert person.http.get(page[:-3] + "AAA/status.json").status_code == 404
    other = make_token("another-key-0123456789abcdef", (), CANDIDATE_LINK, "x")
    assert person.http.get(f"/applications/{other}/status.json").status_code == 404
    person.close()


KEY = "token-cache-key-0123456789abcdef"


def test_the_token_cache_answers_as_the_signature_would() -> None:
    cache = TokenCache(CANDIDATE_LINK)
    token = make_token(KEY, (), CANDIDATE_LINK, "public-id")
    assert cache.read(KEY, (), token) == "public-id"
    assert cache.read(KEY, (), token) == "public-id"
    with pytest.raises(TokenInvalid):
        cache.read(KEY, (), token[:-2] + "xx")
    # A key taken out of service refuses its links at once, cached or not.
    with pytest.raises(TokenInvalid):
        cache.read("a-new-key-0123456789abcdef0123", (), token)
    assert cache.read("a-new-key-0123456789abcdef0123", (KEY,), token) == "public-id"
    assert "public-id" not in repr(cache) and token not in repr(cache)


def test_the_token_cache_never_outlives_the_link() -> None:
    cache = TokenCache(CANDIDATE_LINK, seconds=30)
    token = make_token(KEY, (), CANDIDATE_LINK, "short-lived")
    assert cache.read(KEY, (), token, max_age=1) == "short-lived"
    time.sleep(2.1)
    with pytest.raises(TokenExpired):
        cache.read(KEY, (), token, max_age=1)


def test_the_token_cache_is_bounded() -> None:
    cache = TokenCache(CANDIDATE_LINK, size=8)
    for index in range(50):
        cache.read(KEY, (), make_token(KEY, (), CANDIDATE_LINK, f"id-{index}"))
    assert len(cache._found) == 8


def test_the_lean_status_reads_the_same_on_postgresql(
    tmp_path: Path, postgres_database: str
) -> None:
    from webapp.extensions import db
    from webapp.models import Application
    from webapp.services.applications import candidate_status
    from webapp.services.candidate_poll import StatusQuery

    for site in make_site(tmp_path, None, database_url=postgres_database):
        seed(site.app)
        site.start_workers()
        person = Candidate(site.url)
        page = person.apply(SLUG, "pg.poll@example.com")
        person.wait_for_stage(page, "interview")
        assert person.status(page)["stage"] == "interview"
        with site.app.app_context():
            query = StatusQuery(db.engine)
            application = db.session.scalars(db.select(Application)).one()
            row = query.row(application.public_id)
            assert row is not None and row.created_at == application.created_at
            assert row.created_at.tzinfo is not None
            assert candidate_status(application).stage == "interview"
            assert query.row("no-such-id") is None
            db.session.remove()
        person.close()
