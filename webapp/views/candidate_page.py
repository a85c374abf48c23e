"""The candidate's own page as it is rendered: the interview frame only where the address was proven."""

from __future__ import annotations

import logging

from flask import current_app, g, render_template, request, session
from flask.typing import ResponseReturnValue
from flask_babel import gettext

from webapp.errors import render_error
from webapp.mail.outcomes import interview_shown
from webapp.models import Application
from webapp.page_cache import CSRF_PLACEHOLDER
from webapp.security import interview_allow_attribute
from webapp.services.applications import (
    INTERVIEW,
    CandidateStatus,
    candidate_status,
    replacement_of,
)
from webapp.services.candidate_poll import StatusQuery
from webapp.services.interviews import InterviewUnavailable, KeyCache, signed_embed_url
from webapp.services.platform import platform
from webapp.services.site import current_content
from webapp.services.verification import mail_undelivered, masked_email
from webapp.tokens import CANDIDATE_LINK, TokenCache
from webapp.vault import VaultError
from webapp.views import room_cache

log = logging.getLogger(__name__)

# Public ids whose e-mail address this browser proved (a code typed, or the e-mailed link opened):
# only here is the signed interview frame shown. The session cookie is signed, so it cannot be forged.
VERIFIED_KEY = "verified_applications"
KEYS_EXTENSION = "careerframe.embed_keys"
TOKENS_EXTENSION = "careerframe.candidate_link_tokens"
STATUS_EXTENSION = "careerframe.status_query"


def verification_required() -> bool:
    """Whether the interview waits for a proven address (CANDIDATE_EMAIL_VERIFICATION)."""
    return bool(current_app.config.get("CANDIDATE_EMAIL_VERIFICATION", True))


def prove_in_this_browser(public_id: str) -> None:
    """Record in the signed session that this browser proved the address of this application."""
    proven = [pid for pid in session.get(VERIFIED_KEY, []) if pid != public_id][-19:]
    session[VERIFIED_KEY] = [*proven, public_id]


def proven_here(public_id: str) -> bool:
    """Whether this browser may see the interview of this application."""
    return not verification_required() or public_id in session.get(VERIFIED_KEY, [])


def link_not_valid() -> ResponseReturnValue:
    """The page for a link we did not make (or that was cut short)."""
    return render_error(
        404,
        gettext("This link is not valid"),
        gettext("Please check that you copied the whole link from your application."),
    )


def embed_keys() -> KeyCache:
    """This app's short-lived cache of decrypted embed keys."""
    keys = current_app.extensions.get(KEYS_EXTENSION)
    if keys is None:
        keys = current_app.extensions.setdefault(KEYS_EXTENSION, KeyCache())
    return keys  # type: ignore[no-any-return]


def poll_tokens() -> TokenCache:
    """This app's short-lived memory of candidate links that verified."""
    tokens = current_app.extensions.get(TOKENS_EXTENSION)
    if tokens is None:
        tokens = current_app.extensions.setdefault(TOKENS_EXTENSION, TokenCache(CANDIDATE_LINK))
    return tokens  # type: ignore[no-any-return]


def status_query() -> StatusQuery:
    """This app's status SELECT, compiled for its database."""
    from webapp.extensions import db

    query = current_app.extensions.get(STATUS_EXTENSION)
    if query is None or query.engine is not db.engine:
        query = current_app.extensions[STATUS_EXTENSION] = StatusQuery(db.engine)
    return query  # type: ignore[no-any-return]


def fresh_frame_src(application: Application) -> str | None:
    """A newly signed embed link for the application, or None when there is none to give."""
    objects = platform()
    try:
        return signed_embed_url(application, objects.vault, objects.embed_url, embed_keys())
    except InterviewUnavailable:
        return None
    except VaultError:
        log.error(
            "application %s: its embed key cannot be decrypted; check DATA_ENCRYPTION_KEYS",
            application.public_id,
        )
        return None


def _render_for_store(
    application: Application,
    status: CandidateStatus,
    token: str,
    proven: bool,
    frame_src: str | None,
) -> str | None:
    """Render with placeholders for the lane's store: name the fingerprint of what this page shows
    and hand the lane this request's own values. The frame's placeholder stands for its link."""
    if g.get("site_preview"):
        return frame_src  # a draft is nobody else's page
    from flask_wtf.csrf import generate_csrf

    environ = request.environ
    setting = room_cache.page_setting(current_app.config, environ, current_content().version)
    facts = room_cache.facts_of(application)
    environ[room_cache.STORED_KEY] = room_cache.fingerprint(
        facts, status, token=token, proven=proven, setting=setting
    )
    environ[room_cache.VALUES_KEY] = {CSRF_PLACEHOLDER: generate_csrf()}
    g.page_cache_render = True  # page_csrf_token() writes the placeholder
    if frame_src is None:
        return None
    environ[room_cache.VALUES_KEY][room_cache.FRAME_PLACEHOLDER] = frame_src
    return room_cache.FRAME_PLACEHOLDER


def candidate_page(
    application: Application, token: str, *, status_code: int = 200, **extra: object
) -> ResponseReturnValue:
    """Render the candidate's page; the frame only where the address was proven."""
    delay = current_app.config["REJECTION_EMAIL_DELAY"]
    status = candidate_status(application, rejection_delay=delay)
    if status.stage == INTERVIEW and application.withdrawn_at is None:
        interview_shown(application.id)  # seen here: no "your interview is ready" e-mail
    proven = proven_here(application.public_id)
    thread = {
        "verify": verification_required() and not proven,
        "masked_email": masked_email(application.email),
        "undelivered": verification_required() and not proven and mail_undelivered(application.id),
        "can_correct": application.verified_at is None and application.withdrawn_at is None,
        **extra,
    }
    replacement = replacement_of(application)
    if replacement is not None:
        thread["replacement_email"] = masked_email(replacement.email)
    frame_src = fresh_frame_src(application) if status.stage == INTERVIEW and proven else None
    plain = status_code == 200 and not any(extra.values())  # no notice, no form error
    if plain and request.environ.get(room_cache.RENDER_KEY):
        frame_src = _render_for_store(application, status, token, proven, frame_src)
    return render_template(
        "apply/application.html",
        application=application,
        position=application.position,
        status=status,
        frame_src=frame_src,
        frame_allow=interview_allow_attribute(platform().embed_origin),
        show_reason=current_app.config["SHOW_REJECTION_REASON"],
        token=token,
        thread=thread,
    ), status_code
