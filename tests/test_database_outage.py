"""A database outage is a 503 with Retry-After and kind words, logged once; service resumes after.

Proved on SQLite (the file made unopenable) and on a throwaway PostgreSQL cluster that is
stopped and started again.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from flask import Flask
from werkzeug.exceptions import ServiceUnavailable

from tests.conftest import WEBHOOK_SECRET, make_site
from tests.helpers import seed
from tests.postgres import _as_postgres, _binary, free_port
from webapp.extensions import db

JOB = "/jobs/data-analyst-amsterdam"
APPLY = JOB + "/apply"
APPLICATION = {
    "full_name": "Ana Horvat",
    "email": "ana@example.com",
    "country": "HR",
    "consent": "y",
    "resume_text": "Barista and shift lead for five years in busy cafés; trained staff and ran ordering.",
}


def outage_lines(caplog: pytest.LogCaptureFixture) -> tuple[list[str], list[str]]:
    messages = [r.getMessage() for r in caplog.records if r.name == "webapp.errors"]
    return (
        [m for m in messages if m.startswith("database unreachable")],
        [m for m in messages if m == "database reachable again"],
    )


def assert_unavailable(response: httpx.Response | object, json: bool = False) -> None:
    status = getattr(response, "status_code")  # noqa: B009  (httpx and Flask responses alike)
    headers = getattr(response, "headers")  # noqa: B009
    assert status == 503
    assert headers["Retry-After"] == "60"
    if json:
        body = response.json() if isinstance(response, httpx.Response) else response.get_json()  # type: ignore[attr-defined]
        assert body == {"error": "We are briefly unavailable"}
    else:
        text = (
            response.text
            if isinstance(response, httpx.Response)
            else response.get_data(as_text=True)
        )  # type: ignore[attr-defined]
        assert "Please try again in a minute" in text
        assert "Traceback" not in text and "sqlite" not in text.lower()


@contextmanager
def sqlite_outage(app: Flask) -> Iterator[None]:
    """Make the app's SQLite file unopenable (a folder where it was), then put it back."""
    path = Path(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))
    away = path.with_name(path.name + ".away")
    with app.app_context():
        db.engine.dispose()  # pooled connections would keep the moved file open
    path.rename(away)
    path.mkdir()
    try:
        yield
    finally:
        path.rmdir()
        away.rename(path)


def test_an_sqlite_outage_is_a_503_logged_once(
    app: Flask, client, caplog: pytest.LogCaptureFixture
) -> None:
    seed(app)
    caplog.set_level(logging.INFO, logger="webapp.errors")
    assert client.get(JOB).status_code == 200
    with sqlite_outage(app):
        for _ in range(3):
            assert_unavailable(client.get(JOB))
        assert_unavailable(client.post(APPLY, data=APPLICATION))
        webhook = client.post(
            "/webhooks/jobmojito",
            json={"profile_interview_id": "x", "status": "active"},
            headers={"X-Webhook-Secret": WEBHOOK_SECRET},
        )
        assert_unavailable(webhook, json=True)
        signing_in = client.post(
            "/admin/login", data={"email": "a@staff.example", "password": "long-enough-pass"}
        )
        assert_unavailable(signing_in)
        down, up = outage_lines(caplog)
        assert len(down) == 1 and up == []
    assert client.get(JOB).status_code == 200
    assert client.post(APPLY, data=APPLICATION).status_code == 303
    down, up = outage_lines(caplog)
    assert len(down) == 1 and len(up) == 1
    assert not [
        r for r in caplog.records if r.levelno >= logging.ERROR and "unhandled" in r.getMessage()
    ]


def test_each_outage_is_logged_once(app: Flask, client, caplog: pytest.LogCaptureFixture) -> None:
    seed(app)
    caplog.set_level(logging.INFO, logger="webapp.errors")
    for _ in range(2):
        with sqlite_outage(app):
            client.get(JOB)
            client.get(JOB)
        assert client.get(JOB).status_code == 200
    down, up = outage_lines(caplog)
    assert len(down) == 2 and len(up) == 2


def test_http_errors_keep_their_headers(app: Flask, client) -> None:
    @app.get("/_test/maintenance")
    def maintenance() -> str:
        raise ServiceUnavailable(retry_after=30)

    response = client.get("/_test/maintenance")
    assert response.status_code == 503 and response.headers["Retry-After"] == "30"
    assert "Please try again in a minute" in response.get_data(as_text=True)
    refused = client.get("/webhooks/jobmojito")
    assert refused.status_code == 405 and refused.headers["Allow"]
    app.config.update(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="1 per minute")
    client.post("/admin/login", data={"email": "a@staff.example", "password": "x"})
    limited = client.post("/admin/login", data={"email": "a@staff.example", "password": "x"})
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) > 0


# --- PostgreSQL, stopped and started again --------------------------------------------------


class Cluster:
    """A throwaway PostgreSQL cluster of this test's own, so stopping it disturbs no one."""

    def __init__(self) -> None:
        initdb, self.pg_ctl = _binary("initdb"), _binary("pg_ctl")
        if not initdb or not self.pg_ctl:
            if os.environ.get("REQUIRE_POSTGRES"):
                pytest.fail("PostgreSQL server binaries (initdb, pg_ctl) are required here")
            pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
        self.folder = Path(tempfile.mkdtemp(prefix="careerframe-outage-"))
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        self.data, self.port = self.folder / "data", free_port()
        subprocess.run(
            _as_postgres([initdb, "-D", str(self.data), "-U", "careerframe", "--auth=trust"]),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        self.url = f"postgresql+psycopg://careerframe@127.0.0.1:{self.port}/postgres"

    def _ctl(self, *args: str) -> None:
        assert self.pg_ctl is not None
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        subprocess.run(
            _as_postgres([self.pg_ctl, "-D", str(self.data), "-o", options, "-w", *args]),
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def start(self) -> None:
        self._ctl("-l", str(self.folder / "log"), "start")

    def stop(self) -> None:
        self._ctl("-m", "fast", "stop")

    def remove(self) -> None:
        subprocess.run(
            _as_postgres([str(self.pg_ctl), "-D", str(self.data), "-m", "immediate", "stop"]),
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    running = Cluster()
    running.start()
    try:
        yield running
    finally:
        running.remove()


@pytest.mark.postgres
def test_a_postgresql_outage_is_a_503_and_service_resumes(
    tmp_path: Path, cluster: Cluster, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="webapp.errors")
    for site in make_site(tmp_path, None, database_url=cluster.url):
        seed(site.app)
        with httpx.Client(base_url=site.url, timeout=20) as http:
            assert http.get(JOB).status_code == 200
            cluster.stop()
            for _ in range(3):
                assert_unavailable(http.get(JOB))
            webhook = http.post(
                "/webhooks/jobmojito",
                json={"profile_interview_id": "x", "status": "active"},
                headers={"X-Webhook-Secret": WEBHOOK_SECRET},
            )
            assert_unavailable(webhook, json=True)
            down, up = outage_lines(caplog)
            assert len(down) == 1 and up == []
            cluster.start()
            assert http.get(JOB).status_code == 200
            down, up = outage_lines(caplog)
            assert len(down) == 1 and len(up) == 1
