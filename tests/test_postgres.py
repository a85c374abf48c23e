"""PostgreSQL, the production database: migrations, and the whole path with racing workers."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import pytest

from tests.conftest import Site, make_site
from tests.helpers import Candidate, applications, seed, wait_for

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_site(tmp_path: Path, postgres_database: str) -> Iterator[Site]:
    yield from make_site(tmp_path, None, latency=0.2, database_url=postgres_database)


def test_migrations_run_on_postgresql_from_the_command_line(
    tmp_path: Path, postgres_database: str
) -> None:
    env = {
        "PATH": "/usr/bin:/bin",
        "APP_ENV": "development",
        "INSTANCE_PATH": str(tmp_path),
        "DATABASE_URL": postgres_database,
    }
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    with psycopg.connect(postgres_database.replace("+psycopg", "")) as connection:
        tables = {
            row[0]
            for row in connection.execute(
                "select tablename from pg_tables where schemaname='public'"
            )
        }
    assert {
        "positions",
        "applications",
        "application_events",
        "webhook_deliveries",
        "users",
        "alembic_version",
    } <= tables


def test_racing_workers_on_postgresql_call_once_per_application_and_finish(pg_site: Site) -> None:
    site = pg_site
    seed(site.app)
    candidate = Candidate(site.url)
    pages = [candidate.apply("data-analyst-amsterdam", f"pg{i}@example.com") for i in range(16)]
    site.start_workers(threads=4)
    with site.second_worker_process(threads=4):
        wait_for(
            lambda: all(row["job_state"] == "done" for row in applications(site.app)),
            timeout=60,
            what="all done",
        )
    calls = site.sandbox.calls()
    assert calls["api_calls"] == 16 and calls["interviews_created"] == 16
    # The whole path works on PostgreSQL: the interview, then the webhooks, then the thank-you page.
    row = applications(site.app)[0]
    httpx.post(
        f"{site.sandbox.url}/interview/{row['profile_interview_id']}/submit", json={"answers": []}
    )
    page = next(p for p in pages if candidate.status(p)["stage"] == "interview")
    wait_for(
        lambda: any(r["score"] is not None for r in applications(site.app)),
        what="webhook on PostgreSQL",
    )
    assert candidate.status(page)["stage"] in ("interview", "finished")
    candidate.close()
