"""The waiting benchmark follows the preparation page's own schedule and counts the server's CPU."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.waiting import poll_times, polling_schedule, tree_cpu_seconds


def test_the_schedule_is_read_from_the_page_script() -> None:
    schedule = polling_schedule()
    assert schedule["first"] <= 0.25 and schedule["fast_for"] >= 3  # time to ready depends on it
    assert schedule["slowest"] >= 5  # what keeps 300 waiting candidates under a fifth of a core
    assert schedule["factor"] > 1


def test_a_script_whose_schedule_cannot_be_read_stops_the_bench(tmp_path: Path) -> None:
    script = tmp_path / "progress.js"
    script.write_text("setInterval(poll, 1000);")
    with pytest.raises(RuntimeError, match="cannot read its polling schedule"):
        polling_schedule(script)


def test_poll_times_look_quickly_then_back_off() -> None:
    schedule = {"first": 0.25, "fast_for": 3.0, "slowest": 5.0, "factor": 1.5}
    times = poll_times(0.0, 30.0, schedule)
    gaps = [round(b - a, 3) for a, b in zip([0.0, *times], times, strict=False)]
    assert gaps[:12] == [0.25] * 12  # every 250 ms for the first 3 s
    assert gaps[12:15] == [0.375, 0.562, 0.843]
    assert max(gaps) == 5.0 and gaps[-1] == 5.0
    assert all(0 < t < 30 for t in times)


def test_the_cpu_of_a_process_tree_includes_its_children() -> None:
    parent = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import subprocess, sys; subprocess.run([sys.executable, '-c', "
            "'import time\\nend = time.process_time() + 0.6\\nwhile time.process_time() < end: pass\\n"
            "time.sleep(5)'])",
        ]
    )
    try:
        deadline = time.monotonic() + 20  # a busy machine may lend the child little time
        while tree_cpu_seconds(parent.pid) < 0.5 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert tree_cpu_seconds(parent.pid) >= 0.5  # the child's busy loop, not the parent's
    finally:
        parent.kill()
        parent.wait()
    assert tree_cpu_seconds(os.getpid()) > 0
