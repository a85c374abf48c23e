"""Every word of the camera check, the "before you start" panel and the room is a studio text."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.conftest import Site
from tests.helpers import VerifiedCandidate, seed
from tests.studio_fixtures import (
    SLUG,
    edit_draft,
    logo_png,
    make_account,
    open_draft,
    png_bytes,
    post_draft_form,
    publish,
    read_form,
    sign_in,
    upload_logo,
)
from webapp.services.room_texts import SCRIPT_TEXTS, interview_length, room_defaults
from webapp.services.site import DEFAULT_TEXTS, POSITION_TEXT_GROUPS, TEXT_GROUPS

ROOT = Path(__file__).resolve().parent.parent
ROOM_TEMPLATES = ("_preflight.html", "_before_start.html", "_interview.html", "_help.html")
OTHER_POSITION = "customer-success-specialist-prague"  # its interview takes 15 minutes


def test_every_room_text_is_in_the_studio_site_wide_and_per_position(app: Flask) -> None:
    seed(app)
    marketer = sign_in(app.test_client(), make_account(app, "mara@kestrel.example"))
    site_wide = {key for _, fields in TEXT_GROUPS for key, _, _ in fields}
    per_position = {key for _, fields in POSITION_TEXT_GROUPS for key, _, _ in fields}
    for key in room_defaults():
        assert key in DEFAULT_TEXTS and key in site_wide and key in per_position, key
    draft = open_draft(marketer)
    position = read_form(
        marketer.get(f"/admin/studio/positions/{SLUG}").get_data(as_text=True), "position-form"
    )
    for key in room_defaults():
        assert draft[f"text_{key}"] == DEFAULT_TEXTS[key], key
        assert position[f"text_{key}"] == "", key  # empty: the site-wide text


def _words_outside_jinja(source: str) -> list[str]:
    text = re.sub(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", " ", source, flags=re.S)
    spoken = re.findall(r'(?:aria-label|title|alt|placeholder)="([^"]*[A-Za-z][^"]*)"', text)
    text = re.sub(r"<[^>]*>", " ", text)
    return [*re.findall(r"[A-Za-z][A-Za-z' ]+", text), *spoken]


@pytest.mark.parametrize("name", ROOM_TEMPLATES)
def test_the_room_templates_hold_no_words_of_their_own(name: str) -> None:
    source = (ROOT / "templates" / "apply" / name).read_text()
    assert _words_outside_jinja(source) == []


def test_the_checks_script_holds_no_words_of_its_own() -> None:
    script = (ROOT / "static" / "preflight.js").read_text()
    code = re.sub(r"^\s*//.*$", "", script, flags=re.M)
    sentences = [
        s
        for s in re.findall(r'"([^"\n]*)"', code)
        if re.search(r"[A-Za-z] [A-Za-z]", s) and s != "use strict"
    ]
    assert sentences == []


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (None, ""),
        (0, ""),
        (True, ""),
        ("900", ""),
        (45, "under a minute"),
        (60, "about 1 minute"),
        (61, "about 2 minutes"),
        (900, "about 15 minutes"),
        (3600, "about 1 hour"),
        (5400, "about 1 hour and 30 minutes"),
        (7190, "about 2 hours"),
    ],
)
def test_the_interview_length_is_said_for_people(seconds: object, words: str) -> None:
    assert interview_length({"max_duration": seconds}) == words


@pytest.fixture
def published(site: Site) -> tuple[Site, Any]:
    """The site with room texts published site-wide and for one position, and a newer draft."""
    seed(site.app)
    site.app.config["WTF_CSRF_ENABLED"] = False
    marketer = sign_in(site.app.test_client(), make_account(site.app, "mara@kestrel.example"))
    assert upload_logo(marketer, logo_png()).status_code == 303
    edit_draft(
        marketer,
        brand_primary_color="#5b2a86",
        text_check_heading="A quick camera test",
        text_check_checking="Looking for your camera…",
        text_problem_busy_heading="Something else has your camera",
        text_before_expect="Three questions about **your work**.",
        text_before_length="Plan for {duration}, {nothing} else.",
        text_before_contact="",
        text_room_help="Need a hand?",
        text_check_working='works </script><script>alert("x")</script>',
    )
    page = marketer.get(f"/admin/studio/positions/{SLUG}").get_data(as_text=True)
    form = read_form(page, "position-form")
    response = marketer.post(
        f"/admin/studio/positions/{SLUG}",
        data={**form, "text_check_skip": "Not now, thanks", "text_before_tips": "- Smile."},
    )
    assert response.status_code == 303
    assert publish(marketer).status_code == 303
    # A later draft candidates never see.
    form = open_draft(marketer)
    assert (
        post_draft_form(
            marketer,
            {**form, "text_check_heading": "Draft heading", "brand_primary_color": "#aa3300"},
            {},
        ).status_code
        == 303
    )
    return site, marketer


def _interview_page(site: Site, slug: str, email: str) -> str:
    candidate = VerifiedCandidate(site.url, site.app)
    try:
        page = candidate.apply(slug, email)
        candidate.wait_for_stage(page, "interview")
        response = candidate.http.get(page)
        assert response.status_code == 200
        return response.text
    finally:
        candidate.close()


def test_the_check_panel_and_room_show_the_published_texts_and_the_positions_own(
    published: tuple[Site, Any],
) -> None:
    site, _ = published
    html = _interview_page(site, SLUG, "texts.room@example.com")
    assert "A quick camera test" in html and "Draft heading" not in html
    assert "Something else has your camera" in html  # shown only when the device is busy
    assert "Not now, thanks" in html and "Skip the check" not in html
    assert "<strong>your work</strong>" in html
    assert "Plan for about 20 minutes, {nothing} else." in html  # only {duration} is filled
    assert "<li>Smile.</li>" in html and "quiet, well-lit place" not in html
    assert 'id="before-start"' in html and "before-contact" not in html  # emptied: hidden
    assert "Need a hand?" in html
    block = re.search(r'id="preflight"[^>]*data-texts="([^"]*)"', html)
    assert block, "the check's words are handed to its script in the page"
    words = json.loads(unescape(block.group(1)))
    assert set(words) == set(SCRIPT_TEXTS)
    assert words["check_checking"] == "Looking for your camera…"
    assert words["check_working"] == 'works </script><script>alert("x")</script>'
    assert "<script>alert" not in html  # escaped in the attribute too

    other = _interview_page(site, OTHER_POSITION, "texts.other@example.com")
    assert "Skip the check" in other and "Not now, thanks" not in other
    assert "Plan for about 15 minutes" in other  # the position's own length
    assert "quiet, well-lit place" in other


def test_the_rooms_bar_follows_the_published_brand_not_the_draft(
    published: tuple[Site, Any],
) -> None:
    site, marketer = published
    html = _interview_page(site, SLUG, "brand.room@example.com")
    bar = re.search(r'<div class="room-bar" hidden>(.*?)</div>', html, re.S)
    assert bar, html[:2000]
    logo = re.search(
        r'<img src="(/brand/logo-[0-9a-f]{64}\.png)" alt="Kestrel Mobility"', bar.group(1)
    )
    assert logo, bar.group(1)
    theme_url = re.search(r'href="(/theme-v\d+\.css)"', html).group(1)
    theme = site.app.test_client().get(theme_url).get_data(as_text=True)
    assert "--brand: #5b2a86;" in theme and "#aa3300" not in theme
    # A newer logo in the draft stays there: the bar keeps the published one.
    response = upload_logo(marketer, png_bytes((420, 120), (10, 200, 30, 255)))
    assert response.status_code == 303
    draft_page = marketer.get("/admin/studio/draft").get_data(as_text=True)
    draft_logo = re.search(r'src="(/brand/logo-[0-9a-f]{64}\.png)"', draft_page).group(1)
    assert draft_logo != logo.group(1)
    again = _interview_page(site, SLUG, "brand.again@example.com")
    assert logo.group(1) in again and draft_logo not in again
