"""The jobs widget: its public feed and script, its framable page, and its studio page."""

# ruff: noqa: F811  (a test's parameter names the fixture imported below)

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from flask import Flask
from flask_babel import force_locale, gettext, ngettext

from tests.studio_fixtures import (  # noqa: F401  (fixtures, requested by parameter name)
    PASSWORD,
    marketer,
    seeded,
)
from webapp.extensions import db
from webapp.models.widget import WidgetSettings
from webapp.services import studio
from webapp.services.widget import (
    MAX_ORIGINS,
    OriginProblem,
    WidgetOptions,
    get_options,
    parse_origin,
    parse_origins,
    save_options,
)

PURPLE = "#5b2a86"
SCRIPT_BUDGET = 15 * 1024


def publish_brand(app: Flask, **brand: Any) -> None:
    """Publish a version whose brand has ``brand`` (and leave a different draft behind)."""
    with app.app_context():
        draft = studio.get_draft()
        values = {f"brand.{key}": str(value) for key, value in brand.items()}
        draft = studio.save_draft(values, draft.revision, {}, None)
        studio.publish(draft.revision, None)
        draft = studio.save_draft({"brand.primary_color": "#123456"}, draft.revision, {}, None)
        db.session.remove()


def set_options(app: Flask, **values: Any) -> None:
    with app.app_context():
        save_options(WidgetOptions(**values), None)
        db.session.remove()


def frame_ancestors(response: Any) -> str:
    found = re.search(r"frame-ancestors ([^;]+)", response.headers["Content-Security-Policy"])
    assert found, response.headers["Content-Security-Policy"]
    return found.group(1)


def test_the_feed_lists_open_positions_in_the_published_brand(seeded: Flask) -> None:
    publish_brand(seeded, primary_color=PURPLE, company_name="Kestrel & Co", button_style="pill")
    response = seeded.test_client().get("/widget/jobs.json")
    assert response.status_code == 200
    data = response.get_json()
    assert data["brand"]["primary"] == PURPLE  # the published brand, not the draft's #123456
    assert data["brand"]["company"] == "Kestrel & Co"
    assert data["brand"]["buttonRadius"] == 999
    assert len(data["jobs"]) == 6
    assert {job["url"] for job in data["jobs"]} >= {"http://localhost/jobs/data-analyst-amsterdam"}
    assert all(job["url"].startswith("http://localhost/jobs/") for job in data["jobs"])
    assert data["filters"] == ["department", "location"]
    assert set(data["jobs"][0]) == {"title", "department", "location", "url"}


@pytest.mark.parametrize(("asked", "expected"), [("de", "de"), ("de-AT", "de"), ("pt-BR", "pt_BR")])
def test_the_feed_speaks_the_language_the_host_page_asks_for(
    seeded: Flask, asked: str, expected: str
) -> None:
    data = seeded.test_client().get(f"/widget/jobs.json?lang={asked}").get_json()
    tag = expected.replace("_", "-").lower()
    assert all(job["url"].startswith(f"http://localhost/{tag}/jobs/") for job in data["jobs"])
    assert data["home"] == f"http://localhost/{tag}/"
    with seeded.test_request_context(), force_locale(expected):
        assert data["texts"]["allLocations"] == gettext("All locations") != "All locations"
        assert data["texts"]["counts"][6] == ngettext(
            "%(num)d open position", "%(num)d open positions", 6
        )
    # A language the site does not speak, or nonsense, is the site's default.
    for odd in ("xx", "<script>", "a" * 500):
        other = seeded.test_client().get("/widget/jobs.json", query_string={"lang": odd})
        assert other.status_code == 200
        assert other.get_json()["texts"]["allLocations"] == "All locations"


def test_the_script_carries_its_first_words_in_every_offered_language(seeded: Flask) -> None:
    body = seeded.test_client().get("/widget.js").get_data(as_text=True)
    found = re.search(r"var EARLY = (\{.*?\});\n", body)
    assert found, "the script carries no early words"
    early = json.loads(found.group(1))
    assert early[""]["loading"] == "Loading open positions…"
    assert {"de", "ar", "pt-br", "pt-pt"} <= set(early)
    assert "{}" not in body.split("var EARLY = ", 1)[1][:3]


def test_the_feed_is_open_to_every_site_without_credentials_or_cookies(seeded: Flask) -> None:
    client = seeded.test_client()
    response = client.get("/widget/jobs.json", headers={"Origin": "https://www.kestrel.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response.headers
    assert response.headers["Cache-Control"] == "public, max-age=60"
    assert "Set-Cookie" not in response.headers
    script = client.get("/widget.js")
    assert "Set-Cookie" not in script.headers
    # Every other page stays closed to other sites' scripts.
    for path in ("/", "/jobs/data-analyst-amsterdam", "/embed/jobs"):
        assert "Access-Control-Allow-Origin" not in client.get(path).headers, path


def test_the_feed_keeps_its_sharing_headers_when_served_from_the_page_cache(
    seeded: Flask,
) -> None:
    seeded.config["PAGE_CACHE_SECONDS"] = 30
    client = seeded.test_client()
    first, second = client.get("/widget/jobs.json"), client.get("/widget/jobs.json")
    assert first.get_data() == second.get_data()
    assert second.headers["Access-Control-Allow-Origin"] == "*"
    assert second.headers["Cache-Control"] == "public, max-age=60"
    assert second.mimetype == "application/json"


def test_the_script_is_small_and_names_no_other_host(seeded: Flask) -> None:
    response = seeded.test_client().get("/widget.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    body = response.get_data(as_text=True)
    assert len(response.get_data()) <= SCRIPT_BUDGET
    assert not re.search(r"https?://", body)  # it talks to the origin it was loaded from only
    assert "innerHTML" not in body and "insertAdjacentHTML" not in body
    assert "attachShadow" in body and ":host{all:initial;" in body
    assert "prefers-reduced-motion" in body
    assert 'credentials: "omit"' in body
    assert response.headers["Cache-Control"].startswith("public, max-age=")


def test_the_frame_page_refuses_every_framer_until_origins_are_listed(seeded: Flask) -> None:
    client = seeded.test_client()
    response = client.get("/embed/jobs")
    assert response.status_code == 200
    assert frame_ancestors(response) == "'none'"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_the_frame_page_is_framable_by_the_listed_origins_only(seeded: Flask) -> None:
    origins = ("https://www.kestrel.example", "https://blog.kestrel.example:8443")
    set_options(seeded, allowed_origins=origins)
    client = seeded.test_client()
    response = client.get("/embed/jobs")
    assert frame_ancestors(response) == " ".join(origins)
    assert "X-Frame-Options" not in response.headers
    # Every other page keeps refusing to be framed, by anyone.
    for path in ("/", "/jobs/data-analyst-amsterdam", "/widget/jobs.json", "/admin/login"):
        other = client.get(path)
        assert frame_ancestors(other) == "'none'", path
        assert other.headers["X-Frame-Options"] == "DENY", path


def test_a_stored_origin_that_breaks_the_rules_frames_nothing(seeded: Flask) -> None:
    with seeded.app_context():
        db.session.add(
            WidgetSettings(
                allowed_origins=["https://ok.example", "https://x.example; script-src *"]
            )
        )
        db.session.commit()
        db.session.remove()
    response = seeded.test_client().get("/embed/jobs")
    assert frame_ancestors(response) == "https://ok.example"
    assert "script-src *" not in response.headers["Content-Security-Policy"]


def test_the_frame_page_filters_and_limits_the_list(seeded: Flask) -> None:
    set_options(seeded, job_limit=1)
    client = seeded.test_client()
    page = client.get("/embed/jobs?department=Operations").get_data(as_text=True)
    assert "2 open positions, showing the newest 1" in page
    assert page.count('class="cf-job"') == 1
    assert 'target="_top"' in page
    nothing = client.get("/embed/jobs?department=" + "x" * 5000)
    assert nothing.status_code == 200
    assert "No positions match" in nothing.get_data(as_text=True)


def test_the_frame_page_ignores_a_filter_the_marketer_turned_off(seeded: Flask) -> None:
    set_options(seeded, show_department=False)
    page = seeded.test_client().get("/embed/jobs?department=Operations").get_data(as_text=True)
    assert "6 open positions" in page
    assert 'id="cf-department"' not in page and 'id="cf-location"' in page


def test_the_frame_page_escapes_position_text(seeded: Flask) -> None:
    with seeded.app_context():
        from webapp.models import Position

        position = db.session.scalars(db.select(Position)).first()
        position.title = '<img src=x onerror="alert(1)">'
        position.department = "<b>Ops</b>"
        db.session.commit()
        db.session.remove()
    page = seeded.test_client().get("/embed/jobs").get_data(as_text=True)
    assert "<img src=x" not in page and "<b>Ops</b>" not in page
    assert "&lt;img src=x" in page


def test_the_frame_stylesheet_carries_the_published_brand(seeded: Flask) -> None:
    publish_brand(seeded, primary_color=PURPLE)
    page = seeded.test_client().get("/embed/jobs").get_data(as_text=True)
    href = re.search(r'href="(/embed/jobs-[^"]+\.css)"', page)
    assert href
    css = seeded.test_client().get(href.group(1))
    assert f"--cf-brand: {PURPLE};" in css.get_data(as_text=True)
    assert "immutable" in css.headers["Cache-Control"]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("https://www.example.com", "https://www.example.com"),
        ("HTTPS://WWW.Example.COM/", "https://www.example.com"),
        ("https://www.example.com:443", "https://www.example.com"),
        ("https://shop.example.co.uk:8443", "https://shop.example.co.uk:8443"),
        ("https://xn--bcher-kva.example", "https://xn--bcher-kva.example"),
    ],
)
def test_framing_origins_are_stored_in_canonical_form(typed: str, stored: str) -> None:
    assert parse_origin(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "http://www.example.com",
        "www.example.com",
        "https://www.example.com/careers",
        "https://www.example.com?x=1",
        "https://www.example.com#top",
        "https://user:pw@www.example.com",
        "https://*.example.com",
        "https://example",
        "https://exa_mple.com",
        "https://-example.com",
        "https://www.example.com:99999",
        "https://www.example.com:0",
        "https://www.example.com;script-src",
        "'self'",
        "*",
        "javascript:alert(1)",
        "data:text/html,hi",
        "https://" + "a" * 300 + ".com",
        "http://127.0.0.1:8000",
    ],
)
def test_framing_origins_that_are_not_https_origins_are_refused(typed: str) -> None:
    with pytest.raises(OriginProblem, match="https://www.example.com"):
        parse_origin(typed)


def test_loopback_http_origins_only_where_allowed() -> None:
    assert (
        parse_origin("http://127.0.0.1:8000", allow_loopback_http=True) == "http://127.0.0.1:8000"
    )
    assert parse_origin("http://localhost", allow_loopback_http=True) == "http://localhost"
    with pytest.raises(OriginProblem):
        parse_origin("http://www.example.com", allow_loopback_http=True)


def test_a_list_of_origins_is_deduplicated_and_bounded() -> None:
    typed = "https://a.example\nhttps://A.example/, https://b.example\r\n\n"
    assert parse_origins(typed) == ("https://a.example", "https://b.example")
    many = "\n".join(f"https://site{i}.example" for i in range(MAX_ORIGINS + 1))
    with pytest.raises(OriginProblem, match=f"at most {MAX_ORIGINS}"):
        parse_origins(many)
    assert len(parse_origins("\n".join(many.splitlines()[:MAX_ORIGINS]))) == MAX_ORIGINS


def test_the_studio_page_shows_both_snippets_and_the_preview(marketer: Any) -> None:
    response = marketer.get("/admin/studio/widget")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "&lt;script src=&#34;http://localhost/widget.js&#34; async&gt;&lt;/script&gt;" in page
    assert "&lt;iframe src=&#34;http://localhost/embed/jobs&#34;" in page
    assert '<div id="widget-preview"><script src="/widget.js"' in page
    assert 'href="/admin/studio/widget" aria-current="page">Jobs widget</a>' in page


def test_a_marketer_saves_the_widget_settings(marketer: Any, seeded: Flask) -> None:
    response = marketer.post(
        "/admin/studio/widget",
        data={
            "show_location": "y",
            "job_limit": "3",
            "allowed_origins": "https://www.kestrel.example\nhttps://blog.kestrel.example/",
        },
    )
    assert response.status_code == 303
    with seeded.app_context():
        assert get_options() == WidgetOptions(
            show_department=False,
            show_location=True,
            job_limit=3,
            allowed_origins=("https://www.kestrel.example", "https://blog.kestrel.example"),
        )
    data = seeded.test_client().get("/widget/jobs.json").get_json()
    assert data["filters"] == ["location"] and data["limit"] == 3


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"allowed_origins": "http://www.kestrel.example"}, "is not a website address"),
        ({"allowed_origins": "https://www.kestrel.example/jobs"}, "no path"),
        ({"allowed_origins": "x" * 6000}, "too long"),
        ({"job_limit": "0"}, "from 1 to 50"),
        ({"job_limit": "many"}, "1 to 50"),
        ({"job_limit": ""}, "how many jobs"),
    ],
)
def test_bad_widget_settings_are_explained_and_nothing_is_saved(
    marketer: Any, seeded: Flask, fields: dict[str, str], message: str
) -> None:
    response = marketer.post("/admin/studio/widget", data={"job_limit": "5", **fields})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    with seeded.app_context():
        assert get_options() == WidgetOptions()
