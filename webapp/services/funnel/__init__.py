"""The funnel: counted page views, where candidates come from, and what marketers read of it.

``init_app`` wires three hooks to the public pages, keyed by endpoint (the views stay as they are):
the source is read on landing, every ``url_for`` of the careers and apply pages on that request
carries it on, and a served job page or apply form is counted in memory.
"""

from __future__ import annotations

import threading
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, g, request
from werkzeug.datastructures import Headers

from webapp.models.funnel import APPLY_VIEW, JOB_VIEW
from webapp.services.funnel.counters import Counters, is_prefetch, new_counters
from webapp.services.funnel.sources import PARAMS, Source, describe, source_of

EXTENSION_KEY = "careerframe.funnel"
# The public pages whose visits are counted, and as which step.
COUNTED = {"careers.job": JOB_VIEW, "apply.form": APPLY_VIEW}
# The pages that read a source on landing and whose links carry it on.
CARRYING = frozenset({"careers.index", "careers.job", "apply.form", "apply.apply"})
# A counted page's view (position slug, step, source key), kept in the WSGI environ for the front cache.
COUNTED_VIEW_KEY = "careerframe.funnel.view"
CountedView = tuple[str, str, tuple[str, str, str, str]]


def init_app(app: Flask) -> None:
    """Give ``app`` its counters and hook the public pages (counting is on unless turned off)."""
    app.extensions[EXTENSION_KEY] = new_counters(app)
    site_host = urlsplit(app.config.get("SITE_URL") or "").hostname or ""
    app.config.setdefault("FUNNEL_OWN_HOSTS", (site_host,))
    app.before_request(_read_source)
    app.url_defaults(_carry_source)
    app.after_request(_count_view)
    app.add_template_global(application_source, "source_label")
    app.add_template_global(lambda: current_source().as_params(), "source_fields")


def counters(app: Flask) -> Counters:
    """The counters of ``app``."""
    return app.extensions[EXTENSION_KEY]  # type: ignore[no-any-return]


def current_source() -> Source:
    """The source of the current request (empty outside the careers and apply pages)."""
    return g.get("funnel_source") or Source()


def application_source(application: Any) -> str:
    """Where an application came from, as recruiters read it."""
    return describe(
        application.utm_source or "",
        application.utm_medium or "",
        application.utm_campaign or "",
        application.referrer_host or "",
    )


def _read_source() -> None:
    req = request._get_current_object()  # type: ignore[attr-defined]  # one proxy lookup
    if req.endpoint not in CARRYING:
        return
    own = (req.host, *current_app.config["FUNNEL_OWN_HOSTS"])
    source = source_of(req.args, req.headers.get("Referer"), own)
    if not source.is_empty:
        g.funnel_source = source
        # The page's links carry the source, so a cached copy is only for the same source.
        g.page_cache_vary = "\x1f".join(source.as_key())


def _carry_source(endpoint: str, values: dict[str, Any]) -> None:
    source = g.get("funnel_source")
    if source is None or endpoint not in CARRYING:
        return
    for name, value in source.as_params().items():
        values.setdefault(name, value)


def _count_view(response: Response) -> Response:
    req = request._get_current_object()  # type: ignore[attr-defined]  # one proxy lookup
    step = COUNTED.get(req.endpoint or "")
    if (
        step is None
        or response.status_code != 200
        or req.method != "GET"
        or g.get("site_preview")
        or not current_app.config.get("FUNNEL_COUNTING", True)
    ):
        return response
    slug = (req.view_args or {}).get("slug")
    if not isinstance(slug, str):
        return response
    view: CountedView = (slug, step, (g.get("funnel_source") or _NO_SOURCE).as_key())
    # The front cache serves this response again without Flask: it counts the same view then.
    req.environ[COUNTED_VIEW_KEY] = view
    count_visit(current_app._get_current_object(), view, req.headers)  # type: ignore[attr-defined]
    return response


def count_visit(app: Flask, view: CountedView, headers: Headers) -> None:
    """Count one visit of a counted page, unless it comes from a crawler or is a prefetch."""
    mine = counters(app)
    if is_prefetch(headers) or mine.is_crawler(headers.get("User-Agent")):
        return
    if mine.count(*view):
        threading.Thread(target=mine.flush_quietly, name="funnel-flush", daemon=True).start()


_NO_SOURCE = Source()
__all__ = ["PARAMS", "count_visit", "counters", "current_source", "init_app"]
