"""What the product said during a test run, kept to prove that no secret was in it."""

from __future__ import annotations

from collections.abc import Iterable

from webapp.jobmojito.sandbox import SandboxServer


class LeakWatch:
    """Everything the product said during the run (responses and log lines) and every embed key issued."""

    def __init__(self) -> None:
        self.responses: list[bytes] = []
        self.log_lines: list[str] = []
        self.sandboxes: list[SandboxServer] = []
        # One-time codes read from e-mail the tests received: never in a log line.
        self.codes: list[str] = []

    def code_leaks(self) -> list[str]:
        """Log lines that carry any code seen so far (as a whole number, not inside another)."""
        import re

        found = []
        for code in set(self.codes):
            pattern = re.compile(rf"(?<!\d){re.escape(code)}(?!\d)")
            found += [
                f"code in log line {i}"
                for i, line in enumerate(self.log_lines)
                if pattern.search(line)
            ]
        return found

    def keys(self) -> set[str]:
        found: set[str] = set()
        for server in self.sandboxes:
            found |= set(server.sandbox.store.signing_keys())
        return found


LEAKS = LeakWatch()


def find_leaks(
    secrets: Iterable[str], responses: Iterable[bytes], log_lines: Iterable[str]
) -> list[str]:
    """Where any secret appears: a list of short descriptions, empty when nothing leaked."""
    found = []
    responses, log_lines = list(responses), list(log_lines)
    for secret in secrets:
        label = secret[:4] + "…"
        found += [
            f"{label} in response {i}"
            for i, body in enumerate(responses)
            if secret.encode() in body
        ]
        found += [f"{label} in log line {i}" for i, line in enumerate(log_lines) if secret in line]
    return found
