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

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = message
        for secret in self._secrets:
            cleaned = cleaned.replace(secret, "[redacted]")
        for pattern in _SECRET_PATTERNS:
            cleaned = pattern.sub(r"\1[redacted]", cleaned)
        if cleaned != message:
            record.msg, record.args = cleaned, None
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
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
        root.setLevel(logging.INFO)
    for handler in root.handlers:
        if not any(isinstance(f, RedactSecrets) for f in handler.filters):
            handler.addFilter(redact)
    # httpx logs every request line at INFO; our client logs what matters itself.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    # pypdf reports every quirk of a broken upload; the candidate gets a clear message instead.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
