"""The sandbox announces finished and abandoned interviews by webhook: in order, authenticated,
and retried until the receiver accepts (at least once)."""

# ruff: noqa: F811  (a test's parameter names the fixture imported below)

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pypdf
import pytest
from sandbox_fixtures import (  # noqa: F401  (fixtures, requested by parameter name)
    RunningSandbox,
    WebhookReceiver,
    page_data,
    receiver_factory,
    sandbox,
    sandbox_factory,
)

from webapp.jobmojito.sandbox.decisions import score_for

SECRET = "whsec-test-6d1e"
EMAIL = "ana@example.com"


def _open_interview(running: RunningSandbox, email: str = EMAIL) -> tuple[dict[str, Any], str]:
    """Apply, open the signed embed page, and return the answer and the page's HTML."""
    created = running.create(candidate_email=email).json()
    page = running.anonymous.get(running.embed_url(created, "Ana Horvat", email))
    assert page.status_code == 200
    return created, page.text


def _press(running: RunningSandbox, page: str, action: str, answers: list[str]) -> Any:
    """Post to the URL the page's script posts to, with the body it sends."""
    url = page_data(page, f"data-{action}-url")
    return running.anonymous.post(url, json={"answers": answers})


def test_submit_delivers_collected_then_result_retrying_failures(
    sandbox_factory: Callable[..., RunningSandbox], receiver_factory: Callable[..., WebhookReceiver]
) -> None:
    receiver = receiver_factory(fail_first=2)
    running = sandbox_factory(webhook_url=receiver.url, webhook_secret=SECRET)
    created, page = _open_interview(running)

    answer = _press(running, page, "submit", ["I make coffee.", "A new menu.", "Latte art."])
    assert answer.status_code == 200
    collected, result = receiver.wait_for_accepted(2)

    assert [(d.body["event"], d.answered) for d in receiver.deliveries] == [
        ("interview_collected", 500),
        ("interview_collected", 500),
        ("interview_collected", 204),
        ("interview_result", 204),
    ]
    assert all(d.headers["X-Webhook-Secret"] == SECRET for d in receiver.deliveries)
    assert all(d.headers["Content-Type"] == "application/json" for d in receiver.deliveries)
    for body in (collected, result):
        assert body["profile_interview_id"] == created["profile_interview_id"]
        assert body["interview_id"] == created["interview_def_set_id"]
        assert (body["candidate_email"], body["candidate_name"]) == (EMAIL, "Ana Horvat")
    assert collected["id"] == result["id"]
    assert (collected["status"], collected["interview_status"], collected["processing_status"]) == (
        "draft",
        "completed",
        "processing",
    )
    assert collected["score"] is None
    assert (result["status"], result["interview_status"], result["processing_status"]) == (
        "active",
        "completed",
        "completed",
    )
    assert result["score"] == score_for(EMAIL) and 3.0 <= result["score"] <= 9.9
    assert result["ai_analysis"]
    assert result["recruiter_go_next_round"] is None and result["ai_analysis_recruiter"] is None

    running.server.sandbox.webhooks.join(timeout=5)
    log = [(d["event"], d["attempt"], d["status"]) for d in running.calls()["webhook_deliveries"]]
    assert log == [
        ("interview_collected", 1, 500),
        ("interview_collected", 2, 500),
        ("interview_collected", 3, 204),
        ("interview_result", 1, 204),
    ]


def test_abandon_delivers_interview_failed(
    sandbox_factory: Callable[..., RunningSandbox], receiver_factory: Callable[..., WebhookReceiver]
) -> None:
    receiver = receiver_factory()
    running = sandbox_factory(
        webhook_url=receiver.url, webhook_secret=SECRET, webhook_header="X-Careerframe-Hook"
    )
    created, page = _open_interview(running)

    assert _press(running, page, "abandon", ["", "", ""]).status_code == 200
    (failed,) = receiver.wait_for_accepted(1)
    assert failed["event"] == "interview_failed"
    assert failed["interview_status"] == "abandoned"
    assert failed["profile_interview_id"] == created["profile_interview_id"]
    assert receiver.deliveries[0].headers["X-Careerframe-Hook"] == SECRET
    reopened = running.anonymous.get(running.embed_url(created, "Ana Horvat", EMAIL))
    assert "Interview ended" in reopened.text


def test_a_finished_interview_cannot_be_finished_again(
    sandbox_factory: Callable[..., RunningSandbox], receiver_factory: Callable[..., WebhookReceiver]
) -> None:
    receiver = receiver_factory()
    running = sandbox_factory(webhook_url=receiver.url, webhook_secret=SECRET)
    _, page = _open_interview(running)
    assert _press(running, page, "submit", ["a"]).status_code == 200
    assert _press(running, page, "submit", ["a"]).status_code == 409
    assert _press(running, page, "abandon", []).status_code == 409
    receiver.wait_for_accepted(2)
    running.server.sandbox.webhooks.join(timeout=5)
    assert len(receiver.deliveries) == 2


@pytest.mark.parametrize("email", ["ana+review@example.com", "ana+reject@example.com"])
def test_an_interview_that_is_not_open_cannot_be_submitted(
    sandbox: RunningSandbox, email: str
) -> None:
    created = sandbox.create(candidate_email=email).json()
    url = f"/interview/{created['profile_interview_id']}/submit"
    assert sandbox.anonymous.post(url, json={"answers": []}).status_code == 409


def test_a_receiver_that_times_out_is_tried_again(
    sandbox_factory: Callable[..., RunningSandbox], receiver_factory: Callable[..., WebhookReceiver]
) -> None:
    receiver = receiver_factory(stall_first=0.5)
    running = sandbox_factory(webhook_url=receiver.url, webhook_secret=SECRET, webhook_timeout=0.2)
    _, page = _open_interview(running)
    _press(running, page, "abandon", [])
    (failed,) = receiver.wait_for_accepted(1)
    assert failed["event"] == "interview_failed"
    running.server.sandbox.webhooks.join(timeout=5)
    attempts = running.calls()["webhook_deliveries"]
    assert [(d["attempt"], d["status"], d["error"]) for d in attempts] == [
        (1, None, "ReadTimeout"),
        (2, 204, None),
    ]


def test_an_unreachable_receiver_is_retried_until_the_schedule_ends(
    sandbox_factory: Callable[..., RunningSandbox], receiver_factory: Callable[..., WebhookReceiver]
) -> None:
    receiver = receiver_factory()
    dead_url = receiver.url.replace("/webhooks/", "/nowhere/").rsplit(":", 1)[0] + ":9/hook"
    running = sandbox_factory(webhook_url=dead_url, webhook_retry_delays=(0.01, 0.01))
    _, page = _open_interview(running)
    _press(running, page, "abandon", [])
    assert running.server.sandbox.webhooks.join(timeout=5)
    attempts = running.calls()["webhook_deliveries"]
    assert [(d["attempt"], d["status"]) for d in attempts] == [(1, None), (2, None), (3, None)]
    assert all(d["error"] == "ConnectError" for d in attempts)


def test_the_receiver_can_be_changed_while_running(
    sandbox: RunningSandbox, receiver_factory: Callable[..., WebhookReceiver]
) -> None:
    receiver = receiver_factory()
    settings = sandbox.http.post(
        "/_sandbox/config", json={"webhook_url": receiver.url, "webhook_secret": SECRET}
    ).json()
    assert settings["webhook_url"] == receiver.url and settings["webhook_secret_set"] is True
    assert SECRET not in str(settings)
    _, page = _open_interview(sandbox)
    _press(sandbox, page, "submit", ["x"])
    assert [b["event"] for b in receiver.wait_for_accepted(2)] == [
        "interview_collected",
        "interview_result",
    ]


def test_the_result_links_to_a_pdf_report(
    sandbox_factory: Callable[..., RunningSandbox], receiver_factory: Callable[..., WebhookReceiver]
) -> None:
    receiver = receiver_factory()
    running = sandbox_factory(webhook_url=receiver.url)
    _, page = _open_interview(running)
    _press(running, page, "submit", ["Flat whites, mostly."])
    _, result = receiver.wait_for_accepted(2)
    report = running.anonymous.get(result["pdf_export_url"])
    assert report.headers["content-type"] == "application/pdf"
    text = pypdf.PdfReader(io.BytesIO(report.content)).pages[0].extract_text()
    assert "Ana Horvat" in text and str(result["score"]) in text and "Flat whites" in text


def test_switched_off_webhooks_send_nothing_until_switched_on(
    sandbox_factory: Callable[..., RunningSandbox], receiver_factory: Callable[..., WebhookReceiver]
) -> None:
    receiver = receiver_factory()
    running = sandbox_factory(webhook_url=receiver.url, webhook_secret=SECRET)
    assert running.anonymous.post("/_sandbox/webhooks", json={"enabled": False}).status_code == 401
    for bad in ({}, {"enabled": "no"}, {"enabled": 0}, []):
        refused = running.http.post("/_sandbox/webhooks", json=bad)
        assert refused.status_code == 422 and refused.json()["name"] == "enabled"
    assert running.http.post("/_sandbox/webhooks", json={"enabled": False}).json() == {
        "enabled": False
    }
    assert running.http.get("/_sandbox/config").json()["webhooks_enabled"] is False

    _, page = _open_interview(running, "off@example.com")
    assert _press(running, page, "submit", ["quiet"]).status_code == 200
    running.server.sandbox.webhooks.join(timeout=5)
    assert receiver.deliveries == [] and running.calls()["webhook_deliveries"] == []

    assert running.http.post("/_sandbox/webhooks", json={"enabled": True}).json()["enabled"]
    _, page = _open_interview(running, "on@example.com")
    _press(running, page, "submit", ["loud"])
    bodies = receiver.wait_for_accepted(2)
    assert {b["candidate_email"] for b in bodies} == {"on@example.com"}
