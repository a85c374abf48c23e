"""Result checks: asking the platform's results list what no webhook told us.

Two kinds of application are checked, each on a schedule that backs off and stops after
``RESULT_POLL_GIVE_UP_AFTER``: one awaiting a recruiter (``recruiter_action``), until the
recruiter's verdict is known; and one whose interview opened but has heard no webhook for
``WEBHOOK_SILENCE_SECONDS``, until the interview is scored or failed. What a check finds goes
through ``interview_updates.apply_update``, exactly as a webhook would: never a second create call.
Each check runs as a background job (``webapp.services.jobs``) that reschedules itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.exc import IntegrityError

from webapp.extensions import db
from webapp.jobmojito.client import JobMojitoClient, ResultListQuery, UpstreamError
from webapp.jobmojito.contract import Decision, ResultRow, ReviewVerdict, recruiter_verdict
from webapp.models import Application, ApplicationEvent, WebhookDelivery, utcnow
from webapp.models.applications import JOB_DONE
from webapp.models.checks import (
    CHECK_DONE,
    CHECK_GAVE_UP,
    CHECK_IN_FLIGHT,
    CHECK_INTERVIEW,
    CHECK_PENDING,
    CHECK_REVIEW,
    ResultCheck,
)
from webapp.services import alerts, jobs
from webapp.services.interview_updates import (
    REVIEW_ACCEPTED,
    REVIEW_REJECTED,
    WEBHOOKS_SILENT,
    InterviewUpdate,
    apply_update,
    platform_time,
)
from webapp.services.outages import platform_answered
from webapp.services.platform_calls import describe, raise_auth_alert

KIND = "result_check"

_OPEN_DECISIONS = (
    Decision.AI_ACCEPT.value,
    Decision.RECRUITER_ACCEPT.value,
    Decision.ALREADY_APPLIED.value,
)
_FAILED_PROCESSING = ("failed", "error")
SILENT_MESSAGE = (
    "Interviews finished on JobMojito but no webhook told us: check the webhook address, its "
    "events and the secret header in JobMojito's settings. Results are being fetched meanwhile."
)


@dataclass(frozen=True)
class CheckPolicy:
    """When to check: the schedule (its last step repeats), when to stop, the silence, the lease."""

    schedule: tuple[float, ...] = (60, 120, 300, 600, 1800, 3600)
    give_up_after: float = 14 * 86400
    silence_seconds: float = 3600
    lease_seconds: float = 60

    def delay(self, checks_made: int) -> float:
        """Seconds until the next check, after ``checks_made`` checks."""
        return self.schedule[min(checks_made, len(self.schedule) - 1)]


def schedule_checks(policy: CheckPolicy, now: datetime | None = None) -> int:
    """Create the checks that are due to exist; how many were created (commits)."""
    now = now or utcnow()
    silent_since = now - timedelta(seconds=policy.silence_seconds)
    unchecked = ~exists().where(ResultCheck.application_id == Application.id)
    heard = exists().where(
        WebhookDelivery.application_id == Application.id,
        WebhookDelivery.source == "webhook",
        WebhookDelivery.received_at > silent_since,
    )
    # NULLs coalesced: SQL's three-valued logic would otherwise leave unheard-of interviews out.
    result_status = func.coalesce(Application.result_status, "")
    interview_status = func.coalesce(Application.interview_status, "ongoing")
    settled = or_(
        result_status.in_(("active", "archived")),
        and_(
            ~interview_status.startswith("completed"),
            ~interview_status.startswith("ongoing"),
        ),
    )
    review = Application.decision == Decision.RECRUITER_ACTION.value
    quiet = and_(
        Application.decision.in_(_OPEN_DECISIONS),
        Application.decided_at <= silent_since,
        ~settled,
        ~heard,
    )
    rows = db.session.execute(
        select(Application.id, review.label("review"))
        .where(
            Application.job_state == JOB_DONE,
            Application.erased_at.is_(None),
            Application.profile_interview_id.is_not(None),
            or_(review, quiet),
            unchecked,
        )
        .limit(50)
    ).all()
    created = 0
    for application_id, is_review in rows:
        reason = CHECK_REVIEW if is_review else CHECK_INTERVIEW
        first = now + timedelta(seconds=policy.delay(0) if is_review else 0)
        check = ResultCheck(application_id=application_id, reason=reason, started_at=now)
        db.session.add(check)
        try:
            db.session.flush()
            jobs.schedule(KIND, check.id, run_at=first)
            db.session.commit()
            created += 1
        except IntegrityError:
            db.session.rollback()  # another worker created it a moment ago
    return created


def updates_from_row(row: ResultRow, reason: str) -> list[InterviewUpdate]:
    """What a results row tells, as updates: a recruiter's verdict, then the interview's state.

    Each carries the row's ``updated_at``, which tells news of an earlier attempt from this one.
    """
    result_id = row.interview_result_id or row.id
    found: list[InterviewUpdate] = []
    payload = row.model_dump(mode="json")
    occurred_at = platform_time(row.updated_at)

    def news(event: str, **values: Any) -> None:
        found.append(
            InterviewUpdate(
                event=event,
                profile_interview_id=row.profile_interview_id,
                result_id=result_id,
                source="check",
                payload=payload,
                occurred_at=occurred_at,
                **values,
            )
        )

    if reason == CHECK_REVIEW:
        verdict = recruiter_verdict(row.decision_status)
        if verdict is ReviewVerdict.ACCEPTED:
            news(REVIEW_ACCEPTED)
        elif verdict is ReviewVerdict.REJECTED:
            news(REVIEW_REJECTED)
    status = row.status.value if row.status is not None else None
    processing = (row.processing_status or "").lower()
    if processing in _FAILED_PROCESSING:
        news("interview_failed", interview_status="failed", result_status=status)
    elif status in ("active", "archived") and (processing == "completed" or row.score is not None):
        news(
            "interview_result",
            interview_status="completed",
            result_status=status,
            score=row.score,
        )
    elif status == "draft" and row.interview_started and processing in ("processing", "completed"):
        news("interview_collected", interview_status="completed", result_status="draft")
    return found


def process_check(job: jobs.Claimed, client: JobMojitoClient, policy: CheckPolicy) -> jobs.Outcome:
    """Make one claimed check; when the next one runs, if ever. A failed call pauses the platform."""
    check = db.session.get(ResultCheck, job.subject_id)
    if check is None or check.state not in (CHECK_PENDING, CHECK_IN_FLIGHT):
        return jobs.done()
    application = db.session.get(Application, check.application_id)
    if application is None or not application.profile_interview_id or application.erased_at:
        return _settle(check, CHECK_DONE)
    check.state = CHECK_IN_FLIGHT
    query = ResultListQuery(profile_interview_id=application.profile_interview_id, limit=10)
    try:
        page = client.list_results(query)
    except UpstreamError as exc:
        check.state = CHECK_PENDING
        check.last_error = f"HTTP {exc.status}" if exc.status else exc.kind
        alert = None
        if exc.is_auth_problem:
            raise_auth_alert()
            alert = "upstream_auth"
        return jobs.retry_after(policy.delay(0), describe(exc), outage="platform", alert=alert)
    alerts.resolve("upstream_auth")  # the token works
    platform_answered()
    pid = application.profile_interview_id
    rows = [row for row in page.results if row.profile_interview_id == pid]
    interview_news = False
    for row in rows[:1]:
        for news in updates_from_row(row, check.reason):
            outcome = apply_update(news)
            interview_news |= outcome.result == "recorded" and news.event.startswith("interview_")
    application = db.session.get(Application, check.application_id)
    assert application is not None
    db.session.refresh(application)
    if interview_news and not _heard_webhook(application.id):
        alerts.raise_alert(WEBHOOKS_SILENT, SILENT_MESSAGE)
    return _schedule_next(check, application, policy)


def _heard_webhook(application_id: int) -> bool:
    return bool(
        db.session.scalar(
            select(WebhookDelivery.id)
            .where(
                WebhookDelivery.application_id == application_id,
                WebhookDelivery.source == "webhook",
            )
            .limit(1)
        )
    )


def _settle(check: ResultCheck, state: str) -> jobs.Outcome:
    check.state = state
    check.last_checked_at = utcnow()
    return jobs.done() if state == CHECK_DONE else jobs.give_up("stopped asking")


def _again(check: ResultCheck, delay: float) -> jobs.Outcome:
    check.state = CHECK_PENDING
    check.last_checked_at = utcnow()
    return jobs.retry_after(delay)


def _schedule_next(
    check: ResultCheck, application: Application, policy: CheckPolicy
) -> jobs.Outcome:
    now = utcnow()
    check.last_error = None
    decision = application.decision
    if decision is not None and Decision(decision).is_rejection:
        return _settle(check, CHECK_DONE)
    if check.reason == CHECK_REVIEW and decision != Decision.RECRUITER_ACTION.value:
        # Accepted: from now on, watch the interview as any other once webhooks go quiet.
        check.reason, check.checks, check.started_at = CHECK_INTERVIEW, 0, now
        return _again(check, policy.silence_seconds)
    failed = application.interview_status is not None and not (
        application.interview_status.startswith(("completed", "ongoing"))
    )
    if application.result_status in ("active", "archived") or failed:
        return _settle(check, CHECK_DONE)
    check.checks += 1
    if now - check.started_at >= timedelta(seconds=policy.give_up_after):
        application.events.append(
            ApplicationEvent(
                kind="checks_stopped", detail="Stopped asking the platform for this result"
            )
        )
        return _settle(check, CHECK_GAVE_UP)
    return _again(check, policy.delay(check.checks))
