"""The jobs widget: its settings, the framing origins marketers allow, and the jobs it lists."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Position, utcnow
from webapp.models.widget import WidgetSettings
from webapp.services.positions import PositionFilters, open_positions
from webapp.services.site import SiteContent
from webapp.services.theme import on_colour, tokens

MAX_ORIGINS = 10
MAX_JOBS = 50  # the most a marketer may ask the widget to list
FEED_LIMIT = 200  # the most open positions the feed carries, whatever the filters
FILTERS = ("department", "location")
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "[::1]"})
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


class OriginProblem(ValueError):
    """A framing origin a marketer typed is not of the form https://host[:port]."""


@dataclass(frozen=True)
class WidgetOptions:
    """What the widget shows and who may frame its page, as plain values."""

    show_department: bool = True
    show_location: bool = True
    job_limit: int = 10
    allowed_origins: tuple[str, ...] = ()

    @property
    def filters(self) -> list[str]:
        """The filters the widget offers, in the order it shows them."""
        shown = {"department": self.show_department, "location": self.show_location}
        return [name for name in FILTERS if shown[name]]


def _host_is_valid(host: str) -> bool:
    if host in LOOPBACK_HOSTS:
        return True
    labels = host.split(".")
    return len(host) <= 253 and len(labels) >= 2 and all(_LABEL.match(label) for label in labels)


def parse_origin(text: str, *, allow_loopback_http: bool = False) -> str:
    """One origin in canonical form (lower case, no default port); OriginProblem otherwise."""
    value = text.strip()
    shown = value if len(value) <= 80 else value[:77] + "…"
    problem = OriginProblem(
        f"“{shown}” is not a website address of the form https://www.example.com "
        "(an optional :port, no path)."
    )
    if not value or any(ch.isspace() or ord(ch) < 32 for ch in value) or len(value) > 300:
        raise problem
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        raise problem from None
    host = (parts.hostname or "").lower()
    if parts.netloc.startswith("[") and host:
        host = f"[{host}]"
    loopback_http = allow_loopback_http and parts.scheme == "http" and host in LOOPBACK_HOSTS
    if parts.scheme != "https" and not loopback_http:
        raise problem
    if parts.username is not None or parts.password is not None or not _host_is_valid(host):
        raise problem
    if parts.path not in ("", "/") or parts.query or parts.fragment or value.endswith(("?", "#")):
        raise problem
    if port is not None and not 1 <= port <= 65535:
        raise problem
    default_port = 443 if parts.scheme == "https" else 80
    return f"{parts.scheme}://{host}" + (f":{port}" if port and port != default_port else "")


def parse_origins(text: str, *, allow_loopback_http: bool = False) -> tuple[str, ...]:
    """The origins typed one per line (or separated by commas or spaces), checked and deduplicated."""
    found: list[str] = []
    for item in re.split(r"[\s,]+", text.strip()):
        if item:
            origin = parse_origin(item, allow_loopback_http=allow_loopback_http)
            if origin not in found:
                found.append(origin)
    if len(found) > MAX_ORIGINS:
        raise OriginProblem(
            f"List at most {MAX_ORIGINS} websites ({len(found)} given): "
            "one per site that shows the jobs frame."
        )
    return tuple(found)


def _row() -> WidgetSettings | None:
    return db.session.scalar(select(WidgetSettings).order_by(WidgetSettings.id).limit(1))


def get_options() -> WidgetOptions:
    """The stored settings, or the defaults before a marketer saved any."""
    row = _row()
    if row is None:
        return WidgetOptions()
    origins = tuple(o for o in (row.allowed_origins or []) if isinstance(o, str))[:MAX_ORIGINS]
    return WidgetOptions(
        show_department=bool(row.show_department),
        show_location=bool(row.show_location),
        job_limit=max(1, min(MAX_JOBS, int(row.job_limit or 10))),
        allowed_origins=origins,
    )


def save_options(options: WidgetOptions, author_id: int | None) -> WidgetOptions:
    """Store the settings; they apply to every pasted widget and frame at once."""
    row = _row()
    if row is None:
        row = WidgetSettings()
        db.session.add(row)
    row.show_department = options.show_department
    row.show_location = options.show_location
    row.job_limit = max(1, min(MAX_JOBS, options.job_limit))
    row.allowed_origins = list(options.allowed_origins)
    row.updated_by_id = author_id
    row.updated_at = utcnow()
    db.session.commit()
    return get_options()


def brand_tokens(content: SiteContent) -> dict[str, Any]:
    """The published brand as validated values the widget may write into its styles."""
    t = tokens(content.brand)
    return {
        "company": str(content.brand.get("company_name") or ""),
        "primary": t.primary,
        "onPrimary": on_colour(t.primary),
        "accent": t.accent,
        "text": t.text,
        "background": t.background,
        "font": t.font,
        "radius": t.radius,
        "buttonRadius": 999 if t.button == "pill" else t.radius,
        "buttonStyle": t.button,
    }


@dataclass(frozen=True)
class JobListing:
    """One open position as the widget lists it."""

    title: str
    department: str
    location: str
    url: str


def listings(job_url: Callable[[str], str]) -> list[JobListing]:
    """The open positions, newest first, each with the address of its page on the site."""
    positions: Sequence[Position] = open_positions(PositionFilters())[:FEED_LIMIT]
    return [JobListing(p.title, p.department or "", p.location, job_url(p.slug)) for p in positions]


def choices(jobs: Sequence[JobListing]) -> dict[str, list[str]]:
    """The departments and locations the listed jobs have, for the filters."""
    return {
        "department": sorted({job.department for job in jobs if job.department}),
        "location": sorted({job.location for job in jobs if job.location}),
    }


def narrowed(jobs: Sequence[JobListing], department: str, location: str) -> list[JobListing]:
    """The jobs in ``department`` and ``location`` (an empty value matches all)."""
    return [
        job
        for job in jobs
        if (not department or job.department == department)
        and (not location or job.location == location)
    ]


def feed(
    options: WidgetOptions, content: SiteContent, jobs: Sequence[JobListing], home_url: str
) -> dict[str, Any]:
    """The public JSON the widget script reads: brand, options and jobs, nothing private."""
    return {
        "brand": brand_tokens(content),
        "filters": options.filters,
        "limit": options.job_limit,
        "home": home_url,
        "jobs": [
            {"title": j.title, "department": j.department, "location": j.location, "url": j.url}
            for j in jobs
        ],
    }
