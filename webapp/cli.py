"""The ``flask`` commands: the demo, the worker, the sandbox, seeding and key rotation."""

from __future__ import annotations

import copy
import signal
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app, has_app_context
from flask.cli import with_appcontext

from webapp.jobmojito.sandbox.cli import sandbox_command


@click.command("worker")
@click.option(
    "--threads",
    default=4,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Background jobs run at once.",
)
@click.option(
    "--poll", default=0.5, show_default=True, type=float, help="Seconds between looks for due work."
)
@with_appcontext
def worker_command(threads: int, poll: float) -> None:
    """Run the background work: upstream calls, e-mail, result checks (one or several)."""
    from webapp.services.worker import start_workers

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    stop, workers = start_workers(app, threads, poll)

    def _stop(signum: int, frame: object) -> None:
        click.echo("stopping: finishing calls in flight…", err=True)
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    click.echo(f"worker running with {threads} thread(s); Ctrl+C to stop", err=True)
    while any(worker.is_alive() for worker in workers):
        for worker in workers:
            worker.join(timeout=0.5)


@click.command("seed-demo")
@with_appcontext
def seed_demo_command() -> None:
    """Load the demo company's positions and write sample résumés to the instance folder."""
    from webapp.demo.seed import seed_accounts, seed_positions, seed_resumes

    created = seed_positions()
    paths = seed_resumes(Path(current_app.instance_path) / "demo-resumes")
    click.echo(f"demo positions ready ({created} new)")
    for email, role, password in seed_accounts(Path(current_app.instance_path)):
        click.echo(f"{role} login: {email} / {password}")
    for path in paths:
        click.echo(f"sample résumé: {path}")


@click.group("users")
def users_group() -> None:
    """Manage staff accounts."""


@users_group.command("create")
@click.option("--email", required=True, help="The person's e-mail; they sign in with it.")
@click.option(
    "--role",
    required=True,
    type=click.Choice(["admin", "marketer", "recruiter"]),
    help="What they may do.",
)
@click.option(
    "--generate-password",
    is_flag=True,
    help="Generate a password and print it once, instead of asking.",
)
@with_appcontext
def users_create_command(email: str, role: str, generate_password: bool) -> None:
    """Create a staff account (the password is asked for, or generated and printed once)."""
    from webapp.services.accounts import AccountError, create_user

    password = None
    if not generate_password:
        password = click.prompt(
            "Password (at least 12 characters)", hide_input=True, confirmation_prompt=True
        )
    try:
        account = create_user(email, role, password)
    except AccountError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"created {account.user.email} ({account.user.role})")
    if account.generated_password:
        click.echo(f"password (shown once): {account.generated_password}")


def encrypted_columns() -> list[tuple[Any, str]]:
    """Every (model, attribute) that holds a secret encrypted at rest: named ``*_encrypted``."""
    from webapp.extensions import db

    found = []
    for mapper in db.Model.registry.mappers:  # type: ignore[attr-defined]
        for attribute in mapper.column_attrs:
            if attribute.key.endswith("_encrypted"):
                found.append((mapper.class_, attribute.key))
    return sorted(found, key=lambda pair: (pair[0].__name__, pair[1]))


@click.command("rotate-keys")
@with_appcontext
def rotate_keys_command() -> None:
    """Re-encrypt stored secrets under the first key of DATA_ENCRYPTION_KEYS."""
    from sqlalchemy import select

    from webapp.extensions import db
    from webapp.services.platform import platform
    from webapp.vault import VaultError

    vault = platform().vault
    count = unreadable = 0
    for model, name in encrypted_columns():
        column = getattr(model, name)
        row: Any
        for row in db.session.scalars(select(model).where(column.is_not(None))):
            try:
                setattr(row, name, vault.rotate(getattr(row, name)))
            except VaultError:
                unreadable += 1
                click.echo(
                    f"cannot decrypt {model.__tablename__}.{name} of row {row.id} "
                    "with any DATA_ENCRYPTION_KEYS key: left as it is",
                    err=True,
                )
                continue
            count += 1
    db.session.commit()
    click.echo(f"re-encrypted {count} stored key(s)")
    if unreadable:
        raise click.ClickException(
            f"{unreadable} stored key(s) could not be decrypted: keep the key that encrypted them "
            "in DATA_ENCRYPTION_KEYS and run rotate-keys again"
        )


@click.command("demo")
@click.option("--port", default=5000, show_default=True, type=int, help="Port of the careers site.")
@click.option(
    "--sandbox-port",
    default=5001,
    show_default=True,
    type=int,
    help="Port of the JobMojito sandbox.",
)
@click.option(
    "--latency", default=2.0, show_default=True, type=float, help="Sandbox latency in seconds."
)
@click.option(
    "--smtp-port",
    default=None,
    type=click.IntRange(1, 65535),
    help="Port of the local mail server (default: SMTP_PORT, 1025).",
)
@with_appcontext
def demo_command(port: int, sandbox_port: int, latency: float, smtp_port: int | None) -> None:
    """Run everything on this machine: the site, the sandbox (another origin) and the worker."""
    from flask_migrate import upgrade
    from werkzeug.serving import make_server

    from webapp.demo.seed import seed_accounts, seed_positions, seed_resumes
    from webapp.jobmojito.sandbox import create_sandbox_app, serve_sandbox_in_thread
    from webapp.jobmojito.sandbox.mailbox import mailbox_of, start_smtp
    from webapp.services.platform import init_app as init_platform
    from webapp.services.worker import start_workers
    from webapp.serving import PrivateLinkSafeRequestHandler

    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    upgrade()
    seed_positions()
    resumes = seed_resumes(Path(app.instance_path) / "demo-resumes")
    logins = [
        f"{role.capitalize():<10} {email} / {password}"
        for email, role, password in seed_accounts(Path(app.instance_path))
    ]
    site_url = f"http://127.0.0.1:{port}"
    sandbox = serve_sandbox_in_thread(
        create_sandbox_app(
            token=app.config["JOBMOJITO_API_TOKEN"],
            latency=latency,
            webhook_url=f"{site_url}/webhooks/jobmojito",
            webhook_secret=app.config["JOBMOJITO_WEBHOOK_SECRET"],
            webhook_header=app.config["JOBMOJITO_WEBHOOK_HEADER"],
            state_path=Path(app.instance_path) / SANDBOX_STATE_FILE,
        ),
        port=sandbox_port,
    )
    # The demo's mail goes to a local SMTP server whose mailbox the sandbox shows.
    smtp_port = smtp_port or int(app.config["SMTP_PORT"])
    smtp = start_smtp(mailbox_of(sandbox.app), port=smtp_port)
    # The demo always talks to its own sandbox and mail server, wherever they listen.
    app.config.update(
        JOBMOJITO_API_URL=f"{sandbox.url}/functions/v1",
        JOBMOJITO_EMBED_URL=f"{sandbox.url}/embed",
        SITE_URL=site_url,
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=smtp_port,
        SMTP_SECURITY="none",
        SMTP_USERNAME=None,
        SMTP_PASSWORD=None,
    )
    init_platform(app)
    stop, _ = start_workers(app, threads=4)
    server = make_server(
        "127.0.0.1", port, app, threaded=True, request_handler=PrivateLinkSafeRequestHandler
    )
    click.echo("")
    click.echo(f"  Careers site:      {site_url}/")
    click.echo(f"  JobMojito sandbox: {sandbox.url}/functions/v1  (embeds at {sandbox.url}/embed)")
    click.echo(f"  Mailbox:           {sandbox.url}/mailbox  (every e-mail the site sent)")
    click.echo(f"  Recruiter console: {sandbox.url}/console  (decide +review candidates)")
    click.echo(f"  Admin sign-in:     {site_url}/admin/")
    for line in logins:
        click.echo(f"    {line}")
    for path in resumes:
        click.echo(f"  Sample résumé:     {path}")
    click.echo(
        "  Try the e-mail tags +review, +reject, +recruiter-accept, +recruiter-reject (see README)."
    )
    click.echo("  Ctrl+C to stop.\n")
    done = threading.Event()

    def _stop(signum: int, frame: object) -> None:
        done.set()
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, _stop)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        smtp.stop()
        sandbox.shutdown()
        server.server_close()


def _site_setting(name: str, fallback: str | None = None) -> Callable[[], str | None]:
    def default() -> str | None:
        return str(current_app.config[name]) if has_app_context() else fallback

    return default


SANDBOX_STATE_FILE = "sandbox-state.json"


def _sandbox_state_file() -> str | None:
    """The sandbox's state file in this site's instance folder."""
    return str(Path(current_app.instance_path) / SANDBOX_STATE_FILE) if has_app_context() else None


def sandbox_for_this_site() -> click.Command:
    """``flask sandbox``: the sandbox command, defaulting its token, webhook secret and header to
    this site's settings (generated ones included), so site, worker and sandbox agree unset."""
    defaults = {
        "token": _site_setting("JOBMOJITO_API_TOKEN"),
        "webhook_secret": _site_setting("JOBMOJITO_WEBHOOK_SECRET"),
        "webhook_header": _site_setting("JOBMOJITO_WEBHOOK_HEADER", "X-Webhook-Secret"),
        "state_file": _sandbox_state_file,
    }
    params = []
    for param in sandbox_command.params:
        if isinstance(param, click.Option) and param.name in defaults:
            param = copy.copy(param)
            param.default = defaults[param.name]
            param.show_default = "this site's setting"
        params.append(param)
    return click.Command(
        sandbox_command.name,
        params=params,
        callback=sandbox_command.callback,
        help=sandbox_command.help,
    )


def init_app(app: Flask) -> None:
    """Register the commands."""
    commands = (worker_command, seed_demo_command, users_group, rotate_keys_command, demo_command)
    for command in (*commands, sandbox_for_this_site()):
        app.cli.add_command(command)
