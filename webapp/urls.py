"""Absolute links, built from the configured public address ``SITE_URL``, never from a Host header."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app, url_for


def external_url(endpoint: str, **values: Any) -> str:
    """The absolute URL of ``endpoint`` on the public site; works in requests and in workers."""
    path = (
        url_for(endpoint, _external=False, **values)
        if _has_url_adapter()
        else _path(endpoint, values)
    )
    return current_app.config["SITE_URL"].rstrip("/") + path


def site_url() -> str:
    """The public address of the site, without a trailing slash."""
    return str(current_app.config["SITE_URL"]).rstrip("/")


def _has_url_adapter() -> bool:
    from flask.globals import request_ctx

    return bool(request_ctx) and request_ctx.url_adapter is not None


def _path(endpoint: str, values: dict[str, Any]) -> str:
    # Outside a request (a worker rendering an e-mail): build against the site's own address.
    parts = urlsplit(current_app.config["SITE_URL"])
    adapter = current_app.url_map.bind(
        parts.netloc or "localhost",
        script_name=parts.path or "/",
        url_scheme=parts.scheme or "http",
    )
    return adapter.build(endpoint, values, force_external=False)
