"""Uploaded pictures proven by decoding: the format sniffed from the bytes, sizes checked, bombs refused.

Logos (``webapp.services.logo``) and section images (``webapp.services.images``) share these walls
and differ only in their bounds and in how they word a refusal, so a refusal here carries a reason
and the sizes, and each caller turns it into its own sentence for the marketer. Run inside the
budgeted child (``webapp.services.budgeted``): decoding is the costly, hostile part.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import Literal

from PIL import Image, UnidentifiedImageError

Reason = Literal["svg", "format", "small", "large", "aspect", "bomb", "damaged"]


class Refused(ValueError):
    """The bytes are not a picture within the bounds; ``reason`` says which wall stopped them."""

    def __init__(self, reason: Reason, width: int = 0, height: int = 0) -> None:
        super().__init__(reason)
        self.reason: Reason = reason
        self.width = width
        self.height = height


@dataclass(frozen=True)
class Bounds:
    """The pixel sizes a kind of picture may have."""

    min_width: int
    min_height: int
    max_side: int
    max_aspect: float


def sniff(data: bytes) -> str:
    """The format the bytes begin as (``PNG``, ``JPEG`` or ``WEBP``); SVG and the rest are refused."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    head = data[:512].lstrip().lower()
    if head.startswith((b"<?xml", b"<!doctype svg")) or b"<svg" in head:
        raise Refused("svg")
    raise Refused("format")


def decode(data: bytes, expected: str, bounds: Bounds) -> Image.Image:
    """Decode the bytes as ``expected`` within ``bounds``, or raise Refused with the reason."""
    try:
        with warnings.catch_warnings():
            # Pillow warns before it refuses a decompression bomb: treat the warning as the refusal.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=[expected])
            width, height = image.size
            if width > bounds.max_side or height > bounds.max_side:
                raise Refused("large", width, height)
            if width < bounds.min_width or height < bounds.min_height:
                raise Refused("small", width, height)
            if max(width, height) / min(width, height) > bounds.max_aspect:
                raise Refused("aspect", width, height)
            image.load()
    except Refused:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise Refused("bomb") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise Refused("damaged") from None
    if image.format != expected:
        raise Refused("format")
    return image
