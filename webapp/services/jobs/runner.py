"""Kinds registered per app, and running a claimed job under a renewed lease."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import cast

from flask import Flask
from sqlalchemy.exc import SQLAlchemyError

from webapp.extensions import db
from webapp.services.jobs.outcomes import Claimed, Outcome, leave
from webapp.services.jobs.store import claim_next, record, renew

log = logging.getLogger(__name__)
_KEY = "careerframe.jobs"


@dataclass(frozen=True)
class Kind:
    """One kind of background work: its handler, its lease length and what it needs up."""

    name: str
    handler: Callable[[Claimed], Outcome]
    lease: Callable[[], float]
    needs: str | None = None
    # Called (in a fresh transaction) when the outcome could not be committed.
    unrecorded: Callable[[Claimed, Outcome], None] | None = None


def register(
    app: Flask,
    name: str,
    handler: Callable[[Claimed], Outcome],
    *,
    lease: Callable[[], float],
    needs: str | None = None,
    unrecorded: Callable[[Claimed, Outcome], None] | None = None,
) -> None:
    """Register the handler of ``name`` for this app."""
    app.extensions.setdefault(_KEY, {})[name] = Kind(name, handler, lease, needs, unrecorded)


def kinds(app: Flask) -> dict[str, Kind]:
    """This app's kinds of background work, by name."""
    return cast(dict[str, Kind], app.extensions.get(_KEY, {}))


@contextmanager
def heartbeat(app: Flask, claimed: Claimed, seconds: float) -> Iterator[None]:
    """Renew the lease every third of its length while the work runs, so a slow but live worker
    keeps it, and a killed worker's lease lapses within one lease length."""
    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(seconds / 3):
            try:
                with app.app_context():
                    ours = renew(claimed, seconds)
                    db.session.remove()
                if not ours:
                    return
            except Exception:  # noqa: BLE001 — a missed beat only shortens the lease
                log.warning(
                    "worker %s: could not renew the lease of job %s", claimed.owner, claimed.id
                )

    thread = threading.Thread(target=beat, name=f"lease-{claimed.id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)


def run(
    app: Flask, claimed: Claimed, handler: Callable[[Claimed], Outcome] | None = None
) -> Outcome:
    """Run a claimed job under its lease and record what came of it (inside an app context)."""
    kind = kinds(app)[claimed.kind]
    with heartbeat(app, claimed, kind.lease()):
        try:
            outcome = (handler or kind.handler)(claimed)
        except Exception:
            db.session.rollback()
            raise  # the lease lapses and the job runs again; the worker logs it
        try:
            if not record(claimed, outcome):
                db.session.rollback()
                if outcome.state != "leave":
                    log.warning(
                        "job %s (%s): the lease ran out meanwhile; the other worker's outcome "
                        "stands",
                        claimed.id,
                        claimed.kind,
                    )
                return leave()
            db.session.commit()
        except SQLAlchemyError:
            db.session.rollback()
            if kind.unrecorded is None:
                raise
            kind.unrecorded(claimed, outcome)
            return leave()
    return outcome


def run_next(
    app: Flask, owner: str, names: Iterable[str] | None = None
) -> tuple[Claimed, Outcome] | None:
    """Claim and run the next due job of the given kinds (all by default); None when none is due."""
    registry = kinds(app)
    chosen = registry if names is None else {n: registry[n] for n in names if n in registry}
    claimed = claim_next(owner, {name: kind.lease() for name, kind in chosen.items()})
    if claimed is None:
        return None
    return claimed, run(app, claimed)
