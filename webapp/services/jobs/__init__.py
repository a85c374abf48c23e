"""Background work of every kind: scheduled in the caller's transaction, claimed under a lease.

The conditional UPDATE is the lock: of several workers racing for one due job, exactly one
claims it (PostgreSQL skips rows another claim has locked; SQLite has one writer at a time). A claim
holds a lease that the runner renews while the handler works, so a killed worker's job becomes
claimable again within one lease length. Handlers are registered per app, one per kind; each takes
the claimed job and says what came of it (done, retry after a delay, give up, or leave the lease to
lapse). The subject rows keep their own domain state; this module only knows when to run what.
"""

from __future__ import annotations

from webapp.services.jobs.outcomes import Claimed, Outcome, done, give_up, leave, retry_after
from webapp.services.jobs.runner import Kind, heartbeat, kinds, register, run, run_next
from webapp.services.jobs.store import (
    active,
    cancel,
    claim_next,
    record,
    renew,
    schedule,
    still_ours,
)

__all__ = [
    "Claimed",
    "Kind",
    "Outcome",
    "active",
    "cancel",
    "claim_next",
    "done",
    "give_up",
    "heartbeat",
    "kinds",
    "leave",
    "record",
    "register",
    "renew",
    "retry_after",
    "run",
    "run_next",
    "schedule",
    "still_ours",
]
