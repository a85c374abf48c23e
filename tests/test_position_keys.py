"""The embed key lives on the position: migrated there, kept from answers, counted, and rotated."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import text

from tests.admin_fixtures import make_application, make_position
from tests.conftest import base_env
from webapp import create_app
from webapp.extensions import db
from webapp.models import Application, Position, utcnow
from webapp.services.interviews import InterviewUnavailable, KeyCache, signed_embed_url
from webapp.services.platform import platform
from webapp.services.position_keys import in_progress_count, remember_key

# --- the migration -----------------------------------------------------------------------------

_POSITION = (
    "INSERT INTO positions (id, slug, external_id, title, location, country_code, language_code, "
    "summary, description, state, interview, created_at, updated_at) VALUES (:id, :slug, :code, "
    "'Engineer', 'Zagreb', 'HR', 'en', '', '', 'open', '{}', :now, :now)"
)
_APPLICATION = (
    "INSERT INTO applications (public_id, position_id, full_name, email, email_normalized, "
    "country_code, resume_text, consented_at, created_at, job_state, attempts, recovered, "
    "embed_id, embed_signing_key_encrypted) VALUES (:pid, :position, 'Ana', :email, :email, 'HR', "
    "'cv', :at, :at, 'done', 1, false, :embed, :key)"
)


def _migrate_old_keys(app: Flask) -> None:
    from flask_migrate import upgrade

    with app.app_context():
        upgrade(revision="0015_sections")
        vault = platform().vault
        now = utcnow()
        connection = db.session.connection()
        for number in (1, 2, 3):
            connection.execute(
                text(_POSITION),
                {"id": number, "slug": f"p{number}", "code": f"CF-{number}", "now": now},
            )
        rows = [  # position 1: an older and a newer answer; the newest wins
            ("a1", 1, "emb_old", vault.encrypt("esk_old"), now - timedelta(days=2)),
            ("a2", 1, "emb_new", vault.encrypt("esk_new"), now - timedelta(days=1)),
            ("a3", 1, None, None, now),  # the newest application has no key (say, rejected)
            ("a4", 2, "emb_two", vault.encrypt("esk_two"), now),
        ]  # position 3 has no application at all
        for pid, position, embed, key, at in rows:
            connection.execute(
                text(_APPLICATION),
                {
                    "pid": pid,
                    "position": position,
                    "email": f"{pid}@example.com",
                    "embed": embed,
                    "key": key,
                    "at": at,
                },
            )
        db.session.commit()
        upgrade(revision="0016_position_embed_keys")
        found = {
            row.id: (row.embed_id, row.embed_signing_key_encrypted, row.embed_key_version)
            for row in db.session.execute(
                text(
                    "SELECT id, embed_id, embed_signing_key_encrypted, embed_key_version "
                    "FROM positions"
                )
            )
        }
        assert found[1][0] == "emb_new" and vault.decrypt(bytes(found[1][1])) == "esk_new"
        assert found[2][0] == "emb_two" and vault.decrypt(bytes(found[2][1])) == "esk_two"
        assert found[3] == (None, None, 0)
        assert db.session.execute(text("SELECT count(*) FROM position_key_rotations")).scalar() == 0
        db.session.remove()
        db.engine.dispose()


def test_the_migration_moves_the_newest_application_key_onto_its_position(tmp_path: Path) -> None:
    app = create_app(env=base_env(tmp_path, tmp_path / "m.sqlite3"), instance_path=tmp_path)
    _migrate_old_keys(app)


@pytest.mark.postgres
def test_the_migration_moves_keys_on_postgresql(tmp_path: Path, postgres_database: str) -> None:
    env: dict[str, Any] = base_env(
        tmp_path, tmp_path / "unused.sqlite3", DATABASE_URL=postgres_database
    )
    _migrate_old_keys(create_app(env=env, instance_path=tmp_path))


# --- the key kept on the position, and what signs with it ----------------------------------------


def test_every_application_of_a_position_signs_with_the_position_key(app: Flask) -> None:
    position_id = make_position(app)
    first, second = make_application(app, position_id), make_application(app, position_id)
    with app.app_context():
        vault, keys = platform().vault, KeyCache()
        position = db.session.get(Position, position_id)
        one, two = db.session.get(Application, first), db.session.get(Application, second)
        with pytest.raises(InterviewUnavailable):  # nothing answered yet: nothing to sign
            signed_embed_url(one, vault, "https://embed.example/embed", keys)
        assert remember_key(position, "emb_1", "esk_first", vault, utcnow())
        signed = [
            signed_embed_url(a, vault, "https://embed.example/embed", keys) for a in (one, two)
        ]
        assert all("embed_id=emb_1" in url for url in signed)
        # The same key again changes nothing; a different one, answered later, replaces it, and
        # the cache (keyed by the stored ciphertext) never answers with the old one.
        assert not remember_key(position, "emb_1", "esk_first", vault, utcnow())
        assert remember_key(position, "emb_2", "esk_second", vault, utcnow())
        assert position.embed_key_version == 2
        renewed = signed_embed_url(one, vault, "https://embed.example/embed", keys)
        assert "embed_id=emb_2" in renewed and renewed != signed[0]
        # An answer to a call made before the key last changed carries a stale key: ignored.
        assert not remember_key(
            position, "emb_1", "esk_first", vault, utcnow() - timedelta(hours=1)
        )
        assert position.embed_id == "emb_2"


def test_the_in_progress_count_is_offered_and_unfinished_interviews_only(app: Flask) -> None:
    position_id, other = make_position(app), make_position(app)
    now = utcnow()
    counted = [
        {"decision": "ai_accept"},
        {"decision": "recruiter_accept", "interview_status": "ongoing"},
        {"decision": "already-applied"},
        {"decision": "ai_accept", "interview_status": "abandoned"},  # may be taken again
    ]
    not_counted = [
        {"decision": "ai_accept", "interview_finished_at": now},
        {"decision": "ai_accept", "interview_status": "completed, stopped early"},
        {"decision": "ai_reject"},
        {"decision": "recruiter_action"},
        {"decision": "ai_accept", "erased_at": now},
        {"decision": "ai_accept", "withdrawn_at": now},
        {"decision": None, "job_state": "pending"},
    ]
    for values in counted + not_counted:
        make_application(app, position_id, **values)
    make_application(app, other, decision="ai_accept")
    with app.app_context():
        assert in_progress_count(position_id) == len(counted)
        assert in_progress_count(other) == 1
