"""Which interview languages the platform offers now: fetched in the background, built-in fallback.

A background job asks ``platform-languages-list`` once a day (sooner again after a failure) and
keeps the answer in this app's database, where every web process and worker reads it. The job is
scheduled the first time the list is needed and whenever the stored answer is a day old, then
reschedules itself. Until the platform has answered, or when its last answer is older than
``TRUST_FOR`` (it has been unreachable for a week), the built-in list of 34 languages is offered.
Only codes the built-in list knows are kept: it holds the names people read, and the contract sends
no other code.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Flask

from webapp.extensions import db
from webapp.jobmojito.client import JobMojitoClient, UpstreamError
from webapp.jobmojito.languages import LANGUAGES, offered_choices
from webapp.models import utcnow
from webapp.models.platform_languages import PlatformLanguageList
from webapp.services import jobs

log = logging.getLogger(__name__)
KIND = "platform_languages"
_SUBJECT = 1  # the one stored list (its row id)
REFRESH_EVERY = timedelta(days=1)
RETRY_AFTER = timedelta(minutes=15)
TRUST_FOR = timedelta(days=7)
_LEASE_SECONDS = 60.0


@dataclass(frozen=True)
class OfferedLanguages:
    """The codes to offer, where they come from, and when the platform last answered."""

    codes: tuple[str, ...]
    from_platform: bool
    fetched_at: datetime | None
    last_error: str | None

    def choices(self, keep: str | None = None) -> dict[str, str]:
        """Code → name, by name; ``keep`` stays selectable, marked, should it not be offered."""
        return offered_choices(self.codes, keep)


def offered(now: datetime | None = None) -> OfferedLanguages:
    """The languages to offer recruiters now: the platform's list, or the built-in one."""
    now = now or utcnow()
    row = db.session.get(PlatformLanguageList, _SUBJECT)
    if row is None or row.fetched_at is None or now - row.fetched_at > TRUST_FOR or not row.codes:
        return OfferedLanguages(
            tuple(LANGUAGES),
            False,
            row.fetched_at if row else None,
            row.last_error if row else None,
        )
    return OfferedLanguages(tuple(row.codes), True, row.fetched_at, row.last_error)


def refresh_if_stale(now: datetime | None = None) -> bool:
    """Schedule a refresh now when the stored list is a day old or missing; whether it did (commits).

    A refresh already waiting or running is left alone.
    """
    now = now or utcnow()
    row = db.session.get(PlatformLanguageList, _SUBJECT)
    checked = row.checked_at if row else None
    if checked is not None and now - checked < REFRESH_EVERY:
        return False
    if jobs.active(KIND, _SUBJECT) is not None:
        return False
    jobs.schedule(KIND, _SUBJECT, run_at=now)
    db.session.commit()
    return True


def languages_for_form() -> OfferedLanguages:
    """The languages to offer on the position form; asks for a refresh when the list is stale."""
    refresh_if_stale()
    return offered()


def known_codes(codes: list[str]) -> list[str]:
    """The answered codes the built-in list knows, in the built-in order, each once."""
    answered = set(codes)
    return [code for code in LANGUAGES if code in answered]


def refresh(client: JobMojitoClient, now: datetime | None = None) -> jobs.Outcome:
    """Ask the platform for its languages and store them; the job's next run either way."""
    from webapp.services.platform_calls import describe

    now = now or utcnow()
    row = db.session.get(PlatformLanguageList, _SUBJECT) or PlatformLanguageList(
        id=_SUBJECT, codes=[]
    )
    db.session.add(row)
    row.checked_at = now
    try:
        answer = client.platform_languages()
        codes = known_codes([language.code for language in answer.languages])
        if not codes:
            raise UpstreamError("the list names no language we know", kind="malformed", status=200)
    except UpstreamError as exc:
        row.last_error = describe(exc)
        log.warning("the platform's languages list could not be read: %s", row.last_error)
        return jobs.retry_after(RETRY_AFTER.total_seconds(), row.last_error, count_attempt=False)
    dropped = sorted(set(LANGUAGES) - set(codes))
    row.codes, row.fetched_at, row.last_error = codes, now, None
    log.info(
        "the platform offers %d interview languages (not: %s)",
        len(codes),
        ", ".join(dropped) or "none missing",
    )
    return jobs.retry_after(REFRESH_EVERY.total_seconds(), count_attempt=False)


def register_kind(app: Flask, client: Callable[[], JobMojitoClient]) -> None:
    """Register the languages refresh for ``app``; it reschedules itself daily."""
    jobs.register(
        app,
        KIND,
        lambda job: refresh(client()),
        lease=lambda: _LEASE_SECONDS,
        needs="platform",
    )
