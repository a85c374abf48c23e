"""Absolute links, built from the configured public address ``SITE_URL``, never from a Host header."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlsplit

from flask import current_app, request
from werkzeug.routing import MapAdapter

EXTENSION_KEY = "careerframe.urls"


def site_url() -> str:
    """The public address of the site, without a trailing slash (it may end in a path)."""
    return str(current_app.config["SITE_URL"]).rstrip("/")


def external_url(endpoint: str, **values: Any) -> str:
    """The absolute URL of ``endpoint`` on the public site; the same in requests and in workers.

    Built against ``SITE_URL`` alone (scheme, host and any path prefix), so neither a forged
    ``Host``/``X-Forwarded-Host`` header nor the mount point of this process can change it.
    """
    if endpoint.startswith(".") and request:
        endpoint = (request.blueprint or "") + endpoint
    anchor = values.pop("_anchor", None)
    for option in ("_external", "_scheme", "_method"):
        values.pop(option, None)
    current_app.inject_url_defaults(endpoint, values)
    url = _adapter().build(endpoint, values, force_external=True)
    if anchor is not None:
        url += "#" + quote(str(anchor), safe="%!#$&'()*+,/:;=?@")
    return url


def _adapter() -> MapAdapter:
    """A URL adapter bound to SITE_URL, made once per app (and again if SITE_URL changes)."""
    site = site_url()
    cached: tuple[str, MapAdapter] | None = current_app.extensions.get(EXTENSION_KEY)
    if cached is None or cached[0] != site:
        parts = urlsplit(site)
        adapter = current_app.url_map.bind(
            parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme
        )
        cached = (site, adapter)
        current_app.extensions[EXTENSION_KEY] = cached
    return cached[1]
