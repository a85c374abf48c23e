"""The sandbox's app factory: a small Flask app that plays the JobMojito platform."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException

from webapp.jobmojito.sandbox import (
    api,
    candidate,
    console,
    control,
    mailbox,
    media,
    platform_api,
)
from webapp.jobmojito.sandbox.faults import FaultPlan
from webapp.jobmojito.sandbox.state import EXTENSION_KEY, RuntimeSettings, Sandbox
from webapp.jobmojito.sandbox.store import SandboxStore
from webapp.jobmojito.sandbox.webhooks import DEFAULT_RETRY_DELAYS, WebhookDispatcher

_JSON_PREFIXES = ("/functions/", "/_sandbox/", "/interview/")


def create_sandbox_app(
    *,
    token: str,
    latency: float = 2.0,
    webhook_url: str | None = None,
    webhook_secret: str | None = None,
    webhook_header: str = "X-Webhook-Secret",
    public_url: str | None = None,
    webhook_retry_delays: Sequence[float] = DEFAULT_RETRY_DELAYS,
    webhook_timeout: float = 5.0,
    state_path: Path | None = None,
) -> Flask:
    """Build a sandbox that accepts ``token`` as its bearer token.

    Its positions and interviews live in memory and, given ``state_path``, in that JSON file too
    (loaded now, rewritten after each change), so a restart keeps the links hosts hold.
    """
    if not token or not token.strip():
        raise ValueError("the sandbox needs a non-empty API token")
    if latency < 0:
        raise ValueError("latency cannot be negative")
    app = Flask(__package__ or __name__)
    app.config["MAX_CONTENT_LENGTH"] = 2 * 1024 * 1024
    store = SandboxStore(Path(state_path) if state_path is not None else None)
    app.extensions[EXTENSION_KEY] = Sandbox(
        token=token.strip(),
        public_url=public_url.rstrip("/") if public_url else None,
        settings=RuntimeSettings(
            latency=float(latency),
            webhook_url=webhook_url or None,
            webhook_secret=webhook_secret or None,
            webhook_header=webhook_header,
        ),
        store=store,
        faults=FaultPlan(),
        webhooks=WebhookDispatcher(
            store.record_delivery, retry_delays=webhook_retry_delays, timeout=webhook_timeout
        ),
    )
    register_blueprints(app)
    register_errorhandlers(app)
    return app


def register_blueprints(app: Flask) -> None:
    """The platform API, the candidate's pages, and the sandbox's control endpoints."""
    app.register_blueprint(api.bp)
    app.register_blueprint(platform_api.bp)  # details, reports, attempts, state, languages
    app.register_blueprint(platform_api.controls)  # a position's status; the languages offered
    app.register_blueprint(media.bp)  # signed, short-lived links to reports and recordings
    app.register_blueprint(candidate.bp)
    app.register_blueprint(control.bp)
    app.register_blueprint(console.bp)  # the recruiters' side: decide candidates, switch webhooks
    app.register_blueprint(mailbox.bp)  # the demo's mailbox: what the site sent, readable


def register_errorhandlers(app: Flask) -> None:
    """Answer API-style paths with the platform's JSON error envelope, never an HTML page."""

    @app.errorhandler(HTTPException)
    def json_for_api(error: HTTPException) -> Response | HTTPException:
        if not request.path.startswith(_JSON_PREFIXES) or error.code is None:
            return error
        response = jsonify({"error": error.description or error.name})
        response.status_code = error.code
        return response
