"""How the sandbox decides an application: fixed rules, so every branch can be reached on purpose.

The real platform pre-screens the résumé with AI and may hand the decision to a recruiter. The
sandbox replaces that judgement with rules read from the candidate's e-mail and résumé:

| the e-mail's local part contains | and the résumé (trimmed) | status             | reason |
|----------------------------------|--------------------------|--------------------|--------|
| `+recruiter-reject`              | anything                 | `recruiter_reject` | yes    |
| `+recruiter-accept`              | anything                 | `recruiter_accept` | no     |
| `+reject`                        | anything                 | `ai_reject`        | yes    |
| `+review`                        | anything                 | `recruiter_action` | no     |
| none of the above                | under 100 characters     | `ai_reject`        | yes    |
| none of the above                | 100 characters or more   | `ai_accept`        | no     |

Rules are checked top to bottom and the first match wins. The e-mail is trimmed and lower-cased
first (`Ana+Review@Example.com` is a review). The résumé is measured after trimming whitespace.
Applying again with the same e-mail to the same position answers `already-applied` instead
(see `store.py`). The score in the `interview_result` webhook comes from :func:`score_for`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from webapp.jobmojito.contract import Decision as Status

MIN_RESUME_CHARS = 100

REASON_AI_REJECT = "Pre-screening found that the résumé does not match the position's requirements."
REASON_SHORT_RESUME = (
    f"The résumé is too short to assess (under {MIN_RESUME_CHARS} characters of text)."
)
REASON_RECRUITER_REJECT = "A recruiter reviewed the application and decided not to proceed."
REASON_ALREADY_APPLIED = "This e-mail address has already applied for this position."

# Order matters: the longer tags come first so that the table above reads as it behaves even
# if a tag is ever renamed into a prefix of another.
_TAG_RULES: tuple[tuple[str, str, str | None], ...] = (
    ("+recruiter-reject", Status.RECRUITER_REJECT, REASON_RECRUITER_REJECT),
    ("+recruiter-accept", Status.RECRUITER_ACCEPT, None),
    ("+reject", Status.AI_REJECT, REASON_AI_REJECT),
    ("+review", Status.RECRUITER_ACTION, None),
)

INTERVIEW_OPEN_STATUSES = frozenset({Status.AI_ACCEPT, Status.RECRUITER_ACCEPT})


@dataclass(frozen=True)
class Decision:
    """The pre-screening outcome for one new application."""

    status: str
    reason: str | None = None


def normalise_email(email: str) -> str:
    """Trim and lower-case an e-mail, the way the platform keys candidates."""
    return email.strip().lower()


def decide(email: str, resume: str) -> Decision:
    """Apply the table in this module's docstring to one application."""
    local_part = normalise_email(email).partition("@")[0]
    for tag, status, reason in _TAG_RULES:
        if tag in local_part:
            return Decision(status, reason)
    if len(resume.strip()) < MIN_RESUME_CHARS:
        return Decision(Status.AI_REJECT, REASON_SHORT_RESUME)
    return Decision(Status.AI_ACCEPT)


def score_for(email: str) -> float:
    """A score between 3.0 and 9.9 with one decimal, the same every time for one e-mail."""
    digest = hashlib.sha256(normalise_email(email).encode("utf-8")).digest()
    return round(3.0 + int.from_bytes(digest[:4], "big") % 70 / 10, 1)
