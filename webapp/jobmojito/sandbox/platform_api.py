"""The platform's other calls: a result's details and report, another attempt, a position's
state, and the languages list. Each checks its input with the contract's own model.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request

from webapp.jobmojito.contract import (
    ANOTHER_ATTEMPT,
    INTERVIEW_DETAILS,
    INTERVIEW_PDF,
    PLATFORM_LANGUAGES,
    SET_STATE,
    AnotherAttemptRequest,
    Endpoint,
    ExportType,
    InterviewDetailsQuery,
    InterviewPdfRequest,
    LanguagesQuery,
    RequestInvalid,
    SetStateRequest,
)
from webapp.jobmojito.sandbox.details import details
from webapp.jobmojito.sandbox.faults import apply_fault
from webapp.jobmojito.sandbox.languages_list import languages_body
from webapp.jobmojito.sandbox.media import expiry_iso, signed_url
from webapp.jobmojito.sandbox.state import sandbox, token_required, unauthorized
from webapp.jobmojito.sandbox.validation import RequestRejected

bp = Blueprint("sandbox_platform_api", __name__, url_prefix="/functions/v1")
# The sandbox's own controls for these calls: a position's status, and which languages it offers.
controls = Blueprint("sandbox_platform_controls", __name__, url_prefix="/_sandbox")
_OFFERED_KEY = "sandbox.offered_languages"


class _Refused(Exception):
    """Answer the call with this response instead (a fault, a 401, an error envelope)."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status_code)
        self.response = response


def _envelope(error: RequestRejected) -> Response:
    response = jsonify(error.envelope())
    response.status_code = error.status
    return response


def _input(endpoint: Endpoint) -> dict[str, Any]:
    """Count the call, apply an armed fault, check the token; then the raw parameters."""
    state = sandbox()
    state.store.record_other_call(endpoint.path)
    fault = state.faults.take(endpoint.path)
    if fault is not None:
        state.store.record_fault()
        injected = apply_fault(fault)
        if injected is not None:
            raise _Refused(injected)
    if not state.token_matches(request.headers.get("Authorization")):
        raise _Refused(unauthorized())
    if endpoint.sends_query:
        args = request.args.to_dict(flat=False)
        repeated = next((name for name, values in args.items() if len(values) > 1), None)
        if repeated:
            raise _Refused(_envelope(RequestRejected(422, f"{repeated} is given more than once")))
        return {name: values[0] for name, values in args.items()}
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise _Refused(_envelope(RequestRejected(422, "Request body must be a JSON object")))
    return body


def _rejected_as_invalid(error: RequestInvalid) -> _Refused:
    return _Refused(_envelope(RequestRejected(422, f"{error.field} {error.message}", error.field)))


@bp.errorhandler(_Refused)
def _refused(error: _Refused) -> Response:
    return error.response


@bp.errorhandler(RequestRejected)
def _rejected(error: RequestRejected) -> Response:
    return _envelope(error)


def _result(result_id: str) -> Any:
    found = sandbox().store.result(result_id)
    if found is None:
        raise RequestRejected(404, "Interview result not found", "interview_result_id")
    return found


@bp.route(f"/{INTERVIEW_DETAILS.path}", methods=[INTERVIEW_DETAILS.method])
def interview_details() -> Response:
    """One result in depth; with ``get_signed_recordings=true``, short-lived recording links."""
    try:
        query = InterviewDetailsQuery.from_query(_input(INTERVIEW_DETAILS))
    except RequestInvalid as error:
        raise _rejected_as_invalid(error) from None
    interview, position = _result(query.interview_result_id)
    sign = (lambda path: signed_url(path)[0]) if query.get_signed_recordings else None
    return jsonify(details(interview, position, sign))


@bp.route(f"/{INTERVIEW_PDF.path}", methods=[INTERVIEW_PDF.method])
def interview_pdf() -> Response:
    """A PDF report of a submitted result, behind a signed link that expires."""
    try:
        body = InterviewPdfRequest.parse(_input(INTERVIEW_PDF))
    except RequestInvalid as error:
        raise _rejected_as_invalid(error) from None
    interview, _ = _result(body.interview_result_id)
    if body.export_type != ExportType.PDF:
        raise RequestRejected(422, "The sandbox makes PDF reports only", "export_type")
    if interview.state != "completed":
        raise RequestRejected(422, "The result is not submitted yet", "interview_result_id")
    url, expires = signed_url(f"/media/report/{interview.result_id}/report.pdf")
    return jsonify({"pdf_export_url": url, "pdf_export_valid_until": expiry_iso(expires)})


@bp.route(f"/{ANOTHER_ATTEMPT.path}", methods=[ANOTHER_ATTEMPT.method])
def another_attempt() -> Response:
    """Open a submitted interview again; 422 unless the result is active and submitted."""
    try:
        body = AnotherAttemptRequest.parse(_input(ANOTHER_ATTEMPT))
    except RequestInvalid as error:
        raise _rejected_as_invalid(error) from None
    sandbox().store.grant_attempt(body.interview_result_id)
    return jsonify({})


@bp.route(f"/{SET_STATE.path}", methods=[SET_STATE.method])
def set_state() -> Response:
    """Change a position's status or embedding; switching embedding on answers the key."""
    try:
        body = SetStateRequest.parse(_input(SET_STATE))
    except RequestInvalid as error:
        raise _rejected_as_invalid(error) from None
    position = sandbox().store.set_state(body.position_id, body.status, body.is_embedded)
    if body.is_embedded:
        return jsonify({"embed_id": position.embed_id, "embed_signing_key": position.signing_key})
    return jsonify({"success": True})


@bp.route(f"/{PLATFORM_LANGUAGES.path}", methods=[PLATFORM_LANGUAGES.method])
def platform_languages() -> Response:
    """The platform's languages, sorted by English name."""
    try:
        LanguagesQuery.parse(_input(PLATFORM_LANGUAGES))
    except RequestInvalid as error:
        raise _rejected_as_invalid(error) from None
    body = languages_body()
    offered = current_app.extensions.get(_OFFERED_KEY)
    if offered is not None:
        body["languages"] = [row for row in body["languages"] if row["code"] in offered]
    return jsonify(body)


@controls.get("/positions/<position_id>")
@token_required
def position_status(position_id: str) -> Response:
    """A position's status as the platform holds it (its id or its interview definition's id)."""
    position = sandbox().store.position(position_id)
    if position is None:
        raise RequestRejected(404, "Position not found", "position_id")
    return jsonify(
        {"id": position.id, "external_id": position.external_id, "status": position.status}
    )


@controls.post("/languages")
@token_required
def offer_languages() -> Response:
    """Answer ``platform-languages-list`` with only these codes (``{"codes": null}``: all)."""
    body = request.get_json(silent=True)
    codes = body.get("codes", ...) if isinstance(body, dict) else ...
    known = {row["code"] for row in languages_body()["languages"]}
    if codes is None:
        current_app.extensions.pop(_OFFERED_KEY, None)
        return jsonify({"codes": None})
    if not isinstance(codes, list) or not all(isinstance(c, str) and c in known for c in codes):
        raise RequestRejected(
            422, "codes must be a list of platform language codes, or null", "codes"
        )
    current_app.extensions[_OFFERED_KEY] = frozenset(codes)
    return jsonify({"codes": sorted(codes)})


@controls.errorhandler(RequestRejected)
def _control_rejected(error: RequestRejected) -> Response:
    return _envelope(error)
