"""Runs last: no embed signing key or configured secret reached a product response or log line."""

from __future__ import annotations

import pytest

from tests.conftest import SANDBOX_TOKEN, WEBHOOK_SECRET
from tests.leakwatch import LEAKS, find_leaks


def test_no_signing_key_or_secret_appears_in_any_response_or_log_line() -> None:
    keys = LEAKS.keys()
    if not keys:
        pytest.skip("no test in this run obtained an embed signing key")
    assert len(LEAKS.responses) > 10 and LEAKS.log_lines, "the run was not recorded"
    assert (
        find_leaks(keys | {SANDBOX_TOKEN, WEBHOOK_SECRET}, LEAKS.responses, LEAKS.log_lines) == []
    )


def test_the_scan_finds_a_key_wherever_it_hides() -> None:
    responses = [b"Content-Type: text/html\n\n<p>hello</p>", b"X-Debug: esk_abc123\n\n"]
    lines = ["INFO fine", "WARNING key=esk_abc123 oops"]
    assert find_leaks({"esk_abc123"}, responses, lines) == [
        "esk_… in response 1",
        "esk_… in log line 1",
    ]
    assert find_leaks({"esk_zzz"}, responses, lines) == []


def test_no_one_time_code_appears_in_any_log_line() -> None:
    if not LEAKS.codes:
        pytest.skip("no test in this run read a one-time code from an e-mail")
    assert LEAKS.code_leaks() == []
