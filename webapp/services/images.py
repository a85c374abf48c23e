"""Section images: checked by decoding, re-encoded from their pixels in the budgeted child, in sizes.

An uploaded hero image goes through the same walls as a logo (``webapp.services.logo``): the bytes
must be a PNG, JPEG or WebP that decodes, no SVG, no decompression bomb, and only the pixels are
kept. It is then stored as WebP in up to three widths (480, 960 and 1600 px, never wider than the
upload), each within ``MAX_RENDITION_BYTES``, so that a page's ``srcset`` lets a phone fetch the
small one. All of that runs in a child held to the upload budget (``webapp.services.budgeted``).
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from PIL import Image, ImageOps

from webapp.services.budgeted import DEFAULT_BUDGET, Budget, BudgetExceeded, run_budgeted
from webapp.services.decoding import Bounds, Refused, decode, sniff

MAX_UPLOAD_BYTES = 6 * 1024 * 1024  # under MAX_CONTENT_LENGTH (8 MB), so the form can say so
MIN_WIDTH = 480
MIN_HEIGHT = 160
MAX_SIDE = 6000
MAX_ASPECT = 4
WIDTHS = (480, 960, 1600)
# Each stored size must fit this; the page-weight check holds every page to it per image.
MAX_RENDITION_BYTES = 200 * 1024
_QUALITIES = (80, 70, 60, 50)


class ImageError(ValueError):
    """The upload is not an image we can use; the message says why, for the marketer."""


@dataclass(frozen=True)
class Rendition:
    """One stored size of an image."""

    width: int
    height: int
    data: bytes
    mime: str = "image/webp"


@dataclass(frozen=True)
class PreparedImage:
    """The sizes of one uploaded image, named by a hash over all of them."""

    renditions: tuple[Rendition, ...]

    @property
    def digest(self) -> str:
        """The SHA-256 over every size: the image's name and cache key."""
        hasher = hashlib.sha256()
        for rendition in self.renditions:
            hasher.update(rendition.data)
        return hasher.hexdigest()


_BOUNDS = Bounds(
    min_width=MIN_WIDTH, min_height=MIN_HEIGHT, max_side=MAX_SIDE, max_aspect=MAX_ASPECT
)
_DAMAGED = "The image is damaged or incomplete and cannot be read. Export it again."


def _refusal(refused: Refused) -> ImageError:
    """The marketer's sentence for a picture the decoding walls stopped."""
    size = f"{refused.width}×{refused.height}"
    message = {
        "svg": "SVG images are not accepted, because an SVG file can contain scripts.",
        "format": "This file is not a PNG, JPEG or WebP image. Upload a JPEG or a WebP photo.",
        "small": f"The image is {size} pixels: too small for a wide picture. "
        f"Use one at least {MIN_WIDTH} pixels wide and {MIN_HEIGHT} high.",
        "large": f"The image is {size} pixels; at most {MAX_SIDE} on each side.",
        "aspect": f"The image is {size} pixels: too long and thin (at most {MAX_ASPECT}:1).",
        "bomb": f"The image is too large: at most {MAX_SIDE} pixels on each side.",
        "damaged": _DAMAGED,
    }[refused.reason]
    return ImageError(message)


def prepare_image(data: bytes, budget: Budget = DEFAULT_BUDGET) -> PreparedImage:
    """Check an uploaded image and make its sizes; raise ImageError with a message for the marketer."""
    if not data:
        raise ImageError("The file is empty. Choose the image file again.")
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImageError(
            f"The file is {len(data) / 1024 / 1024:.1f} MB. An image may be at most "
            f"{MAX_UPLOAD_BYTES // 1024 // 1024} MB."
        )
    try:
        source_format = sniff(data)
    except Refused as refused:
        raise _refusal(refused) from None
    try:
        prepared: PreparedImage = run_budgeted(
            _renditions, (data, source_format), budget, passes=(ImageError,)
        )
    except BudgetExceeded as stopped:
        if stopped.reason == "failed":
            raise ImageError(_DAMAGED) from None
        raise ImageError(
            "The image is too large or complex to process. Export it at most 3000 pixels wide "
            "as a JPEG and upload the new file."
        ) from None
    return prepared


def _encode(image: Image.Image) -> bytes:
    for quality in _QUALITIES:
        out = io.BytesIO()
        image.save(out, "WEBP", quality=quality, method=4)
        if out.tell() <= MAX_RENDITION_BYTES:
            return out.getvalue()
    raise ImageError("The image is too detailed to store small enough. Try a calmer photo.")


def _renditions(data: bytes, source_format: str) -> PreparedImage:
    """Decode, drop everything but the pixels, and encode each size: run in the budgeted child."""
    try:
        image = decode(data, source_format, _BOUNDS)
    except Refused as refused:
        raise _refusal(refused) from None
    image = ImageOps.exif_transpose(image)
    image = image.convert("RGB")  # a photo band: transparency would show the page through it
    widths = [w for w in WIDTHS if w < image.width] + [min(image.width, WIDTHS[-1])]
    sizes = []
    for width in sorted(set(widths)):
        height = max(1, round(image.height * width / image.width))
        resized = (
            image
            if width == image.width
            else image.resize((width, height), Image.Resampling.LANCZOS)
        )
        sizes.append(Rendition(width, height, _encode(resized)))
    return PreparedImage(tuple(sizes))
