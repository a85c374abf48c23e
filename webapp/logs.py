"""Logging set-up, with a filter that keeps secrets out of every log line."""

from __future__ import annotations

import logging
import re

from flask import Flask

# Values shaped like the secrets we handle; scrubbed from any log record as a last line of
# defence (the code is written never to log them in the first place).
_SECRET_PATTERNS = [
    re.compile(r"(signature=)[0-9a-fA-F]{16,}"),
    re.compile(r"(Bearer\s+)[A-Za-z0-9._\-]+"),
    re.compile(r"(embed_signing_key[\"']?\s*[:=]\s*[\"']?)[^\"'\s,}]+"),
]


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
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.clean(record.exc_text)
        return True


def configure_logging(app: Flask) -> None:
    """Send the app's logs to stderr at INFO and attach the redaction filter to every handler."""
    secrets = [
        app.config.get("SECRET_KEY", ""),
        app.config.get("JOBMOJITO_API_TOKEN", ""),
        app.config.get("JOBMOJITO_API_KEY") or "",
        app.config.get("JOBMOJITO_WEBHOOK_SECRET", ""),
        *app.config.get("DATA_ENCRYPTION_KEYS", []),
        *app.config.get("SECRET_KEY_FALLBACKS", []),
    ]
    redact = RedactSecrets(secrets)
    root = logging.getLogger()
    if not root.handlers:
        handler: logging.Handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
        root.setLevel(logging.INFO)
    for handler in root.handlers:
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
