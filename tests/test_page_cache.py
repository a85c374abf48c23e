"""Public pages are served from a short per-process cache, never stale after a change here."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from tests.helpers import seed
from webapp.extensions import db
from webapp.models import Position


@pytest.fixture
def cached(app: Flask) -> Flask:
    seed(app)
    app.config["PAGE_CACHE_SECONDS"] = 60
    app.config["WTF_CSRF_ENABLED"] = True
    return app


def test_a_page_is_rendered_once_and_then_served_from_the_cache(
    cached: Flask, client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from webapp.views import careers

    first = client.get("/").get_data(as_text=True)
    monkeypatch.setattr(careers, "open_positions", lambda filters: pytest.fail("rendered again"))
    assert client.get("/").get_data(as_text=True) == first


def test_a_change_to_a_position_is_seen_at_once(cached: Flask, client) -> None:
    assert "Data Analyst" in client.get("/").get_data(as_text=True)
    with cached.app_context():
        position = db.session.scalar(
            db.select(Position).where(Position.slug == "data-analyst-amsterdam")
        )
        position.title = "Senior Data Analyst"
        db.session.commit()
    assert "Senior Data Analyst" in client.get("/").get_data(as_text=True)


def test_each_visitor_gets_their_own_csrf_token_from_a_cached_form(cached: Flask) -> None:
    pattern = r'name="csrf_token" value="([^"]+)"'
    first = re.search(
        pattern,
        cached.test_client().get("/jobs/data-analyst-amsterdam/apply").get_data(as_text=True),
    )
    second = re.search(
        pattern,
        cached.test_client().get("/jobs/data-analyst-amsterdam/apply").get_data(as_text=True),
    )
    assert first and second and first.group(1) != second.group(1)
    assert "__careerframe_csrf_token__" not in first.group(1)


def test_a_cached_form_still_accepts_an_application(cached: Flask) -> None:
    client = cached.test_client()
    client.get("/jobs/data-analyst-amsterdam/apply")  # warm the cache with another visitor's render
    page = client.get("/jobs/data-analyst-amsterdam/apply").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post(
        "/jobs/data-analyst-amsterdam/apply",
        data={
            "csrf_token": token,
            "full_name": "Ana",
            "email": "ana@example.com",
            "country": "HR",
            "consent": "y",
            "resume_text": "Barista and shift lead for five years in busy city cafés; trained staff and ran ordering.",
        },
    )
    assert response.status_code == 303
