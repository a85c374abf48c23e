"""The candidate's side: the signed embed link, the interview page, and submit or abandon."""

from __future__ import annotations

import secrets
from typing import Any

from flask import Blueprint, Response, abort, jsonify, render_template, request, url_for

from webapp.jobmojito.embed_link import InvalidEmbedLink, read_embed_query, verify
from webapp.jobmojito.sandbox import events
from webapp.jobmojito.sandbox.decisions import score_for
from webapp.jobmojito.sandbox.report import render_report
from webapp.jobmojito.sandbox.state import sandbox
from webapp.jobmojito.sandbox.store import Interview, InterviewClosed, Position

bp = Blueprint("sandbox_candidate", __name__)

MAX_ANSWER_CHARS = 5000

MESSAGES: dict[str, tuple[str, str]] = {
    "invalid": (
        "This interview link is not valid",
        "Please go back to the page that brought you here and open the interview again.",
    ),
    "missing": (
        "No interview is waiting here",
        "We could not find an interview for you at this position.",
    ),
    "review": (
        "We are reviewing your application",
        "A recruiter will look at it shortly. You will hear from us before the interview opens.",
    ),
    "closed": (
        "This interview is not available",
        "Thank you for your interest. This application is not moving forward.",
    ),
    "completed": ("Interview submitted", "Thank you. Your answers have been received."),
    "abandoned": ("Interview ended", "You left this interview before finishing it."),
}


def questions_for(position: Position) -> list[str]:
    """The interview questions, worded for the position."""
    return [
        f"Tell us briefly about yourself and what draws you to the {position.name} role.",
        "Describe a recent piece of work you are proud of. What was your part in it?",
        "What would you like to learn or achieve in your first three months with us?",
    ]


def _page(template: str, status: int = 200, **context: Any) -> Response:
    nonce = secrets.token_urlsafe(16)
    response = Response(render_template(template, nonce=nonce, **context), status=status)
    # No frame-ancestors and no X-Frame-Options: the platform's page lives inside other sites.
    response.headers["Content-Security-Policy"] = (
        f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; "
        "img-src 'self' data:; media-src 'self' blob: mediastream:; connect-src 'self'; "
        "base-uri 'none'; form-action 'self'"
    )
    # The embed query carries the candidate's identity: keep it out of caches and referrers.
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _message(kind: str, status: int = 200) -> Response:
    title, text = MESSAGES[kind]
    return _page("message.html", status=status, title=title, text=text)


def _interview_page(interview: Interview, display_name: str) -> Response:
    position = sandbox().store.position(interview.position_id)
    if position is None:
        return _message("missing", 404)
    if interview.state != "pending":
        return _message(interview.state)
    if interview.status == "recruiter_action":
        return _message("review")
    if not interview.is_open:
        return _message("closed")
    return _page(
        "interview.html",
        candidate_name=display_name,
        position=position,
        questions=questions_for(position),
        attempt=interview.extra_attempts + 1,
        submit_url=url_for(".submit", interview_id=interview.id),
        abandon_url=url_for(".abandon", interview_id=interview.id),
    )


@bp.get("/")
def index() -> Response:
    """A short page naming the sandbox's endpoints, for people who open it in a browser."""
    base = sandbox().base_url()
    return _page("index.html", api_url=f"{base}/functions/v1", embed_base=f"{base}/embed")


@bp.get("/embed")
def embed() -> Response:
    """Log the candidate in from a signed link and show their interview."""
    store = sandbox().store
    try:
        identity, claimed = read_embed_query(request.args.to_dict())
    except InvalidEmbedLink:
        return _message("invalid", 403)
    position = store.position_by_embed_id(identity.embed_id)
    # One answer for every failure, so the page never tells which part of a link was wrong.
    if position is None or position.signing_key is None:
        return _message("invalid", 403)
    if not verify(position.signing_key, identity, claimed):
        return _message("invalid", 403)
    interview = store.interview_for(position.id, identity.email)
    if interview is None:
        return _message("missing", 404)
    return _interview_page(interview, identity.name)


@bp.get("/interview/<interview_id>")
def interview_page(interview_id: str) -> Response:
    """The tokenised interview URL: the profile interview id itself is the secret."""
    interview = sandbox().store.interview(interview_id)
    if interview is None:
        return _message("invalid", 404)
    return _interview_page(interview, interview.candidate_name)


def _answers(body: Any) -> list[str]:
    answers = body.get("answers") if isinstance(body, dict) else None
    if not isinstance(answers, list):
        return []
    return [str(answer)[:MAX_ANSWER_CHARS] for answer in answers[:20]]


def _json_error(status: int, message: str) -> Response:
    response = jsonify({"error": message})
    response.status_code = status
    return response


def _finish(interview_id: str, state: str) -> tuple[Interview, Position]:
    store = sandbox().store
    if store.interview(interview_id) is None:
        abort(_json_error(404, "Interview not found"))
    try:
        interview = store.finish(interview_id, state, _answers(request.get_json(silent=True)))
    except InterviewClosed:
        abort(_json_error(409, "This interview is not open"))
    position = store.position(interview.position_id)
    assert position is not None  # interviews are only ever created with their position
    return interview, position


@bp.post("/interview/<interview_id>/submit")
def submit(interview_id: str) -> Response:
    """Record the interview as completed and announce it: collected, then scored."""
    state = sandbox()
    interview, position = _finish(interview_id, "completed")
    target = state.settings.webhook_target()
    if target is not None:
        state.webhooks.send(target, interview.id, events.collected(interview, position))
        scored = events.result(interview, position, state.base_url())
        state.webhooks.send(target, interview.id, scored)
    return jsonify({"state": interview.state, "profile_interview_id": interview.id})


@bp.post("/interview/<interview_id>/abandon")
def abandon(interview_id: str) -> Response:
    """Record that the candidate left, and announce it as a failed interview."""
    state = sandbox()
    interview, position = _finish(interview_id, "abandoned")
    target = state.settings.webhook_target()
    if target is not None:
        state.webhooks.send(target, interview.id, events.failed(interview, position))
    return jsonify({"state": interview.state, "profile_interview_id": interview.id})


@bp.get("/interview/<interview_id>/report.pdf")
def report(interview_id: str) -> Response:
    """The result report a completed interview's webhook links to."""
    store = sandbox().store
    interview = store.interview(interview_id)
    position = store.position(interview.position_id) if interview else None
    if interview is None or position is None or interview.state != "completed":
        abort(404)
    score = score_for(interview.candidate_email)
    lines = [
        "JobMojito sandbox - interview report",
        f"Candidate: {interview.candidate_name}",
        f"Position: {position.name} ({position.location})",
        f"Score: {score} / 10",
        *(f"Q{i}: {answer[:90]}" for i, answer in enumerate(interview.answers, start=1)),
    ]
    return Response(render_report(lines), content_type="application/pdf")
