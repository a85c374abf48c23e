"""Logo uploads: proven to be a PNG, JPEG or WebP by decoding it, then re-encoded from its pixels.

Re-encoding keeps only pixels: metadata (camera, GPS), a second file appended after the image
(the "PHP renamed .png" polyglot) and anything else the upload carried are gone. SVG is refused
outright: an SVG is a document that can carry scripts, not a picture. Decoding and re-encoding
run in a child process held to a CPU and memory budget (``webapp.services.budgeted``).
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from webapp.services.budgeted import DEFAULT_BUDGET, Budget, BudgetExceeded, run_budgeted

MAX_BYTES = 1024 * 1024
MIN_SIDE = 16
MAX_SIDE = 4000
MAX_ASPECT = 12
# What we store: big enough for a sharp 36 px-high header logo on a 3x screen, and small.
STORED_MAX = (1200, 240)
FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}


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


def _sniff(data: bytes) -> str:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    head = data[:512].lstrip().lower()
    if head.startswith((b"<?xml", b"<svg", b"<!doctype svg")) or b"<svg" in head:
        raise LogoError(
            "SVG logos are not accepted, because an SVG file can contain scripts. Export the logo as PNG."
        )
    raise LogoError(
        "This file is not a PNG, JPEG or WebP image. Upload the logo as PNG (best), JPEG or WebP."
    )


def _open(data: bytes, expected: str) -> Image.Image:
    try:
        with warnings.catch_warnings():
            # Pillow warns before it refuses a decompression bomb: treat the warning as the refusal.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=[expected])
            width, height = image.size
            if not (MIN_SIDE <= width <= MAX_SIDE and MIN_SIDE <= height <= MAX_SIDE):
                raise LogoError(
                    f"The image is {width}×{height} pixels. A logo must be between {MIN_SIDE} and {MAX_SIDE} pixels on each side."
                )
            if max(width, height) / min(width, height) > MAX_ASPECT:
                raise LogoError(
                    f"The image is {width}×{height} pixels: too long and thin for a logo (at most {MAX_ASPECT}:1)."
                )
            image.load()
    except LogoError:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise LogoError(
            f"The image is too large. A logo must be at most {MAX_SIDE}×{MAX_SIDE} pixels."
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise LogoError(
            "The image is damaged or incomplete and cannot be read. Export it again and upload the new file."
        ) from None
    if image.format != expected:
        raise LogoError(
            "This file is not a PNG, JPEG or WebP image. Upload the logo as PNG (best), JPEG or WebP."
        )
    return image


def prepare_logo(data: bytes, budget: Budget = DEFAULT_BUDGET) -> Logo:
    """Check an uploaded logo and re-encode it; raise LogoError with a message for the marketer."""
    if not data:
        raise LogoError("The file is empty. Choose the logo file again.")
    if len(data) > MAX_BYTES:
        raise LogoError(
            f"The file is {len(data) / 1024 / 1024:.1f} MB. A logo may be at most 1 MB."
        )
    source_format = _sniff(data)
    try:
        logo: Logo = run_budgeted(_reencode, (data, source_format), budget, passes=(LogoError,))
    except BudgetExceeded as stopped:
        if stopped.reason == "failed":
            raise LogoError(
                "The image is damaged or incomplete and cannot be read. Export it again and upload the new file."
            ) from None
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
    image = _open(data, source_format)
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
