"""Applying for a position, and the candidate's own page that follows the application."""

from __future__ import annotations

import hashlib
import hmac
import logging
from urllib.parse import urlencode

from flask import (
    Blueprint,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from werkzeug.exceptions import ServiceUnavailable

from webapp.errors import render_error
from webapp.forms import ApplyForm
from webapp.i18n import page_locale
from webapp.models import Application, Position
from webapp.page_cache import cached_page
from webapp.ratelimit import rate_limited, wait_in_words
from webapp.security import hosts_interview, interview_allow_attribute, private_page
from webapp.services.applications import (
    ApplicationInput,
    find_application,
    submit_application,
)
from webapp.services.candidate_poll import polled_status
from webapp.services.funnel import current_source
from webapp.services.funnel.sources import record_source
from webapp.services.platform import platform
from webapp.services.positions import PositionClosed, PositionNotFound, position_for_candidates
from webapp.services.resume import ResumeError, clean_pasted_resume, extract_resume_text
from webapp.sessions import skip_session_for
from webapp.tokens import TokenExpired, TokenInvalid
from webapp.uploads import upload_slot
from webapp.views import candidate_language, room, room_lane
from webapp.views.candidate_access import (
    MY_APPLICATIONS,
    application_from_token,
    candidate_link_token,
    embed_origin,
    remember_application,
)
from webapp.views.candidate_page import (
    candidate_page,
    link_not_valid,
    poll_tokens,
    status_query,
    verification_required,
)

bp = Blueprint("apply", __name__)
bp.record_once(room.add_template_values)
# The status poll reads nothing from the session: its cookie is not decoded (webapp/sessions.py).
bp.record_once(lambda state: skip_session_for(state.app, "/applications/", "/status.json"))
# The status document and a proven candidate's interview page, answered before Flask when plain.
bp.record_once(room_lane.install)
log = logging.getLogger(__name__)


def _position_or_error(slug: str):  # type: ignore[no-untyped-def]
    try:
        return position_for_candidates(slug), None
    except PositionClosed as closed:
        return None, (render_template("careers/closed.html", position=closed.position), 410)
    except PositionNotFound:
        return None, render_error(
            404,
            gettext("We could not find this position"),
            gettext("It may have been filled or the link may be mistyped."),
        )


@bp.get("/jobs/<slug>/apply", endpoint="form")
@cached_page
def blank_form(slug: str) -> ResponseReturnValue:
    """The empty form, the same for everyone but its CSRF token (the cache puts that in)."""
    position, error = _position_or_error(slug)
    if error is not None:
        return error
    return render_template("apply/form.html", position=position, form=ApplyForm())


def _browser_fingerprint() -> str | None:
    """A hash of this browser's CSRF secret: stable across a double submit, unknown to others."""
    secret = session.get("csrf_token")
    return hashlib.sha256(str(secret).encode()).hexdigest() if secret else None


def _sent_from_this_browser(application: Application, fingerprint: str | None) -> bool:
    if application.public_id in session.get(MY_APPLICATIONS, []):
        return True
    return bool(
        fingerprint
        and application.submitted_by
        and hmac.compare_digest(application.submitted_by, fingerprint)
    )


def _already_applied(position: Position, application: Application) -> ResponseReturnValue:
    """Someone with this e-mail applied already, from another browser: with verification on, a
    code goes to that address and this browser may continue once it is typed; without it, the
    platform's own sign-in (a one-time code to that e-mail), never our signed link."""
    if verification_required():
        from webapp.views.find import continue_with_code

        return continue_with_code(position, application)
    frame_src = None
    if position.embed_id:  # the position's current embed (a rotation replaces it)
        frame_src = f"{platform().embed_url}?{urlencode({'embed_id': position.embed_id})}"
    return (
        render_template(
            "apply/already_applied.html",
            position=position,
            frame_src=frame_src,
            frame_allow=interview_allow_attribute(platform().embed_origin),
        ),
        409,
    )


def _unsent_form(slug: str, kind: str, wait: str) -> ResponseReturnValue:
    """The form again with what was typed, saying why it was not sent; no file is read."""
    position, error = _position_or_error(slug)
    if error is not None:
        return error
    form = ApplyForm()
    notice = {"kind": kind, "wait": wait, "file_dropped": _chose_file(form)}
    return render_template("apply/form.html", position=position, form=form, notice=notice)


def _too_many_tries(seconds: int, slug: str) -> ResponseReturnValue:
    return _unsent_form(slug, "rate_limited", wait_in_words(seconds))


@bp.post("/jobs/<slug>/apply", endpoint="apply")
@rate_limited("apply", "APPLY_RATE_LIMIT", refusal=_too_many_tries)
@hosts_interview(lambda: platform().embed_origin)
def apply(slug: str) -> ResponseReturnValue:
    """Check the form; when valid, store the application and go to its page at once."""
    position, error = _position_or_error(slug)
    if error is not None:
        return error
    form = ApplyForm()
    if form.is_bot:
        return render_error(
            400,
            gettext("We could not accept this application"),
            gettext("Please reload the page and try again."),
        )
    valid = form.validate()
    try:
        resume_text, filename = _read_resume(form)
    except ServiceUnavailable as busy:
        seconds = busy.retry_after if isinstance(busy.retry_after, int) else 5
        response = make_response(_unsent_form(slug, "busy", wait_in_words(seconds)))
        response.status_code = 503
        response.headers["Retry-After"] = str(seconds)
        return response
    if not valid or resume_text is None:
        return render_template(
            "apply/form.html", position=position, form=form, has_errors=True
        ), 422
    fingerprint = _browser_fingerprint()
    existing = find_application(position.id, form.email.data)
    if existing is not None and not _sent_from_this_browser(existing, fingerprint):
        return _already_applied(position, existing)
    submitted = submit_application(
        position,
        ApplicationInput(
            full_name=form.full_name.data,
            email=form.email.data,
            country_code=form.country.data,
            resume_text=resume_text,
            resume_filename=filename,
            linkedin_url=form.linkedin_url.data or None,
            submitted_by=fingerprint,
            locale=page_locale().ident,
        ),
        verify=verification_required(),
    )
    if not submitted.created and not _sent_from_this_browser(submitted.application, fingerprint):
        return _already_applied(position, submitted.application)  # lost a race with another browser
    if submitted.created:
        record_source(submitted.application.id, current_source())
    remember_application(submitted.application.public_id)
    return redirect(
        url_for("apply.application", token=candidate_link_token(submitted.application.public_id)),
        303,
    )


def _read_resume(form: ApplyForm) -> tuple[str | None, str | None]:
    """The résumé text from the upload or the pasted text; errors go next to the field."""
    upload = form.resume_file.data
    limits = current_app.config.get("RESUME_LIMITS")
    kwargs = {"limits": limits} if limits else {}
    try:
        if _chose_file(form):
            with upload_slot() as budget:
                text = extract_resume_text(upload.filename, upload.read(), budget=budget, **kwargs)
            # Keep what we read: if another field needs fixing, the file need not be sent again.
            form.resume_text.data = text
            return text, upload.filename[:255]
        if (form.resume_text.data or "").strip():
            return clean_pasted_resume(form.resume_text.data, **kwargs), None
    except ResumeError as error:
        target = form.resume_file if _chose_file(form) else form.resume_text
        target.errors = [*target.errors, error.message]
        return None, None
    missing = gettext("Upload your résumé or paste it as text.")
    form.resume_file.errors = [*form.resume_file.errors, missing]
    return None, None


def _chose_file(form: ApplyForm) -> bool:
    return bool(getattr(form.resume_file.data, "filename", None))


NOTICES = ("verified", "code_sent", "link_sent", "wait", "corrected", "adjustment")


@bp.get("/applications/<token>")
@private_page
@hosts_interview(embed_origin)
def application(token: str) -> ResponseReturnValue:
    """The candidate's own page: progress, then the interview or the outcome."""
    application, refused = _own_application(token)
    if refused is not None:
        return refused
    notice = request.args.get("notice")
    return candidate_page(application, token, notice=notice if notice in NOTICES else None)


@bp.get("/applications/<token>/status.json")
@private_page
def application_status(token: str) -> tuple[dict[str, object], int] | dict[str, object]:
    """The small status document the candidate's page polls while the interview is prepared."""
    config = current_app.config
    try:
        public_id = poll_tokens().read(
            config["SECRET_KEY"],
            config["SECRET_KEY_FALLBACKS"],
            token,
            max_age=config["CANDIDATE_LINK_MAX_AGE"],
        )
    except TokenExpired:
        return {"error": "link expired"}, 410
    except TokenInvalid:
        return {"error": "link not valid"}, 404
    status = polled_status(
        public_id, rejection_delay=config["REJECTION_EMAIL_DELAY"], query=status_query()
    )
    if status is None:
        return {"error": "link not valid"}, 404
    return status.as_json()


def _own_application(token: str):  # type: ignore[no-untyped-def]
    """The application of a candidate link, or the page that refuses the link."""
    try:
        return application_from_token(token), None
    except TokenExpired:
        return None, (render_template("apply/link_expired.html", new_link_token=token), 410)
    except TokenInvalid:
        return None, link_not_valid()


@bp.get("/applications/<token>/interview")
@private_page
def interview_in_new_tab(token: str) -> ResponseReturnValue:
    """The interview top-level, through a freshly signed link (never logged, never cached)."""
    application, refused = _own_application(token)
    return refused if refused is not None else room.interview_in_new_tab(application, token)


@bp.get("/applications/<token>/language/<tag>")
@private_page
def choose_language(token: str, tag: str) -> ResponseReturnValue:
    """The candidate's choice of language for their application: its pages and e-mails follow."""
    application, refused = _own_application(token)
    return refused if refused is not None else candidate_language.choose(application, token, tag)


def _wait_to_ask(seconds: int, token: str) -> ResponseReturnValue:
    return render_template("find/wait.html", wait=wait_in_words(seconds))


@bp.route("/applications/<token>/adjustment", methods=["GET", "POST"])
@private_page
@rate_limited("accommodation", "ACCOMMODATION_RATE_LIMIT", refusal=_wait_to_ask)
def adjustment(token: str) -> ResponseReturnValue:
    """Ask for an adjustment or another way to interview: the form, and sending it."""
    application, refused = _own_application(token)
    if refused is not None:
        return refused
    if request.method == "POST":
        return room.send_adjustment(application, token)
    return room.adjustment_form(application, token)
