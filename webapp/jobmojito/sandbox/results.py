"""The sandbox's results list: each interview as the platform's row, filtered, ordered and paged."""

from __future__ import annotations

from typing import Any

from webapp.jobmojito.contract import (
    DEFAULT_LIMIT,
    Decision,
    OrderBy,
    ResultListQuery,
    ResultStatus,
    Step,
    Tab,
)
from webapp.jobmojito.sandbox.decisions import score_for
from webapp.jobmojito.sandbox.store import Interview, Position

# The sandbox's wording of a decision; the site reads it through ``recruiter_verdict``, whose
# guess these words match (the documentation's own examples).
_DECISION_WORDS = {
    Decision.RECRUITER_ACTION: "recruiter_action",
    Decision.RECRUITER_ACCEPT: "selected",
    Decision.AI_ACCEPT: "selected",
    Decision.RECRUITER_REJECT: "rejected",
    Decision.AI_REJECT: "rejected",
}


def row(interview: Interview, position: Position) -> dict[str, Any]:
    """One interview as a row of the results list."""
    completed = interview.state == "completed"
    processing = {"pending": "new", "completed": "completed", "abandoned": "failed"}
    return {
        "id": interview.result_id,
        "interview_result_id": interview.result_id,
        "profile_interview_id": interview.id,
        "candidate_name": interview.candidate_name,
        "candidate_email": interview.candidate_email,
        "position_name": position.name,
        "position_step": (
            Step.PRE_SCREENING if interview.status == Decision.RECRUITER_ACTION else Step.INTERVIEW
        ).value,
        "status": (ResultStatus.ACTIVE if completed else ResultStatus.DRAFT).value,
        "coach_status": None,
        "decision_status": _DECISION_WORDS.get(Decision(interview.status), "recruiter_action"),
        "interview_started": interview.state != "pending",
        "score": score_for(interview.candidate_email) if completed else None,
        "processing_status": processing.get(interview.state, "new"),
        "created_at": interview.created_at,
        "updated_at": interview.updated_at,
        "interview_id": position.interview_def_set_id,
    }


def _in_tab(item: dict[str, Any], tab: str) -> bool:
    decision, status = item["decision_status"], item["status"]
    return {
        Tab.DECIDED_REJECTED: decision == "rejected",
        Tab.UNDECIDED: decision == "recruiter_action",
        Tab.DECIDED_SELECTED: decision == "selected",
        Tab.COMPLETED: status == ResultStatus.ACTIVE,
        Tab.INCOMPLETE: status == ResultStatus.DRAFT and decision == "selected",
    }.get(Tab(tab), False)  # no shortlist or archive in the sandbox


def _ordered(rows: list[dict[str, Any]], order_by: str | None) -> list[dict[str, Any]]:
    if order_by == OrderBy.SCORE:
        return sorted(rows, key=lambda r: (r["score"] is None, -(r["score"] or 0)))
    if order_by == OrderBy.CREATED_AT_OLDEST:
        return sorted(rows, key=lambda r: r["created_at"])
    if order_by == OrderBy.UPDATED_AT_NEWEST:
        return sorted(rows, key=lambda r: r["updated_at"], reverse=True)
    return sorted(rows, key=lambda r: r["created_at"], reverse=True)  # newest first, the default


def result_page(pairs: list[tuple[Interview, Position]], query: ResultListQuery) -> dict[str, Any]:
    """The answer to one results call: matching rows, ordered and paged, with the pagination."""
    rows = [row(interview, position) for interview, position in pairs]
    if query.profile_interview_id:
        rows = [r for r in rows if r["profile_interview_id"] == query.profile_interview_id]
    if query.interview_id:
        rows = [r for r in rows if r["interview_id"] == query.interview_id]
    if query.step:
        rows = [r for r in rows if r["position_step"] == query.step]
    if query.tab:
        rows = [r for r in rows if _in_tab(r, query.tab)]
    rows = _ordered(rows, query.order_by)
    limit = query.limit or DEFAULT_LIMIT
    offset = query.offset or 0
    page = rows[offset : offset + limit]
    for item in page:
        del item["interview_id"]  # used for filtering; not one of the row's documented fields
    return {
        "results": page,
        "pagination": {
            "total": len(rows),
            "limit": limit,
            "offset": offset,
            "has_more": offset + len(page) < len(rows),
        },
    }
