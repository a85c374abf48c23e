"""The webhook receiver: authenticated by a secret header, idempotent, tolerant of strangers."""

from __future__ import annotations

import json
import logging

import pytest
from flask import Flask

from tests.conftest import WEBHOOK_SECRET
from tests.helpers import seed
from webapp.extensions import db
from webapp.models import Application, Position, WebhookDelivery

URL = "/webhooks/jobmojito"


@pytest.fixture
def interview(app: Flask) -> str:
    """An application whose interview the platform knows as ``pi-1``."""
    seed(app)
    with app.app_context():
        position = db.session.scalar(db.select(Position).limit(1))
        db.session.add(
            Application(
                position=position,
                full_name="Ana",
                email="ana@example.com",
                email_normalized="ana@example.com",
                country_code="HR",
                resume_text="x" * 200,
                job_state="done",
                decision="ai_accept",
                profile_interview_id="pi-1",
            )
        )
        db.session.commit()
    return "pi-1"


def post(client, payload: object, secret: str | None = WEBHOOK_SECRET):
    headers = {"X-Webhook-Secret": secret} if secret is not None else {}
    return client.post(
        URL, data=json.dumps(payload), headers=headers, content_type="application/json"
    )


def stored(app: Flask) -> Application:
    with app.app_context():
        row = db.session.scalar(
            db.select(Application).where(Application.profile_interview_id == "pi-1")
        )
        db.session.expunge(row)
        return row


RESULT = {
    "event": "interview_result",
    "id": "r1",
    "profile_interview_id": "pi-1",
    "status": "active",
    "interview_status": "completed",
    "processing_status": "completed",
    "score": 7.4,
}


@pytest.mark.parametrize("secret", [None, "", "wrong", WEBHOOK_SECRET + "x"])
def test_a_delivery_without_the_right_secret_is_refused(
    app: Flask, client, interview: str, secret: str | None
) -> None:
    response = post(client, RESULT, secret)
    assert response.status_code == 401
    assert stored(app).score is None


def test_a_result_is_recorded_with_its_score(app: Flask, client, interview: str) -> None:
    response = post(client, RESULT)
    assert response.status_code == 200 and response.json["result"] == "recorded"
    row = stored(app)
    assert (
        row.score == 7.4 and row.interview_status == "completed" and row.result_status == "active"
    )


def test_a_repeated_delivery_changes_nothing(app: Flask, client, interview: str) -> None:
    assert post(client, RESULT).json["result"] == "recorded"
    assert post(client, RESULT).json["result"] == "duplicate"
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(WebhookDelivery.id))) == 1


def test_a_re_sent_result_with_a_new_score_updates_it(app: Flask, client, interview: str) -> None:
    post(client, RESULT)
    post(client, {**RESULT, "score": 8.1, "reason": "score"})
    assert stored(app).score == 8.1


@pytest.mark.parametrize(
    ("payload", "event"),
    [
        (
            {"profile_interview_id": "pi-1", "status": "draft", "interview_status": "completed"},
            "interview_collected",
        ),
        (
            {"profile_interview_id": "pi-1", "status": "draft", "interview_status": "abandoned"},
            "interview_failed",
        ),
        (
            {
                "profile_interview_id": "pi-1",
                "status": "active",
                "interview_status": "completed",
                "score": "6.5",
            },
            "interview_result",
        ),
    ],
)
def test_the_event_is_read_off_the_statuses_when_not_named(
    client, interview: str, payload: dict, event: str
) -> None:
    assert post(client, payload).json["event"] == event


def test_an_unknown_interview_is_acknowledged_and_logged(
    client, app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        response = post(client, {**RESULT, "profile_interview_id": "nobody"})
    assert response.status_code == 200 and response.json["result"] == "unknown"
    assert "unknown profile_interview_id nobody" in caplog.text


@pytest.mark.parametrize("body", ["not json", "[1, 2]", json.dumps({"status": "weird"}), ""])
def test_a_malformed_body_is_a_400_not_a_500(client, interview: str, body: str) -> None:
    response = client.post(
        URL,
        data=body,
        headers={"X-Webhook-Secret": WEBHOOK_SECRET},
        content_type="application/json",
    )
    assert response.status_code == 400


def test_a_delivery_after_erasure_keeps_no_personal_data(
    app: Flask, client, interview: str
) -> None:
    from webapp.models import utcnow

    with app.app_context():
        row = db.session.scalar(
            db.select(Application).where(Application.profile_interview_id == "pi-1")
        )
        row.erased_at = utcnow()
        db.session.commit()
    post(
        client,
        {
            **RESULT,
            "candidate_name": "Ana Horvat",
            "candidate_email": "ana@example.com",
            "score": 6.0,
        },
    )
    with app.app_context():
        stored_payload = db.session.scalar(db.select(WebhookDelivery.payload))
    assert stored_payload["candidate_name"] is None and stored_payload["candidate_email"] is None
    assert stored_payload["score"] == 6.0  # the anonymous result still counts


def test_a_late_delivery_never_takes_a_finished_interview_back(
    app: Flask, client, interview: str
) -> None:
    post(client, RESULT)
    late = {
        "event": "interview_collected",
        "profile_interview_id": "pi-1",
        "status": "draft",
        "interview_status": "ongoing",
        "processing_status": "processing",
    }
    assert post(client, late).json["result"] == "recorded"
    row = stored(app)
    assert (
        row.interview_status == "completed" and row.result_status == "active" and row.score == 7.4
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"[" * 100_000, "nests too deeply"),
        (b'{"a":' * 33 + b"{}" + b"}" * 33, "nests too deeply"),
        (
            b'{"profile_interview_id": "x", "status": "active", "pad": "'
            + b"x" * 1_100_000
            + b'"}',
            "too large",
        ),
        (b'{"profile_interview_id": "\xff\xfe", "status": "active"}', "not valid JSON"),
        (b'{"status": ', "not valid JSON"),
    ],
)
def test_an_unreadable_webhook_body_is_a_400_with_a_reason(
    app: Flask, client, body: bytes, message: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR)
    response = client.post(
        "/webhooks/jobmojito",
        data=body,
        headers={"X-Webhook-Secret": WEBHOOK_SECRET, "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert message in response.get_json()["error"]
    assert not caplog.records
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(WebhookDelivery.id))) == 0


def test_a_webhook_nesting_a_few_levels_is_still_read(app: Flask, client) -> None:
    body = {"profile_interview_id": "nobody", "status": "active", "extra": [[[{"a": [1]}]]]}
    response = client.post(
        "/webhooks/jobmojito",
        data=json.dumps(body),
        headers={"X-Webhook-Secret": WEBHOOK_SECRET},
    )
    assert response.status_code == 200


def test_a_re_serialised_replay_adds_nothing(app: Flask, client, interview: str) -> None:
    assert post(client, RESULT).json["result"] == "recorded"
    # The same update, serialised another way: keys reordered, other spacing, 7.40 for 7.4.
    body = (
        '{ "score" : 7.40,\n "processing_status":"completed", '
        + json.dumps(
            {k: v for k, v in reversed(RESULT.items()) if k not in ("score", "processing_status")},
            indent=3,
        )[1:]
    )
    response = client.post(
        URL, data=body, headers={"X-Webhook-Secret": WEBHOOK_SECRET}, content_type="text/plain"
    )
    assert response.status_code == 200 and response.json["result"] == "duplicate"
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(WebhookDelivery.id))) == 1
        application = db.session.scalar(db.select(Application))
        assert [e.kind for e in application.events] == ["interview_result"]


def test_the_same_result_with_a_changed_score_lands_and_its_replay_does_not(
    app: Flask, client, interview: str
) -> None:
    assert post(client, RESULT).json["result"] == "recorded"
    changed = {**RESULT, "score": 8.1, "reason": "score"}
    assert post(client, changed).json["result"] == "recorded"
    assert post(client, {**changed, "reason": "score, again"}).json["result"] == "duplicate"
    assert stored(app).score == 8.1
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(WebhookDelivery.id))) == 2


def test_a_late_collected_after_the_result_downgrades_nothing(
    app: Flask, client, interview: str
) -> None:
    post(client, RESULT)
    late = {
        "event": "interview_collected",
        "id": "r1",
        "profile_interview_id": "pi-1",
        "status": "draft",
        "interview_status": "completed",
        "processing_status": "processing",
        "score": None,
    }
    assert post(client, late).json["result"] == "recorded"
    row = stored(app)
    assert (row.interview_status, row.result_status, row.score) == ("completed", "active", 7.4)
    with app.app_context():
        from webapp.services.applications import candidate_status

        application = db.session.scalar(db.select(Application))
        assert candidate_status(application).stage == "finished"


def test_a_webhook_resolves_the_silent_webhooks_alert(app: Flask, client, interview: str) -> None:
    from webapp.models import SystemAlert
    from webapp.services import alerts
    from webapp.services.interview_updates import WEBHOOKS_SILENT

    with app.app_context():
        alerts.raise_alert(WEBHOOKS_SILENT, "Webhooks look misconfigured")
        db.session.commit()
    assert post(client, RESULT).status_code == 200
    with app.app_context():
        alert = db.session.scalar(db.select(SystemAlert).where(SystemAlert.key == WEBHOOKS_SILENT))
        assert alert is not None and alert.resolved_at is not None
    assert post(client, RESULT, secret="wrong").status_code == 401  # and only an authentic one
