"""The careers pages: listing, filtering, searching and each position's page."""

from __future__ import annotations

import json
import re
from html import unescape
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urlsplit

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


class _Resources(HTMLParser):
    """What a page makes the browser fetch (src, stylesheets, icons), apart from links to follow."""

    def __init__(self) -> None:
        super().__init__()
        self.fetched: list[str] = []
        self.followed: list[str] = []
        self.images: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "img":
            # Images have a budget of their own; every size a srcset offers may be fetched.
            sizes = [c.strip().split(" ")[0] for c in (values.get("srcset") or "").split(",")]
            self.images.extend(u for u in [values.get("src") or "", *sizes] if u)
        elif values.get("src"):
            self.fetched.append(values["src"] or "")
        href = values.get("href") or ""
        if tag == "a" and href:
            self.followed.append(href)
        elif tag == "link" and href:
            # A canonical or alternate link names a page; anything else (a stylesheet) is fetched.
            rel = set((values.get("rel") or "").split())
            (self.followed if rel & {"canonical", "alternate"} else self.fetched).append(href)
        elif href:
            self.fetched.append(href)


SHARE_HOSTS = {"www.linkedin.com", "x.com"}


def _host(url: str) -> str | None:
    match = re.match(r"https?://([^/\"?#]+)", url)
    return match.group(1) if match else None


PAGES = ("/", "/jobs/data-analyst-amsterdam", "/jobs/data-analyst-amsterdam/apply", "/privacy")


def assert_small_and_first_party(client: Any, url: str) -> None:
    """50 KB of HTML, CSS and JS at most; each image within its own budget; no third-party host."""
    from webapp.services.images import MAX_RENDITION_BYTES

    response = client.get(url)
    body = response.get_data(as_text=True)
    reader = _Resources()
    reader.feed(body)
    assert reader.fetched, "the page fetches at least its stylesheet"
    weight = len(response.data)
    for resource in reader.fetched:
        if resource.startswith("/"):
            with client.get(resource) as fetched_file:
                weight += len(fetched_file.data)
    assert weight < 50_000, (url, weight)
    for image in reader.images:
        assert image.startswith("/"), image  # served from our origin
        with client.get(image) as fetched_image:
            assert fetched_image.status_code == 200, image
            assert len(fetched_image.data) <= MAX_RENDITION_BYTES, (image, len(fetched_image.data))
    fetched = {_host(resource) for resource in [*reader.fetched, *reader.images]} - {None}
    assert fetched <= {"localhost"}, fetched
    # Links a visitor may follow are not requests; only the share links leave the site.
    followed = {_host(link) for link in reader.followed} - {None}
    assert followed <= {"localhost"} | SHARE_HOSTS, followed
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


def test_public_pages_are_small_and_call_no_third_party_host(seeded: Flask, client) -> None:
    for url in PAGES:
        assert_small_and_first_party(client, url)
    # And the judgement sees a third-party resource when there is one.
    probe = _Resources()
    probe.feed('<img src="https://tracker.example/p.gif"><a href="https://x.com/intent/post">X</a>')
    assert {_host(u) for u in probe.images} == {"tracker.example"}


def test_pages_with_every_kind_of_section_stay_within_both_budgets(seeded: Flask) -> None:
    from tests.studio_fixtures import add_section, make_account, photo_jpeg, publish, sign_in

    marketer = sign_in(seeded.test_client(), make_account(seeded, "mara@kestrel.example"))
    for page in ("home", "job"):
        add_section(
            marketer, page, "hero", files={"image_file": (photo_jpeg(), "p.jpg")}, alt="Riders"
        )
        add_section(marketer, page, "text", heading="Why us", body="We **fix** bikes.\n\n" * 40)
        add_section(marketer, page, "benefits", benefits="\n".join(f"Perk {i}" for i in range(20)))
        add_section(marketer, page, "faq", faq="\n\n".join(f"Q{i}?\nA{i}." for i in range(20)))
        add_section(marketer, page, "quote", quote="Best team in town. " * 20, name="Ana")
    publish(marketer)
    guest = seeded.test_client()
    for url in PAGES:
        assert_small_and_first_party(guest, url)
    assert 'class="section section-hero"' in guest.get("/").get_data(as_text=True)


def test_the_job_page_states_its_own_interview_settings(seeded: Flask, client) -> None:
    page = client.get("/jobs/warehouse-team-lead-bratislava").get_data(as_text=True)
    assert "The video interview takes up to 15 minutes." in page
    assert "The interview is in Slovak." in page
    assert "open until" not in page  # no closing date set
    with seeded.app_context():
        position = db.session.scalar(
            db.select(Position).where(Position.slug == "warehouse-team-lead-bratislava")
        )
        position.interview = {
            **position.interview,
            "max_duration": 1500,
            "interview_available_till": "2027-01-31",
        }
        position.language_code = "de"
        db.session.commit()
    page = client.get("/jobs/warehouse-team-lead-bratislava").get_data(as_text=True)
    assert "The video interview takes up to 25 minutes." in page
    assert "The interview is open until 31 January 2027." in page
    assert "The interview is in German." in page
    assert "15 minutes" not in page and "in Slovak." not in page


def test_an_interview_without_a_set_length_claims_none(seeded: Flask, client) -> None:
    with seeded.app_context():
        position = db.session.scalar(
            db.select(Position).where(Position.slug == "data-analyst-amsterdam")
        )
        position.interview = {}
        db.session.commit()
    page = client.get("/jobs/data-analyst-amsterdam").get_data(as_text=True)
    assert "takes up to" not in page
    assert "The interview is in English." in page


def test_the_job_page_says_where_and_on_what_terms_the_work_is_done(seeded: Flask, client) -> None:
    page = client.get("/jobs/field-service-technician-lisbon").get_data(as_text=True)
    assert re.search(r"Workplace</span>\s*On-site", page)
    assert re.search(r"Contract</span>\s*Full time, Part time", page)
    remote = client.get("/jobs/senior-backend-engineer-python").get_data(as_text=True)
    assert re.search(r"Workplace</span>\s*Remote, from Germany, Austria, Czechia", remote)


def test_the_job_page_can_be_shared_by_plain_links(seeded: Flask, client) -> None:
    page = client.get("/jobs/data-analyst-amsterdam").get_data(as_text=True)
    canonical = "http://localhost/jobs/data-analyst-amsterdam"
    links = dict(re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', page))
    by_label = {label: unescape(href) for href, label in links.items()}
    assert by_label["Copy link"] == canonical
    assert re.search(r'<a href="[^"]+" data-copy-link>Copy link</a>', page)
    mail = urlsplit(by_label["Share by e-mail"])
    assert mail.scheme == "mailto"
    mail_query = parse_qs(mail.query)
    assert mail_query["subject"] == ["Data Analyst at Kestrel Mobility"]
    assert canonical in mail_query["body"][0]
    linkedin = urlsplit(by_label["Share on LinkedIn"])
    assert linkedin.netloc == "www.linkedin.com"
    assert parse_qs(linkedin.query)["url"] == [canonical]
    x = urlsplit(by_label["Share on X"])
    assert x.netloc == "x.com" and parse_qs(x.query)["url"] == [canonical]
    for label in ("Share on LinkedIn", "Share on X"):
        assert re.search(rf'<a href="[^"]+" rel="noopener">{label}</a>', page)
    # The copy button is a small script of our own, never inline (the CSP forbids that).
    scripts = re.findall(r"<script([^>]*)>", page)
    assert all("src=" in attrs or "application/ld+json" in attrs for attrs in scripts)
    script = re.search(r'<script src="(/static/share\.js\?v=[0-9a-f]+)" defer>', page).group(1)
    with client.get(script) as served:
        assert "navigator.clipboard" in served.get_data(as_text=True)


@pytest.mark.browser
def test_copy_link_copies_the_address_and_says_so(site, page) -> None:
    seed(site.app)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.url)
    page.goto(site.url + "/jobs/data-analyst-amsterdam")
    status = page.locator("[data-copy-status]")
    assert status.get_attribute("role") == "status" and status.text_content() == ""
    page.get_by_role("link", name="Copy link").click()
    page.wait_for_function("document.querySelector('[data-copy-status]').textContent !== ''")
    assert "Link copied" in (status.text_content() or "")
    assert page.url == site.url + "/jobs/data-analyst-amsterdam"  # copied, not followed
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == site.url + "/jobs/data-analyst-amsterdam"
