"""Recruiters' view of applications: filtering, export, detail, re-queueing and erasure."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import ColumnElement, and_, func, not_, or_, select, update

from webapp.extensions import db
from webapp.jobmojito.client import Decision
from webapp.mail import purge_for_application
from webapp.models import Application, ApplicationEvent, Position, WebhookDelivery, utcnow
from webapp.models.applications import JOB_DONE, JOB_GAVE_UP, JOB_IN_FLIGHT, JOB_PENDING
from webapp.services import applications as candidate_view
from webapp.services import attempts, results
from webapp.services.upstream_jobs import requeue
from webapp.services.webhooks import scrub_personal_fields

PER_PAGE = 50

# Where an application stands, in recruiters' words; the keys are the filter's values.
STATUS_LABELS: dict[str, str] = {
    "waiting": "Waiting for platform",
    "interview": "Interview ready",
    "review": "Awaiting recruiter",
    "rejected": "Rejected",
    "finished": "Finished",
    "failed": "Failed — can re-queue",
    "erased": "Erased",
}
# The candidate's stage (services.applications) is the one derivation; this only renames it.
_STATUS_OF_STAGE = {
    candidate_view.PREPARING: "waiting",
    candidate_view.INTERVIEW: "interview",
    candidate_view.REVIEW: "review",
    candidate_view.REJECTED: "rejected",
    candidate_view.FINISHED: "finished",
    candidate_view.FAILED: "failed",
    candidate_view.ERASED: "erased",
}
DECISION_LABELS: dict[str, str] = {
    Decision.AI_ACCEPT.value: "Accepted by AI pre-screening",
    Decision.RECRUITER_ACCEPT.value: "Accepted by a recruiter",
    Decision.RECRUITER_ACTION.value: "A recruiter must decide in JobMojito",
    Decision.AI_REJECT.value: "Rejected by AI pre-screening",
    Decision.RECRUITER_REJECT.value: "Rejected by a recruiter",
    Decision.ALREADY_APPLIED.value: "Had already applied: the existing interview continues",
}
# A spreadsheet runs a cell starting with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ERASED_TEXT = "[erased]"


class ApplicationActionRefused(ValueError):
    """The action cannot be done to this application now; the message says why."""


@dataclass(frozen=True)
class ApplicationFilters:
    """What the list is narrowed by; None or empty means no filter."""

    position_id: int | None = None
    status: str = ""
    date_from: date | None = None
    date_to: date | None = None
    q: str = ""


@dataclass(frozen=True)
class ApplicationRow:
    """An application with its status key."""

    application: Application
    status: str


@dataclass(frozen=True)
class ApplicationPage:
    """One page of the filtered list: its rows and Flask-SQLAlchemy's pagination of it."""

    rows: list[ApplicationRow]
    pagination: Pagination

    @property
    def total(self) -> int:
        """How many applications match the filters, on every page."""
        return self.pagination.total or 0

    @property
    def page(self) -> int:
        """The 1-based number of this page."""
        return self.pagination.page

    @property
    def pages(self) -> int:
        """How many pages the filtered list has (at least one)."""
        return max(1, self.pagination.pages)


@dataclass(frozen=True)
class ApplicationDetail:
    """An application with what a recruiter reads about it."""

    application: Application
    status: str
    decision_label: str | None
    analysis: str | None
    report_url: str | None
    requeueable: bool


def status_of(application: Application) -> str:
    """The status key of one application."""
    return _STATUS_OF_STAGE[candidate_view.candidate_status(application).stage]


def _status_condition(status: str) -> ColumnElement[bool]:
    """The SQL twin of :func:`status_of` for one status key (tests hold the two together)."""
    live = Application.erased_at.is_(None)
    if status == "erased":
        return Application.erased_at.is_not(None)
    if status == "waiting":
        return and_(live, Application.job_state.in_((JOB_PENDING, JOB_IN_FLIGHT)))
    if status == "failed":
        return and_(live, Application.job_state == JOB_GAVE_UP)
    done = and_(live, Application.job_state == JOB_DONE)
    rejections = [decision.value for decision in Decision if decision.is_rejection]
    if status == "rejected":
        return and_(done, Application.decision.in_(rejections))
    if status == "review":
        return and_(done, Application.decision == Decision.RECRUITER_ACTION.value)
    proceeding = and_(
        done, Application.decision.not_in([*rejections, Decision.RECRUITER_ACTION.value])
    )
    completed = func.coalesce(Application.interview_status, "").like("completed%")
    if status == "finished":
        return and_(proceeding, completed)
    return and_(proceeding, not_(completed))


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _filtered(filters: ApplicationFilters) -> Any:
    query = select(Application)
    if filters.position_id is not None:
        query = query.where(Application.position_id == filters.position_id)
    if filters.status in STATUS_LABELS:
        query = query.where(_status_condition(filters.status))
    if filters.date_from is not None:
        query = query.where(
            Application.created_at >= datetime.combine(filters.date_from, time.min, UTC)
        )
    if (
        filters.date_to is not None and filters.date_to < date.max
    ):  # the last day has no day after: no bound
        end = datetime.combine(filters.date_to + timedelta(days=1), time.min, UTC)
        query = query.where(Application.created_at < end)
    for word in filters.q.split()[:8]:
        pattern = f"%{_escape_like(word.lower())}%"
        query = query.where(
            or_(
                func.lower(Application.full_name).like(pattern, escape="\\"),
                func.lower(Application.email).like(pattern, escape="\\"),
            )
        )
    return query


def position_choices() -> list[tuple[int, str]]:
    """Every position's id and a label telling apart positions of one title, for the filter."""
    query = select(Position.id, Position.title, Position.location, Position.state).order_by(
        Position.title, Position.id
    )
    return [
        (pid, f"{title} — {location}" + ("" if state == "open" else f" ({state})"))
        for pid, title, location, state in db.session.execute(query).tuples()
    ]


def search_applications(filters: ApplicationFilters, page: int = 1) -> ApplicationPage:
    """One page (50 a page, newest first) of the applications matching ``filters``.

    A page number beyond the last shows the last page.
    """
    query = _filtered(filters).order_by(Application.created_at.desc(), Application.id.desc())
    pagination = db.paginate(query, page=max(1, page), per_page=PER_PAGE, error_out=False)
    if pagination.page > 1 and pagination.page > pagination.pages:
        pagination = db.paginate(
            query, page=max(1, pagination.pages), per_page=PER_PAGE, error_out=False
        )
    return ApplicationPage([ApplicationRow(a, status_of(a)) for a in pagination.items], pagination)


def safe_cell(value: object) -> str:
    """A CSV cell a spreadsheet shows as text: a leading formula character gets a quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _utc(moment: datetime | None) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC") if moment else ""


EXPORT_HEADER = (
    "Received (UTC)",
    "Position",
    "Position code",
    "Name",
    "E-mail",
    "Country",
    "Status",
    "Decision",
    "Reason",
    "Interview status",
    "Score",
    "Erased (UTC)",
    "UTM source",
    "UTM medium",
    "UTM campaign",
    "Referring site",
)


def _export_row(application: Application) -> list[object]:
    return [
        _utc(application.created_at),
        application.position.title,
        application.position.external_id,
        application.full_name,
        application.email,
        application.country_code,
        STATUS_LABELS[status_of(application)],
        application.decision,
        application.reason,
        application.interview_status,
        application.score,
        _utc(application.erased_at),
        application.utm_source,
        application.utm_medium,
        application.utm_campaign,
        application.referrer_host,
    ]


def export_csv(filters: ApplicationFilters) -> str:
    """Every application matching ``filters`` as CSV text, with a BOM so spreadsheets read UTF-8."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_HEADER)
    query = _filtered(filters).order_by(Application.created_at.desc(), Application.id.desc())
    for application in db.session.scalars(query):
        writer.writerow([safe_cell(value) for value in _export_row(application)])
    return buffer.getvalue()


def _deliveries(application: Application) -> list[WebhookDelivery]:
    conditions = [WebhookDelivery.application_id == application.id]
    if application.profile_interview_id:
        conditions.append(WebhookDelivery.profile_interview_id == application.profile_interview_id)
    news = db.session.scalars(
        select(WebhookDelivery).where(or_(*conditions)).order_by(WebhookDelivery.id)
    )
    # After another attempt, the analysis and report of the replaced one are not this attempt's.
    return [delivery for delivery in news if attempts.about_current_attempt(application, delivery)]


def _latest_text(deliveries: Iterable[WebhookDelivery], *names: str) -> str | None:
    for delivery in reversed(list(deliveries)):
        for name in names:
            value = delivery.payload.get(name)
            if isinstance(value, str) and value.strip():
                return value
    return None


def application_detail(application: Application) -> ApplicationDetail:
    """What the detail page shows: status, readable decision, the platform's latest analysis."""
    deliveries = _deliveries(application)
    report = _latest_text(deliveries, "pdf_export_url")
    status = status_of(application)
    return ApplicationDetail(
        application=application,
        status=status,
        decision_label=DECISION_LABELS.get(application.decision or ""),
        analysis=_latest_text(deliveries, "ai_analysis_recruiter", "ai_analysis"),
        report_url=report if report and report.startswith(("https://", "http://")) else None,
        requeueable=status == "failed",
    )


def requeue_application(application: Application) -> None:
    """Send a failed application to the platform again."""
    if status_of(application) != "failed":
        raise ApplicationActionRefused("Only a failed application can be re-queued.")
    requeue(application)
    db.session.commit()


def _redact(text: str | None, needles: list[str]) -> str | None:
    if not text:
        return text
    for needle in needles:
        text = re.sub(re.escape(needle), ERASED_TEXT, text, flags=re.IGNORECASE)
    return text


def erase_application(application: Application) -> None:
    """Erase the candidate's personal data; an anonymous record stays for statistics.

    Position, dates, decision and score stay. Name, e-mail, résumé and LinkedIn are blanked, the
    embed signing key and the interview link are dropped, and the personal fields of the stored
    webhook payloads are blanked. An application not yet sent is withdrawn from the queue; one
    being sent right now cannot be erased until the call ends.
    """
    if application.erased_at is not None:
        return
    if application.job_state == JOB_PENDING:
        db.session.execute(
            update(Application)
            .where(Application.id == application.id, Application.job_state == JOB_PENDING)
            .values(job_state=JOB_GAVE_UP, last_error="Erased before it was sent to the platform")
            .execution_options(synchronize_session=False)
        )
        db.session.refresh(application)  # withdrawn now, unless a worker claimed it meanwhile
    if application.job_state == JOB_IN_FLIGHT:
        raise ApplicationActionRefused(
            "The interview platform is being called for this application right now. Try again in a minute."
        )
    needles = [
        text
        for text in (application.full_name.strip(), application.email.strip())
        if len(text) >= 3
    ]
    application.full_name = ""
    application.email = ""
    application.email_normalized = (
        f"erased:{application.public_id}"  # keeps (position, e-mail) unique
    )
    application.resume_text = ""
    application.resume_filename = None
    application.linkedin_url = None
    application.embed_signing_key_encrypted = None
    application.interview_url = None
    application.reason = _redact(application.reason, needles)
    application.last_error = _redact(application.last_error, needles)
    for event in application.events:
        event.detail = _redact(event.detail, needles) or ""
    for delivery in _deliveries(application):
        delivery.payload = scrub_personal_fields(delivery.payload)
    purge_for_application(application.id)  # unsent mail cancelled, every address blanked
    # What a candidate asked to be adjusted may speak of their health: nothing of it stays.
    application.accommodation_requests.clear()  # type: ignore[attr-defined]
    application.erased_at = utcnow()
    application.events.append(
        ApplicationEvent(kind="erased", detail="Personal data erased on request")
    )
    db.session.commit()
    results.forget(application.id)  # the platform's transcript, cached for recruiters
