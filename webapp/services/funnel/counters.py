"""Page-view counters kept in memory per app and added to the database every few seconds.

A counted view costs one dictionary update under a lock; a flush swaps the dictionary out and adds
its counts with one upsert per key (``count = count + excluded.count``), so any number of web
processes add up on SQLite and PostgreSQL alike. Nothing about the visitor is kept: the key is the
day, the position, the step and the source (campaign parameters and the referring host).
"""

from __future__ import annotations

import atexit
import logging
import re
import threading
import time
import weakref
from datetime import UTC, date, datetime

from flask import Flask
from sqlalchemy import select
from sqlalchemy.engine import Engine
from werkzeug.datastructures import Headers

from webapp.models.funnel import FunnelCount
from webapp.models.positions import Position

log = logging.getLogger(__name__)

Key = tuple[date, str, str, tuple[str, str, str, str]]  # day, position slug, step, source
# Beyond this many distinct keys between two flushes (a flood of made-up campaign values),
# new sources are counted under one catch-all so memory stays bounded.
MAX_PENDING_KEYS = 10_000
OVERFLOW_SOURCE = ("(other)", "", "", "")

# Known crawlers, link previewers, monitors and headless browsers: markers found in their
# user agents. Chromium's own "HeadlessChrome" is one of them on purpose (scrapers use it).
CRAWLER = re.compile(
    r"crawl|spider|slurp|scrap|preview|headless|phantomjs|puppeteer"
    r"|playwright|selenium|lighthouse|pagespeed|facebookexternalhit|facebookcatalog"
    r"|meta-external|embedly|quora link|whatsapp|vkshare|outbrain|nuzzel|ia_archiver"
    r"|archive\.org|wayback|feedfetcher|feedly|mediapartners|adsbot|apis-google"
    r"|google-inspectiontool|google-read-aloud|semrush|ahrefs|mj12|screaming frog|sitebulb"
    r"|uptime|pingdom|monitor|statuscake|site24x7|newrelic|datadog|check_http|nagios|zabbix"
    r"|curl/|wget/|httpie|python-requests|python-urllib|python-httpx|aiohttp|go-http-client"
    r"|java/|okhttp|apache-httpclient|libwww-perl|node-fetch|axios/|undici|postman|insomnia"
    r"|scanner|nmap|nikto|masscan|zgrab|censys|shodan|gptbot|chatgpt|claude|anthropic"
    r"|perplexity|ccbot|bytespider|cohere|diffbot|omgili"
)
# "bot" as a word or before a version, but not in a phone's model name (Cubot).
_BOT = re.compile(r"(?<!cu)bot(?:\b|[/_;-])")
# Distinct user agents are few in real traffic: each is judged once per app, up to this many.
MAX_VERDICTS = 4096


def is_crawler(user_agent: str | None) -> bool:
    """True for a user agent that names a known crawler, previewer, monitor or script."""
    if not user_agent:
        return False
    lowered = user_agent.lower()  # lower-casing once is several times faster than re.IGNORECASE
    return ("bot" in lowered and _BOT.search(lowered) is not None) or (
        CRAWLER.search(lowered) is not None
    )


def is_prefetch(headers: Headers) -> bool:
    """True for a prefetch or prerender the visitor may never see."""
    purpose = (headers.get("Sec-Purpose") or headers.get("Purpose") or "").lower()
    return "prefetch" in purpose or "prerender" in purpose or headers.get("X-Moz") == "prefetch"


class Counters:
    """One app's pending counts and the flush that adds them to its database."""

    def __init__(self, app: Flask, flush_seconds: float) -> None:
        self._app = weakref.ref(app)  # the app owns its counters, not the other way round
        self._flush_seconds = flush_seconds
        self._lock = threading.Lock()
        self._flush_lock = threading.Lock()
        self._pending: dict[Key, int] = {}
        self._verdicts: dict[str, bool] = {}
        self._last_flush = time.monotonic()

    def is_crawler(self, user_agent: str | None) -> bool:
        """``is_crawler``, remembered per user agent (a plain dict: a lost race only recomputes)."""
        key = user_agent or ""
        verdict = self._verdicts.get(key)
        if verdict is None:
            if len(self._verdicts) >= MAX_VERDICTS:
                self._verdicts = {}
            verdict = self._verdicts[key] = is_crawler(user_agent)
        return verdict

    def count(self, slug: str, step: str, source: tuple[str, str, str, str]) -> bool:
        """Add one view; True when a flush is due (the caller starts it off the request)."""
        day = datetime.now(UTC).date()
        with self._lock:
            key = (day, slug, step, source)
            if key not in self._pending and len(self._pending) >= MAX_PENDING_KEYS:
                key = (day, slug, step, OVERFLOW_SOURCE)
            self._pending[key] = self._pending.get(key, 0) + 1
            due = time.monotonic() - self._last_flush >= self._flush_seconds
            if due:
                self._last_flush = time.monotonic()
        return due

    def pending(self) -> dict[Key, int]:
        """A copy of the counts not yet in the database."""
        with self._lock:
            return dict(self._pending)

    def flush(self) -> int:
        """Add the pending counts to the database; the number of keys written."""
        with self._flush_lock:
            with self._lock:
                batch, self._pending = self._pending, {}
                self._last_flush = time.monotonic()
            if not batch:
                return 0
            try:
                return _upsert(self._engine(), batch)
            except Exception:
                with self._lock:  # keep them for the next flush rather than lose them
                    for key, value in batch.items():
                        self._pending[key] = self._pending.get(key, 0) + value
                raise

    def _engine(self) -> Engine:
        from webapp.extensions import db

        app = self._app()
        if app is None:
            raise RuntimeError("the app of these counters is gone")
        with app.app_context():
            return db.engine  # type: ignore[no-any-return]

    def flush_quietly(self) -> None:
        """Flush, logging (not raising) a failure: for threads and exit."""
        try:
            self.flush()
        except Exception as error:  # noqa: BLE001 - the counts stay pending; the page views were served
            log.warning("funnel counts not written yet: %s", type(error).__name__)


def _upsert(engine: Engine, batch: dict[Key, int]) -> int:
    table = FunnelCount.__table__
    with engine.begin() as connection:
        slugs = {slug for _, slug, _, _ in batch}
        ids: dict[str, int] = {
            slug: position_id
            for slug, position_id in connection.execute(
                select(Position.slug, Position.id).where(Position.slug.in_(slugs))
            )
        }
        rows = [
            {
                "day": day,
                "position_id": ids[slug],
                "step": step,
                "utm_source": source[0],
                "utm_medium": source[1],
                "utm_campaign": source[2],
                "referrer_host": source[3],
                "count": value,
            }
            for (day, slug, step, source), value in batch.items()
            if slug in ids  # a position deleted meanwhile has nothing to count against
        ]
        if not rows:
            return 0
        if engine.dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert  # type: ignore[assignment]
        statement = insert(table)
        statement = statement.on_conflict_do_update(
            index_elements=[
                "day",
                "position_id",
                "step",
                "utm_source",
                "utm_medium",
                "utm_campaign",
                "referrer_host",
            ],
            set_={"count": table.c.count + statement.excluded["count"]},
        )
        connection.execute(statement, rows)
        return len(rows)


def _flush_at_exit(reference: weakref.ref[Counters]) -> None:
    counters = reference()
    if counters is not None:
        counters.flush_quietly()


def new_counters(app: Flask) -> Counters:
    """Counters for ``app`` that flush every ``FUNNEL_FLUSH_SECONDS`` and at exit."""
    counters = Counters(app, float(app.config.get("FUNNEL_FLUSH_SECONDS", 5.0)))
    atexit.register(_flush_at_exit, weakref.ref(counters))
    return counters
