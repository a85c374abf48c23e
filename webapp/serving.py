"""Request logging for the built-in server (demo, development) that never writes a private link."""

from __future__ import annotations

import re

from werkzeug.serving import WSGIRequestHandler

# Candidate pages are opened by their signed token, which leads to a signed interview link.
# The e-mailed link (/continue/<token>) proves the candidate's address: it is masked the same way.
_PRIVATE_PATHS = [
    re.compile(r"^(/applications/)[^/?]+"),
    re.compile(r"^(/preview/)[^/?]+"),
    re.compile(r"^(/continue/)[^/?]+"),
]


def public_path(path: str) -> str:
    """The path without its query, and with any private token replaced."""
    path = path.split("?", 1)[0]
    for pattern in _PRIVATE_PATHS:
        path = pattern.sub(r"\1[token]", path)
    return path


class PrivateLinkSafeRequestHandler(WSGIRequestHandler):
    """Logs method, path (tokens masked, no query) and status."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Log one request line without private values."""
        self.log("info", '"%s %s" %s %s', self.command, public_path(self.path), code, size)
