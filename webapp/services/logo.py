"""Logo uploads: proven to be a PNG, JPEG or WebP by decoding it, then re-encoded from its pixels.

Re-encoding keeps only pixels: metadata (camera, GPS), a second file appended after the image
(the "PHP renamed .png" polyglot) and anything else the upload carried are gone. SVG is refused
outright: an SVG is a document that can carry scripts, not a picture. Decoding and re-encoding
run in a child process held to a CPU and memory budget (``webapp.services.budgeted``).
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from PIL import Image, ImageOps

from webapp.services.budgeted import DEFAULT_BUDGET, Budget, BudgetExceeded, run_budgeted
from webapp.services.decoding import Bounds, Refused, decode, sniff

MAX_BYTES = 1024 * 1024
MIN_SIDE = 16
MAX_SIDE = 4000
MAX_ASPECT = 12
# What we store: big enough for a sharp 36 px-high header logo on a 3x screen, and small.
STORED_MAX = (1200, 240)


class LogoError(ValueError):
    """The upload is not a logo we accept; the message says why, for the marketer."""


@dataclass(frozen=True)
class Logo:
    """A logo ready to store: re-encoded bytes, their type, size and content hash."""

    data: bytes
    mime: str
    width: int
    height: int

    @property
    def digest(self) -> str:
        """The SHA-256 of the stored bytes: the logo's name and cache key."""
        return hashlib.sha256(self.data).hexdigest()


_BOUNDS = Bounds(min_width=MIN_SIDE, min_height=MIN_SIDE, max_side=MAX_SIDE, max_aspect=MAX_ASPECT)
_NOT_AN_IMAGE = (
    "This file is not a PNG, JPEG or WebP image. Upload the logo as PNG (best), JPEG or WebP."
)
_DAMAGED = "The image is damaged or incomplete and cannot be read. Export it again and upload the new file."


def _refusal(refused: Refused) -> LogoError:
    """The marketer's sentence for a picture the decoding walls stopped."""
    size = f"{refused.width}×{refused.height}"
    message = {
        "svg": "SVG logos are not accepted, because an SVG file can contain scripts. Export the logo as PNG.",
        "format": _NOT_AN_IMAGE,
        "small": f"The image is {size} pixels. A logo must be between {MIN_SIDE} and {MAX_SIDE} pixels on each side.",
        "large": f"The image is {size} pixels. A logo must be between {MIN_SIDE} and {MAX_SIDE} pixels on each side.",
        "aspect": f"The image is {size} pixels: too long and thin for a logo (at most {MAX_ASPECT}:1).",
        "bomb": f"The image is too large. A logo must be at most {MAX_SIDE}×{MAX_SIDE} pixels.",
        "damaged": _DAMAGED,
    }[refused.reason]
    return LogoError(message)


def prepare_logo(data: bytes, budget: Budget = DEFAULT_BUDGET) -> Logo:
    """Check an uploaded logo and re-encode it; raise LogoError with a message for the marketer."""
    if not data:
        raise LogoError("The file is empty. Choose the logo file again.")
    if len(data) > MAX_BYTES:
        raise LogoError(
            f"The file is {len(data) / 1024 / 1024:.1f} MB. A logo may be at most 1 MB."
        )
    try:
        source_format = sniff(data)
    except Refused as refused:
        raise _refusal(refused) from None
    try:
        logo: Logo = run_budgeted(_reencode, (data, source_format), budget, passes=(LogoError,))
    except BudgetExceeded as stopped:
        if stopped.reason == "failed":
            raise LogoError(_DAMAGED) from None
        if stopped.reason == "memory":
            raise LogoError(
                f"The image is too large to process. Export it at most {MAX_SIDE}×{MAX_SIDE} pixels and upload the new file."
            ) from None
        raise LogoError(
            "This image took too long to process; it may be unusually complex. "
            "Export it again as a simple PNG and upload the new file."
        ) from None
    return logo


def _reencode(data: bytes, source_format: str) -> Logo:
    """Decode and re-encode the image: the costly part, run inside the budgeted child."""
    try:
        image = decode(data, source_format, _BOUNDS)
    except Refused as refused:
        raise _refusal(refused) from None
    if source_format == "JPEG":
        image = ImageOps.exif_transpose(image)
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    image = image.convert("RGBA" if has_alpha else "RGB")
    image.thumbnail(STORED_MAX, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    if source_format == "JPEG":
        image.save(out, "JPEG", quality=90, optimize=True)
        mime = "image/jpeg"
    else:
        image.save(out, "PNG", optimize=True)
        mime = "image/png"
    data = out.getvalue()
    if len(data) > MAX_BYTES:
        raise LogoError(
            "The logo is too detailed to store small enough. Try a simpler or smaller image."
        )
    return Logo(data=data, mime=mime, width=image.width, height=image.height)
