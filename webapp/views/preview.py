"""What the studio serves publicly: preview links for the unpublished draft, and the brand logo."""

from __future__ import annotations

from types import SimpleNamespace

from flask import (
    Blueprint,
    Response,
    abort,
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
from webapp.i18n import speak
from webapp.i18n.locales import parse_site_locale
from webapp.models import Position
from webapp.models.content import BrandAsset
from webapp.redirects import safe_redirect_target
from webapp.security import hosts_interview, interview_allow_attribute, private_page
from webapp.services.platform import platform
from webapp.services.positions import PositionClosed, PositionNotFound, position_for_candidates
from webapp.services.studio.preview_interview import (
    preview_interview_state,
    retry_preview_interview,
)
from webapp.services.studio.preview_links import (
    PreviewLinkExpired,
    PreviewLinkRevoked,
    PreviewLinkUnknown,
    live_link,
    open_link,
    preview_language_root,
    revision_notice,
)

bp = Blueprint("preview", __name__)

# The session holds the id of the preview link this browser opened; the record is read again on
# every request, so revoking or expiring the link ends an open preview at once.
SESSION_KEY = "site_preview_link"
# The candidate pages a marketer can look at with sample values; "interview" is a real one.
SAMPLE_STAGES = ("preparing", "review", "rejected", "failed", "finished")
_STEPS = {"preparing": 2, "review": 4, "rejected": 4, "failed": 4, "finished": 4, "interview": 4}


@bp.before_app_request
def mark_preview() -> None:
    """Show the draft to a browser holding a live preview link; drop a marker that went stale."""
    marker = session.get(SESSION_KEY)
    if marker is None or request.path.startswith("/admin"):
        return
    try:
        link = live_link(marker)
    except (PreviewLinkUnknown, PreviewLinkExpired, PreviewLinkRevoked):
        session.pop(SESSION_KEY, None)
        return
    g.site_preview = True
    g.preview_notice = revision_notice(link)
    g.private_page = True  # never cached by anyone, never sent on as a referrer


@bp.app_context_processor
def preview_context() -> dict[str, object]:
    """The preview bar's revision notice, for the pages of a preview browser."""
    return {"preview_notice": g.get("preview_notice")}


def _private(response: WerkzeugResponse) -> WerkzeugResponse:
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.get("/preview/<secret>")
def open_preview(secret: str) -> ResponseReturnValue:
    """Open a preview link: this browser sees the draft until it exits or the link stops."""
    try:
        link = open_link(secret)
    except PreviewLinkExpired:
        session.pop(SESSION_KEY, None)
        return render_error(
            410, "This preview link has expired", "Ask the person who shared it for a new link."
        )
    except PreviewLinkRevoked:
        session.pop(SESSION_KEY, None)
        return render_error(
            410,
            "This preview link was turned off",
            "The person who shared it revoked it. Ask them for a new link.",
        )
    except PreviewLinkUnknown:
        session.pop(SESSION_KEY, None)
        return render_error(
            404, "This preview link is not valid", "Check that you copied the whole link."
        )
    session[SESSION_KEY] = link.id
    # ?lang=de opens the draft in that language, at its prefix (one redirect, no chain).
    lead = preview_language_root(request.args.get("lang"))
    return _private(redirect(request.script_root + lead + "/", 303))


@bp.get("/preview/exit")
def exit_preview() -> WerkzeugResponse:
    """Back to the published site."""
    session.pop(SESSION_KEY, None)
    return redirect(safe_redirect_target(request.args.get("next"), url_for("careers.index")), 303)


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
        decision=None,
        recovered=False,
        reason="Sample feedback a recruiter might give.",
        withdrawn_at=None,
    )
    # A sample page has no application behind it: no e-mail thread to verify, no link to keep.
    context: dict[str, object] = {
        "frame_src": None,
        "frame_allow": "",
        "show_reason": False,
        "thread": None,
        # The camera check and the "before you start" panel, with the draft's texts.
        "room_preview": True,
    }
    context.update(extra)
    return render_template(
        "apply/application.html",
        application=application,
        position=position,
        status=status,
        token=None,
        **context,
    )


def _speak_asked_language() -> None:
    """A sample page in the language asked for (``?lang=de``), when the draft offers it."""
    chosen = parse_site_locale(request.args.get("lang"))
    if chosen is not None:
        speak(chosen.ident)  # one the draft does not offer: its default language


def _embed_origin() -> str:
    return platform().embed_origin


@bp.get("/preview/jobs/<slug>/<stage>")
@private_page
def sample_page(slug: str, stage: str) -> str:
    """A candidate page of this position with sample values, as the draft shows it."""
    position = _position_or_error(slug)
    if stage not in SAMPLE_STAGES:
        abort(404)
    _speak_asked_language()
    if stage == "preparing":
        # Its camera check really runs, as on a candidate's page: the page may use the devices.
        g.interview_frame_origin = _embed_origin()
    return _candidate_page(position, stage)


@bp.get("/preview/jobs/<slug>/interview")
@private_page
@hosts_interview(_embed_origin)
def interview(slug: str) -> ResponseReturnValue:
    """The interview page with the preview candidate's real interview, once a worker made it."""
    position = _position_or_error(slug)
    _speak_asked_language()
    objects = platform()
    state = preview_interview_state(position, objects.vault, objects.embed_url)
    if state.stage == "ready":
        return _candidate_page(
            position,
            "interview",
            frame_src=state.frame_src,
            frame_allow=interview_allow_attribute(objects.embed_origin),
        )
    status = 200 if state.stage == "preparing" else 503
    return render_template("preview/interview_state.html", position=position, state=state), status


@bp.get("/preview/jobs/<slug>/interview/status")
@private_page
def interview_status(slug: str) -> dict[str, object]:
    """The small document the preparing page polls; it never carries the frame's link."""
    position = _position_or_error(slug)
    objects = platform()
    return preview_interview_state(position, objects.vault, objects.embed_url).as_json()


@bp.post("/preview/jobs/<slug>/interview/retry")
@private_page
def interview_retry(slug: str) -> WerkzeugResponse:
    """Ask again for a preview interview the workers gave up on (CSRF-protected)."""
    position = _position_or_error(slug)
    retry_preview_interview(position)
    return redirect(url_for("preview.interview", slug=slug), 303)


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
