"""Charts: the SVG and its table carry the input's numbers, honest scales, escaped labels, AA colours."""

from __future__ import annotations

import re
from typing import Any
from xml.etree.ElementTree import Element

import lxml.html
import pytest
from defusedxml.ElementTree import fromstring
from flask import Flask, render_template_string

from webapp.services import chart_parts, charts

SVG = "{http://www.w3.org/2000/svg}"
DRAWN = {"svg", "title", "desc", "text", "rect", "line", "path", "circle", "polygon"}
FUNNEL = [("Job page views", 1240), ("Apply form views", 310), ("Applications sent", 96)]
HOSTILE = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "a & b ' \" </svg>"]


def parse(markup: str) -> Element:
    """The SVG as an element tree; fails on anything that is not well-formed XML."""
    return fromstring(str(markup))


def tag(element: Element) -> str:
    return element.tag.removeprefix(SVG)


def texts(root: Element) -> list[Element]:
    return [e for e in root.iter() if tag(e) == "text"]


def text_of(root: Element) -> list[str]:
    return [e.text or "" for e in texts(root)]


def bars(root: Element) -> list[Element]:
    return [e for e in root.iter() if tag(e) == "rect"]


def render(app: Flask, source: str, **values: Any) -> lxml.html.HtmlElement:
    with app.test_request_context():
        html = render_template_string(
            '{% from "macros/charts.html" import funnel_chart, line_chart %}' + source, **values
        )
    return lxml.html.fromstring(html)


def table_cells(figure: lxml.html.HtmlElement) -> list[list[str]]:
    return [
        [cell.text_content().strip() for cell in row.xpath("./th|./td")]
        for row in figure.xpath(".//table/tbody/tr")
    ]


def luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_on_white(colour: str) -> float:
    return 1.05 / (luminance(colour) + 0.05)


def test_the_funnel_svg_shows_every_count_and_bars_in_proportion_from_zero() -> None:
    root = parse(charts.funnel_svg(FUNNEL, title="Funnel", id="f"))
    shown = text_of(root)
    assert ["Job page views", "Apply form views", "Applications sent"] == [
        t for t in shown if not t[0].isdigit() and not t.startswith("(")
    ]
    assert "1,240" in shown and "310 (25%)" in shown and "96 (31%)" in shown
    rects = bars(root)
    assert {r.get("x") for r in rects} == {"4.0"}  # every bar starts at the zero line
    widths = [float(r.get("width", "0")) for r in rects]
    assert widths[1] / widths[0] == pytest.approx(310 / 1240, rel=0.01)
    assert widths[2] / widths[0] == pytest.approx(96 / 1240, rel=0.01)


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [(96, 1240, "7.7%"), (310, 1240, "25%"), (1240, 1240, "100%"), (0, 5, "0%"), (5, 0, "—"),
     (0, 0, "—"), (1, 10**6, "<0.1%"), (3, 2, "150%")],
)  # fmt: skip
def test_conversion_is_a_rounded_share_and_a_dash_when_dividing_by_zero(
    part: int, whole: int, expected: str
) -> None:
    assert chart_parts.percent(part, whole) == expected


def test_the_funnel_table_has_each_count_and_both_conversions(app: Flask) -> None:
    steps = [("Views", 1240), ("Forms", 0), ("Sent", 96)]
    figure = render(app, "{{ funnel_chart(steps, 'Funnel', 'site-funnel') }}", steps=steps)
    assert table_cells(figure) == [
        ["Views", "1,240", "—", "100%"],
        ["Forms", "0", "0%", "0%"],
        ["Sent", "96", "—", "7.7%"],
    ]
    assert figure.xpath("string(.//caption)") == "Funnel: the numbers"
    assert "Views: 1,240 → Sent: 96 (7.7%)" in figure.text_content()


def test_the_svg_names_itself_and_points_at_its_summary() -> None:
    root = parse(charts.funnel_svg(FUNNEL, title="Site funnel", id="f"))
    assert root.get("role") == "img"
    by_id = {e.get("id"): e for e in root.iter() if e.get("id")}
    assert by_id[root.get("aria-labelledby")].text == "Site funnel"
    summary = by_id[root.get("aria-describedby")].text
    assert summary == "Job page views: 1,240 → Applications sent: 96 (7.7%)"
    assert root.get("viewBox", "").startswith("0 0 360 ")


def test_zero_one_and_a_million_each_get_a_labelled_step_without_overlap() -> None:
    steps = [("Views", 10**6), ("Forms", 1), ("Sent", 0)]
    root = parse(charts.funnel_svg(steps, title="F", id="f"))
    shown = text_of(root)
    assert "1,000,000" in shown and "1 (<0.1%)" in shown and "0 (0%)" in shown
    assert "Sent" in shown
    rects = bars(root)
    assert len(rects) == 2 and float(rects[1].get("width", "0")) > 0  # one is still visible
    values = [e for e in texts(root) if (e.text or "")[0].isdigit()]
    ends = [float(r.get("x", "0")) + float(r.get("width", "0")) for r in rects] + [4.0]
    for value, bar_end in zip(values, ends, strict=True):
        start = float(value.get("x", "0"))
        assert start >= bar_end + 4  # the number sits past its bar
        assert start + chart_parts.text_width(value.text or "", 13) <= charts.WIDTH
    baselines = [float(e.get("y", "0")) for e in texts(root)]
    assert all(b - a >= 14 for a, b in zip(baselines, baselines[1:], strict=False))


def test_a_long_label_wraps_and_is_cut_in_the_svg_but_whole_in_the_table(app: Flask) -> None:
    long = "Candidates who opened the application form from a campaign e-mail " * 4
    steps = [(long.strip(), 40), ("Sent", 4)]
    root = parse(charts.funnel_svg(steps, title="F", id="f"))
    first, second, third = texts(root)[:3]
    assert long.startswith(f"{first.text} ")  # broken between whole words
    assert (second.text or "").endswith("…") and third.text == "40"  # cut at two lines
    widest = (charts.WIDTH - 4) / (14 * 0.6)
    assert all(len(e.text or "") <= widest for e in (first, second))
    assert float(second.get("y", "0")) - float(first.get("y", "0")) >= 14
    figure = render(app, "{{ funnel_chart(steps, 'F', 'f') }}", steps=steps)
    assert table_cells(figure)[0][0] == long.strip()


@pytest.mark.parametrize("label", HOSTILE)
def test_every_label_is_escaped_and_only_chart_elements_are_drawn(app: Flask, label: str) -> None:
    funnel = charts.funnel_svg([(label, 5), ("ok", 1)], title=label, id="f")
    line = charts.line_svg([(label, [(label, 3), ("b", 1)])], title=label, id="l")
    for markup in (funnel, line):
        root = parse(markup)
        assert {tag(e) for e in root.iter()} <= DRAWN
        assert not [a for e in root.iter() for a in e.attrib if a.lower().startswith("on")]
        assert label in [e.text for e in root.iter()]  # shown as text, character for character
    page = render(
        app,
        "{{ funnel_chart(steps, label, 'f') }}{{ line_chart(series, label, 'l') }}",
        steps=[(label, 5)],
        series=[(label, [(label, 3)])],
        label=label,
    )
    assert not page.xpath("//script|//img|//*[@onerror]")
    assert label in [th.text_content() for th in page.xpath("//tbody/tr/th")]


@pytest.mark.parametrize("most", [0, 1, 3, 7, 13, 96, 1240, 999_999, 10**6, 3 * 10**9])
def test_the_y_axis_has_three_to_five_round_ticks_from_zero(most: int) -> None:
    ticks = chart_parts.nice_ticks(most)
    assert 3 <= len(ticks) <= 5 and ticks[0] == 0 and ticks[-1] >= most
    step = ticks[1]
    assert ticks == [step * i for i in range(len(ticks))]
    assert re.fullmatch(r"(1|2|25|5)0*", str(step)), step


@pytest.mark.parametrize(
    ("value", "label"),
    [
        (0, "0"),
        (750, "750"),
        (7_500, "7,500"),
        (250_000, "250k"),
        (10**6, "1M"),
        (2_500_000, "2.5M"),
    ],
)
def test_axis_ticks_are_short_and_round(value: int, label: str) -> None:
    assert chart_parts.tick_label(value) == label


def test_ninety_days_of_x_labels_are_thinned_so_none_overlap_and_the_latest_shows() -> None:
    days = [f"2026-{m:02d}-{d:02d}" for m in (9, 10, 11) for d in range(1, 31)]
    root = parse(charts.line_svg([("Views", [(d, 10**6) for d in days])], title="T", id="l"))
    shown = [e for e in texts(root) if (e.text or "").startswith("2026-")]
    assert shown[0].text == days[-1] and 3 <= len(shown) < 10
    centres = sorted(float(e.get("x", "0")) for e in shown)
    width = chart_parts.text_width(days[0], 13)
    assert all(b - a >= width for a, b in zip(centres, centres[1:], strict=False))
    assert min(centres) - width / 2 >= 0 and max(centres) + width / 2 <= charts.WIDTH
    assert [t for t in text_of(root) if t[0].isdigit() and not t.startswith("2026")] == [
        "0", "250k", "500k", "750k", "1M"
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("series", "ticks", "markers"),
    [
        ([("Views", [("Nov 1", 7)])], ["0", "2", "4", "6", "8"], 1),
        (
            [("Views", [("Nov 1", 0), ("Nov 2", 0)]), ("Forms", [("Nov 1", 0), ("Nov 2", 0)])],
            ["0", "1", "2"],
            4,
        ),
        ([("Views", [])], [], 0),
    ],
    ids=["one point", "all zeros", "no points"],
)
def test_the_line_chart_draws_one_point_all_zeros_and_nothing_without_breaking(
    series: Any, ticks: list[str], markers: int
) -> None:
    markup = str(charts.line_svg(series, title="Over time", id="l"))
    assert "nan" not in markup.lower() and "inf" not in markup.lower()
    root = parse(markup)
    assert [t for t in text_of(root) if t.isdigit()] == ticks
    drawn = [e for e in root.iter() if tag(e) in ("circle", "rect", "polygon")]
    assert len(drawn) == markers + (len(series) if markers else 0)  # plus each direct label's key
    if not markers:
        assert "No data for this period." in text_of(root)


def test_a_gap_breaks_the_line_and_shows_as_a_dash_in_the_table(app: Flask) -> None:
    series: Any = [
        ("Views", [("Nov 1", 40), ("Nov 2", None), ("Nov 3", 55), ("Nov 4", 60)]),
        ("Applications", [("Nov 1", 3), ("Nov 3", 4), ("Nov 4", 5)]),
    ]
    root = parse(charts.line_svg(series, title="Over time", id="l"))
    paths = [e.get("d", "") for e in root.iter() if tag(e) == "path"]
    assert [p.count("M") for p in paths] == [2, 2]
    figure = render(app, "{{ line_chart(series, 'Over time', 'l') }}", series=series)
    assert [th.text_content() for th in figure.xpath(".//thead//th")] == [
        "When",
        "Views",
        "Applications",
    ]
    assert table_cells(figure) == [
        ["Nov 1", "40", "3"],
        ["Nov 2", "—", "—"],
        ["Nov 3", "55", "4"],
        ["Nov 4", "60", "5"],
    ]


def test_series_differ_by_dash_marker_and_a_direct_label_that_never_collides() -> None:
    same = [("Nov 1", 5), ("Nov 2", 9)]
    series = [("Job page views", same), ("Apply form views", same), ("Applications", same)]
    root = parse(charts.line_svg(series, title="T", id="l"))
    paths = [e for e in root.iter() if tag(e) == "path"]
    assert len({p.get("stroke-dasharray") for p in paths}) == 3
    marker_kinds = {tag(e) for e in root.iter() if tag(e) in ("circle", "rect", "polygon")}
    assert marker_kinds == {"circle", "rect", "polygon"}
    colours = {style[0] for style in charts.SERIES_STYLES}
    labels = [e for e in texts(root) if e.get("fill") in colours]
    assert [e.text for e in labels] == [
        "Job page",
        "views",
        "Apply form",
        "views",
        "Applications",
    ]  # wrapped to fit the margin, never cut here: these names are short enough
    ys = sorted(float(e.get("y", "0")) for e in labels)
    assert all(b - a >= 14 for a, b in zip(ys, ys[1:], strict=False))
    x_axis = min(float(e.get("y", "0")) for e in texts(root) if e.text == "Nov 2")
    assert ys[-1] <= x_axis - 14  # above the x labels, which may reach into the label margin


def test_a_direct_label_with_room_stays_beside_the_end_of_its_line() -> None:
    series = [
        ("Views", [("Nov 1", 400), ("Nov 2", 200)]),
        ("Forms", [("Nov 1", 2), ("Nov 2", 1)]),
        ("Sent", [("Nov 1", 1), ("Nov 2", 0)]),
    ]
    root = parse(charts.line_svg(series, title="T", id="l"))
    last_dot = [e for e in root.iter() if tag(e) == "circle"][1]  # Views at Nov 2
    label = next(e for e in texts(root) if e.text == "Views")
    assert float(label.get("y", "0")) == pytest.approx(float(last_dot.get("cy", "0")) + 4)


def test_every_mark_and_label_meets_aa_contrast_on_white() -> None:
    series = [(n, [("Nov 1", 5), ("Nov 2", 9)]) for n in ("A", "B", "C")]
    roots = [parse(charts.funnel_svg(FUNNEL, title="F", id="f"))]
    roots.append(parse(charts.line_svg(series, title="L", id="l")))
    colours = {
        e.get(attribute)
        for root in roots
        for e in root.iter()
        if tag(e) != "line"  # axis and grid lines guide the eye; the data does not depend on them
        for attribute in ("fill", "stroke")
        if e.get(attribute, "none") != "none"
    }
    assert len(colours) >= 4
    for colour in colours:
        assert contrast_on_white(str(colour)) >= 4.5, colour


def test_the_line_svg_numbers_match_the_input_on_its_scale() -> None:
    series = [("Views", [("Nov 1", 0), ("Nov 2", 50), ("Nov 3", 100)])]
    root = parse(charts.line_svg(series, title="T", id="l"))
    assert [t for t in text_of(root) if t.isdigit()] == ["0", "25", "50", "75", "100"]
    dots = [e for e in root.iter() if tag(e) == "circle"][:3]
    heights = [float(d.get("cy", "0")) for d in dots]
    assert heights[0] - heights[1] == pytest.approx(heights[1] - heights[2])
    assert "Views: 150 in all, most 100 (Nov 3)." in charts.line_summary(series)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: charts.funnel_svg([("a", -1)], title="t", id="f"), "fewer than zero"),
        (
            lambda: charts.line_svg([(str(i), []) for i in range(4)], title="t", id="l"),
            "one to three",
        ),
        (lambda: charts.funnel_svg([], title="t", id='x" onload="1'), "chart id"),
        (lambda: charts.line_svg([("a", [])], title="t", id="chart\n"), "chart id"),
    ],
    ids=["negative count", "four series", "unsafe id", "id with a newline"],
)
def test_bad_input_is_refused_with_a_clear_message(call: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()
