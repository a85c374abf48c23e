"""Bounds for sizes and spacing in custom CSS, so no value can push, pull or shrink the form out of sight.

Plain lengths in px, pt or rem (and em where it is relative to the element's own text) are checked
here and brought inside the bounds, with a note; lengths the browser must work out (%, vw, em of a
parent, calc() ...) are wrapped in ``clamp()`` with the same bounds, so the browser enforces them.
``var()`` is refused in these properties: what it stands for cannot be checked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import tinycss2
from tinycss2 import ast


class CssRejected(ValueError):
    """One piece of CSS that is not kept; the message says why, for the marketer."""


@dataclass(frozen=True)
class Limit:
    """The range a property's lengths must stay in (rem), and the words it may use instead."""

    low: float | None
    high: float | None
    why: str
    keywords: frozenset[str] = frozenset()
    em: tuple[float, float] | None = None  # em of the element's own font: checked as written
    number: tuple[float, float] | None = None  # unitless numbers (line-height)
    mixed: bool = False  # a shorthand whose other parts (style, colour) pass untouched


GLOBAL_KEYWORDS = frozenset({"inherit", "initial", "unset", "revert", "revert-layer"})
_ABSOLUTE = {"px": 1 / 16, "pt": 1 / 12, "rem": 1.0}
_RELATIVE = frozenset(
    {"em", "ex", "ch", "vw", "vh", "vmin", "vmax", "svh", "lvh", "dvh", "svw", "lvw", "dvw"}
)
_MATH = frozenset({"calc", "min", "max", "clamp"})

_SPACE = "so nothing can be pulled over the application form or pushed far from it"
_MARGIN = Limit(0, 8, f"margins stay between 0 and 8rem {_SPACE}", frozenset({"auto"}))
_PADDING = Limit(0, 8, f"paddings stay between 0 and 8rem {_SPACE}")
_GAP = Limit(0, 6, f"gaps stay between 0 and 6rem {_SPACE}", frozenset({"normal"}))
_BORDER_WORDS = frozenset({"thin", "medium", "thick"})
_BORDER = Limit(0, 0.5, "borders are at most 0.5rem wide", _BORDER_WORDS, mixed=True)
_BORDER_WIDTH = Limit(0, 0.5, "borders are at most 0.5rem wide", _BORDER_WORDS)
_THICKNESS = "text decoration lines are at most 0.125rem thick, so they cannot cover text"
_DECORATION = Limit(0, 0.125, _THICKNESS, frozenset({"auto", "from-font"}), em=(0, 0.1))

_SIDES = ("top", "right", "bottom", "left", "block", "inline")
_LOGICAL = ("block-start", "block-end", "inline-start", "inline-end")
LIMITS: dict[str, Limit] = {
    "margin": _MARGIN,
    "padding": _PADDING,
    **{f"margin-{side}": _MARGIN for side in (*_SIDES, *_LOGICAL)},
    **{f"padding-{side}": _PADDING for side in (*_SIDES, *_LOGICAL)},
    "gap": _GAP,
    "row-gap": _GAP,
    "column-gap": _GAP,
    "border": _BORDER,
    "border-width": _BORDER_WIDTH,
    **{f"border-{side}": _BORDER for side in (*_SIDES, *_LOGICAL)},
    **{f"border-{side}-width": _BORDER_WIDTH for side in (*_SIDES, *_LOGICAL)},
    "font-size": Limit(
        0.75,
        6,
        "text stays between 0.75rem (12px) and 6rem so it can be read",
        frozenset({"small", "medium", "large", "x-large", "xx-large", "xxx-large", "larger"}),
    ),
    "line-height": Limit(
        0.75,
        8,
        "line height stays between 1 and 3 times the text size so lines cannot overlap",
        frozenset({"normal"}),
        em=(1, 3),
        number=(1, 3),
    ),
    "letter-spacing": Limit(
        -0.05,
        0.5,
        "letter spacing stays between -0.05 and 0.5em",
        frozenset({"normal"}),
        em=(-0.05, 0.5),
    ),
    "word-spacing": Limit(
        -0.1, 1, "word spacing stays between -0.1 and 1em", frozenset({"normal"}), em=(-0.1, 1)
    ),
    "text-decoration": Limit(0, 0.125, _THICKNESS, frozenset({"auto", "from-font"}), mixed=True),
    "text-decoration-thickness": _DECORATION,
    "text-underline-offset": Limit(
        0, 0.5, "underlines sit 0 to 0.5em below the text", frozenset({"auto"}), em=(0, 0.5)
    ),
    "max-width": Limit(
        20,
        None,
        "widths stay at 20rem or more so the content cannot be squeezed",
        frozenset({"none"}),
    ),
    "min-height": Limit(0, 48, f"heights stay at 48rem or less {_SPACE}", frozenset({"auto"})),
}
# Shrunk to this: the smallest keyword sizes are under 12px.
_TOO_SMALL_WORDS = frozenset({"xx-small", "x-small"})


def _rem(value: float) -> str:
    return f"{value:g}rem"


def _wrapped(text: str, limit: Limit) -> str:
    if limit.low is not None and limit.high is not None:
        return f"clamp({_rem(limit.low)}, {text}, {_rem(limit.high)})"
    if limit.low is not None:
        return f"max({_rem(limit.low)}, {text})"
    return f"min({text}, {_rem(limit.high or 0)})"


def _inside(value: float, low: float | None, high: float | None) -> float:
    if low is not None and value < low:
        return low
    if high is not None and value > high:
        return high
    return value


def _component(token: ast.Node, name: str, limit: Limit) -> tuple[str, bool]:
    """One part of the value, kept, bounded or wrapped; True when it was changed."""
    text = tinycss2.serialize([token])
    kind = token.type
    if kind == "ident":
        word = token.lower_value
        if word in limit.keywords or word in GLOBAL_KEYWORDS or limit.mixed:
            return text, False
        if name == "font-size" and word in _TOO_SMALL_WORDS:
            return _rem(limit.low or 0), True
        raise CssRejected(f"“{token.value}” is not a value this property may use here")
    if kind == "number":
        if limit.number:
            bounded = _inside(token.value, *limit.number)
            return (f"{bounded:g}", True) if bounded != token.value else (text, False)
        if token.value == 0:  # a length of zero: fine where zero is within the bounds
            bounded = _inside(0, limit.low, limit.high)
            return (_rem(bounded), True) if bounded != 0 else (text, False)
        raise CssRejected("lengths need a unit such as px or rem")
    if kind == "dimension":
        unit = token.lower_unit
        if unit in _ABSOLUTE:
            size = token.value * _ABSOLUTE[unit]
            bounded = _inside(size, limit.low, limit.high)
            return (_rem(bounded), True) if bounded != size else (text, False)
        if unit == "em" and (limit.em or limit.number):
            low, high = limit.em or limit.number or (0, 0)
            bounded = _inside(token.value, low, high)
            return (f"{bounded:g}em", True) if bounded != token.value else (text, False)
        if unit in _RELATIVE:
            return _wrapped(text, limit), False
        raise CssRejected(f"the unit “{token.unit}” is not allowed here")
    if kind == "percentage":
        if limit.number:  # line-height: a percentage of the text size
            low, high = limit.number
            bounded = _inside(token.value / 100, low, high) * 100
            return (f"{bounded:g}%", True) if bounded != token.value else (text, False)
        return _wrapped(text, limit), False
    if kind == "function" and token.lower_name in _MATH:
        return _wrapped(text, limit), False
    if kind == "function" and token.lower_name == "var":
        raise CssRejected("var() cannot be used for sizes and spacing: its value cannot be checked")
    if limit.mixed or (kind == "literal" and token.value in "/,"):
        return text, False
    raise CssRejected("only lengths are allowed here")


def _contains_var(tokens: Sequence[ast.Node]) -> bool:
    for token in tokens:
        if token.type == "function":
            if token.lower_name == "var" or _contains_var(token.arguments):
                return True
        elif token.type in ("() block", "[] block") and _contains_var(token.content):
            return True
    return False


def bounded_value(name: str, tokens: Sequence[ast.Node]) -> tuple[str, str | None]:
    """The value of ``name`` inside its limits, and why it was changed (None when it was not).

    Raises CssRejected when the value cannot be checked or used.
    """
    limit = LIMITS.get(name)
    value = " ".join(tinycss2.serialize(tokens).split())
    if limit is None:
        return value, None
    if _contains_var(tokens):
        raise CssRejected("var() cannot be used for sizes and spacing: its value cannot be checked")
    parts, changed = [], False
    for token in tokens:
        if token.type in ("whitespace", "comment"):
            continue
        text, was_changed = _component(token, name, limit)
        parts.append(text)
        changed = changed or was_changed
    bounded = " ".join(parts).replace(" ,", ",")
    return bounded, (limit.why if changed else None)
