"""News about numbered attempts: what finishes the current attempt and what is kept as stale.

The updates go through ``apply_update`` exactly as webhooks and result checks send them, on a real
migrated database; the journey over HTTP is in ``test_another_attempt.py``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from flask import Flask

from tests.admin_fixtures import make_application, make_position
from webapp.extensions import db
from webapp.jobmojito.contract import ResultRow
from webapp.models import Application, ApplicationEvent, utcnow
from webapp.services import attempts, jobs
from webapp.services.interview_updates import InterviewUpdate, apply_update, platform_time
from webapp.services.reconcile import updates_from_row
from webapp.services.webhooks import update_from_webhook

PID = "pi-attempts-1"
OLD, NEW = "result-attempt-1", "result-attempt-2"


@pytest.fixture
def granted(app: Flask) -> tuple[int, datetime]:
    """An application whose submitted attempt 1 (result OLD) was given a second attempt."""
    position_id = make_position(app, slug="courier", title="Courier")
    application_id = make_application(
        app,
        position_id,
        profile_interview_id=PID,
        interview_status="completed",
        result_status="active",
        score=6.5,
    )
    with app.app_context():
        application = db.session.get(Application, application_id)
        assert application is not None
        application.attempt_request_result_id = OLD
        attempts.grant(application)
        db.session.commit()
        granted_at = application.attempt_granted_at
        assert granted_at is not None
        db.session.remove()
    return application_id, granted_at


def scored(result_id: str | None, score: float = 9.0, **values: object) -> InterviewUpdate:
    return InterviewUpdate(
        event="interview_result",
        profile_interview_id=PID,
        result_id=result_id,
        interview_status="completed",
        result_status="active",
        score=score,
        **values,  # type: ignore[arg-type]
    )


def state(app: Flask, application_id: int) -> tuple[object, ...]:
    with app.app_context():
        application = db.session.get(Application, application_id)
        assert application is not None
        values = (application.interview_status, application.result_status, application.score)
        db.session.remove()
        return values


def test_a_grant_numbers_the_attempt_and_opens_the_interview(
    app: Flask, granted: tuple[int, datetime]
) -> None:
    application_id, _ = granted
    with app.app_context():
        application = db.session.get(Application, application_id)
        assert application is not None
        assert application.interview_attempt == 2
        assert application.retired_result_ids == [OLD]
        assert application.attempt_request_state == attempts.GRANTED
        assert attempts.awaiting_result(application)
        assert not attempts.can_offer(application)
        db.session.remove()
    assert state(app, application_id) == (None, None, None)


@pytest.mark.parametrize(
    ("result_id", "offset", "outcome"),
    [
        (OLD, None, "stale"),  # the earlier attempt's result, undated: a late redelivery
        (OLD, -60, "stale"),  # the earlier attempt's result, dated before the grant
        (None, -60, "stale"),  # no result id, dated before the grant
        (OLD, 60, "recorded"),  # the same result id dated after the grant: the platform kept it
        (NEW, None, "recorded"),  # the new attempt's own result
        (
            NEW,
            -60,
            "recorded",
        ),  # a result id we never retired is this attempt's, whatever the clock
        (None, None, "recorded"),  # nothing tells it apart: applied, as before attempts existed
    ],
)
def test_news_of_an_earlier_attempt_is_kept_and_never_applied(
    app: Flask,
    granted: tuple[int, datetime],
    result_id: str | None,
    offset: int | None,
    outcome: str,
) -> None:
    application_id, granted_at = granted
    when = granted_at + timedelta(seconds=offset) if offset is not None else None
    with app.app_context():
        result = apply_update(scored(result_id, occurred_at=when))
        db.session.remove()
    assert result.result == outcome
    if outcome == "stale":
        assert state(app, application_id) == (None, None, None)
        with app.app_context():
            kinds = db.session.scalars(
                db.select(ApplicationEvent.kind).where(
                    ApplicationEvent.application_id == application_id
                )
            ).all()
            db.session.remove()
        assert "stale_update" in kinds
    else:
        assert state(app, application_id) == ("completed", "active", 9.0)


def test_the_same_score_for_a_new_attempt_is_news_not_a_repeat(app: Flask) -> None:
    """With a result id the platform keeps across attempts, attempt 2's equal score still lands."""
    position_id = make_position(app, slug="courier", title="Courier")
    application_id = make_application(app, position_id, profile_interview_id=PID)
    with app.app_context():
        assert apply_update(scored(OLD, 6.5)).result == "recorded"  # attempt 1
        application = db.session.get(Application, application_id)
        assert application is not None
        application.attempt_request_result_id = OLD
        attempts.grant(application)
        db.session.commit()
        later = utcnow() + timedelta(seconds=30)
        assert apply_update(scored(OLD, 6.5, occurred_at=later)).result == "recorded"
        assert apply_update(scored(OLD, 6.5, occurred_at=later)).result == "duplicate"
        db.session.remove()
    assert state(app, application_id) == ("completed", "active", 6.5)


def test_a_stale_webhook_and_a_stale_results_row_are_told_apart(
    app: Flask, granted: tuple[int, datetime]
) -> None:
    _, granted_at = granted
    webhook = update_from_webhook(
        {"event": "interview_result", "id": OLD, "profile_interview_id": PID, "status": "active"}
    )
    assert webhook.occurred_at is None and webhook.result_id == OLD
    before = (granted_at - timedelta(minutes=5)).isoformat().replace("+00:00", "Z")
    row = ResultRow.model_validate(
        {
            "id": NEW,
            "profile_interview_id": PID,
            "status": "active",
            "processing_status": "completed",
            "score": 7.0,
            "updated_at": before,
        }
    )
    (news,) = updates_from_row(row, "interview")
    assert news.occurred_at == platform_time(before)
    with app.app_context():
        assert apply_update(webhook).result == "stale"
        assert apply_update(news).result == "recorded"  # a new result id: this attempt's
        db.session.remove()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-12-01T20:00:00.000Z", datetime.fromisoformat("2026-12-01T20:00:00+00:00")),
        ("2026-12-01T20:00:00", datetime.fromisoformat("2026-12-01T20:00:00+00:00")),
        ("2026-12-01T22:00:00+02:00", datetime.fromisoformat("2026-12-01T20:00:00+00:00")),
        ("yesterday", None),
        ("", None),
        (1733083200, None),
        (None, None),
    ],
)
def test_the_platforms_times_are_read_or_left_unsaid(value: object, expected: object) -> None:
    assert platform_time(value) == expected


def test_an_unsubmitted_result_cannot_be_asked_for(app: Flask) -> None:
    position_id = make_position(app, slug="porter", title="Porter")
    application_id = make_application(app, position_id, profile_interview_id="pi-open")
    with app.app_context():
        application = db.session.get(Application, application_id)
        assert application is not None
        with pytest.raises(attempts.AttemptRefused):
            attempts.request_another_attempt(application, "some-result", "r@example.com")
        assert application.attempt_request_state is None
        assert jobs.active(attempts.KIND, application_id) is None
        db.session.remove()
