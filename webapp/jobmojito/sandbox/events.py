"""The webhook payloads the sandbox sends when a candidate finishes or abandons an interview."""

from __future__ import annotations

from typing import Any

from webapp.jobmojito.sandbox.decisions import score_for
from webapp.jobmojito.sandbox.store import Interview, Position


def _base(event: str, interview: Interview, position: Position) -> dict[str, Any]:
    # Every field the platform documents is present in every event, null when it has no value,
    # so receivers are tested against the full shape rather than a convenient subset.
    return {
        "event": event,
        "id": interview.result_id,
        "interview_id": position.interview_def_set_id,
        "profile_interview_id": interview.id,
        "status": "draft",
        "interview_status": "ongoing",
        "processing_status": "new",
        "score": None,
        "ai_analysis_recruiter_score": None,
        "ai_analysis": None,
        "ai_analysis_recruiter": None,
        "recruiter_go_next_round": None,
        "pdf_export_url": None,
        "reason": None,
        "candidate_external_id": interview.candidate_external_id,
        "candidate_name": interview.candidate_name,
        "candidate_email": interview.candidate_email,
    }


def collected(interview: Interview, position: Position) -> dict[str, Any]:
    """Answers are in, scoring has not finished."""
    payload = _base("interview_collected", interview, position)
    payload.update(
        interview_status="completed", processing_status="processing", reason="interview_status"
    )
    return payload


def result(interview: Interview, position: Position, public_url: str) -> dict[str, Any]:
    """The interview is scored and the result is active."""
    payload = _base("interview_result", interview, position)
    score = score_for(interview.candidate_email)
    answered = sum(1 for answer in interview.answers if answer.strip())
    payload.update(
        status="active",
        interview_status="completed",
        processing_status="completed",
        score=score,
        ai_analysis=(
            f"Sandbox analysis for the {position.name} position: the candidate answered "
            f"{len(interview.answers)} questions ({answered} with written notes). "
            f"Communication was clear and structured; overall score {score} out of 10."
        ),
        pdf_export_url=f"{public_url}/interview/{interview.id}/report.pdf",
        reason="status,processing_status,score",
    )
    return payload


def failed(interview: Interview, position: Position) -> dict[str, Any]:
    """The candidate left the interview before finishing it."""
    payload = _base("interview_failed", interview, position)
    payload.update(
        interview_status="abandoned", processing_status="failed", reason="interview_status"
    )
    return payload
