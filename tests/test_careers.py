"""The careers pages: listing, filtering, searching and each position's page."""

from __future__ import annotations

import json
import re

import pytest
from flask import Flask

from tests.helpers import seed
from webapp.extensions import db
from webapp.models import Position


@pytest.fixture
def seeded(app: Flask) -> Flask:
    seed(app)
    return app


def test_home_lists_open_positions_with_their_facts(seeded: Flask, client) -> None:
    page = client.get("/").get_data(as_text=True)
    assert "Senior Backend Engineer (Python)" in page
    assert "Customer Success Specialist" in page
    assert "Interview in Czech" in page  # the language by name, never the bare code
    assert "Czechia" in page or "Czech Republic" in page
    assert "6 open positions" in page


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("?language=cs", "Customer Success Specialist", "Data Analyst"),
        ("?country=PT", "Field Service Technician", "Product Designer"),
        ("?location=Berlin", "Product Designer", "Warehouse Team Lead"),
        ("?q=warehouse", "Warehouse Team Lead", "Data Analyst"),
        ("?q=python+remote", "Senior Backend Engineer", "Customer Success"),
    ],
)
def test_filters_and_search_narrow_the_list(
    seeded: Flask, client, query: str, shown: str, hidden: str
) -> None:
    page = client.get("/" + query).get_data(as_text=True)
    assert shown in page
    assert hidden not in page


def test_search_with_sql_wildcards_is_taken_literally(seeded: Flask, client) -> None:
    page = client.get("/?q=%25").get_data(as_text=True)
    assert "No matching positions" in page


def test_designed_empty_states(app: Flask, client) -> None:
    page = client.get("/").get_data(as_text=True)
    assert "No open positions" in page and "check back soon" in page
    seed(app)
    page = client.get("/?q=astronaut").get_data(as_text=True)
    assert "No positions match your search" in page
    assert "Show all open positions" in page


def test_job_page_has_title_description_and_job_posting_data(seeded: Flask, client) -> None:
    response = client.get("/jobs/customer-success-specialist-prague")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<title>Customer Success Specialist in Prague" in page
    assert re.search(r'<meta name="description" content="Help Prague', page)
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
    )
    assert data["@type"] == "JobPosting"
    assert data["title"] == "Customer Success Specialist"
    assert data["jobLocation"]["address"]["addressCountry"] == "CZ"
    assert "Apply for this position" in page


def test_markdown_in_descriptions_is_rendered_and_sanitised(seeded: Flask, client) -> None:
    with seeded.app_context():
        position = db.session.scalar(
            db.select(Position).where(Position.slug == "data-analyst-amsterdam")
        )
        position.description = "**Bold** <script>alert('x')</script> [click](javascript:alert(1)) </script><img src=x onerror=alert(1)>"
        db.session.commit()
    page = client.get("/jobs/data-analyst-amsterdam").get_data(as_text=True)
    assert "<strong>Bold</strong>" in page
    assert "<script>alert" not in page
    assert 'href="javascript:' not in page
    assert "<img src=x" not in page  # shown as text, never as an element
    # The JSON-LD block cannot be closed early by a description.
    ld = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
    assert "</script" not in ld and "<img" not in ld


@pytest.mark.parametrize(("state", "status"), [("closed", 410), ("draft", 404)])
def test_closed_and_unpublished_positions_get_helpful_pages(
    seeded: Flask, client, state: str, status: int
) -> None:
    with seeded.app_context():
        position = db.session.scalar(
            db.select(Position).where(Position.slug == "data-analyst-amsterdam")
        )
        position.state = state
        db.session.commit()
    for url in ("/jobs/data-analyst-amsterdam", "/jobs/data-analyst-amsterdam/apply"):
        response = client.get(url)
        assert response.status_code == status
        assert "See open positions" in response.get_data(as_text=True)


def test_unknown_position_is_a_404_page(seeded: Flask, client) -> None:
    response = client.get("/jobs/no-such-job")
    assert response.status_code == 404
    assert "could not find this position" in response.get_data(as_text=True)


def test_static_files_are_cache_busted_and_long_cached(seeded: Flask, client) -> None:
    page = client.get("/").get_data(as_text=True)
    css = re.search(r'href="(/static/site\.css\?v=[0-9a-f]{10})"', page).group(1)
    with client.get(css) as response:
        assert response.status_code == 200
        assert "max-age=31536000" in response.headers["Cache-Control"]
    theme = re.search(r'href="(/theme-[^"]+\.css)"', page).group(1)
    assert "immutable" in client.get(theme).headers["Cache-Control"]


def test_public_pages_are_small_and_call_no_third_party_host(seeded: Flask, client) -> None:
    for url in ("/", "/jobs/data-analyst-amsterdam", "/jobs/data-analyst-amsterdam/apply"):
        response = client.get(url)
        body = response.get_data(as_text=True)
        assert len(response.data) < 50_000
        hosts = set(re.findall(r'(?:src|href)="https?://([^/"]+)', body))
        assert hosts <= {"localhost"}, hosts
        assert "default-src 'self'" in response.headers["Content-Security-Policy"]
