"""A result as the platform details it: the transcript from the answers the interview page took.

The sandbox's scoring is fixed arithmetic, not AI: every number is the same for the same
candidate and answers, so tests can state what a recruiter will read.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from fpdf import FPDF

from webapp.jobmojito.sandbox.candidate import questions_for
from webapp.jobmojito.sandbox.decisions import score_for
from webapp.jobmojito.sandbox.records import Interview, Position

# Signs a path under /media and answers the absolute link (``media.signed_url``).
Signer = Callable[[str], str]
_SHORT_ANSWER = 40
# Debian's DejaVu covers most scripts; without it the built-in Helvetica (Latin-1 only) is used.
_UNICODE_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def answer_score(overall: float, answer: str, index: int) -> float:
    """One answer's score: the overall score, nudged by the answer's length and place."""
    nudge = min(len(answer.strip()), 400) / 400 - 0.5 + (index % 3 - 1) * 0.3
    return round(min(10.0, max(0.0, overall + nudge)), 1)


def _reasons(interview: Interview, position: Position) -> dict[str, list[str]]:
    answers = [answer.strip() for answer in interview.answers]
    given = [answer for answer in answers if answer]
    to_hire = [f"Answered {len(given)} of {len(answers)} questions for the {position.name} role."]
    not_to_hire: list[str] = []
    if given and all(len(answer) >= _SHORT_ANSWER for answer in given):
        to_hire.append("Gave developed answers with concrete examples.")
    short = [str(i) for i, answer in enumerate(answers, start=1) if len(answer) < _SHORT_ANSWER]
    if short:
        not_to_hire.append(f"Brief or missing answers to question {', '.join(short)}.")
    return {"reasons_to_hire": to_hire, "reasons_not_to_hire": not_to_hire}


def details(interview: Interview, position: Position, sign: Signer | None) -> dict[str, Any]:
    """The body of ``job-interview-details`` for one result; recordings only when ``sign``."""
    completed = interview.state == "completed"
    overall = score_for(interview.candidate_email) if completed else None
    questions = questions_for(position)
    transcript = []
    for index, answer in enumerate(interview.answers):
        entry: dict[str, Any] = {
            "question_asked": questions[index] if index < len(questions) else None,
            "answer": answer,
            "score": answer_score(overall, answer, index) if overall is not None else None,
        }
        if sign is not None:
            entry["recording_url"] = sign(f"/media/recording/{interview.result_id}/{index + 1}.wav")
            entry["recording_is_video"] = False
        transcript.append(entry)
    body: dict[str, Any] = {
        "status": "completed" if completed else interview.state,
        "start": interview.created_at,
        "end": interview.updated_at if interview.state != "pending" else None,
        # Tenths of a second: a minute per question and a second per ten characters typed.
        "duration": sum(600 + len(answer) for answer in interview.answers),
        "score": overall,
        "score_text": f"{overall} out of 10" if overall is not None else None,
        "ai_analysis": None,
        "ai_analysis_recruiter": _recruiter_analysis(interview, position, overall),
        "ai_analysis_other": {"hiring_reasons": _reasons(interview, position)},
        "transcript": transcript,
    }
    if sign is not None and interview.answers:
        body["recording_url"] = sign(f"/media/recording/{interview.result_id}/0.wav")
        body["recording_is_video"] = False
    return body


def _recruiter_analysis(interview: Interview, position: Position, score: float | None) -> str:
    if score is None:
        return f"The interview for {position.name} is {interview.state}: nothing is scored yet."
    return (
        f"Sandbox analysis for {position.name}: {len(interview.answers)} answers reviewed. "
        f"The candidate communicated clearly and stayed on topic; overall {score} out of 10."
    )


def _font(pdf: FPDF) -> Callable[[str], str]:
    """Choose the report's font; answers the function that makes text printable in it."""
    if _UNICODE_FONT.is_file():
        pdf.add_font("Report", fname=str(_UNICODE_FONT))
        pdf.set_font("Report", size=11)
        return str
    pdf.set_font("Helvetica", size=11)
    return lambda text: text.encode("latin-1", "replace").decode("latin-1")


def render_report_pdf(interview: Interview, position: Position) -> bytes:
    """A real PDF report of one result: the candidate, the scores, the reasons, the transcript."""
    body = details(interview, position, sign=None)
    pdf = FPDF(format="A4")
    printable = _font(pdf)
    pdf.set_title(printable(f"Interview report - {position.name}"))
    pdf.add_page()
    lines = [
        f"Interview report: {interview.candidate_name}",
        f"Position: {position.name} ({position.location})",
        f"Score: {body['score_text'] or 'not scored'}",
        f"Duration: {round(body['duration'] / 600, 1)} minutes",
        "",
        body["ai_analysis_recruiter"],
    ]
    reasons = body["ai_analysis_other"]["hiring_reasons"]
    lines += ["", "Reasons to hire:", *(f"- {r}" for r in reasons["reasons_to_hire"])]
    lines += ["Reasons not to hire:", *(f"- {r}" for r in reasons["reasons_not_to_hire"])]
    for number, entry in enumerate(body["transcript"], start=1):
        lines += ["", f"Q{number}: {entry['question_asked']}", f"A: {entry['answer'] or '-'}"]
    for line in lines:
        pdf.multi_cell(pdf.epw, 6, printable(line), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
