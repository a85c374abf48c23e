"""Short-lived signed links to what the platform serves from its own origin: reports, recordings.

A link is ``/media/<kind>/<result id>/<file>?expires=<unix time>&signature=<hex>``; the signature
is an HMAC of the path and the expiry under a secret of this sandbox run. Past its expiry, or
with any part changed, a link answers 403 — as the platform's signed storage links do.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import math
import struct
import time
import wave
from datetime import UTC, datetime
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, request

from webapp.jobmojito.sandbox.details import render_report_pdf
from webapp.jobmojito.sandbox.state import sandbox

bp = Blueprint("sandbox_media", __name__, url_prefix="/media")

LINK_SECONDS = 15 * 60
_SAMPLE_RATE = 8000


def _signature(path: str, expires: int) -> str:
    key = sandbox().media_secret
    return hmac.new(key, f"{path}\n{expires}".encode(), hashlib.sha256).hexdigest()


def signed_url(path: str, seconds: int = LINK_SECONDS) -> tuple[str, int]:
    """The absolute signed link to a path under ``/media`` and its expiry (unix seconds)."""
    expires = int(time.time()) + seconds
    query = urlencode({"expires": expires, "signature": _signature(path, expires)})
    return f"{sandbox().base_url()}{path}?{query}", expires


def expiry_iso(expires: int) -> str:
    """A link's expiry as the platform writes times (ISO 8601, UTC)."""
    return datetime.fromtimestamp(expires, UTC).isoformat().replace("+00:00", "Z")


def _check_link() -> None:
    expires_text = request.args.get("expires", "")
    given = request.args.get("signature", "")
    if not expires_text.isdigit() or len(expires_text) > 12:
        abort(403)
    expires = int(expires_text)
    expected = _signature(request.path, expires)
    if not hmac.compare_digest(given.encode(), expected.encode()) or expires < time.time():
        abort(403)


def _private(body: bytes, content_type: str) -> Response:
    response = Response(body, content_type=content_type)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/report/<result_id>/report.pdf")
def report(result_id: str) -> Response:
    """The PDF report of a result, generated now from the sandbox's record of it."""
    _check_link()
    found = sandbox().store.result(result_id)
    if found is None:
        abort(404)
    return _private(render_report_pdf(*found), "application/pdf")


@bp.get("/recording/<result_id>/<int:number>.wav")
def recording(result_id: str, number: int) -> Response:
    """A short generated recording: a soft tone, pitched by the answer's number (0 = session)."""
    _check_link()
    if sandbox().store.result(result_id) is None or not 0 <= number <= 20:
        abort(404)
    return _private(tone_wav(220.0 * (1 + number / 4)), "audio/wav")


def tone_wav(frequency: float, seconds: float = 1.5) -> bytes:
    """A mono 16-bit WAV of a sine tone that fades in and out."""
    frames = int(_SAMPLE_RATE * seconds)
    samples = bytearray()
    for index in range(frames):
        envelope = math.sin(math.pi * index / frames)
        value = 0.3 * envelope * math.sin(2 * math.pi * frequency * index / _SAMPLE_RATE)
        samples += struct.pack("<h", int(value * 32767))
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(_SAMPLE_RATE)
        out.writeframes(bytes(samples))
    return buffer.getvalue()
