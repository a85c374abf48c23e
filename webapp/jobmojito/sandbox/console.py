"""The recruiter console: candidates awaiting a recruiter, Accept / Reject, and the webhook switch.

Plain HTML forms on the sandbox's own origin, so a person trying the demo, or a test, decides a
``recruiter_action`` candidate as a recruiter would on the platform. Each form carries the
sandbox's console secret, so another origin's page cannot post decisions blind.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Any

from flask import Blueprint, Response, redirect, render_template, request, url_for

from webapp.jobmojito.contract import Decision
from webapp.jobmojito.sandbox.state import sandbox
from webapp.jobmojito.sandbox.store import InterviewClosed

bp = Blueprint("sandbox_console", __name__, url_prefix="/console")

NOTICES = {
    "accepted": "Accepted. The candidate's interview is open.",
    "rejected": "Rejected. The candidate will not be interviewed.",
    "webhooks-on": "Webhooks are on: the sandbox sends them again.",
    "webhooks-off": "Webhooks are off: the sandbox sends none until you switch them on.",
}


def _page(status: int = 200, **context: Any) -> Response:
    nonce = secrets.token_urlsafe(16)
    html = render_template("console.html", nonce=nonce, **context)
    response = Response(html, status=status)
    response.headers["Content-Security-Policy"] = (
        f"default-src 'none'; style-src 'nonce-{nonce}'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    )
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _form_is_ours() -> bool:
    given = request.form.get("secret", "")
    return hmac.compare_digest(given.encode(), sandbox().console_secret.encode())


def _refused(status: int, message: str) -> Response:
    return _page(status, problem=message, **_listing())


def _listing() -> dict[str, Any]:
    state = sandbox()
    pairs = state.store.snapshot()
    waiting = [(i, p) for i, p in pairs if i.status == Decision.RECRUITER_ACTION]
    return {
        "waiting": waiting,
        "webhooks_enabled": state.settings.describe()["webhooks_enabled"],
        "secret": state.console_secret,
    }


@bp.get("")
def console() -> Response:
    """The list of candidates awaiting a recruiter, and the webhook switch."""
    notice = NOTICES.get(request.args.get("done", ""))
    return _page(notice=notice, **_listing())


@bp.post("/<interview_id>/decision")
def decide(interview_id: str) -> Response:
    """Accept or reject one candidate awaiting a recruiter, then show the list again."""
    if not _form_is_ours():
        return _refused(403, "This form has expired. Please use the buttons on this page.")
    choice = request.form.get("decision")
    if choice not in ("accept", "reject"):
        return _refused(422, "Choose Accept or Reject.")
    try:
        sandbox().store.decide_review(interview_id, accept=choice == "accept")
    except InterviewClosed:
        return _refused(409, "This candidate is not awaiting a decision any more.")
    done = "accepted" if choice == "accept" else "rejected"
    return redirect(url_for(".console", done=done), code=303)  # type: ignore[return-value]


@bp.post("/webhooks")
def switch_webhooks() -> Response:
    """Switch the sandbox's webhooks on or off."""
    if not _form_is_ours():
        return _refused(403, "This form has expired. Please use the buttons on this page.")
    choice = request.form.get("webhooks")
    if choice not in ("on", "off"):
        return _refused(422, "Choose whether webhooks are on or off.")
    sandbox().settings.switch_webhooks(choice == "on")
    return redirect(url_for(".console", done=f"webhooks-{choice}"), code=303)  # type: ignore[return-value]
