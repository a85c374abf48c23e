"""How many uploaded files this process reads at once, and the budget each one gets.

Every reading runs in its own limited child (``webapp.services.budgeted``); the slots stop a burst
of hostile files from tying up every CPU. A request that finds no free slot gets 503 and a
``Retry-After`` instead of waiting in line.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from flask import Flask, current_app
from flask_babel import gettext
from werkzeug.exceptions import ServiceUnavailable

from webapp.services.budgeted import Budget

EXTENSION_KEY = "careerframe.uploads"
DEFAULTS = {
    "UPLOAD_CONCURRENCY": 2,  # files read at once per process
    "UPLOAD_CPU_SECONDS": 2.0,  # CPU one file may cost
    "UPLOAD_MEMORY_MB": 1024,  # address space of the child reading it
    "UPLOAD_SLOT_WAIT_SECONDS": 1.0,  # how long a request waits for a slot before a 503
}


@dataclass(frozen=True)
class UploadSlots:
    """This app's slots, the budget of each file, and the wait before refusing."""

    slots: threading.BoundedSemaphore
    budget: Budget
    wait_seconds: float

    @property
    def retry_after(self) -> int:
        """Seconds after which a slot is likely free: a file holds one for about its CPU budget."""
        return max(1, math.ceil(self.budget.cpu_seconds * 2))


def init_app(app: Flask) -> None:
    """Create this app's slots from its settings (defaults above)."""
    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    cpu = float(app.config["UPLOAD_CPU_SECONDS"])
    budget = Budget(
        cpu_seconds=cpu,
        memory_bytes=int(app.config["UPLOAD_MEMORY_MB"]) * 1024 * 1024,
        wall_seconds=max(5.0, cpu * 4),  # a busy machine stretches the clock, not the CPU
    )
    app.extensions[EXTENSION_KEY] = UploadSlots(
        slots=threading.BoundedSemaphore(max(1, int(app.config["UPLOAD_CONCURRENCY"]))),
        budget=budget,
        wait_seconds=float(app.config["UPLOAD_SLOT_WAIT_SECONDS"]),
    )


@contextmanager
def upload_slot() -> Iterator[Budget]:
    """Hold one of this app's slots while a file is read; raise ServiceUnavailable if none frees."""
    gate: UploadSlots = current_app.extensions[EXTENSION_KEY]
    if not gate.slots.acquire(timeout=gate.wait_seconds):
        raise ServiceUnavailable(
            gettext("Many files are being read right now. Please try again in a few seconds."),
            retry_after=gate.retry_after,
        )
    try:
        yield gate.budget
    finally:
        gate.slots.release()
