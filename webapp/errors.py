"""Error pages for people and JSON errors for machine endpoints; database outages as 503s."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable

from flask import Flask, current_app, render_template, request
from flask.globals import request_ctx
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy import exc as sa_exc
from sqlalchemy import text
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

log = logging.getLogger(__name__)

# Lazy: each is translated into the language of the page that shows it.
MESSAGES = {
    400: (_l("Something was wrong with that request"), _l("Please go back and try again.")),
    403: (_l("This page is not available"), _l("You do not have access to this page.")),
    404: (
        _l("We could not find that page"),
        _l("The page may have moved, or the link may be mistyped."),
    ),
    405: (_l("That did not work"), _l("Please go back and try again.")),
    410: (_l("This position is closed"), _l("It no longer takes applications.")),
    413: (_l("That file is too large"), _l("Please upload a smaller file.")),
    429: (_l("Too many attempts"), _l("Please wait a few minutes and try again.")),
    500: (_l("Something went wrong on our side"), _l("Please try again in a moment.")),
    503: (
        _l("We are briefly unavailable"),
        _l("Nothing you did caused this. Please try again in a minute."),
    ),
}
OUTAGE_KEY = "careerframe.database_outage"
RETRY_AFTER_SECONDS = 60
RECHECK_SECONDS = 2.0
# Headers an HTTP error carries that its page must keep (Retry-After, Allow, WWW-Authenticate).
_OWN_HEADERS = {"content-type", "content-length"}

ErrorResult = tuple[str | dict[str, str], int]


def _wants_json() -> bool:
    return request.path.startswith("/webhooks/") or request.path.endswith(".json")


def render_error(status: int, heading: str | None = None, body: str | None = None) -> ErrorResult:
    """An error page (or JSON) with the given status and wording."""
    default_heading, default_body = (str(text) for text in MESSAGES.get(status, MESSAGES[400]))
    if request_ctx.url_adapter is None:  # e.g. an untrusted Host: no links can be built
        return default_heading, status
    if _wants_json():
        return {"error": heading or default_heading}, status
    if status == 503 and heading is None:  # our own "try again" page, which needs no database
        return _unavailable_page(default_heading, body or default_body), status
    return (
        render_template(
            "errors/error.html",
            status=status,
            heading=heading or default_heading,
            body=body or default_body,
        ),
        status,
    )


def _unavailable_page(heading: str, body: str) -> str:
    # Rendered without the context processors: they read the site's content from the database,
    # which may be the very thing that is down.
    template = current_app.jinja_env.get_template("errors/unavailable.html")
    return template.render(heading=heading, body=body)


def error_headers(error: HTTPException) -> list[tuple[str, str]]:
    """The headers of an HTTP error that its page keeps, such as ``Retry-After``."""
    headers: Iterable[tuple[str, str]] = error.get_headers()
    return [(name, value) for name, value in headers if name.lower() not in _OWN_HEADERS]


class _Outage:
    """Whether this app last found the database unreachable; logs each change once."""

    def __init__(self) -> None:
        self.down = False
        self._checked_at = 0.0
        self._lock = threading.Lock()

    def started(self, error: Exception) -> None:
        with self._lock:
            if self.down:
                return
            self.down = True
            self._checked_at = 0.0  # the first page served after this may check at once
        log.error(
            "database unreachable (%s); answering 503 until it is back",
            type(getattr(error, "orig", None) or error).__name__,
        )

    def check_recovered(self) -> None:
        # At most once every few seconds: a database that hangs must not slow every page down.
        now = time.monotonic()
        with self._lock:
            if not self.down or now - self._checked_at < RECHECK_SECONDS:
                return
            self._checked_at = now
        from webapp.extensions import db

        try:
            with db.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except sa_exc.SQLAlchemyError:
            return
        with self._lock:
            if not self.down:
                return
            self.down = False
        log.warning("database reachable again")


def is_connection_error(error: BaseException) -> bool:
    """Whether a database error means the database cannot be reached, rather than a bug."""
    if isinstance(error, sa_exc.OperationalError | sa_exc.InterfaceError | sa_exc.TimeoutError):
        return True
    return isinstance(error, sa_exc.DBAPIError) and bool(error.connection_invalidated)


def _rollback() -> None:
    from webapp.extensions import db

    try:
        db.session.rollback()  # the page below must not trip over a failed transaction
    except sa_exc.SQLAlchemyError:  # a dead connection cannot roll back; dropping it is enough
        db.session.close()


def init_app(app: Flask) -> None:
    """Register the handlers, and this app's record of database outages."""
    outage = app.extensions[OUTAGE_KEY] = _Outage()

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> ErrorResult:
        return render_error(
            400,
            _("Your form expired"),
            _(
                "For your security, forms expire after a while. "
                "Please go back, reload the page and submit again."
            ),
        )

    @app.errorhandler(HTTPException)
    def http_error(
        error: HTTPException,
    ) -> tuple[str | dict[str, str], int, list[tuple[str, str]]] | Response:
        if error.code is None or error.code < 400:
            return error.get_response()
        body, status = render_error(error.code)
        return body, status, error_headers(error)

    @app.errorhandler(sa_exc.SQLAlchemyError)
    def database_error(
        error: sa_exc.SQLAlchemyError,
    ) -> tuple[str | dict[str, str], int, dict[str, str]] | ErrorResult:
        if not is_connection_error(error):
            return unexpected(error)
        _rollback()
        outage.started(error)
        body, status = render_error(503)
        return body, status, {"Retry-After": str(RETRY_AFTER_SECONDS)}

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> ErrorResult:
        log.exception("unhandled error on %s %s", request.method, request.endpoint or "?")
        _rollback()
        return render_error(500)

    @app.after_request
    def note_recovery(response: Response) -> Response:
        if outage.down and response.status_code != 503:
            outage.check_recovered()
        return response
