"""Machine-readable lists of open positions: sitemap, robots.txt, Atom 1.0 and JSON Feed 1.1.

Each builder takes plain values (a ``Listing`` and its ``JobEntry`` items, all URLs absolute), so
a version per language is another ``Listing``, not another builder.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from xml.etree import ElementTree

ATOM_NS = "http://www.w3.org/2005/Atom"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
# Paths no search engine needs: staff pages, candidates' own pages, previews, machine endpoints.
PRIVATE_PATHS = ("/admin", "/applications/", "/preview/", "/webhooks/")


@dataclass(frozen=True)
class JobEntry:
    """One open position as feeds show it."""

    url: str
    title: str
    summary: str
    published: datetime
    updated: datetime


@dataclass(frozen=True)
class Listing:
    """A list of positions and where it lives: its home page and its own feed address."""

    title: str
    author: str
    home_url: str
    feed_url: str
    language: str
    entries: Sequence[JobEntry]
    built_at: datetime

    @property
    def updated(self) -> datetime:
        """The newest change among the entries (the build time when there are none)."""
        return max((entry.updated for entry in self.entries), default=self.built_at)


def _iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _xml(root: ElementTree.Element) -> bytes:
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)


def _root(tag: str, namespace: str, **attrs: str) -> ElementTree.Element:
    # The namespace as a plain xmlns attribute with unprefixed tags: register_namespace would
    # change a registry shared by the whole process, and default_namespace refuses plain attributes.
    return ElementTree.Element(tag, {"xmlns": namespace, **attrs})


@dataclass(frozen=True)
class SitemapPage:
    """One page of the sitemap in one language, with the same page's URL in every language."""

    url: str
    modified: datetime | None
    alternates: Sequence[tuple[str, str]] = ()  # (hreflang, absolute URL), x-default included


def sitemap_xml(pages: Iterable[SitemapPage]) -> bytes:
    """A sitemap (sitemaps.org 0.9) of absolute page URLs with their last change and, as search
    engines read them, ``xhtml:link`` alternates naming the page in each of its languages."""
    root = _root("urlset", SITEMAP_NS, **{"xmlns:xhtml": XHTML_NS})
    for page in pages:
        item = ElementTree.SubElement(root, "url")
        ElementTree.SubElement(item, "loc").text = page.url
        if page.modified is not None:
            ElementTree.SubElement(item, "lastmod").text = _iso(page.modified)
        for hreflang, href in page.alternates:
            ElementTree.SubElement(
                item, "xhtml:link", {"rel": "alternate", "hreflang": hreflang, "href": href}
            )
    return _xml(root)


def robots_txt(path_prefix: str, sitemap_url: str) -> str:
    """robots.txt: public pages allowed, private ones refused, the sitemap named."""
    prefix = path_prefix.rstrip("/")
    lines = ["User-agent: *", f"Allow: {prefix}/"]
    lines += [f"Disallow: {prefix}{path}" for path in PRIVATE_PATHS]
    return "\n".join([*lines, "", f"Sitemap: {sitemap_url}", ""])


def atom_feed(listing: Listing) -> bytes:
    """An Atom 1.0 feed with one entry per position."""

    def add(parent: ElementTree.Element, tag: str, text: str | None = None, **attrs: str) -> None:
        element = ElementTree.SubElement(parent, tag, attrs)
        element.text = text

    root = _root("feed", ATOM_NS, **{"xml:lang": listing.language})
    add(root, "id", listing.feed_url)
    add(root, "title", listing.title)
    add(root, "updated", _iso(listing.updated))
    add(root, "link", rel="self", type="application/atom+xml", href=listing.feed_url)
    add(root, "link", rel="alternate", type="text/html", href=listing.home_url)
    author = ElementTree.SubElement(root, "author")
    add(author, "name", listing.author)
    for job in listing.entries:
        entry = ElementTree.SubElement(root, "entry")
        add(entry, "id", job.url)
        add(entry, "title", job.title)
        add(entry, "published", _iso(job.published))
        add(entry, "updated", _iso(job.updated))
        add(entry, "link", rel="alternate", type="text/html", href=job.url)
        add(entry, "summary", job.summary, type="text")
    return _xml(root)


def json_feed(listing: Listing) -> str:
    """A JSON Feed 1.1 document with one item per position."""
    document = {
        "version": JSON_FEED_VERSION,
        "title": listing.title,
        "home_page_url": listing.home_url,
        "feed_url": listing.feed_url,
        "language": listing.language,
        "authors": [{"name": listing.author}],
        "items": [
            {
                "id": job.url,
                "url": job.url,
                "title": job.title,
                "summary": job.summary,
                "content_text": job.summary,
                "date_published": _iso(job.published),
                "date_modified": _iso(job.updated),
            }
            for job in listing.entries
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=1)
