"""Starting and stopping the processes a benchmark needs, on 127.0.0.1 only."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
# The sandbox's bearer token in every benchmark run.
TOKEN = "bench-sandbox-token-0123456789"
GUNICORN_SETTINGS = [
    "--workers",
    "2",
    "--worker-class",
    "gthread",
    "--threads",
    "4",
    "--log-level",
    "warning",
]


def free_port() -> int:
    """A port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(url: str, timeout: float = 30) -> None:
    """Poll ``url`` until it answers."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up")


class Process:
    """A child process we started and will stop by its own id."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path) -> None:
        self.log = log
        with log.open("wb") as output:
            self.popen = subprocess.Popen(
                args, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
            )

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if it lingers."""
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()


def gunicorn(target: str, port: int, env: dict[str, str], log: Path) -> Process:
    """Serve a WSGI target with the benchmark's gunicorn settings."""
    args = [
        sys.executable,
        "-m",
        "gunicorn",
        *GUNICORN_SETTINGS,
        "--bind",
        f"127.0.0.1:{port}",
        target,
    ]
    return Process(args, env, log)


def flask_command(args: list[str], env: dict[str, str], log: Path) -> Process:
    """Run ``flask --app wsgi ...`` as a child process."""
    return Process([sys.executable, "-m", "flask", "--app", "wsgi", *args], env, log)


def base_env(**extra: str) -> dict[str, str]:
    """The environment of the product under benchmark."""
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "VIRTUAL_ENV")}
    return {**keep, "PYTHONUNBUFFERED": "1", **extra}


def rss_kib(pid: int) -> int:
    """Resident memory of a process and its children, in KiB (Linux /proc)."""
    total = 0
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(child) for child in children]
    except OSError:
        pass
    for each in pids:
        try:
            for line in Path(f"/proc/{each}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total
