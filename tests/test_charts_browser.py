"""Both charts in the admin's own page chrome, on a phone and a desktop: readable, beside or below, axe-clean."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from flask import Flask, render_template_string
from playwright.sync_api import Page
from werkzeug.serving import make_server

from tests.conftest import ARTIFACTS

pytestmark = pytest.mark.browser
SHOTS = ARTIFACTS / "charts"
OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
PAGE = """{% extends "admin/base.html" %}
{% from "macros/charts.html" import funnel_chart, line_chart %}
{% block title %}Charts{% endblock %}
{% block main %}<h1>How the careers site did</h1>
{{ funnel_chart(steps, "Site funnel, last 30 days", "site-funnel") }}
{{ line_chart(series, "Views and applications per day", "over-time") }}
{% endblock %}"""
STEPS = [
    ("Job page views", 1_000_000),
    ("Apply form views", 31_204),
    ("Applications sent from a campaign landing page shared on LinkedIn and by e-mail", 960),
    ("Interviews ready", 0),
    ("Interviews collected", 1),
    ('"><img src=x onerror=alert(1)> results', 1),
]
DAYS = [f"2026-11-{day:02d}" for day in range(1, 15)]
SERIES = [
    ("Job page views", [(d, 30_000 + 900 * i) for i, d in enumerate(DAYS)]),
    ("Apply form views", [(d, None if i == 5 else 1000 + 40 * i) for i, d in enumerate(DAYS)]),
    ("<script>alert(1)</script>", [(d, 30 + i) for i, d in enumerate(DAYS)]),
]


@pytest.fixture
def chart_page(app: Flask) -> Iterator[str]:
    """The app, with one extra route that renders both charts, served on a real port."""
    app.add_url_rule(
        "/_charts", "charts_page", lambda: render_template_string(PAGE, steps=STEPS, series=SERIES)
    )
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/_charts"
    server.shutdown()
    server.server_close()


def box(page: Page, selector: str) -> Any:
    found = page.locator(selector).first.bounding_box()
    assert found is not None, selector
    return found


@pytest.mark.parametrize("width", [375, 1280])
def test_both_charts_read_well_and_pass_axe_at_phone_and_desktop_widths(
    chart_page: str, page: Page, width: int
) -> None:
    refused: list[str] = []
    page.on("console", lambda message: refused.append(message.text))
    page.set_viewport_size({"width": width, "height": 900})
    response = page.goto(chart_page)
    assert (
        response is not None and "style-src 'self'" in response.headers["content-security-policy"]
    )
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"charts-{width}.png"), full_page=True)

    assert not [text for text in refused if "Content Security Policy" in text]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.locator("img").count() == 0 and page.locator("main script").count() == 0
    for chart in ("#site-funnel", "#over-time"):
        svg, table = box(page, f"{chart} svg"), box(page, f"{chart} table")
        # the smallest text is drawn at 12 of 360 user units: keep it at 10 px or more on screen
        assert svg["width"] / 360 * 12 >= 10
        if width >= 900:
            assert table["x"] >= svg["x"] + svg["width"]  # beside the chart
        else:
            assert table["y"] >= svg["y"] + svg["height"]  # below it
    assert page.get_by_role("img", name="Site funnel, last 30 days").count() == 1
    assert page.get_by_role("table", name="Site funnel, last 30 days: the numbers").count() == 1

    result = Axe().run(page, options=OPTIONS)
    assert [
        (v["id"], [n["target"] for n in v["nodes"]]) for v in result.response["violations"]
    ] == []
