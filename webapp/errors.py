"""Error pages for people and JSON errors for machine endpoints."""

from __future__ import annotations

import logging

from flask import Flask, render_template, request
from flask.globals import request_ctx
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

log = logging.getLogger(__name__)

MESSAGES = {
    400: ("Something was wrong with that request", "Please go back and try again."),
    403: ("This page is not available", "You do not have access to this page."),
    404: ("We could not find that page", "The page may have moved, or the link may be mistyped."),
    405: ("That did not work", "Please go back and try again."),
    410: ("This position is closed", "It no longer takes applications."),
    413: ("That file is too large", "Please upload a smaller file."),
    429: ("Too many attempts", "Please wait a few minutes and try again."),
    500: ("Something went wrong on our side", "Please try again in a moment."),
}


def _wants_json() -> bool:
    return request.path.startswith("/webhooks/") or request.path.endswith(".json")


def render_error(
    status: int, heading: str | None = None, body: str | None = None
) -> tuple[str | dict[str, str], int]:
    """An error page (or JSON) with the given status and wording."""
    default_heading, default_body = MESSAGES.get(status, MESSAGES[400])
    if request_ctx.url_adapter is None:  # e.g. an untrusted Host: no links can be built
        return default_heading, status
    if _wants_json():
        return {"error": heading or default_heading}, status
    return (
        render_template(
            "errors/error.html",
            status=status,
            heading=heading or default_heading,
            body=body or default_body,
        ),
        status,
    )


def init_app(app: Flask) -> None:
    """Register the handlers."""

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> tuple[str | dict[str, str], int]:
        return render_error(
            400,
            "Your form expired",
            "For your security, forms expire after a while. Please go back, reload the page and submit again.",
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str | dict[str, str], int] | Response:
        if error.code is None or error.code < 400:
            return error.get_response()
        return render_error(error.code)

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> tuple[str | dict[str, str], int]:
        log.exception("unhandled error on %s %s", request.method, request.endpoint or "?")
        from webapp.extensions import db

        db.session.rollback()  # the page below must not trip over a failed transaction
        return render_error(500)
