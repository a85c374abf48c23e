"""Untrusted files read in a fresh child process under a hard CPU, memory and wall-clock budget.

Each call forks a short-lived supervisor from multiprocessing's forkserver (which has the parsers
imported already, so a fork costs milliseconds, not an interpreter start). The supervisor forks
the worker, sets ``RLIMIT_CPU`` / ``RLIMIT_AS`` on it, and reaps it with ``os.wait4``: the kernel's
own account of the CPU the worker used and the signal that stopped it come back with the answer.
The limits belong to that one worker, so they never accumulate across uploads.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import pickle
import resource
import select
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, Literal

Reason = Literal["cpu", "memory", "time", "failed"]

_EXIT_MEMORY = 71  # the worker ran out of its address space (MemoryError)
_EXIT_CPU = 72  # the worker's SIGXCPU handler ran: soft CPU limit reached
# The parsers the forkserver imports once, so that workers start with them loaded.
_PRELOAD = ["webapp.services.resume", "webapp.services.logo"]


@dataclass(frozen=True)
class Budget:
    """What one file may cost: CPU seconds, address space, and seconds on the clock."""

    cpu_seconds: float = 2.0
    memory_bytes: int = 1024 * 1024 * 1024
    wall_seconds: float = 10.0


DEFAULT_BUDGET = Budget()


class BudgetExceeded(Exception):
    """The worker was stopped: ``reason`` says by what, ``cpu_seconds`` what it had used."""

    def __init__(self, reason: Reason, cpu_seconds: float, detail: str) -> None:
        super().__init__(f"{reason}: {detail} after {cpu_seconds:.2f} s of CPU")
        self.reason: Reason = reason
        self.cpu_seconds = cpu_seconds
        self.detail = detail


@dataclass(frozen=True)
class _Report:
    outcome: Literal["ok", "raised", "stopped"]
    value: Any
    cpu_seconds: float


def run_budgeted(
    func: Callable[..., Any],
    args: tuple[Any, ...],
    budget: Budget,
    passes: tuple[type[Exception], ...] = (),
) -> Any:
    """Return ``func(*args)`` computed in a fresh limited child; re-raise its ``passes`` errors.

    Anything else going wrong in the child (over budget, killed, an unexpected exception)
    raises BudgetExceeded. ``func`` must be a module-level function; arguments and result
    travel pickled.
    """
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(_PRELOAD)
    receiver, sender = context.Pipe(duplex=False)
    supervisor = context.Process(
        target=_supervise, args=(sender, func, args, budget, passes), daemon=True
    )
    supervisor.start()
    sender.close()
    try:
        # The supervisor enforces the budget itself; this outer limit only guards against it.
        if not receiver.poll(budget.wall_seconds + 5):
            raise BudgetExceeded("time", math.nan, "the supervisor did not answer")
        report: _Report = receiver.recv()
    except EOFError:
        raise BudgetExceeded("failed", math.nan, "the supervisor ended without an answer") from None
    finally:
        receiver.close()
        if supervisor.is_alive():
            supervisor.kill()
        supervisor.join(5)
    if report.outcome == "ok":
        return report.value
    if report.outcome == "raised":
        raise report.value
    reason, detail = report.value
    raise BudgetExceeded(reason, report.cpu_seconds, detail)


def _supervise(
    conn: Connection,
    func: Callable[..., Any],
    args: tuple[Any, ...],
    budget: Budget,
    passes: tuple[type[Exception], ...],
) -> None:
    """Fork the worker, collect its answer within the wall-clock budget, reap it, report."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the worker
        os.close(read_end)
        _work(write_end, func, args, budget, passes)
    os.close(write_end)
    payload, timed_out = _read_until(read_end, time.monotonic() + budget.wall_seconds)
    if timed_out:
        os.kill(pid, signal.SIGKILL)
    _, status, usage = os.wait4(pid, 0)
    os.close(read_end)
    cpu = usage.ru_utime + usage.ru_stime
    conn.send(_verdict(status, payload, timed_out, cpu))
    conn.close()


def _verdict(status: int, payload: bytes, timed_out: bool, cpu: float) -> _Report:
    if timed_out:
        return _Report("stopped", ("time", "over the wall-clock budget"), cpu)
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        # SIGXCPU at the soft CPU limit, SIGKILL at the hard one.
        reason: Reason = "cpu" if sig in (signal.SIGXCPU, signal.SIGKILL) else "failed"
        return _Report("stopped", (reason, f"stopped by {signal.Signals(sig).name}"), cpu)
    code = os.WEXITSTATUS(status)
    if code == _EXIT_CPU:
        return _Report("stopped", ("cpu", "stopped by SIGXCPU"), cpu)
    if code == _EXIT_MEMORY:
        return _Report("stopped", ("memory", "out of its memory budget"), cpu)
    try:
        outcome, value = pickle.loads(payload)
    except Exception:  # noqa: BLE001 — no or a broken answer: the worker failed
        return _Report("stopped", ("failed", f"exit status {code}, no answer"), cpu)
    return _Report(outcome, value, cpu)


def _read_until(fd: int, deadline: float) -> tuple[bytes, bool]:
    """Everything written to ``fd`` until EOF, or what came before the deadline passed."""
    chunks: list[bytes] = []
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return b"".join(chunks), True
        ready, _, _ = select.select([fd], [], [], remaining)
        if ready:
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                return b"".join(chunks), False
            chunks.append(chunk)


def _on_cpu_limit(signum: int, frame: Any) -> None:
    os._exit(_EXIT_CPU)


def _work(
    fd: int,
    func: Callable[..., Any],
    args: tuple[Any, ...],
    budget: Budget,
    passes: tuple[type[Exception], ...],
) -> None:
    """In the worker: limit ourselves, run, write the pickled answer, and never return."""
    code = 0
    try:
        soft = max(1, math.ceil(budget.cpu_seconds))
        # A CPU clock that started at the fork; the hard limit kills even inside a long C call.
        resource.setrlimit(resource.RLIMIT_CPU, (soft, soft + 1))
        resource.setrlimit(resource.RLIMIT_AS, (budget.memory_bytes, budget.memory_bytes))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        signal.signal(signal.SIGXCPU, _on_cpu_limit)
        try:
            answer: tuple[str, Any] = ("ok", func(*args))
        except MemoryError:
            os._exit(_EXIT_MEMORY)
        except passes as error:
            answer = ("raised", error)
        except Exception as error:  # noqa: BLE001 — reported as a failure, by type only
            answer = ("stopped", ("failed", type(error).__name__))
        with os.fdopen(fd, "wb") as out:
            out.write(pickle.dumps(answer))
    except MemoryError:
        code = _EXIT_MEMORY
    except BaseException:  # noqa: BLE001 — whatever it was, the worker must not outlive it
        code = 1
    finally:
        os._exit(code)
