"""Odd and hostile input gets a clear 4xx, never a 500, on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from tests.conftest import WEBHOOK_SECRET, Site, make_site
from tests.helpers import seed

PUBLIC_ODDITIES = [
    "/?q=%00",
    "/?location=a%00b",
    "/jobs/a%00b",
    "/jobs/a%00b/apply",
    "/applications/a%00b",
    "/?q=" + "x" * 5000,
    "/?country=%FF%FE",
    "/jobs/%E2%80%AE",
    "/?language=../../etc",
]


def form(**overrides: str) -> dict[str, str]:
    data = {
        "full_name": "Ana",
        "email": "ana@example.com",
        "country": "HR",
        "consent": "y",
        "website": "",
        "resume_text": "Barista and shift lead for five years in busy cafés; trained staff and ran ordering.",
    }
    data.update(overrides)
    return data


def check_public_oddities(client) -> None:
    for url in PUBLIC_ODDITIES:
        status = client.get(url).status_code
        assert 200 <= status < 500, (url, status)
    for overrides in (
        {"full_name": "A\x00na"},
        {"email": "a\x00@example.com"},
        {"linkedin_url": "http://[linkedin.com"},
        {"linkedin_url": "linkedin.com/in/" + "x" * 490},
        {"resume_text": "\x00" * 200},
    ):
        status = client.post(
            "/jobs/data-analyst-amsterdam/apply", data=form(**overrides)
        ).status_code
        assert status in (400, 422), (overrides, status)


def check_webhook_oddities(client) -> None:
    headers = {"X-Webhook-Secret": WEBHOOK_SECRET, "Content-Type": "application/json"}
    bodies = [
        {"profile_interview_id": "x\x00y", "status": "active", "interview_status": "completed"},
        {"profile_interview_id": "p" * 300, "status": "active"},
        {"profile_interview_id": 12345, "status": "active"},
        {"profile_interview_id": "abc", "status": "active", "score": 10**400},
    ]
    for body in bodies:
        status = client.post(
            "/webhooks/jobmojito", data=json.dumps(body), headers=headers
        ).status_code
        assert status in (200, 400), (body, status)
    raw = '{"profile_interview_id": "abc", "status": "active", "score": NaN, "ai_analysis": "ok\\u0000"}'
    assert client.post("/webhooks/jobmojito", data=raw, headers=headers).status_code == 200


def test_odd_input_on_sqlite(app: Flask, client) -> None:
    seed(app)
    check_public_oddities(client)
    check_webhook_oddities(client)


@pytest.fixture
def pg_site(tmp_path: Path, postgres_database: str) -> Iterator[Site]:
    yield from make_site(tmp_path, None, database_url=postgres_database)


@pytest.mark.postgres
def test_odd_input_on_postgresql(pg_site: Site) -> None:
    seed(pg_site.app)
    pg_site.app.config["WTF_CSRF_ENABLED"] = False
    client = pg_site.app.test_client()
    check_public_oddities(client)
    check_webhook_oddities(client)


def test_a_webhook_without_a_json_content_type_is_still_read(app: Flask, client) -> None:
    body = json.dumps(
        {"profile_interview_id": "nobody", "status": "active", "interview_status": "completed"}
    )
    response = client.post(
        "/webhooks/jobmojito",
        data=body,
        headers={"X-Webhook-Secret": WEBHOOK_SECRET, "Content-Type": "text/plain"},
    )
    assert response.status_code == 200


def test_a_forged_host_header_cannot_poison_the_cached_page(app: Flask, client) -> None:
    seed(app)
    app.config["PAGE_CACHE_SECONDS"] = 60
    client.get("/jobs/data-analyst-amsterdam", headers={"Host": "evil.example"})
    page = client.get("/jobs/data-analyst-amsterdam").get_data(as_text=True)
    assert "evil.example" not in page


def test_only_trusted_hosts_are_served_when_configured(app: Flask, client) -> None:
    app.config["TRUSTED_HOSTS"] = ["careers.example.com"]
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/", headers={"Host": "careers.example.com"}).status_code == 200


def test_a_secret_inside_an_exception_is_redacted_from_the_traceback(
    app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    from webapp.logs import RedactSecrets

    token = app.config["JOBMOJITO_API_TOKEN"]
    handler = logging.StreamHandler()
    handler.addFilter(RedactSecrets([token]))
    logger = logging.getLogger("careerframe.test")
    try:
        raise RuntimeError(f"upstream said Bearer {token} was bad")
    except RuntimeError:
        record = logger.makeRecord(
            "careerframe.test",
            logging.ERROR,
            __file__,
            1,
            "failed",
            (),
            __import__("sys").exc_info(),
        )
    handler.filter(record)
    text = handler.format(record)
    assert token not in text and "[redacted]" in text
