"""Finding the Chromium the browser tests drive."""

from __future__ import annotations

import os
from pathlib import Path


def chromium_path() -> str | None:
    """$CHROMIUM_PATH, else Debian's headless shell or Chromium; None means Playwright's own build."""
    for candidate in (
        os.environ.get("CHROMIUM_PATH"),
        "/usr/lib/chromium/chromium-headless-shell",
        "/usr/bin/chromium",
    ):
        if candidate and Path(candidate).exists():
            return candidate
    return None
