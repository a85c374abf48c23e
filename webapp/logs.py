"""Logging set-up: filters that keep secrets out of every log line and let no value forge one."""

from __future__ import annotations

import logging
import re
import traceback
from types import TracebackType

from flask import Flask

# Values shaped like the secrets we handle; scrubbed from any log record as a last line of
# defence (the code is written never to log them in the first place).
_SECRET_PATTERNS = [
    re.compile(r"(signature=)[0-9a-fA-F]{16,}"),
    re.compile(r"(Bearer\s+)[A-Za-z0-9._\-]+"),
    re.compile(r"(embed_signing_key[\"']?\s*[:=]\s*[\"']?)[^\"'\s,}]+"),
]


# Characters that could start a forged line or disguise one: C0 and C1 controls, DEL, the
# Unicode line and paragraph separators, and bidirectional overrides.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def escape_control_characters(text: str) -> str:
    """``text`` on one line: every control or separator character shown as its escape."""
    if not _UNSAFE.search(text):
        return text
    return _UNSAFE.sub(
        lambda m: (
            _NAMED.get(m[0]) or f"\\x{ord(m[0]):02x}"
            if ord(m[0]) < 0x100
            else f"\\u{ord(m[0]):04x}"
        ),
        text,
    )


def format_exception_safely(exc_info: ExcInfo) -> str:
    """A traceback over several lines, with each exception's own text (and notes) escaped."""
    lines: list[str] = []
    _format_chain(traceback.TracebackException(*exc_info), lines)
    return "".join(lines).rstrip("\n")


def _format_chain(exc: traceback.TracebackException, lines: list[str]) -> None:
    if exc.__cause__ is not None:
        _format_chain(exc.__cause__, lines)
        lines.append("\nThe above exception was the direct cause of the following exception:\n\n")
    elif exc.__context__ is not None and not exc.__suppress_context__:
        _format_chain(exc.__context__, lines)
        lines.append("\nDuring handling of the above exception, another exception occurred:\n\n")
    if exc.stack:
        lines.append("Traceback (most recent call last):\n")
        lines.extend(exc.stack.format())
    # The exception's text is the one part of a traceback that may carry outside values.
    for part in exc.format_exception_only():
        lines.append(escape_control_characters(part.removesuffix("\n")) + "\n")
    for number, member in enumerate(exc.exceptions or (), start=1):  # an ExceptionGroup's members
        lines.append(f"\nMember {number} of the group above:\n")
        _format_chain(member, lines)


class EscapeControlCharacters(logging.Filter):
    """Escapes line breaks and other control characters in every logged value and exception."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        escaped = escape_control_characters(message)
        if escaped != message:
            record.msg, record.args = escaped, None
        if record.exc_info and record.exc_info[1] is not None and not record.exc_text:
            record.exc_text = format_exception_safely(record.exc_info)  # type: ignore[arg-type]
        elif record.exc_text:
            # Formatted elsewhere: its lines stay, but nothing inside a line may break one.
            record.exc_text = "\n".join(
                escape_control_characters(line) for line in record.exc_text.split("\n")
            )
        if record.stack_info:
            record.stack_info = "\n".join(
                escape_control_characters(line) for line in record.stack_info.split("\n")
            )
        return True


class RedactSecrets(logging.Filter):
    """Replaces known secret values and secret-shaped substrings in log messages."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self._secrets = [s for s in secrets if s and len(s) >= 8]

    def add(self, secrets: list[str]) -> None:
        """Also redact these values (another app in this process has its own secrets)."""
        self._secrets = list(
            dict.fromkeys([*self._secrets, *(s for s in secrets if s and len(s) >= 8)])
        )

    def clean(self, text: str) -> str:
        """The text with every known secret and secret-shaped value replaced."""
        for secret in self._secrets:
            text = text.replace(secret, "[redacted]")
        for pattern in _SECRET_PATTERNS:
            text = pattern.sub(r"\1[redacted]", text)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = self.clean(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            # Exceptions can carry values in their text: format the traceback now, and clean it.
            record.exc_text = format_exception_safely(record.exc_info)  # type: ignore[arg-type]
        if record.exc_text:
            record.exc_text = self.clean(record.exc_text)
        return True


def configure_logging(app: Flask) -> None:
    """Send the app's logs to stderr at INFO; escape, then redact, on every handler."""
    secrets = [
        app.config.get("SECRET_KEY", ""),
        app.config.get("JOBMOJITO_API_TOKEN", ""),
        app.config.get("JOBMOJITO_API_KEY") or "",
        app.config.get("JOBMOJITO_WEBHOOK_SECRET", ""),
        *(app.config.get("DATA_ENCRYPTION_KEYS") or []),
        *(app.config.get("SECRET_KEY_FALLBACKS") or []),
        app.config.get("SMTP_PASSWORD") or "",
    ]
    redact = RedactSecrets(secrets)
    root = logging.getLogger()
    if not root.handlers:
        handler: logging.Handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
        root.setLevel(logging.INFO)
    for handler in root.handlers:
        if not any(isinstance(f, EscapeControlCharacters) for f in handler.filters):
            # First, so that every later filter and the formatter see one-line values.
            handler.filters.insert(0, EscapeControlCharacters())
        existing = next((f for f in handler.filters if isinstance(f, RedactSecrets)), None)
        if existing is None:
            handler.addFilter(redact)
        else:
            existing.add(secrets)
    # httpx logs every request line at INFO; our client logs what matters itself.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    # pypdf reports every quirk of a broken upload; the candidate gets a clear message instead.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
