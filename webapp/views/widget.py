"""The jobs widget for other websites: its script, its public JSON feed and its framable page."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

from flask import Blueprint, Response, current_app, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from werkzeug.wrappers import Response as WerkzeugResponse

from webapp.i18n import page_locale, speak
from webapp.i18n import state as i18n_state
from webapp.i18n.links import localized_external_url
from webapp.i18n.locales import BY_IDENT
from webapp.page_cache import cached_page
from webapp.security import framable_by
from webapp.services import widget
from webapp.services.site import current_content
from webapp.services.widget_texts import best_language, early_texts, feed_texts

F = TypeVar("F", bound=Callable[..., Any])
FEED_MAX_AGE = 60  # seconds a browser or proxy may reuse the feed: jobs change rarely
SCRIPT_MAX_AGE = 300
SCRIPT_KEY = "careerframe.widget_script"  # the script's bytes, read once per app
EARLY_TEXTS = b"var EARLY = {};"  # in widget.js: replaced by its first words in every language

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


def _language() -> str:
    """The language the widget asked for (``?lang=``, the host page's), else this request's."""
    settings = i18n_state()
    chosen = best_language(request.args.get("lang"), settings.offered)
    if chosen is not None:
        speak(chosen)
    return page_locale().ident


def _jobs(language: str) -> list[widget.JobListing]:
    return widget.listings(lambda slug: localized_external_url(language, "careers.job", slug=slug))


@bp.get("/widget.js")
def script() -> WerkzeugResponse:
    """The script marketers paste into other websites."""
    source: bytes | None = current_app.extensions.get(SCRIPT_KEY)
    if source is None or current_app.debug:
        source = (Path(current_app.static_folder or "") / "widget.js").read_bytes()
        current_app.extensions[SCRIPT_KEY] = source
    settings = i18n_state()
    words = json.dumps(early_texts(settings.offered, settings.default), ensure_ascii=True)
    # ensure_ascii and no "<" or "/" escapes needed: the script is served as JavaScript, not inline.
    body = source.replace(EARLY_TEXTS, f"var EARLY = {words};".encode())
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
    language = _language()
    content = current_content()
    jobs = _jobs(language)
    payload = widget.feed(
        widget.get_options(),
        content,
        jobs,
        localized_external_url(language, "careers.index"),
    )
    payload["lang"] = BY_IDENT[language].tag
    payload["texts"] = feed_texts(widget.brand_tokens(content)["company"], len(jobs))
    return jsonify(payload)


@bp.get("/embed/jobs")
@framable_by(allowed_framers)
@cached_page
def embed() -> str:
    """The same list as a small page, for websites that allow frames but not scripts."""
    language = _language()
    options = widget.get_options()
    jobs = _jobs(language)
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
        home_url=localized_external_url(language, "careers.index"),
        lang=BY_IDENT[language].url_tag if request.args.get("lang") else "",
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
