"""The platform's API: create (or resolve) a position and enrol a candidate; list results."""

from __future__ import annotations

import random
import time
from typing import Any

from flask import Blueprint, Response, jsonify, request

from webapp.jobmojito.contract import (
    CREATE_FOR_CANDIDATE,
    RESULT_LIST,
    Decision,
    RequestInvalid,
    ResultListQuery,
)
from webapp.jobmojito.sandbox.decisions import REASON_ALREADY_APPLIED
from webapp.jobmojito.sandbox.faults import apply_fault
from webapp.jobmojito.sandbox.results import result_page
from webapp.jobmojito.sandbox.state import sandbox, unauthorized
from webapp.jobmojito.sandbox.store import Enrolment, position_key
from webapp.jobmojito.sandbox.validation import RequestRejected, validate_create_body

bp = Blueprint("sandbox_api", __name__, url_prefix="/functions/v1")


def _rejected(error: RequestRejected) -> Response:
    response = jsonify(error.envelope())
    response.status_code = error.status
    return response


def _answer(enrolment: Enrolment, embedded: bool, base_url: str) -> dict[str, Any]:
    position, interview = enrolment.position, enrolment.interview
    body: dict[str, Any] = {
        "status": Decision.ALREADY_APPLIED if enrolment.already_applied else interview.status,
        "interview_url": f"{base_url}/interview/{interview.id}",
        "position_def_set_id": position.id,
        "interview_def_set_id": position.interview_def_set_id,
        "profile_interview_id": interview.id,
    }
    if enrolment.already_applied:
        body["reason"] = REASON_ALREADY_APPLIED
    elif interview.reason:
        body["reason"] = interview.reason
    if embedded:
        body["embed_id"] = position.embed_id
        body["embed_signing_key"] = position.signing_key
    return body


def _think(latency: float) -> None:
    # The real call generates questions and pre-screens with AI: tens of seconds, never constant.
    if latency > 0:
        time.sleep(latency * random.uniform(0.75, 1.25))


@bp.route(f"/{CREATE_FOR_CANDIDATE.path}", methods=[CREATE_FOR_CANDIDATE.method])
def create_for_candidate() -> Response:
    """Enrol a candidate as the platform does: slowly, and with faults when they are armed."""
    state = sandbox()
    raw = request.get_json(silent=True)
    peek = raw if isinstance(raw, dict) else {}
    email = peek.get("candidate_email")
    state.store.record_call(email if isinstance(email, str) else "", position_key(peek))
    fault = state.faults.take(CREATE_FOR_CANDIDATE.path)
    if fault is not None:
        state.store.record_fault()
        injected = apply_fault(fault)
        if injected is not None:
            return injected
    if not state.token_matches(request.headers.get("Authorization")):
        return unauthorized()
    try:
        body = validate_create_body(raw)
        enrolment = state.store.enrol(body)
    except RequestRejected as error:
        return _rejected(error)
    base_url = state.base_url()
    # The state changes before the wait, as upstream: a client that gives up during the wait
    # finds its application on retry, answered with already-applied.
    _think(state.settings.current_latency())
    return jsonify(_answer(enrolment, bool(body.get("is_embedded")), base_url))


@bp.route(f"/{RESULT_LIST.path}", methods=[RESULT_LIST.method])
def result_list() -> Response:
    """The merchant's results, filtered, ordered and paged as the query asks; 422 for a bad one."""
    state = sandbox()
    if not state.token_matches(request.headers.get("Authorization")):
        return unauthorized()
    if RESULT_LIST.sends_query:
        args = request.args.to_dict(flat=False)
        repeated = next((name for name, values in args.items() if len(values) > 1), None)
        if repeated:
            return _rejected(RequestRejected(422, f"{repeated} is given more than once", repeated))
        raw: dict[str, str] = {name: values[0] for name, values in args.items()}
    else:
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            return _rejected(RequestRejected(422, "Request body must be a JSON object"))
        raw = body
    try:
        query = (
            ResultListQuery.from_query(raw)
            if RESULT_LIST.sends_query
            else ResultListQuery.parse(raw)
        )
    except RequestInvalid as error:
        return _rejected(RequestRejected(422, f"{error.field} {error.message}", error.field))
    return jsonify(result_page(state.store.snapshot(), query))
