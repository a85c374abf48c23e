"""A claimed job, and what came of running it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Claimed:
    """A job this worker holds the lease of."""

    id: int
    kind: str
    subject_id: int
    attempts: int
    owner: str
    deadline: datetime | None


@dataclass(frozen=True)
class Outcome:
    """What came of running a job: ``done``, ``retry``, ``give_up`` or ``leave`` (lease lapses)."""

    state: str
    delay: float = 0.0
    error: str | None = None
    count_attempt: bool = True
    deadline: datetime | None = None
    outage: str | None = None  # what is down (say "platform"): the workers pause that kind
    note: str = ""
    alert: str | None = None  # an open alert whose resolution ends the outage early


def done(note: str = "") -> Outcome:
    """The work is finished."""
    return Outcome("done", note=note)


def retry_after(
    delay: float,
    error: str | None = None,
    *,
    count_attempt: bool = True,
    deadline: datetime | None = None,
    outage: str | None = None,
    alert: str | None = None,
) -> Outcome:
    """Run again in ``delay`` seconds; ``deadline`` (kept once set) is when to give up."""
    return Outcome("retry", delay, error, count_attempt, deadline, outage, alert=alert)


def give_up(error: str, *, outage: str | None = None) -> Outcome:
    """Stop trying; the subject says why."""
    return Outcome("give_up", error=error, outage=outage)


def leave(error: str = "") -> Outcome:
    """Record nothing: the lease runs out and another worker runs the job again."""
    return Outcome("leave", error=error or None)
