"""The operators' commands: staff accounts, demo data, key rotation."""

from __future__ import annotations

import re

from cryptography.fernet import Fernet
from flask import Flask

from webapp.extensions import db
from webapp.models import Application, Position, User
from webapp.services.accounts import authenticate


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
        db.session.commit()
    new = Fernet.generate_key().decode()
    app.config["DATA_ENCRYPTION_KEYS"] = [new, old]
    init_platform(app)
    result = app.test_cli_runner().invoke(args=["rotate-keys"])
    assert result.exit_code == 0 and "re-encrypted 1 stored key(s)" in result.output
    with app.app_context():
        stored = db.session.scalar(db.select(Application.embed_signing_key_encrypted))
    assert Vault([new]).decrypt(stored) == "esk_secret"


def test_the_sandbox_command_defaults_to_this_sites_token(app: Flask) -> None:
    import click

    command = app.cli.get_command(click.Context(app.cli), "sandbox")
    assert command is not None
    with app.app_context(), click.Context(command) as context:
        defaults = {p.name: p.get_default(context, call=True) for p in command.params}
    assert defaults["token"] == app.config["JOBMOJITO_API_TOKEN"]
    assert defaults["webhook_secret"] == app.config["JOBMOJITO_WEBHOOK_SECRET"]
    assert "careers.example.com" not in str(defaults)
