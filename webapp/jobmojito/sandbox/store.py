"""The sandbox's platform state: positions, interviews and counts, behind one lock.

Positions and interviews are kept in memory and, when the sandbox has a state file, written to it
after every change (see ``persist.py``), so a restarted sandbox still opens the links a host holds.
Counters and webhook deliveries are per run and not kept.
"""

from __future__ import annotations

import copy
import secrets
import threading
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

from webapp.jobmojito.contract import Decision as Status
from webapp.jobmojito.sandbox import persist
from webapp.jobmojito.sandbox.decisions import REASON_RECRUITER_REJECT, decide, normalise_email
from webapp.jobmojito.sandbox.records import (
    Enrolment,
    Interview,
    InterviewClosed,
    Position,
    now_iso,
)
from webapp.jobmojito.sandbox.validation import RequestRejected

__all__ = [
    "Enrolment",
    "Interview",
    "InterviewClosed",
    "Position",
    "SandboxStore",
    "now_iso",
    "position_key",
]


def position_key(body: dict[str, Any]) -> str:
    """The label under which calls are counted for a position, whatever identifies it."""
    for name in ("position_external_id", "position_def_set_id", "position_name"):
        value = body.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


class SandboxStore:
    """All platform state; every method takes the lock, so concurrent calls see one truth."""

    def __init__(self, path: Path | None = None) -> None:
        self._path = path
        self._lock = threading.Lock()
        self._positions: dict[str, Position] = {}
        self._by_external: dict[str, str] = {}
        self._by_embed: dict[str, str] = {}
        self._interviews: dict[str, Interview] = {}
        self._by_candidate: dict[tuple[str, str], str] = {}
        self._api_calls = 0
        self._calls_by_candidate: Counter[tuple[str, str]] = Counter()
        self._faults_served = 0
        self._deliveries: list[dict[str, Any]] = []
        self._retired_keys: list[str] = []
        self._other_calls: Counter[str] = Counter()
        if path is not None:
            positions, interviews = persist.load(path)
            for position in positions:
                self._add_position(Position(**position))
            for interview in interviews:
                self._add_interview(Interview(**interview))

    def _add_position(self, position: Position) -> None:
        self._positions[position.id] = position
        if position.external_id:
            self._by_external[position.external_id] = position.id
        if position.embed_id:
            self._by_embed[position.embed_id] = position.id

    def _add_interview(self, interview: Interview) -> None:
        self._interviews[interview.id] = interview
        self._by_candidate[(interview.position_id, interview.candidate_email)] = interview.id

    def _save(self) -> None:
        # Called with the lock held, after every change: the file is always one consistent state.
        if self._path is not None:
            persist.save(self._path, self._positions.values(), self._interviews.values())

    def enrol(self, body: dict[str, Any]) -> Enrolment:
        """Resolve or create the position, then enrol the candidate once per e-mail."""
        with self._lock:
            known = len(self._positions)
            position = self._resolve_position(body)
            changed = len(self._positions) != known
            if body.get("is_embedded") and position.embed_id is None:
                position.embed_id = f"emb_{secrets.token_hex(12)}"
                position.signing_key = f"esk_{secrets.token_hex(24)}"
                self._by_embed[position.embed_id] = position.id
                changed = True
            email = normalise_email(body["candidate_email"])
            existing = self._by_candidate.get((position.id, email))
            if existing is not None:
                if changed:
                    self._save()
                return Enrolment(position, self._interviews[existing], already_applied=True)
            if not position.takes_candidates:
                raise RequestRejected(422, "The position is not open for applications", "status")
            decision = decide(email, body["candidate_resume"])
            interview = Interview(
                id=str(uuid.uuid4()),
                result_id=str(uuid.uuid4()),
                position_id=position.id,
                candidate_name=body["candidate_name"].strip(),
                candidate_email=email,
                candidate_external_id=body.get("candidate_external_id"),
                status=decision.status,
                reason=decision.reason,
            )
            self._add_interview(interview)
            self._save()
            return Enrolment(position, interview, already_applied=False)

    def _resolve_position(self, body: dict[str, Any]) -> Position:
        # Called with the lock held: this is what makes two first applicants share one position.
        def_set_id = body.get("position_def_set_id")
        if def_set_id:
            position = self._positions.get(def_set_id)
            if position is None:
                raise RequestRejected(404, "Position not found", "position_def_set_id")
            return position
        external_id = (body.get("position_external_id") or "").strip() or None
        if external_id and external_id in self._by_external:
            return self._positions[self._by_external[external_id]]
        position = Position(
            id=str(uuid.uuid4()),
            interview_def_set_id=str(uuid.uuid4()),
            external_id=external_id,
            name=body["position_name"].strip(),
            location=body["position_location"].strip(),
            country_code=body["position_country_code"].strip(),
            language_code=body["mojito_language_code"],
            description=(body.get("position_description") or "").strip(),
        )
        self._positions[position.id] = position
        if external_id:
            self._by_external[external_id] = position.id
        return position

    def position_by_embed_id(self, embed_id: str) -> Position | None:
        """The position that owns an embed id, if any."""
        with self._lock:
            position_id = self._by_embed.get(embed_id)
            return self._positions[position_id] if position_id else None

    def position(self, position_id: str) -> Position | None:
        """A position by its id."""
        with self._lock:
            return self._positions.get(position_id)

    def signing_keys(self) -> list[str]:
        """Every embed signing key issued so far, retired ones included (none may leak)."""
        with self._lock:
            live = [p.signing_key for p in self._positions.values() if p.signing_key]
            return [*self._retired_keys, *live]

    def set_state(self, position_id: str, status: str | None, embedded: bool | None) -> Position:
        """Change a position's status and embedding; switching embedding off retires its key.

        Switching it on again makes a new embed record (id and key): links signed with the old
        key stop working, which is how a leaked key is replaced.
        """
        with self._lock:
            position = self._positions.get(position_id) or next(
                (p for p in self._positions.values() if p.interview_def_set_id == position_id),
                None,
            )
            if position is None:
                raise RequestRejected(404, "Position not found", "position_id")
            if status is not None:
                position.status = status
            if embedded is False and position.embed_id is not None:
                self._by_embed.pop(position.embed_id, None)
                if position.signing_key:
                    self._retired_keys.append(position.signing_key)
                position.embed_id = position.signing_key = None
            if embedded and position.embed_id is None:
                position.embed_id = f"emb_{secrets.token_hex(12)}"
                position.signing_key = f"esk_{secrets.token_hex(24)}"
                self._by_embed[position.embed_id] = position.id
            self._save()
            return copy.copy(position)

    def result(self, result_id: str) -> tuple[Interview, Position] | None:
        """Copies of the interview with this result id (or an earlier attempt's) and of its
        position, if any."""
        with self._lock:
            found = next(
                (
                    i
                    for i in self._interviews.values()
                    if result_id == i.result_id or result_id in i.earlier_result_ids
                ),
                None,
            )
            if found is None:
                return None
            return copy.copy(found), copy.copy(self._positions[found.position_id])

    def grant_attempt(self, result_id: str) -> Interview:
        """Open a submitted interview again for one more attempt; 422 unless it was submitted.

        The new attempt gets a result id of its own; an earlier attempt's result is no longer the
        active one, so asking again for it is refused like any result not submitted.
        """
        with self._lock:
            interview = next(
                (
                    i
                    for i in self._interviews.values()
                    if result_id == i.result_id or result_id in i.earlier_result_ids
                ),
                None,
            )
            if interview is None:
                raise RequestRejected(404, "Interview result not found", "interview_result_id")
            if interview.state != "completed" or interview.result_id != result_id:
                raise RequestRejected(
                    422, "The result is not active and submitted", "interview_result_id"
                )
            interview.state, interview.answers = "pending", []
            interview.extra_attempts += 1
            interview.earlier_result_ids.append(interview.result_id)
            interview.result_id = str(uuid.uuid4())
            interview.updated_at = now_iso()
            self._save()
            return copy.copy(interview)

    def record_other_call(self, path: str) -> None:
        """Count one call to an endpoint other than create-for-candidate."""
        with self._lock:
            self._other_calls[path] += 1

    def interview(self, interview_id: str) -> Interview | None:
        """An interview by its profile_interview id."""
        with self._lock:
            return self._interviews.get(interview_id)

    def interview_for(self, position_id: str, email: str) -> Interview | None:
        """The interview a candidate has for a position, if they applied."""
        with self._lock:
            interview_id = self._by_candidate.get((position_id, normalise_email(email)))
            return self._interviews[interview_id] if interview_id else None

    def finish(self, interview_id: str, state: str, answers: list[str]) -> Interview:
        """Move an open interview to completed or abandoned, exactly once."""
        with self._lock:
            interview = self._interviews.get(interview_id)
            if interview is None or not interview.is_open:
                raise InterviewClosed(interview_id)
            interview.state = state
            interview.answers = list(answers)
            interview.updated_at = now_iso()
            self._save()
            return interview

    def decide_review(self, interview_id: str, accept: bool) -> Interview:
        """A recruiter's decision on a candidate awaiting one: accept opens the interview."""
        with self._lock:
            interview = self._interviews.get(interview_id)
            if interview is None or interview.status != Status.RECRUITER_ACTION:
                raise InterviewClosed(interview_id)
            if accept:
                interview.status, interview.reason = Status.RECRUITER_ACCEPT, None
            else:
                interview.status = Status.RECRUITER_REJECT
                interview.reason = REASON_RECRUITER_REJECT
            interview.updated_at = now_iso()
            self._save()
            return copy.copy(interview)

    def snapshot(self) -> list[tuple[Interview, Position]]:
        """Copies of every interview with its position, newest first."""
        with self._lock:
            pairs = [
                (copy.copy(i), copy.copy(self._positions[i.position_id]))
                for i in self._interviews.values()
            ]
        return sorted(pairs, key=lambda pair: pair[0].created_at, reverse=True)

    def record_call(self, email: str, position: str) -> None:
        """Count one API call as received, before any fault or check decides its fate."""
        with self._lock:
            self._api_calls += 1
            self._calls_by_candidate[(normalise_email(email), position)] += 1

    def record_fault(self) -> None:
        """Count one call that an injected fault answered."""
        with self._lock:
            self._faults_served += 1

    def record_delivery(self, entry: dict[str, Any]) -> None:
        """Remember one webhook delivery attempt and how the receiver answered."""
        with self._lock:
            self._deliveries.append(dict(entry))

    def reset_counts(self) -> None:
        """Forget the counters (not the positions or interviews)."""
        with self._lock:
            self._api_calls = 0
            self._calls_by_candidate.clear()
            self._faults_served = 0
            self._deliveries.clear()
            self._other_calls.clear()

    def counts(self) -> dict[str, Any]:
        """A JSON-ready snapshot of everything counted so far."""
        with self._lock:
            per_candidate = [
                {"email": email, "position": position, "calls": calls}
                for (email, position), calls in sorted(self._calls_by_candidate.items())
            ]
            return {
                "api_calls": self._api_calls,
                "faults_served": self._faults_served,
                "per_candidate": per_candidate,
                "positions_created": len(self._positions),
                "interviews_created": len(self._interviews),
                "webhook_deliveries": [dict(d) for d in self._deliveries],
                "other_calls": dict(self._other_calls),
            }
