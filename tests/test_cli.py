"""The operators' commands: staff accounts, demo data, key rotation."""

from __future__ import annotations

import re
from typing import Any

from cryptography.fernet import Fernet
from flask import Flask

from webapp.extensions import db
from webapp.models import Application, Position, User
from webapp.services.accounts import authenticate

PREVIEW_SLUG = "data-analyst-amsterdam"


def test_users_create_generates_a_password_shown_once_that_works(app: Flask) -> None:
    result = app.test_cli_runner().invoke(
        args=[
            "users",
            "create",
            "--email",
            "Rita@Example.com",
            "--role",
            "recruiter",
            "--generate-password",
        ]
    )
    assert result.exit_code == 0, result.output
    password = re.search(r"password \(shown once\): (\S+)", result.output).group(1)
    with app.app_context():
        user = authenticate("rita@example.com", password)
        assert user is not None and user.role == "recruiter"
        assert password not in user.password_hash


def test_users_create_asks_for_a_password_and_refuses_a_short_one(app: Flask) -> None:
    runner = app.test_cli_runner()
    short = runner.invoke(
        args=["users", "create", "--email", "a@example.com", "--role", "admin"],
        input="short\nshort\n",
    )
    assert short.exit_code != 0 and "at least 12 characters" in short.output
    good = "a-long-enough-password"
    ok = runner.invoke(
        args=["users", "create", "--email", "a@example.com", "--role", "admin"],
        input=f"{good}\n{good}\n",
    )
    assert ok.exit_code == 0 and good not in ok.output
    again = runner.invoke(
        args=["users", "create", "--email", "A@example.com", "--role", "admin"],
        input=f"{good}\n{good}\n",
    )
    assert again.exit_code != 0 and "already exists" in again.output


def test_seed_demo_is_idempotent_and_prints_the_logins_and_resumes(app: Flask) -> None:
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    second = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0 and second.exit_code == 0
    assert "demo positions ready (6 new)" in first.output and "(0 new)" in second.output
    logins = re.findall(r"(\w+) login: (\S+) / (\S+)", first.output)
    assert {role for role, _, _ in logins} == {"admin", "marketer", "recruiter"}
    assert logins == re.findall(r"(\w+) login: (\S+) / (\S+)", second.output)  # the same, kept
    assert re.search(r"sample résumé: \S+\.pdf", first.output) and re.search(
        r"sample résumé: \S+\.docx", first.output
    )
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Position.id))) == 6
        assert db.session.scalar(db.select(db.func.count(User.id))) == 3


def test_rotate_keys_re_encrypts_stored_signing_keys_under_the_new_key(app: Flask) -> None:
    from webapp.services.platform import init_app as init_platform
    from webapp.services.platform import platform
    from webapp.vault import Vault

    app.test_cli_runner().invoke(args=["seed-demo"])
    old = app.config["DATA_ENCRYPTION_KEYS"][0]
    with app.app_context():
        position = db.session.scalar(db.select(Position).limit(1))
        db.session.add(
            Application(
                position=position,
                full_name="Ana",
                email="a@example.com",
                email_normalized="a@example.com",
                country_code="HR",
                resume_text="x" * 200,
                embed_signing_key_encrypted=platform().vault.encrypt("esk_secret"),
            )
        )
        # The position's key, what every candidate page signs with, is re-encrypted too.
        position.embed_id = "emb_1"
        position.embed_signing_key_encrypted = platform().vault.encrypt("esk_position")
        db.session.commit()
    new = Fernet.generate_key().decode()
    app.config["DATA_ENCRYPTION_KEYS"] = [new, old]
    init_platform(app)
    result = app.test_cli_runner().invoke(args=["rotate-keys"])
    assert result.exit_code == 0 and "re-encrypted 2 stored key(s)" in result.output
    with app.app_context():
        stored = db.session.scalar(db.select(Application.embed_signing_key_encrypted))
        on_position = db.session.scalar(
            db.select(Position.embed_signing_key_encrypted).where(Position.embed_id == "emb_1")
        )
    assert Vault([new]).decrypt(stored) == "esk_secret"
    assert Vault([new]).decrypt(on_position) == "esk_position"


def test_the_sandbox_command_defaults_to_this_sites_token(app: Flask) -> None:
    import click

    command = app.cli.get_command(click.Context(app.cli), "sandbox")
    assert command is not None
    with app.app_context(), click.Context(command) as context:
        defaults = {p.name: p.get_default(context, call=True) for p in command.params}
    assert defaults["token"] == app.config["JOBMOJITO_API_TOKEN"]
    assert defaults["webhook_secret"] == app.config["JOBMOJITO_WEBHOOK_SECRET"]
    assert "careers.example.com" not in str(defaults)


def _preview_ready(app: Flask, signing_key: str) -> None:
    """A position whose preview interview the platform already made (its key encrypted now)."""
    from webapp.models.content import PreviewInterview
    from webapp.services.platform import platform

    with app.app_context():
        position = db.session.scalar(db.select(Position).where(Position.slug == PREVIEW_SLUG))
        db.session.add(
            PreviewInterview(
                position_id=position.id,
                job_state="done",
                decision="ai_accept",
                embed_id="emb_preview",
                embed_signing_key_encrypted=platform().vault.encrypt(signing_key),
            )
        )
        db.session.commit()


def _preview_page(app: Flask) -> Any:
    """The preview interview page, in a browser that holds a preview link."""
    from tests.studio_fixtures import make_account, preview_link, sign_in

    marketer = sign_in(app.test_client(), make_account(app, "mara@kestrel.example"))
    guest = app.test_client()
    guest.get(preview_link(marketer))
    return guest.get(f"/preview/jobs/{PREVIEW_SLUG}/interview")


def _use_keys(app: Flask, keys: list[str]) -> None:
    from webapp.services.platform import init_app as init_platform

    app.config["DATA_ENCRYPTION_KEYS"] = keys
    init_platform(app)


def test_rotate_keys_re_encrypts_the_preview_interviews_keys_too(app: Flask) -> None:
    from webapp.models.content import PreviewInterview
    from webapp.vault import Vault

    app.test_cli_runner().invoke(args=["seed-demo"])
    _preview_ready(app, "esk_preview_secret")
    old = app.config["DATA_ENCRYPTION_KEYS"][0]
    new = Fernet.generate_key().decode()
    _use_keys(app, [new, old])
    result = app.test_cli_runner().invoke(args=["rotate-keys"])
    assert result.exit_code == 0 and "re-encrypted 1 stored key(s)" in result.output
    assert "esk_preview_secret" not in result.output
    with app.app_context():
        stored = db.session.scalar(db.select(PreviewInterview.embed_signing_key_encrypted))
    assert Vault([new]).decrypt(stored) == "esk_preview_secret"

    _use_keys(app, [new])  # the old key retired: the preview still works
    response = _preview_page(app)
    assert response.status_code == 200
    assert (
        'id="interview-frame" src="http://127.0.0.1:9/embed?embed_id=emb_preview' in response.text
    )


def test_a_preview_key_no_configured_key_can_read_is_a_clear_page(app: Flask) -> None:
    app.test_cli_runner().invoke(args=["seed-demo"])
    _preview_ready(app, "esk_preview_secret")
    _use_keys(app, [Fernet.generate_key().decode()])  # retired without rotating first
    response = _preview_page(app)
    assert response.status_code == 503
    assert "stored key cannot be read with the site" in response.text
    assert "flask rotate-keys" in response.text and "esk_" not in response.text


def test_rotate_keys_covers_every_encrypted_column_and_reports_unreadable_rows(
    app: Flask,
) -> None:
    from webapp.cli import encrypted_columns

    found = {(model.__name__, name) for model, name in encrypted_columns()}
    assert {
        ("Application", "embed_signing_key_encrypted"),
        ("PreviewInterview", "embed_signing_key_encrypted"),
        ("Position", "embed_signing_key_encrypted"),
    } <= found

    app.test_cli_runner().invoke(args=["seed-demo"])
    _preview_ready(app, "esk_preview_secret")
    _use_keys(app, [Fernet.generate_key().decode()])
    result = app.test_cli_runner().invoke(args=["rotate-keys"])
    assert result.exit_code != 0
    assert "1 stored key(s) could not be decrypted" in result.output
    assert "preview_interviews.embed_signing_key_encrypted" in result.output
