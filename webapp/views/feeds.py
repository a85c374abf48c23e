"""Open positions for machines: sitemap, robots.txt, an Atom feed and a JSON Feed."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from flask import Blueprint, Response

from webapp.i18n import state as i18n_state
from webapp.i18n.links import localized_external_url
from webapp.i18n.locales import BY_IDENT
from webapp.models import Position, utcnow
from webapp.page_cache import cached_page
from webapp.services.job_feeds import (
    JobEntry,
    Listing,
    SitemapPage,
    atom_feed,
    json_feed,
    robots_txt,
    sitemap_xml,
)
from webapp.services.positions import PositionFilters, open_positions
from webapp.services.site import published_content
from webapp.text import plain_excerpt
from webapp.urls import external_url, site_url

bp = Blueprint("feeds", __name__)


def _changed(position: Position) -> datetime:
    return max(position.updated_at, position.opened_at or position.updated_at)


def _entry(position: Position) -> JobEntry:
    return JobEntry(
        url=external_url("careers.job", slug=position.slug),
        title=f"{position.title} in {position.location}",
        summary=plain_excerpt(position.summary or position.description, 500),
        published=position.opened_at or position.created_at,
        updated=_changed(position),
    )


def _listing(feed_endpoint: str) -> Listing:
    company = published_content().brand["company_name"]
    return Listing(
        title=f"Open positions at {company}",
        author=company,
        home_url=external_url("careers.index"),
        feed_url=external_url(feed_endpoint),
        language="en",
        entries=[_entry(position) for position in open_positions(PositionFilters())],
        built_at=utcnow(),
    )


def _in_every_language(
    endpoint: str, modified: datetime | None, **values: str
) -> list[SitemapPage]:
    """One sitemap entry per offered language, each naming all of them and the x-default."""
    offered = i18n_state().offered
    urls = {ident: localized_external_url(ident, endpoint, **values) for ident in offered}
    alternates = [(BY_IDENT[ident].tag, url) for ident, url in urls.items()]
    alternates.append(("x-default", external_url(endpoint, **values)))
    return [SitemapPage(url, modified, alternates) for url in urls.values()]


@bp.get("/sitemap.xml")
@cached_page
def sitemap() -> Response:
    """The careers home and every open job page in each language, with their last change."""
    positions = open_positions(PositionFilters())
    newest = max((_changed(position) for position in positions), default=None)
    pages = _in_every_language("careers.index", newest)
    for position in positions:
        pages += _in_every_language("careers.job", _changed(position), slug=position.slug)
    return Response(sitemap_xml(pages), mimetype="application/xml")


@bp.get("/robots.txt")
@cached_page
def robots() -> Response:
    """What crawlers may read, and where the sitemap is."""
    body = robots_txt(urlsplit(site_url()).path, external_url("feeds.sitemap"))
    return Response(body, mimetype="text/plain")


@bp.get("/jobs.atom")
@cached_page
def atom() -> Response:
    """Open positions as an Atom 1.0 feed."""
    return Response(atom_feed(_listing("feeds.atom")), mimetype="application/atom+xml")


@bp.get("/jobs.json")
@cached_page
def json() -> Response:
    """Open positions as a JSON Feed 1.1."""
    return Response(json_feed(_listing("feeds.json")), mimetype="application/feed+json")
