"""One mechanism for all background work: the jobs table, its claim, its lease and its pauses."""

from __future__ import annotations

import re
import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from tests.conftest import Site, base_env
from tests.helpers import Candidate, applications, seed, wait_for
from webapp import create_app
from webapp.extensions import db
from webapp.models import SystemAlert, utcnow
from webapp.models.jobs import Job
from webapp.services import alerts, jobs
from webapp.services.outages import OutageLog, outage_log

ROOT = Path(__file__).resolve().parent.parent
SLUG = "data-analyst-amsterdam"
KINDS = {
    "upstream_create",
    "preview_interview",
    "mail",
    "result_check",
    "position_state",
    "platform_languages",
    "embed_key_rotation",
    "another_attempt",
}


def test_the_registry_holds_exactly_the_kinds_of_background_work(app: Flask) -> None:
    assert set(jobs.kinds(app)) == KINDS
    other = create_app(env=base_env(Path(app.instance_path), Path(app.instance_path) / "o.db"))
    assert jobs.kinds(other) is not jobs.kinds(app)  # registered per app, not at import


def test_no_module_but_the_jobs_module_takes_or_renews_a_lease() -> None:
    lease = re.compile(r"lease_(owner|expires_at)|with_for_update|FOR UPDATE")
    allowed = {ROOT / "webapp/services/jobs/store.py", ROOT / "webapp/models/jobs.py"}
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "webapp").rglob("*.py")
        if path not in allowed and lease.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_scheduling_joins_the_callers_transaction_and_never_doubles(app: Flask) -> None:
    with app.app_context():
        jobs.schedule("mail", 41)
        db.session.rollback()
        assert db.session.scalar(db.select(db.func.count(Job.id))) == 0

        first = jobs.schedule("mail", 42, run_at=utcnow() + timedelta(hours=1))
        again = jobs.schedule("mail", 42)  # waiting already: the same job, moved earlier
        db.session.commit()
        assert again.id == first.id and first.run_at <= utcnow()
        assert db.session.scalar(db.select(db.func.count(Job.id))) == 1

        db.session.add(Job(kind="mail", subject_id=42))  # a racing insert is refused
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
        db.session.remove()


def test_racing_claims_take_each_job_exactly_once(app: Flask) -> None:
    with app.app_context():
        for subject in range(30):
            jobs.schedule("mail", subject)
        db.session.commit()
        db.session.remove()
    taken: list[int] = []
    lock = threading.Lock()

    def claimer(name: str) -> None:
        with app.app_context():
            while (claimed := jobs.claim_next(name, {"mail": 60})) is not None:
                with lock:
                    taken.append(claimed.subject_id)
            db.session.remove()

    threads = [threading.Thread(target=claimer, args=(f"w{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(taken) == list(range(30))


def test_a_lapsed_lease_passes_the_job_on_and_the_old_owner_records_nothing(app: Flask) -> None:
    with app.app_context():
        jobs.schedule("mail", 7)
        db.session.commit()
        first = jobs.claim_next("dead", {"mail": 60})
        assert first is not None and jobs.claim_next("other", {"mail": 60}) is None
        db.session.execute(db.update(Job).values(lease_expires_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
        second = jobs.claim_next("other", {"mail": 60})
        assert second is not None and second.id == first.id and second.attempts == 2
        assert not jobs.record(first, jobs.done())  # the lease is no longer the dead one's
        assert jobs.record(second, jobs.retry_after(0, "try again"))
        db.session.commit()
        job = db.session.get(Job, first.id)
        assert job is not None and (job.state, job.last_error) == ("pending", "try again")
        db.session.remove()


def test_a_pause_for_a_refused_token_ends_when_the_alert_is_resolved(app: Flask) -> None:
    outages = OutageLog(base_seconds=600, cap_seconds=600)
    with app.app_context():
        alerts.raise_alert("upstream_auth", "refused")
        db.session.commit()
        outages.failed("platform", "HTTP 401", alert="upstream_auth")
        outages.lift("platform")
        assert outages.paused("platform")  # still refused: wait
        alerts.resolve("upstream_auth")  # a call got through somewhere
        db.session.commit()
        outages.lift("platform")
        assert not outages.paused("platform") and not outages.is_down("platform")
        db.session.remove()


def test_workers_resume_at_once_when_a_refused_token_works_again(site: Site) -> None:
    """The pause after a 401 is long (ten minutes here), yet the application goes ahead as soon
    as a call gets through — in this process or, as here, another one that resolves the alert."""
    seed(site.app)
    outage_log(site.app).base_seconds = 600
    site.sandbox.fault("401", count=1)
    candidate = Candidate(site.url)
    page = candidate.apply(SLUG, "fixed-token@example.com")
    wait_for(lambda: applications(site.app)[0]["last_error"], what="the refused call")
    assert outage_log(site.app).is_down("platform")
    with site.app.app_context():
        alert = db.session.scalar(db.select(SystemAlert).where(SystemAlert.key == "upstream_auth"))
        assert alert is not None and alert.resolved_at is None
        alerts.resolve("upstream_auth")  # what another worker's successful call does
        db.session.commit()
        db.session.remove()
    candidate.wait_for_stage(page, "interview", timeout=10)
    assert not outage_log(site.app).is_down("platform")
    calls = site.sandbox.calls()
    assert calls["api_calls"] - calls["faults_served"] == 1
    candidate.close()


def _migrated_to(app: Flask, revision: str) -> None:
    from flask_migrate import upgrade

    with app.app_context():
        upgrade(revision=revision)


def _carry_over(app: Flask) -> None:
    with app.app_context():
        connection = db.session.connection()
        now = utcnow()
        # Written as SQL: today's models have columns that this old schema has not.
        connection.execute(
            text(
                "INSERT INTO positions (slug, external_id, title, location, country_code, "
                "language_code, summary, description, state, interview, created_at, updated_at) "
                "VALUES ('p', 'CF-1', 'Engineer', 'Zagreb', 'HR', 'en', '', '', 'open', '{}', "
                ":now, :now)"
            ),
            {"now": now},
        )
        position = connection.execute(text("SELECT id FROM positions LIMIT 1")).scalar_one()
        connection.execute(
            text(
                "INSERT INTO outbox (message_id, kind, to_address, data, state, attempts, "
                "next_attempt_at, created_at, due_at) VALUES ('<a@x>', 'application_received', "
                "'a@example.com', '{}', 'pending', 2, :now, :now, :now), ('<b@x>', "
                "'application_received', 'b@example.com', '{}', 'sent', 1, :now, :now, :now)"
            ),
            {"now": now},
        )
        connection.execute(
            text(
                "INSERT INTO preview_interviews (position_id, job_state, attempts, "
                "next_attempt_at, lease_owner, lease_expires_at, created_at) VALUES "
                "(:position, 'in_flight', 1, :now, 'host:1', :now, :now)"
            ),
            {"position": position, "now": now},
        )
        db.session.commit()
        db.session.remove()
    _migrated_to(app, "0013_jobs")
    with app.app_context():
        found = db.session.execute(
            db.select(Job.kind, Job.state, Job.attempts, Job.lease_owner).order_by(Job.kind)
        ).all()
        db.session.remove()
    assert [tuple(row) for row in found] == [
        ("mail", "pending", 2, None),
        ("preview_interview", "running", 1, "host:1"),
    ]


def test_the_migration_carries_waiting_work_over_on_sqlite(tmp_path: Path) -> None:
    app = create_app(env=base_env(tmp_path, tmp_path / "m.sqlite3"), instance_path=tmp_path)
    _migrated_to(app, "0012_studio_revisions")
    _carry_over(app)


@pytest.mark.postgres
def test_the_migration_carries_waiting_work_over_on_postgresql(
    tmp_path: Path, postgres_database: str
) -> None:
    env: dict[str, Any] = base_env(
        tmp_path, tmp_path / "unused.sqlite3", DATABASE_URL=postgres_database
    )
    app = create_app(env=env, instance_path=tmp_path)
    _migrated_to(app, "0012_studio_revisions")
    _carry_over(app)
    with app.app_context():
        db.engine.dispose()
