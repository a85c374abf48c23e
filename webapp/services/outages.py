"""Outages as the workers see them: logged once when they start and once when they end.

While the platform or the database is down, every worker thread would otherwise log every poll.
One ``OutageLog`` per app (``app.extensions``) keeps the state: the first failure logs, later ones
only push the next probe back (doubling, capped); while paused, one thread at a time probes, and
the first success logs the recovery and lets every thread resume at once.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from flask import Flask, current_app
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import SystemAlert

log = logging.getLogger(__name__)

_KEY = "careerframe.outages"


@dataclass
class _Outage:
    started: float
    failures: int
    retry_at: float
    alert: str | None = None  # an alert whose resolution (by any process) ends the outage


class OutageLog:
    """The outages of one app's workers, by what is down (``platform``, ``database``)."""

    def __init__(self, base_seconds: float = 1.0, cap_seconds: float = 60.0) -> None:
        self.base_seconds = base_seconds
        self.cap_seconds = cap_seconds
        self._lock = threading.Lock()
        self._down: dict[str, _Outage] = {}

    def _delay(self, failures: int) -> float:
        return min(self.cap_seconds, self.base_seconds * 2 ** min(failures - 1, 30))

    def failed(self, what: str, detail: str, *, alert: str | None = None) -> float:
        """Note one failure; log only the first of an outage. The seconds until the next probe.

        With ``alert``, the outage also ends as soon as that alert is resolved (see ``lift``).
        """
        now = time.monotonic()
        with self._lock:
            outage = self._down.get(what)
            if outage is None:
                outage = self._down[what] = _Outage(now, 0, now)
                log.error(
                    "%s unavailable (%s): workers back off and retry; logged once per outage",
                    what,
                    detail,
                )
            outage.failures += 1
            outage.alert = alert or outage.alert
            delay = self._delay(outage.failures)
            outage.retry_at = now + delay
            return delay

    def paused(self, what: str) -> bool:
        """Whether to wait; once a probe is due, one caller goes ahead and the others still wait."""
        now = time.monotonic()
        with self._lock:
            outage = self._down.get(what)
            if outage is None:
                return False
            if now < outage.retry_at:
                return True
            outage.retry_at = now + self._delay(outage.failures + 1)  # this caller probes
            return False

    def recovered(self, what: str) -> None:
        """Note a success; log the end of an outage if there was one."""
        with self._lock:
            outage = self._down.pop(what, None)
        if outage is not None:
            log.warning(
                "%s is back after %.1f s and %d failed attempt(s); work resumes",
                what,
                time.monotonic() - outage.started,
                outage.failures,
            )

    def lift(self, what: str) -> None:
        """End the outage of ``what`` at once if its alert was resolved (a call got through,
        in this process or any other): a fixed token is used from the next poll on."""
        with self._lock:
            outage = self._down.get(what)
            key = outage.alert if outage is not None else None
        if key is not None and not alert_open(key):
            self.recovered(what)

    def is_down(self, what: str) -> bool:
        """Whether an outage of ``what`` is going on."""
        with self._lock:
            return what in self._down


def outage_log(app: Flask) -> OutageLog:
    """The app's outage log, made on first use with the app's retry base."""
    existing = app.extensions.get(_KEY)
    if existing is None:
        base = float(app.config.get("UPSTREAM_RETRY_BASE_SECONDS", 2.0))
        existing = app.extensions.setdefault(_KEY, OutageLog(base_seconds=base))
    return existing  # type: ignore[no-any-return]


def alert_open(key: str) -> bool:
    """Whether the alert ``key`` is open (one small query)."""
    found = db.session.scalar(
        select(SystemAlert.id).where(SystemAlert.key == key, SystemAlert.resolved_at.is_(None))
    )
    return found is not None


def platform_answered() -> None:
    """A call reached the platform and was answered: end its outage in this app at once."""
    outage_log(current_app._get_current_object()).recovered("platform")  # type: ignore[attr-defined]
