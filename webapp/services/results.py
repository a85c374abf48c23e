"""A recruiter's reading of an interview result: fetched from JobMojito when opened, kept briefly.

Nothing here is ever shown on a candidate's page. The result (transcript, analyses, signed
recording links) lives only in a small in-process cache per app for ``RESULT_CACHE_SECONDS``;
it is never written to the database or a log, and erasing the application purges it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urlsplit

from flask import Flask, current_app
from flask_caching import Cache
from sqlalchemy import or_, select

from webapp.extensions import db
from webapp.jobmojito.client import (
    InterviewDetails,
    InterviewDetailsQuery,
    InterviewPdfRequest,
    JobMojitoClient,
    UpstreamError,
)
from webapp.models import Application, WebhookDelivery

log = logging.getLogger(__name__)

EXTENSION_KEY = "careerframe.results"
# A recruiter's page waits at most this long per attempt; the candidate's pages never call here.
FETCH_TIMEOUT_SECONDS = 5.0
_CACHE_THRESHOLD = 500


class ResultUnavailable(Exception):
    """JobMojito could not give us the result or its report; the message is for recruiters."""


@dataclass(frozen=True)
class Recording:
    """One recording a recruiter can play, straight from the platform's short-lived link."""

    url: str = field(repr=False)
    is_video: bool


@dataclass(frozen=True)
class Answer:
    """One question of the transcript, with the answer, its score and its recording."""

    question: str
    answer: str
    score: float | None
    recording: Recording | None


@dataclass(frozen=True)
class ResultView:
    """What the application page shows of the platform's result."""

    state: Literal["none", "ready", "unavailable"]
    result_id: str | None = None
    details: InterviewDetails | None = None
    answers: tuple[Answer, ...] = ()
    recording: Recording | None = None
    problem: str | None = None

    @property
    def duration(self) -> str | None:
        """The interview's length as minutes and seconds (``12 min 05 s``)."""
        seconds = self.details.duration_seconds if self.details else None
        if seconds is None:
            return None
        return f"{seconds // 60} min {seconds % 60:02d} s"


def results_cache(app: Flask) -> Cache:
    """This app's cache of results, made on first use (a Flask-Caching SimpleCache)."""
    cache = app.extensions.get(EXTENSION_KEY)
    if cache is None:
        cache = Cache()
        cache.init_app(
            app,
            config={
                "CACHE_TYPE": "SimpleCache",
                "CACHE_DEFAULT_TIMEOUT": int(app.config.get("RESULT_CACHE_SECONDS", 60)),
                "CACHE_THRESHOLD": _CACHE_THRESHOLD,
            },
        )
        cache = app.extensions.setdefault(EXTENSION_KEY, cache)
    return cache  # type: ignore[no-any-return]


def _key(application_id: int) -> str:
    return f"result:{application_id}"


def forget(application_id: int) -> None:
    """Drop whatever the cache holds of one application's result (erasure calls this)."""
    results_cache(current_app._get_current_object()).delete(_key(application_id))  # type: ignore[attr-defined]


def result_id_of(application: Application) -> str | None:
    """The platform's result id for the application, as the latest webhook or check told it."""
    conditions = [WebhookDelivery.application_id == application.id]
    if application.profile_interview_id:
        conditions.append(WebhookDelivery.profile_interview_id == application.profile_interview_id)
    payloads = db.session.scalars(
        select(WebhookDelivery.payload).where(or_(*conditions)).order_by(WebhookDelivery.id.desc())
    )
    for payload in payloads:
        for name in ("interview_result_id", "id"):
            value = payload.get(name) if isinstance(payload, dict) else None
            if isinstance(value, str) and value.strip():
                return value.strip()
    return None


def result_view(
    application: Application, client: JobMojitoClient, cache: Cache, media_origin: str
) -> ResultView:
    """The result for the application page: from the cache, else from JobMojito now.

    Recordings are kept only when their link is on ``media_origin`` (the one the page's CSP
    allows); a failure leaves the page calm, saying what happened, with what we store intact.
    """
    if application.erased_at is not None:
        return ResultView("none")
    result_id = result_id_of(application)
    if result_id is None:
        return ResultView("none")
    details = cache.get(_key(application.id))
    if not isinstance(details, InterviewDetails):
        query = InterviewDetailsQuery(interview_result_id=result_id, get_signed_recordings=True)
        try:
            details = client.interview_details(query, timeout=FETCH_TIMEOUT_SECONDS)
        except UpstreamError as error:
            log.warning(
                "JobMojito interview-details for application %s failed: kind=%s status=%s",
                application.id,
                error.kind,
                error.status,
            )
            return ResultView("unavailable", result_id=result_id, problem=_calm(error))
        cache.set(_key(application.id), details)
    return ResultView(
        "ready",
        result_id=result_id,
        details=details,
        answers=tuple(
            Answer(
                question=entry.question_asked or "",
                answer=entry.answer or "",
                score=entry.score,
                recording=_playable(entry.recording_url, entry.recording_is_video, media_origin),
            )
            for entry in details.transcript
        ),
        recording=_playable(details.recording_url, details.recording_is_video, media_origin),
    )


def report_link(client: JobMojitoClient, result_id: str) -> str:
    """A fresh, short-lived link to the result's PDF report; ResultUnavailable when refused."""
    try:
        report = client.interview_pdf(
            InterviewPdfRequest(interview_result_id=result_id), timeout=FETCH_TIMEOUT_SECONDS
        )
    except UpstreamError as error:
        log.warning("JobMojito interview-pdf failed: kind=%s status=%s", error.kind, error.status)
        raise ResultUnavailable(_calm(error, "the PDF report")) from None
    if urlsplit(report.pdf_export_url).scheme not in ("https", "http"):
        raise ResultUnavailable("JobMojito answered with a report link we cannot open.")
    return report.pdf_export_url


def _playable(url: str | None, is_video: bool | None, media_origin: str) -> Recording | None:
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or f"{parts.scheme}://{parts.netloc}" != media_origin:
        return None  # the page's CSP would refuse it: say nothing rather than show a dead player
    return Recording(url=url, is_video=bool(is_video))


def _calm(error: UpstreamError, what: str = "this interview's result") -> str:
    if error.is_auth_problem:
        return f"JobMojito refused our API token, so {what} cannot be shown. An administrator must fix the token."
    if error.status == 404:
        return f"JobMojito has no record of {what}."
    if error.status is not None and 400 <= error.status < 500 and error.status != 429:
        return f"JobMojito declined to share {what} (HTTP {error.status})."
    return (
        f"JobMojito could not be reached just now, so {what} is not shown. Try again in a minute."
    )
