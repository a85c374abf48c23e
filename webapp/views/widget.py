"""The jobs widget for other websites: its script, its public JSON feed and its framable page."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

from flask import Blueprint, Response, current_app, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from werkzeug.wrappers import Response as WerkzeugResponse

from webapp.page_cache import cached_page
from webapp.security import framable_by
from webapp.services import widget
from webapp.services.site import current_content
from webapp.urls import external_url

F = TypeVar("F", bound=Callable[..., Any])
FEED_MAX_AGE = 60  # seconds a browser or proxy may reuse the feed: jobs change rarely
SCRIPT_MAX_AGE = 300
SCRIPT_KEY = "careerframe.widget_script"  # the script's bytes, read once per app

bp = Blueprint("widget", __name__)


def _loopback_http_allowed() -> bool:
    return current_app.config.get("APP_ENV") != "production"


def allowed_framers() -> tuple[str, ...]:
    """The origins marketers allowed to frame the jobs page, checked again on the way out."""
    checked = []
    for origin in widget.get_options().allowed_origins:
        try:
            checked.append(
                widget.parse_origin(origin, allow_loopback_http=_loopback_http_allowed())
            )
        except widget.OriginProblem:
            continue  # stored before the rules tightened: it frames nothing
    return tuple(checked)


def shared_publicly(max_age: int) -> Callable[[F], F]:
    """Let any website read the response (no credentials) and reuse it for ``max_age`` seconds."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            response = current_app.make_response(view(*args, **kwargs))
            response.headers["Access-Control-Allow-Origin"] = "*"
            response.headers["Cache-Control"] = f"public, max-age={max_age}"
            response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
            response.headers.pop("Set-Cookie", None)
            return response

        return wrapper  # type: ignore[return-value]

    return decorate


def _jobs() -> list[widget.JobListing]:
    return widget.listings(lambda slug: external_url("careers.job", slug=slug))


@bp.get("/widget.js")
def script() -> WerkzeugResponse:
    """The script marketers paste into other websites."""
    body: bytes | None = current_app.extensions.get(SCRIPT_KEY)
    if body is None or current_app.debug:
        body = (Path(current_app.static_folder or "") / "widget.js").read_bytes()
        current_app.extensions[SCRIPT_KEY] = body
    response = Response(body, mimetype="text/javascript")
    response.headers["Cache-Control"] = f"public, max-age={SCRIPT_MAX_AGE}"
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/widget/jobs.json")
@shared_publicly(FEED_MAX_AGE)
@cached_page
def feed() -> ResponseReturnValue:
    """The open positions, the published brand and the widget's options, for any website."""
    payload = widget.feed(
        widget.get_options(), current_content(), _jobs(), external_url("careers.index")
    )
    return jsonify(payload)


@bp.get("/embed/jobs")
@framable_by(allowed_framers)
@cached_page
def embed() -> str:
    """The same list as a small page, for websites that allow frames but not scripts."""
    options = widget.get_options()
    jobs = _jobs()
    department = request.args.get("department", "").strip()[:120]
    location = request.args.get("location", "").strip()[:200]
    shown = widget.narrowed(
        jobs,
        department if options.show_department else "",
        location if options.show_location else "",
    )
    content = current_content()
    return render_template(
        "widget/embed.html",
        options=options,
        choices=widget.choices(jobs),
        department=department,
        location=location,
        jobs=shown[: options.job_limit],
        total=len(shown),
        company=widget.brand_tokens(content)["company"],
        version=content.version,
        home_url=external_url("careers.index"),
    )


@bp.get("/embed/jobs-<version>.css")
def embed_css(version: str) -> Response:
    """The framed page's styles in the published brand; the version makes them cacheable."""
    content = current_content()
    css = render_template("widget/embed.css", brand=widget.brand_tokens(content))
    response = Response(css, mimetype="text/css")
    immutable = version == content.version
    response.headers["Cache-Control"] = (
        "public, max-age=31536000, immutable" if immutable else "no-cache"
    )
    return response
