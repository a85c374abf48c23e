"""What waiting costs the web tier: 300 candidates on the preparation page at once, polling as
``static/progress.js`` does, and the CPU seconds the gunicorn master and workers spend meanwhile.

Each candidate has applied for real (its own application, link and cookies) while no worker runs,
so every one of them is still "preparing" for the whole measurement. They arrived at random moments
over the minute before the measurement starts (the wait usually lasts under a minute), so some are
still in the page's quick first seconds and most have backed off; each follows the script's own
schedule from its own arrival, parsed from the script so the bench cannot drift from it. The
figure is CPU seconds of the server's process tree (``/proc/<pid>/stat``: user + system, every
descendant) over the wall seconds measured; the target is a fifth of one core.
"""

from __future__ import annotations

import asyncio
import os
import random
import re
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

from bench.room import apply_over_http
from bench.servers import ROOT

CPU_SHARE_TARGET = 0.2
SCRIPT = ROOT / "static" / "progress.js"


def polling_schedule(script: Path = SCRIPT) -> dict[str, float]:
    """The preparation page's polling schedule, in seconds, read from the script itself."""
    text = script.read_text()
    patterns = {
        "slowest": r'slowest = stage === "preparing" \? (\d+)',
        "first": r'delay = stage === "preparing" \? (\d+)',
        "fast_for": r'fastUntil = Date\.now\(\) \+ \(stage === "preparing" \? (\d+)',
        "factor": r"Math\.round\(delay \* ([\d.]+)\)",
    }
    found = {name: re.search(pattern, text) for name, pattern in patterns.items()}
    missing = [name for name, match in found.items() if match is None]
    if missing:
        raise RuntimeError(f"{script.name}: cannot read its polling schedule ({missing})")
    values = {name: float(match.group(1)) for name, match in found.items() if match}
    return {
        "slowest": values["slowest"] / 1000,
        "first": values["first"] / 1000,
        "fast_for": values["fast_for"] / 1000,
        "factor": values["factor"],
    }


def poll_times(arrived: float, until: float, schedule: dict[str, float]) -> list[float]:
    """When a page loaded at ``arrived`` polls before ``until`` (answers taken as instant)."""
    times, delay, moment = [], schedule["first"], arrived
    fast_until = arrived + schedule["fast_for"]
    while True:
        moment += delay
        if moment >= until:
            return times
        times.append(moment)
        if moment >= fast_until:
            delay = min(schedule["slowest"], round(delay * schedule["factor"], 3))


def tree_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process and all its descendants, alive now (Linux)."""
    tick = os.sysconf("SC_CLK_TCK")
    total, pending = 0.0, [pid]
    while pending:
        each = pending.pop()
        try:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
            for task in Path(f"/proc/{each}/task").iterdir():
                pending += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return total


def waiting_candidates(site: str, count: int) -> list[tuple[str, dict[str, str]]]:
    """``count`` candidates who applied (no worker runs, so all stay "preparing")."""

    def one(index: int) -> tuple[str, dict[str, str]]:
        for attempt in range(3):  # a 503 (SQLite busy under a shared machine's load) is retried
            try:
                client, page = apply_over_http(site, f"bench.waiting.{index}@example.com")
            except AssertionError:
                if attempt == 2:
                    raise
                time.sleep(1)
                continue
            cookies = dict(client.cookies.items())
            client.close()
            return page, cookies
        raise AssertionError("unreachable")

    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(one, range(count)))


async def _wait_like_the_page(
    client: httpx.AsyncClient, page: str, times: list[float], counts: dict[str, int]
) -> None:
    for moment in times:
        await asyncio.sleep(max(0.0, moment - time.monotonic()))
        try:
            answer = await client.get(page + "/status.json", headers={"Accept": "application/json"})
            ok = answer.status_code == 200 and answer.json()["stage"] == "preparing"
            counts["ok" if ok else "failed"] += 1
        except httpx.HTTPError:
            counts["failed"] += 1


def measure_waiting(
    site: str, server_pid: int, candidates: list[tuple[str, dict[str, str]]], seconds: float
) -> dict[str, Any]:
    """Let the candidates wait for ``seconds``; the server's CPU share meanwhile."""
    schedule = polling_schedule()
    shuffle = random.Random(12)
    counts = {"ok": 0, "failed": 0}

    async def timed() -> tuple[float, float]:
        # One client per candidate (its own cookies and connection), all built before the clock.
        clients = [httpx.AsyncClient(base_url=site, cookies=c, timeout=10) for _, c in candidates]
        start = time.monotonic() + 0.5
        until = start + seconds
        plans = [
            [t for t in poll_times(start - shuffle.uniform(0, 60), until, schedule) if t >= start]
            for _ in candidates
        ]
        task = asyncio.gather(
            *(
                _wait_like_the_page(client, page, plan, counts)
                for client, (page, _), plan in zip(clients, candidates, plans, strict=True)
            )
        )
        await asyncio.sleep(max(0.0, start - time.monotonic()))
        cpu_before, wall_before = tree_cpu_seconds(server_pid), time.monotonic()
        await asyncio.sleep(max(0.0, until - time.monotonic()))
        cpu_after, wall_after = tree_cpu_seconds(server_pid), time.monotonic()
        await asyncio.wait_for(task, timeout=30)
        for client in clients:
            await client.aclose()
        return cpu_after - cpu_before, wall_after - wall_before

    cpu, wall = asyncio.run(timed())
    return {
        "candidates": len(candidates),
        "seconds": round(wall, 1),
        "polls": counts["ok"],
        "failed_polls": counts["failed"],
        "polls_per_second": round(counts["ok"] / wall, 1),
        "schedule_seconds": schedule,
        "server_cpu_seconds": round(cpu, 2),
        "cpu_share_of_one_core": round(cpu / wall, 3),
        "target": CPU_SHARE_TARGET,
    }


def waiting_misses(measured: dict[str, Any]) -> list[str]:
    """The waiting measure's misses, in words."""
    missed = []
    if measured["cpu_share_of_one_core"] > CPU_SHARE_TARGET:
        missed.append(
            f"{measured['candidates']} waiting candidates cost "
            f"{measured['cpu_share_of_one_core']} of a core (target {CPU_SHARE_TARGET})"
        )
    if measured["failed_polls"]:
        missed.append(f"{measured['failed_polls']} status polls failed while waiting")
    return missed
