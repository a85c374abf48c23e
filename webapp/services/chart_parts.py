"""The charts' small parts: round axis ticks, number formats, text fitting, markers, label spacing."""

from __future__ import annotations

import math

NO_VALUE = "—"


def number(value: int) -> str:
    """A count with thousands separators."""
    return f"{value:,}"


def percent(part: int, whole: int) -> str:
    """``part`` as a share of ``whole`` with one decimal; a dash when ``whole`` is zero."""
    if whole == 0:
        return NO_VALUE
    share = 100 * part / whole
    if 0 < share < 0.1:
        return "<0.1%"
    text = f"{share:.1f}".removesuffix(".0")
    return f"{text}%"


def text_width(text: str, size: float) -> float:
    """A generous estimate of rendered width: layout must never let text collide."""
    return len(text) * size * 0.6


def wrap(label: str, chars: int, lines: int = 2) -> list[str]:
    """Word-wrap ``label`` to at most ``lines`` lines of ``chars``; the last is cut with an ellipsis."""
    out: list[str] = []
    current = ""
    for word in label.split():
        word = fit(word, chars)  # one very long word is cut rather than broken mid-way
        candidate = f"{current} {word}".strip()
        if len(candidate) <= chars:
            current = candidate
        else:
            out.append(current)
            current = word
    if current:
        out.append(current)
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][: chars - 1].rstrip() + "…"
    return out or [""]


def fit(label: str, chars: int) -> str:
    """``label`` cut to ``chars`` with an ellipsis when longer."""
    return label if len(label) <= chars else label[: chars - 1].rstrip() + "…"


def nice_ticks(most: int) -> list[int]:
    """Three to five round ticks from zero that reach at least ``most``."""
    step = 1
    for power in range(0, 16):
        for base in (1, 2, 2.5, 5):
            candidate = base * 10**power
            if candidate != int(candidate):
                continue
            if math.ceil(most / candidate) <= 4:
                step = int(candidate)
                break
        else:
            continue
        break
    count = max(math.ceil(most / step), 2)
    return [step * i for i in range(count + 1)]


def tick_label(value: int) -> str:
    """A short axis label: 750, 7,500, 250k, 1.5M (the table carries the exact numbers)."""
    if value < 10_000:
        return number(value)
    if value < 1_000_000:
        return f"{value / 1000:g}k"
    return f"{value / 1_000_000:g}M"


def marker_svg(kind: str, x: float, y: float, colour: str) -> str:
    """A point marker: circle, square or triangle, so series differ by shape as well as colour."""
    if kind == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>'
    if kind == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}"/>'
    points = f"{x:.1f},{y - 5:.1f} {x + 5:.1f},{y + 4:.1f} {x - 5:.1f},{y + 4:.1f}"
    return f'<polygon points="{points}" fill="{colour}"/>'


def spread(wanted: list[float], gap: float, low: float, high: float) -> list[float]:
    """Move label positions apart by at least ``gap``, keeping them inside [low, high].

    Labels move only as far as they must: down past the one above, then up below the one beneath.
    """
    order = sorted(range(len(wanted)), key=lambda i: wanted[i])
    placed = list(wanted)
    floor = low
    for i in order:
        placed[i] = max(placed[i], floor)
        floor = placed[i] + gap
    ceiling = high
    for i in reversed(order):
        placed[i] = max(low, min(placed[i], ceiling))
        ceiling = placed[i] - gap
    return placed
