"""No logged value can forge a log line: control characters and line separators are escaped."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from webapp.logs import configure_logging, escape_control_characters

TRICKS = [
    "ana\r\n2026-01-01 INFO webapp: admin signed in",
    "ana\n\rERROR forged",
    "\x1b[2J\x1b[1;31mcleared screen",
    "ana\u2028INFO forged",
    "ana\u2029\x85\x0b\x0c\x00\x7f\x9b",
    "ana\u202eevil\u2066",
]


@pytest.fixture
def log_output(tmp_path: Path) -> Iterator[io.StringIO]:
    """What a handler on the root logger writes, set up as the app sets logging up."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    app = Flask("webapp", instance_path=str(tmp_path))
    app.config.update(SECRET_KEY="a-secret-key-for-log-tests-0123", SMTP_PASSWORD="smtp-pass-1234")
    configure_logging(app)
    yield out
    root.removeHandler(handler)


def unsafe(text: str) -> list[str]:
    return [
        c
        for c in text
        if ord(c) < 0x20 and c != "\n" or 0x7F <= ord(c) <= 0x9F or c in "\u2028\u2029\u202e\u2066"
    ]


@pytest.mark.parametrize("value", TRICKS)
def test_a_logged_value_stays_on_its_own_line(log_output: io.StringIO, value: str) -> None:
    logging.getLogger("webapp.apply").warning("application from %s (%r)", value, {"email": value})
    logging.getLogger("webapp.apply").warning(value)  # a value used as the message itself
    lines = log_output.getvalue().splitlines()
    assert len(lines) == 2
    assert all(line.startswith("WARNING webapp.apply: ") for line in lines)
    assert unsafe(log_output.getvalue()) == []


def test_escapes_are_readable() -> None:
    assert escape_control_characters("a\r\nb\tc") == "a\\r\\nb\\tc"
    assert escape_control_characters("\x1b[31m") == "\\x1b[31m"
    assert escape_control_characters("a\u2028b") == "a\\u2028b"
    assert escape_control_characters("Zoë 日本") == "Zoë 日本"


def test_a_traceback_keeps_its_lines_but_not_the_values_inside(log_output: io.StringIO) -> None:
    logger = logging.getLogger("webapp.worker")
    try:
        try:
            raise KeyError("first\r\nINFO forged by the cause")
        except KeyError as error:
            raise ValueError("bad name ana\nERROR forged by the message") from error
    except ValueError:
        logger.exception("could not store %s", "ana\u2028x")
    text = log_output.getvalue()
    lines = text.splitlines()
    assert lines[0] == "ERROR webapp.worker: could not store ana\\u2028x"
    assert "Traceback (most recent call last):" in lines
    assert "The above exception was the direct cause of the following exception:" in lines
    assert "ValueError: bad name ana\\nERROR forged by the message" in lines
    assert "KeyError: 'first\\r\\nINFO forged by the cause'" in lines
    assert not any(line.startswith(("INFO", "ERROR forged")) for line in lines)
    assert unsafe(text.replace("\n", "")) == []


def test_escaping_comes_before_redaction_and_both_still_work(log_output: io.StringIO) -> None:
    logging.getLogger("webapp.mail").warning("login smtp-pass-1234\r\nfor %s", "Bearer abc.def")
    assert (
        log_output.getvalue()
        == "WARNING webapp.mail: login [redacted]\\r\\nfor Bearer [redacted]\n"
    )
