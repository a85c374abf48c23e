"""Lint is a test: the package type-checks, and ruff finds nothing to lint or reformat."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINTED = ["webapp", "tests", "bench", "wsgi.py"]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


def test_mypy_reports_no_errors() -> None:
    result = _run("mypy", "webapp")
    assert result.returncode == 0, f"mypy failed:\n{result.stdout}{result.stderr}"


@pytest.mark.parametrize(
    "command", [["check", *LINTED], ["format", "--check", *LINTED]], ids=["check", "format"]
)
def test_ruff_is_clean(command: list[str]) -> None:
    result = _run("ruff", *command)
    assert result.returncode == 0, f"ruff {command[0]} failed:\n{result.stdout}{result.stderr}"
