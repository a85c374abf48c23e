"""What the studio serves publicly: preview links for the unpublished draft, and the brand logo."""

from __future__ import annotations

from types import SimpleNamespace

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse

from webapp.errors import render_error
from webapp.extensions import db
from webapp.models import Position
from webapp.models.content import BrandAsset
from webapp.security import hosts_interview, interview_allow_attribute, private_page
from webapp.services.platform import platform
from webapp.services.positions import PositionClosed, PositionNotFound, position_for_candidates
from webapp.services.studio.preview_interview import (
    PreviewInterviewUnavailable,
    preview_interview_url,
)
from webapp.services.studio.preview_links import check_preview_token
from webapp.tokens import TokenExpired, TokenInvalid

bp = Blueprint("preview", __name__)

# The session holds the preview link's own token, checked again on every request, so a preview
# ends by itself when the link expires.
SESSION_KEY = "site_preview"
# The candidate pages a marketer can look at with sample values; "interview" is a real one.
SAMPLE_STAGES = ("preparing", "review", "rejected", "failed", "finished")
_STEPS = {"preparing": 2, "review": 4, "rejected": 4, "failed": 4, "finished": 4, "interview": 4}


def _check(token: str) -> None:
    config = current_app.config
    max_age = config.get("STUDIO_PREVIEW_MAX_AGE")
    check_preview_token(
        config["SECRET_KEY"],
        config["SECRET_KEY_FALLBACKS"],
        token,
        int(max_age) if max_age else None,
    )


@bp.before_app_request
def mark_preview() -> None:
    """Show the draft to a browser holding a valid preview link; drop a marker that went stale."""
    token = session.get(SESSION_KEY)
    if not token or request.path.startswith("/admin"):
        return
    try:
        _check(str(token))
    except TokenInvalid:
        session.pop(SESSION_KEY, None)
        return
    g.site_preview = True
    g.private_page = True  # never cached by anyone, never sent on as a referrer


@bp.get("/preview/<token>")
def open_preview(token: str) -> ResponseReturnValue:
    """Open a preview link: this browser sees the draft until it exits or the link expires."""
    try:
        _check(token)
    except TokenExpired:
        session.pop(SESSION_KEY, None)
        return render_error(
            410, "This preview link has expired", "Ask the person who shared it for a new link."
        )
    except TokenInvalid:
        session.pop(SESSION_KEY, None)
        return render_error(
            404, "This preview link is not valid", "Check that you copied the whole link."
        )
    session[SESSION_KEY] = token
    response = redirect(url_for("careers.index"), 303)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.get("/preview/exit")
def exit_preview() -> WerkzeugResponse:
    """Back to the published site."""
    session.pop(SESSION_KEY, None)
    target = request.args.get("next", "")
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        target = url_for("careers.index")
    return redirect(target, 303)


def _position_or_error(slug: str) -> Position:
    if not g.get("site_preview"):
        abort(404)
    try:
        return position_for_candidates(slug)
    except (PositionClosed, PositionNotFound):
        abort(404)


def _candidate_page(position: object, stage: str, **extra: object) -> str:
    status = SimpleNamespace(
        stage=stage, step=_STEPS[stage], slow=False, retrying=False, interview_incomplete=False
    )
    application = SimpleNamespace(
        decision=None, recovered=False, reason="Sample feedback a recruiter might give."
    )
    context: dict[str, object] = {"frame_src": None, "frame_allow": "", "show_reason": False}
    context.update(extra)
    return render_template(
        "apply/application.html",
        application=application,
        position=position,
        status=status,
        token=None,
        **context,
    )


@bp.get("/preview/jobs/<slug>/<stage>")
@private_page
def sample_page(slug: str, stage: str) -> str:
    """A candidate page of this position with sample values, as the draft shows it."""
    position = _position_or_error(slug)
    if stage not in SAMPLE_STAGES:
        abort(404)
    return _candidate_page(position, stage)


def _embed_origin() -> str:
    return platform().embed_origin


@bp.get("/preview/jobs/<slug>/interview")
@private_page
@hosts_interview(_embed_origin)
def interview(slug: str) -> ResponseReturnValue:
    """The interview page with a real interview of the preview candidate, signed as for candidates."""
    position = _position_or_error(slug)
    objects = platform()
    try:
        frame_src = preview_interview_url(
            position, objects.client, objects.vault, objects.embed_url
        )
    except PreviewInterviewUnavailable as reason:
        return render_error(503, "The preview interview is not available", str(reason))
    return _candidate_page(
        position,
        "interview",
        frame_src=frame_src,
        frame_allow=interview_allow_attribute(objects.embed_origin),
    )


@bp.get("/brand/logo-<digest>.<ext>")
def logo(digest: str, ext: str) -> Response:
    """A logo by the hash of its bytes: the name changes with the image, so it is cached for a year."""
    asset = db.session.scalar(select(BrandAsset).where(BrandAsset.digest == digest))
    if asset is None or asset.extension != ext:
        abort(404)
    response = Response(asset.data, mimetype=asset.mime)
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    response.headers["Content-Disposition"] = f'inline; filename="logo.{ext}"'
    return response
