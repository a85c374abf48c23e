"""Make sure a Chromium exists for the browser tests: Debian's, $CHROMIUM_PATH, or Playwright's own."""

from __future__ import annotations

import subprocess
import sys

from tests.chromium import chromium_path


def main() -> int:
    """Report the browser the tests will use, installing Playwright's build when none is found."""
    path = chromium_path()
    if path:
        print(f"browser tests use {path}")
        return 0
    print("no Chromium found: installing Playwright's build (needs internet access)")
    result = subprocess.run(
        [sys.executable, "-m", "playwright", "install", "chromium"], check=False
    )
    if result.returncode != 0:
        print(
            "could not install a browser: on Debian run `apt-get install chromium`, or set CHROMIUM_PATH"
        )
    return result.returncode


if __name__ == "__main__":
    raise SystemExit(main())
