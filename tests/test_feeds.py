"""Open positions for machines: sitemap, robots.txt, Atom and JSON Feed, all from SITE_URL."""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any
from xml.etree import ElementTree

import pytest
from flask import Flask

from tests.helpers import seed
from webapp.demo.positions import DEMO_POSITIONS
from webapp.extensions import db
from webapp.i18n.locales import SHIPPED
from webapp.models import Position

SITE = "https://careers.kestrel.example/en"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
URL_TAGS = [locale.url_tag for locale in SHIPPED]
OPEN_JOBS = {
    f"{SITE}/jobs/{d['slug']}" for d in DEMO_POSITIONS if d["slug"] != "product-designer-berlin"
}


@pytest.fixture
def seeded(app: Flask) -> Flask:
    """Demo positions, one closed; the site at a public address with a path, unlike the test client."""
    seed(app)
    with app.app_context():
        closed = db.session.scalar(
            db.select(Position).where(Position.slug == "product-designer-berlin")
        )
        closed.state = "closed"
        db.session.commit()
    app.config["SITE_URL"] = SITE
    return app


def get(app: Flask, url: str, mimetype: str) -> Any:
    """Fetch ``url`` with a forged Host header; check the content type."""
    response = app.test_client().get(url, headers={"X-Forwarded-Host": "evil.example"})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == mimetype
    return response


def moment(text: str | None) -> datetime:
    """An RFC 3339 / W3C date-time with its offset, or the test fails."""
    assert text, "missing date"
    parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    assert parsed.tzinfo is not None, text
    return parsed


def test_the_sitemap_lists_the_home_and_every_open_job_in_each_language(seeded: Flask) -> None:
    root = ElementTree.fromstring(get(seeded, "/sitemap.xml", "application/xml").data)
    assert root.tag == f"{SITEMAP}urlset"
    urls: dict[str, datetime] = {}
    alternates: dict[str, dict[str, str]] = {}
    for item in root:
        assert item.tag == f"{SITEMAP}url"
        assert {child.tag for child in item} <= {
            f"{SITEMAP}loc",
            f"{SITEMAP}lastmod",
            f"{XHTML}link",
        }
        loc = item.findtext(f"{SITEMAP}loc")
        assert loc and len(loc) < 2048
        urls[loc] = moment(item.findtext(f"{SITEMAP}lastmod"))
        links = item.findall(f"{XHTML}link")
        assert all(link.get("rel") == "alternate" for link in links)
        alternates[loc] = {str(link.get("hreflang")): str(link.get("href")) for link in links}
    languages = [f"/{tag}" for tag in URL_TAGS if tag != "en"]
    pages = {f"{SITE}/"} | OPEN_JOBS  # the closed one is gone
    expected = pages | {page.replace(SITE, SITE + lead, 1) for page in pages for lead in languages}
    assert set(urls) == expected
    assert urls[f"{SITE}/"] == max(urls.values())
    # Each entry names the same page in every language and the x-default, and itself among them.
    german_job = f"{SITE}/de/jobs/warehouse-team-lead-bratislava"
    assert alternates[german_job]["de"] == german_job
    assert alternates[german_job]["x-default"] == f"{SITE}/jobs/warehouse-team-lead-bratislava"
    assert alternates[german_job]["ar"] == f"{SITE}/ar/jobs/warehouse-team-lead-bratislava"
    assert len(alternates[german_job]) == len(URL_TAGS) + 1
    assert all(loc in links.values() for loc, links in alternates.items())


def test_robots_allows_public_pages_refuses_private_ones_and_names_the_sitemap(
    seeded: Flask,
) -> None:
    response = get(seeded, "/robots.txt", "text/plain")
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0] == "User-agent: *"
    assert "Allow: /en/" in lines
    for path in ("/admin", "/applications/", "/preview/", "/webhooks/"):
        assert f"Disallow: /en{path}" in lines
    assert f"Sitemap: {SITE}/sitemap.xml" in lines
    assert not any(line == "Disallow: /" or line == "Disallow: /en/" for line in lines)


def test_the_atom_feed_is_atom_1_0_with_an_entry_per_open_job(seeded: Flask) -> None:
    root = ElementTree.fromstring(get(seeded, "/jobs.atom", "application/atom+xml").data)
    assert root.tag == f"{ATOM}feed"
    assert root.findtext(f"{ATOM}id") == f"{SITE}/jobs.atom"
    assert root.findtext(f"{ATOM}title") == "Open positions at Kestrel Mobility"
    assert root.findtext(f"{ATOM}author/{ATOM}name") == "Kestrel Mobility"
    links = {link.get("rel"): link for link in root.findall(f"{ATOM}link")}
    assert links["self"].get("href") == f"{SITE}/jobs.atom"
    assert links["self"].get("type") == "application/atom+xml"
    assert links["alternate"].get("href") == f"{SITE}/"
    updated = moment(root.findtext(f"{ATOM}updated"))
    entries = root.findall(f"{ATOM}entry")
    assert {entry.findtext(f"{ATOM}id") for entry in entries} == OPEN_JOBS
    for entry in entries:
        assert entry.findtext(f"{ATOM}title")
        assert moment(entry.findtext(f"{ATOM}updated")) <= updated
        moment(entry.findtext(f"{ATOM}published"))
        link = entry.find(f"{ATOM}link")
        assert link is not None and link.get("href") == entry.findtext(f"{ATOM}id")
        summary = entry.find(f"{ATOM}summary")
        assert summary is not None and summary.get("type") == "text" and summary.text
        assert "##" not in summary.text and "<" not in summary.text  # plain words, not Markdown
    titles = [entry.findtext(f"{ATOM}title") for entry in entries]
    assert "Warehouse Team Lead in Bratislava" in titles


def test_the_json_feed_is_json_feed_1_1(seeded: Flask) -> None:
    feed = json.loads(get(seeded, "/jobs.json", "application/feed+json").data)
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"] == "Open positions at Kestrel Mobility"
    assert feed["home_page_url"] == f"{SITE}/"
    assert feed["feed_url"] == f"{SITE}/jobs.json"
    assert feed["authors"] == [{"name": "Kestrel Mobility"}]
    assert {item["id"] for item in feed["items"]} == OPEN_JOBS
    for item in feed["items"]:
        assert item["url"] == item["id"]
        assert item["title"] and item["content_text"] and item["summary"]
        assert moment(item["date_modified"]) >= moment(item["date_published"])


def test_an_empty_site_still_has_valid_feeds(app: Flask) -> None:
    root = ElementTree.fromstring(get(app, "/jobs.atom", "application/atom+xml").data)
    assert root.findall(f"{ATOM}entry") == []
    moment(root.findtext(f"{ATOM}updated"))
    assert json.loads(get(app, "/jobs.json", "application/feed+json").data)["items"] == []
    sitemap = ElementTree.fromstring(get(app, "/sitemap.xml", "application/xml").data)
    homes = [item.findtext(f"{SITEMAP}loc") for item in sitemap]
    assert homes[0] == "http://localhost/" and len(homes) == len(URL_TAGS)


def test_feeds_are_cached_like_other_public_pages(seeded: Flask) -> None:
    seeded.config["PAGE_CACHE_SECONDS"] = 60
    first = get(seeded, "/jobs.atom", "application/atom+xml").data
    with seeded.app_context():
        # Behind the ORM's back, so nothing tells the cache: only a cached copy stays the same.
        db.session.execute(
            db.update(Position)
            .where(Position.slug == "data-analyst-amsterdam")
            .values(title="Renamed")
        )
        db.session.commit()
    for url, mimetype in (
        ("/jobs.atom", "application/atom+xml"),
        ("/jobs.json", "application/feed+json"),
    ):
        get(seeded, url, mimetype)
    assert get(seeded, "/jobs.atom", "application/atom+xml").data == first
    seeded.config["PAGE_CACHE_SECONDS"] = 0
    assert b"Renamed in Amsterdam" in get(seeded, "/jobs.atom", "application/atom+xml").data


@pytest.mark.parametrize("url", ["/", "/jobs/data-analyst-amsterdam"])
def test_careers_pages_point_to_the_feeds(seeded: Flask, url: str) -> None:
    page = seeded.test_client().get(url).get_data(as_text=True)
    atom = re.search(r'<link rel="alternate" type="application/atom\+xml" href="([^"]+)"', page)
    feed = re.search(r'<link rel="alternate" type="application/feed\+json" href="([^"]+)"', page)
    assert atom and feed
    client = seeded.test_client()
    assert client.get(atom.group(1)).mimetype == "application/atom+xml"
    assert client.get(feed.group(1)).mimetype == "application/feed+json"
