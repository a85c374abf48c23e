"""What every template can use: names for codes, Markdown, cache-busted static URLs, site content."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from flask import Flask, current_app, url_for

from webapp.jobmojito.languages import language_name
from webapp.reference import country_name
from webapp.services.site import current_content
from webapp.text import plain_excerpt, render_markdown


@cache
def _file_digest(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:10]


def static_url(filename: str) -> str:
    """A static file's URL carrying its content hash, so it can be cached for a year."""
    folder = current_app.static_folder or ""
    return url_for("static", filename=filename, v=_file_digest(str(Path(folder) / filename)))


def init_app(app: Flask) -> None:
    """Register filters, globals and the site content for templates."""
    app.jinja_env.filters.update(
        language_name=language_name,
        country_name=country_name,
        markdown=render_markdown,
        excerpt=plain_excerpt,
    )
    from webapp.page_cache import csrf_token_for_page
    from webapp.services.charts import template_globals as chart_globals

    app.jinja_env.globals.update(static_url=static_url, page_csrf_token=csrf_token_for_page)
    app.jinja_env.globals.update(chart_globals())
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def site_content() -> dict[str, object]:
        return {"site": current_content()}
