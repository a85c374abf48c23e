"""The sandbox's state file: positions and interviews as JSON, written atomically, read at start."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path
from typing import Any

FORMAT = 1


def save(path: Path, positions: Iterable[Any], interviews: Iterable[Any]) -> None:
    """Write the state to ``path``: a temporary file beside it, flushed, then renamed over it.

    A crash at any moment leaves either the old file or the new one, never half of either. The
    file holds embed signing keys, so it is readable by its owner only.
    """
    body = {
        "format": FORMAT,
        "positions": [asdict(p) for p in positions],
        "interviews": [asdict(i) for i in interviews],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(body, stream, ensure_ascii=False)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def load(path: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The positions and interviews stored at ``path``; empty lists when there is no file yet."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return [], []
    try:
        body = json.loads(text)
    except ValueError:
        raise ValueError(f"the sandbox state file {path} is not valid JSON") from None
    if not isinstance(body, dict) or body.get("format") != FORMAT:
        raise ValueError(f"the sandbox state file {path} is not in a format this sandbox reads")
    return list(body.get("positions") or []), list(body.get("interviews") or [])
