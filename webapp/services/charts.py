"""Server-side SVG charts for marketers: funnel bars and a line over time, plus their table rows."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from webapp.services.chart_parts import (
    NO_VALUE,
    fit,
    marker_svg,
    nice_ticks,
    number,
    percent,
    spread,
    text_width,
    tick_label,
    wrap,
)

Steps = Sequence[tuple[str, int]]
Points = Sequence[tuple[str, "int | None"]]
Series = Sequence[tuple[str, Points]]

WIDTH = 360  # user units: narrow enough that 12-unit text stays above 10 px on a 375 px phone
INK, MUTED, GRID = "#1b1f24", "#5b6570", "#d6dae0"
BAR = "#2456c7"
# Colour, dash pattern and marker per series: told apart by shape as well as by colour.
SERIES_STYLES = (
    ("#2456c7", "", "circle"),
    ("#a33b00", "7 4", "square"),
    ("#1e7a3c", "2 3", "triangle"),
)
_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,63}")
_FONT = 'font-family="system-ui, sans-serif"'


@dataclass(frozen=True)
class FunnelRow:
    """One funnel step as the data table shows it."""

    label: str
    count: str
    from_previous: str
    from_first: str


@dataclass(frozen=True)
class LineTable:
    """The line chart's data: one column per series, one row per x label."""

    columns: list[str]
    rows: list[tuple[str, list[str]]]


def _check_id(id: str) -> str:
    if not _ID.fullmatch(id):
        raise ValueError("A chart id starts with a letter and holds only letters, digits, - and _.")
    return id


def _check_steps(steps: Steps) -> list[tuple[str, int]]:
    checked = [(str(label), int(count)) for label, count in steps]
    if any(count < 0 for _, count in checked):
        raise ValueError("A funnel step cannot count fewer than zero.")
    return checked


def funnel_rows(steps: Steps) -> list[FunnelRow]:
    """Each step's count and its conversion from the step before and from the first step."""
    checked = _check_steps(steps)
    first = checked[0][1] if checked else 0
    rows = []
    for index, (label, count) in enumerate(checked):
        previous = percent(count, checked[index - 1][1]) if index else NO_VALUE
        rows.append(FunnelRow(label, number(count), previous, percent(count, first)))
    return rows


def funnel_summary(steps: Steps) -> str:
    """One sentence: first step → last step, with the overall conversion."""
    checked = _check_steps(steps)
    if not checked:
        return "No data for this period."
    (first_label, first), (last_label, last) = checked[0], checked[-1]
    if len(checked) == 1:
        return f"{first_label}: {number(first)}"
    overall = percent(last, first)
    tail = f" ({overall})" if overall != NO_VALUE else ""
    return f"{first_label}: {number(first)} → {last_label}: {number(last)}{tail}"


def _svg(id: str, title: str, summary: str, height: float, body: list[str]) -> Markup:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" viewBox="0 0 {WIDTH} '
        f'{height:.0f}" role="img" aria-labelledby="{id}-title" aria-describedby="{id}-desc" '
        f'{_FONT}><title id="{id}-title">{escape(title)}</title>'
        f'<desc id="{id}-desc">{escape(summary)}</desc>'
    )
    return Markup(head + "".join(body) + "</svg>")


def _text(x: float, y: float, text: str, size: int, fill: str = INK, extra: str = "") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" fill="{fill}"{extra}>'
        f"{escape(text)}</text>"
    )


def funnel_svg(steps: Steps, *, title: str, id: str) -> Markup:
    """Horizontal bars from zero, one per step, each labelled with its count and conversion."""
    id, checked = _check_id(id), _check_steps(steps)
    summary = funnel_summary(checked)
    if not checked:
        return _svg(id, title, summary, 40, [_text(4, 24, "No data for this period.", 14, MUTED)])
    left, label_size, value_size = 4.0, 14, 13
    values = [
        number(count) + (f" ({percent(count, checked[i - 1][1])})" if i else "")
        for i, (_, count) in enumerate(checked)
    ]
    value_room = max(text_width(v, value_size) for v in values) + 10
    bar_room = WIDTH - left - value_room
    most = max(count for _, count in checked)
    chars = int((WIDTH - left) / (label_size * 0.6))
    body, y = [], 6.0
    for (label, count), value in zip(checked, values, strict=True):
        for line in wrap(label, chars):
            y += 17
            body.append(_text(left, y, line, label_size))
        top = y + 6
        width = 0.0 if count == 0 else max(1.5, bar_room * count / most)
        if width:
            body.append(
                f'<rect x="{left:.1f}" y="{top:.1f}" width="{width:.1f}" height="22" fill="{BAR}"/>'
            )
        body.append(_text(left + width + 6, top + 16, value, value_size))
        y = top + 22 + 12
    axis = f'<line x1="{left:.1f}" y1="8" x2="{left:.1f}" y2="{y - 10:.1f}" stroke="{MUTED}"/>'
    note = (
        _text(left, y + 8, "(%) = share of the step before", 12, MUTED) if len(checked) > 1 else ""
    )
    return _svg(id, title, summary, y + (16 if note else 0), [*body, axis, note])


def _check_series(series: Series) -> list[tuple[str, list[tuple[str, int | None]]]]:
    checked = [
        (str(name), [(str(x), None if c is None else int(c)) for x, c in points])
        for name, points in series
    ]
    if not 1 <= len(checked) <= len(SERIES_STYLES):
        raise ValueError("A line chart shows one to three series.")
    if any(c is not None and c < 0 for _, points in checked for _, c in points):
        raise ValueError("A line chart cannot count fewer than zero.")
    return checked


def _x_labels(checked: list[tuple[str, list[tuple[str, int | None]]]]) -> list[str]:
    seen: dict[str, None] = {}
    for _, points in checked:
        seen.update((x, None) for x, _ in points)
    return list(seen)


def line_table(series: Series) -> LineTable:
    """One row per x label, one column per series; a dash where a series has no value."""
    checked = _check_series(series)
    lookup = [dict(points) for _, points in checked]
    rows = [
        (x, [NO_VALUE if (c := values.get(x)) is None else number(c) for values in lookup])
        for x in _x_labels(checked)
    ]
    return LineTable([name for name, _ in checked], rows)


def line_summary(series: Series) -> str:
    """One sentence per series: its total and its peak, over the period shown."""
    checked = _check_series(series)
    xs = _x_labels(checked)
    if not xs:
        return "No data for this period."
    parts = [f"{xs[0]} to {xs[-1]}." if len(xs) > 1 else f"{xs[0]}."]
    for name, points in checked:
        known = [(x, c) for x, c in points if c is not None]
        if not known:
            parts.append(f"{name}: no data.")
            continue
        peak_x, peak = max(known, key=lambda point: point[1])
        total = sum(c for _, c in known)
        parts.append(f"{name}: {number(total)} in all, most {number(peak)} ({peak_x}).")
    return " ".join(parts)


def line_svg(series: Series, *, title: str, id: str) -> Markup:
    """A line per series over shared x labels, on a zero-based y axis with round ticks."""
    id, checked = _check_id(id), _check_series(series)
    summary, xs = line_summary(checked), _x_labels(checked)
    if not xs:
        return _svg(id, title, summary, 40, [_text(4, 24, "No data for this period.", 14, MUTED)])
    size, top, plot_h = 13, 12.0, 180.0
    values = [c for _, points in checked for _, c in points if c is not None]
    ticks = nice_ticks(max(values, default=0))
    label_chars = 10
    label_w = max(text_width(fit(x, label_chars), size) for x in xs) + 10
    left = max(max(text_width(tick_label(t), size) for t in ticks) + 14, label_w / 2)
    names = [wrap(name, 12) for name, _ in checked]  # direct labels: two short lines at most
    lines = max(len(name) for name in names)
    right = max(text_width(line, size) for name in names for line in name) + 26
    plot_w, bottom = WIDTH - left - right, top + plot_h

    def at_x(index: int) -> float:
        return left + plot_w / 2 if len(xs) == 1 else left + plot_w * index / (len(xs) - 1)

    def at_y(value: float) -> float:
        return bottom - plot_h * value / ticks[-1]

    body = []
    for tick in ticks:
        y = at_y(tick)
        colour = MUTED if tick == 0 else GRID
        body.append(
            f'<line x1="{left:.1f}" y1="{y:.1f}" x2="{left + plot_w:.1f}" y2="{y:.1f}" stroke="{colour}"/>'
        )
        body.append(_text(left - 9, y + 4, tick_label(tick), size, extra=' text-anchor="end"'))
    every = max(1, math.ceil(label_w / (plot_w / max(len(xs) - 1, 1)))) if len(xs) > 1 else 1
    for index in range(len(xs) - 1, -1, -every):  # the latest label is always shown
        body.append(
            _text(
                at_x(index),
                bottom + 18,
                fit(xs[index], label_chars),
                size,
                extra=' text-anchor="middle"',
            )
        )
    ends = []
    for (_, points), (colour, dash, marker) in zip(checked, SERIES_STYLES, strict=False):
        lookup = dict(points)
        path, pen_down, last_y = [], False, bottom
        dots = []
        for index, x in enumerate(xs):
            value = lookup.get(x)
            if value is None:
                pen_down = False  # a gap: the line breaks rather than inventing a value
                continue
            px, py = at_x(index), at_y(value)
            path.append(f"{'L' if pen_down else 'M'}{px:.1f} {py:.1f}")
            dots.append(marker_svg(marker, px, py, colour))
            pen_down, last_y = True, py
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        if path:
            body.append(
                f'<path d="{" ".join(path)}" fill="none" stroke="{colour}" stroke-width="2.5"'
                f' stroke-linejoin="round"{dash_attr}/>'
            )
        body.extend(dots)
        ends.append(last_y)
    label_x = left + plot_w + 12
    # the last line must stay above the x labels, which may reach into this margin
    placed = spread(ends, 15 * lines + 3, top, bottom - 15 * (lines - 1))
    for y, name, (colour, _, marker) in zip(placed, names, SERIES_STYLES, strict=False):
        body.append(marker_svg(marker, label_x, y, colour))
        for row, line in enumerate(name):
            body.append(_text(label_x + 9, y + 4 + 15 * row, line, size, fill=colour))
    return _svg(id, title, summary, bottom + 28, body)


def template_globals() -> dict[str, object]:
    """The names the chart macros in ``templates/macros/charts.html`` call."""
    return {
        "chart_funnel_svg": funnel_svg,
        "chart_funnel_rows": funnel_rows,
        "chart_funnel_summary": funnel_summary,
        "chart_line_svg": line_svg,
        "chart_line_table": line_table,
        "chart_line_summary": line_summary,
    }
