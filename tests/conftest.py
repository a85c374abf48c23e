"""Shared fixtures: the app on a fresh database, a real sandbox on its own port, the live site."""

from __future__ import annotations

import logging
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.fernet import Fernet
from flask import Flask
from werkzeug.serving import BaseWSGIServer, make_server

from tests.chromium import chromium_path
from tests.leakwatch import LEAKS, LeakWatch
from webapp import create_app
from webapp.extensions import db
from webapp.jobmojito.sandbox import SandboxServer, create_sandbox_app, serve_sandbox_in_thread
from webapp.services.platform import close as close_platform

# The throwaway PostgreSQL cluster fixtures, for every test module.
pytest_plugins = ["tests.postgres"]

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
SANDBOX_TOKEN = "sandbox-token-for-tests-0123456789"
WEBHOOK_SECRET = "webhook-secret-for-tests-0123456789"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Launch the local Chromium with a fake camera and microphone, and no background traffic."""
    args = {
        **browser_type_launch_args,
        "args": [
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--disable-sync",
        ],
    }
    path = chromium_path()
    if path:
        args["executable_path"] = path
    return args


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite database built by the real migrations once; each test gets a copy."""
    folder = tmp_path_factory.mktemp("template")
    database = folder / "template.sqlite3"
    app = create_app(env=base_env(folder, database), instance_path=folder)
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        db.engine.dispose()
    return database


def base_env(instance: Path, database: Path, **extra: str) -> dict[str, str]:
    """Environment for an app under test: every secret given, so nothing is generated."""
    return {
        "APP_ENV": "development",
        "SECRET_KEY": "test-secret-key-0123456789abcdef",
        "DATABASE_URL": f"sqlite:///{database}",
        "JOBMOJITO_API_URL": "http://127.0.0.1:9/functions/v1",
        "JOBMOJITO_EMBED_URL": "http://127.0.0.1:9/embed",
        "JOBMOJITO_API_TOKEN": SANDBOX_TOKEN,
        "JOBMOJITO_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "DATA_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "JOBMOJITO_READ_TIMEOUT": "10",
        "UPSTREAM_RETRY_BASE_SECONDS": "0.2",
        "RATELIMIT_ENABLED": "false",
        "PAGE_CACHE_SECONDS": "0",
        "SITE_URL": "http://localhost",  # the test client's host
        **extra,
    }


@dataclass
class Sandbox:
    """A running sandbox and an HTTP client for its control endpoints."""

    server: SandboxServer

    @property
    def url(self) -> str:
        return self.server.url

    def control(self) -> httpx.Client:
        return httpx.Client(
            base_url=self.url, headers={"Authorization": f"Bearer {SANDBOX_TOKEN}"}, timeout=10
        )

    def calls(self) -> dict[str, Any]:
        with self.control() as client:
            return client.get("/_sandbox/calls").json()  # type: ignore[no-any-return]

    def fault(self, kind: str, count: int = 1, **options: Any) -> None:
        with self.control() as client:
            client.post(
                "/_sandbox/faults", json={"kind": kind, "count": count, **options}
            ).raise_for_status()

    def set_latency(self, seconds: float) -> None:
        with self.control() as client:
            client.post("/_sandbox/config", json={"latency": seconds}).raise_for_status()


class _Deferred:
    """A WSGI app whose target is set after the server has its port (the sandbox needs that URL)."""

    target: Flask | None = None

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        assert self.target is not None
        return self.target(environ, start_response)


@dataclass
class Site:
    """The careers site served on a real port, talking to a real sandbox on another."""

    app: Flask
    url: str
    sandbox: Sandbox
    server: BaseWSGIServer
    workers: tuple[threading.Event, list[threading.Thread]] | None = None

    def start_workers(self, threads: int = 2) -> None:
        from webapp.services.worker import start_workers

        if self.workers is None:
            self.workers = start_workers(self.app, threads, poll_interval=0.1)

    @contextmanager
    def second_worker_process(self, threads: int, **env: str) -> Iterator[None]:
        """Workers of another app instance on the same database: a second worker process, in-process."""
        from webapp.services.worker import start_workers

        other = create_app(env=worker_env(self, **env), instance_path=self.app.instance_path)
        stop, running = start_workers(other, threads, poll_interval=0.05)
        try:
            yield
        finally:
            stop.set()
            for thread in running:
                thread.join(timeout=15)
            with other.app_context():
                db.engine.dispose()

    def stop_workers(self) -> None:
        if self.workers is not None:
            stop, threads = self.workers
            stop.set()
            for thread in threads:
                thread.join(timeout=15)
            self.workers = None


class _LogCollector(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        try:
            LEAKS.log_lines.append(self.format(record))
        except Exception:  # a record that cannot be formatted is not a secret on screen
            pass


def _record_response(sender: Flask, response: Any, **extra: Any) -> None:
    if sender.import_name != "webapp" or response.direct_passthrough:
        return
    headers = "\n".join(f"{k}: {v}" for k, v in response.headers.items()).encode()
    LEAKS.responses.append(headers + b"\n\n" + response.get_data())


@pytest.fixture(scope="session", autouse=True)
def watch_for_leaks() -> Iterator[LeakWatch]:
    """Keep every product response and log line of the run, to prove no signing key is in them."""
    from flask import request_finished

    handler = _LogCollector()
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    logging.getLogger().addHandler(handler)
    request_finished.connect(_record_response)
    yield LEAKS
    request_finished.disconnect(_record_response)
    logging.getLogger().removeHandler(handler)


def make_site(
    tmp_path: Path,
    migrated_template: Path | None,
    *,
    latency: float = 0.0,
    env: dict[str, str] | None = None,
    database_url: str | None = None,
) -> Iterator[Site]:
    """Build a site + sandbox pair on two free ports; yields it, then shuts both down.

    The database is a copy of the migrated SQLite template, or ``database_url`` migrated here.
    """
    database = tmp_path / "site.sqlite3"
    if database_url is None:
        assert migrated_template is not None
        shutil.copy(migrated_template, database)
    deferred = _Deferred()
    server = make_server("127.0.0.1", 0, deferred, threaded=True)
    site_url = f"http://127.0.0.1:{server.server_port}"
    sandbox_server = serve_sandbox_in_thread(
        create_sandbox_app(
            token=SANDBOX_TOKEN,
            latency=latency,
            webhook_url=f"{site_url}/webhooks/jobmojito",
            webhook_secret=WEBHOOK_SECRET,
            webhook_header="X-Webhook-Secret",
        )
    )
    sandbox = Sandbox(sandbox_server)
    LEAKS.sandboxes.append(sandbox_server)
    app = create_app(
        env=base_env(
            tmp_path,
            database,
            JOBMOJITO_API_URL=f"{sandbox.url}/functions/v1",
            JOBMOJITO_EMBED_URL=f"{sandbox.url}/embed",
            **({"DATABASE_URL": database_url} if database_url else {}),
            **{"SITE_URL": site_url, **(env or {})},
        ),
        instance_path=tmp_path,
    )
    if database_url is not None:
        from flask_migrate import upgrade

        with app.app_context():
            upgrade()
    deferred.target = app
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    site = Site(app=app, url=site_url, sandbox=sandbox, server=server)
    try:
        yield site
    finally:
        site.stop_workers()
        server.shutdown()
        server.server_close()
        sandbox_server.shutdown()
        close_platform(app)
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def site(tmp_path: Path, migrated_template: Path) -> Iterator[Site]:
    """The live site and its sandbox, with background workers running."""
    for live in make_site(tmp_path, migrated_template):
        live.start_workers()
        yield live


@pytest.fixture
def app(tmp_path: Path, migrated_template: Path) -> Iterator[Flask]:
    """An app on a fresh, migrated database, with no upstream reachable."""
    database = tmp_path / "app.sqlite3"
    shutil.copy(migrated_template, database)
    application = create_app(env=base_env(tmp_path, database), instance_path=tmp_path)
    application.config.update(WTF_CSRF_ENABLED=False)
    yield application
    close_platform(application)
    with application.app_context():
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> Any:
    """A test client for ``app``."""
    return app.test_client()


@pytest.fixture
def quiet_site(tmp_path: Path, migrated_template: Path) -> Iterator[Site]:
    """The live site and its sandbox (3 s latency), with no workers: tests run their own."""
    yield from make_site(tmp_path, migrated_template, latency=3.0)


def worker_env(site: Site, **extra: str) -> dict[str, str]:
    """Environment for a ``flask worker`` process sharing the site's database and keys."""
    config = site.app.config
    return {
        **{
            key: value
            for key, value in os.environ.items()
            if key in ("PATH", "HOME", "LANG", "VIRTUAL_ENV")
        },
        "APP_ENV": "development",
        "INSTANCE_PATH": config.get("TEST_INSTANCE_PATH", site.app.instance_path),
        "SECRET_KEY": config["SECRET_KEY"],
        "DATABASE_URL": config["SQLALCHEMY_DATABASE_URI"],
        "JOBMOJITO_API_URL": config["JOBMOJITO_API_URL"],
        "JOBMOJITO_EMBED_URL": config["JOBMOJITO_EMBED_URL"],
        "JOBMOJITO_API_TOKEN": config["JOBMOJITO_API_TOKEN"],
        "JOBMOJITO_WEBHOOK_SECRET": config["JOBMOJITO_WEBHOOK_SECRET"],
        "DATA_ENCRYPTION_KEYS": ",".join(config["DATA_ENCRYPTION_KEYS"]),
        "PYTHONUNBUFFERED": "1",
        **extra,
    }
