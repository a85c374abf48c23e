"""The one check for redirect targets taken from input: a path on this site, or the fallback."""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

# The URL standard strips leading and trailing C0 controls and spaces, and drops every tab and
# newline wherever it is; browsers then read the rest. We do the same before judging a target.
_EDGE = "".join(chr(code) for code in range(0x21))
_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")
_OTHER_CONTROLS = re.compile(r"[\x00-\x1f\x7f]")
_DOT = re.compile(r"%2e", re.IGNORECASE)
# Characters a path or query may keep as they are; everything else is percent-encoded.
_KEEP = "/%:@!$&'()*+,;=-._~?"
MAX_TARGET_LENGTH = 2000


def _remove_dot_segments(path: str) -> str:
    """Resolve ``.`` and ``..`` segments (also percent-encoded ones), as browsers do."""
    output: list[str] = []
    segments = path.split("/")
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        plain = _DOT.sub(".", segment)
        if plain == "..":
            if len(output) > 1:
                output.pop()
            if last:
                output.append("")
        elif plain == ".":
            if last:
                output.append("")
        else:
            output.append(segment)
    return "/".join(output)


def normalise(target: str) -> str | None:
    """The target as a browser would read it, if it is a path on this site; otherwise None."""
    if len(target) > MAX_TARGET_LENGTH:
        return None
    target = _TAB_OR_NEWLINE.sub("", target.strip(_EDGE))
    if _OTHER_CONTROLS.search(target):
        return None
    # Browsers read a backslash as a slash in http(s) URLs: "/\evil" is "//evil".
    target = target.replace("\\", "/")
    try:
        parts = urlsplit(target)
    except ValueError:
        return None
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    path = _remove_dot_segments(parts.path)
    if not path.startswith("/") or path.startswith("//"):
        return None
    try:
        result = quote(path, safe=_KEEP)
        if parts.query:
            result += "?" + quote(parts.query, safe=_KEEP)
        if parts.fragment:
            result += "#" + quote(parts.fragment, safe=_KEEP)
    except UnicodeEncodeError:  # a lone surrogate: no browser sends one
        return None
    return result


def safe_redirect_target(target: object, fallback: str, within: str = "/") -> str:
    """``target`` when it is a same-site path under ``within``; ``fallback`` otherwise.

    The result is always a plain ASCII path starting with one slash, so it is safe in a
    ``Location`` header whatever was sent.
    """
    if not isinstance(target, str) or not target:
        return fallback
    path = normalise(target)
    if path is None:
        return fallback
    prefix = within.rstrip("/")
    if prefix and not (
        path == prefix or path.startswith((prefix + "/", prefix + "?", prefix + "#"))
    ):
        return fallback
    return path
