"""Where a visitor came from: campaign parameters and the referring site's host, cleaned."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

MAX_LENGTH = 100
# The query parameters that carry a source from the landing page to the application.
PARAMS = ("utm_source", "utm_medium", "utm_campaign", "ref")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")


@dataclass(frozen=True)
class Source:
    """A visitor's source; empty strings where nothing is known."""

    utm_source: str = ""
    utm_medium: str = ""
    utm_campaign: str = ""
    referrer_host: str = ""

    @property
    def is_empty(self) -> bool:
        """True when nothing is known about where the visitor came from."""
        return not (self.utm_source or self.utm_medium or self.utm_campaign or self.referrer_host)

    def as_params(self) -> dict[str, str]:
        """The query parameters that carry this source on to the next page (empty ones left out)."""
        values = (self.utm_source, self.utm_medium, self.utm_campaign, self.referrer_host)
        return {name: value for name, value in zip(PARAMS, values, strict=True) if value}

    def as_key(self) -> tuple[str, str, str, str]:
        """The source as the counters' key."""
        return (self.utm_source, self.utm_medium, self.utm_campaign, self.referrer_host)

    def as_columns(self) -> dict[str, str | None]:
        """The source as an application's columns (None where nothing is known)."""
        return {
            "utm_source": self.utm_source or None,
            "utm_medium": self.utm_medium or None,
            "utm_campaign": self.utm_campaign or None,
            "referrer_host": self.referrer_host or None,
        }


def clean_value(value: str | None) -> str:
    """A campaign value trimmed, lower-cased and clamped; '' for one with control characters."""
    if not value:
        return ""
    if _CONTROL.search(value):
        return ""  # refused: a value that could forge a log line or a CSV row is not a source
    return " ".join(value.split()).lower()[:MAX_LENGTH].strip()


def clean_host(value: str | None) -> str:
    """A host name in lower case without a port or a leading "www."; '' when it is not one."""
    if not value or _CONTROL.search(value):
        return ""
    host = value.strip().lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    if len(host) > MAX_LENGTH or not all(_LABEL.fullmatch(label) for label in host.split(".")):
        return ""
    return host


def referring_host(referer: str | None, own_hosts: Iterable[str]) -> str:
    """The host of a ``Referer`` header, or '' when it is missing, malformed or this site."""
    if not referer or len(referer) > 4096:
        return ""
    try:
        parts = urlsplit(referer)
        hostname = parts.hostname
    except ValueError:
        return ""
    if parts.scheme not in ("http", "https"):
        return ""
    host = clean_host(hostname)
    if not host or any(host == clean_host(name.split(":")[0]) for name in own_hosts):
        return ""
    return host


def source_of(args: Mapping[str, str], referer: str | None, own_hosts: Iterable[str]) -> Source:
    """The source of a request: its parameters, and the referring host unless one was carried."""
    carried = clean_host(args.get("ref"))
    return Source(
        utm_source=clean_value(args.get("utm_source")),
        utm_medium=clean_value(args.get("utm_medium")),
        utm_campaign=clean_value(args.get("utm_campaign")),
        referrer_host=carried or referring_host(referer, own_hosts),
    )


def describe(utm_source: str, utm_medium: str, utm_campaign: str, referrer_host: str) -> str:
    """A source as people read it: "linkedin / social / spring-hiring", "news.example" or "Direct"."""
    campaign = " / ".join(part for part in (utm_source, utm_medium, utm_campaign) if part)
    if campaign and referrer_host:
        return f"{campaign} (via {referrer_host})"
    return campaign or referrer_host or "Direct or unknown"


def record_source(application_id: int, source: Source) -> None:
    """Store where a new application came from (after it is safely stored itself)."""
    from webapp.extensions import db
    from webapp.models import Application

    if source.is_empty:
        return
    db.session.execute(
        db.update(Application).where(Application.id == application_id).values(**source.as_columns())
    )
    db.session.commit()
