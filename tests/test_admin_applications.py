"""Recruiters' applications: filters, export, detail, re-queue, erasure, escaping, alerts."""

# ruff: noqa: F811  (a test's parameter names the fixture imported below)

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.admin_fixtures import (  # noqa: F401  (fixtures, requested by parameter name)
    PASSWORD,
    RESUME,
    email_of,
    flashes,
    make_application,
    make_position,
    recruiter,
    store_delivery,
)
from tests.conftest import Site
from tests.helpers import wait_for
from webapp.extensions import db
from webapp.models import Application, WebhookDelivery
from webapp.services.accounts import create_user
from webapp.services.application_admin import (
    STATUS_LABELS,
    ApplicationFilters,
    safe_cell,
    search_applications,
    status_of,
)

# One application in each status: (fields, expected status key).
CASES: list[tuple[dict[str, Any], str]] = [
    ({"job_state": "pending", "decision": None}, "waiting"),
    ({"job_state": "in_flight", "decision": None}, "waiting"),
    ({"job_state": "done", "decision": "ai_accept"}, "interview"),
    (
        {"job_state": "done", "decision": "already-applied", "interview_status": "ongoing"},
        "interview",
    ),
    (
        {"job_state": "done", "decision": "recruiter_accept", "interview_status": "abandoned"},
        "interview",
    ),
    ({"job_state": "done", "decision": "recruiter_action"}, "review"),
    ({"job_state": "done", "decision": "ai_reject", "reason": "Too short"}, "rejected"),
    ({"job_state": "done", "decision": "recruiter_reject"}, "rejected"),
    (
        {
            "job_state": "done",
            "decision": "ai_accept",
            "interview_status": "completed",
            "score": 7.5,
        },
        "finished",
    ),
    (
        {
            "job_state": "done",
            "decision": "ai_accept",
            "interview_status": "completed, stopped early",
        },
        "finished",
    ),
    ({"job_state": "gave_up", "decision": None, "last_error": "HTTP 422: bad"}, "failed"),
    (
        {
            "job_state": "done",
            "decision": "ai_accept",
            "erased_at": datetime(2030, 1, 1, tzinfo=UTC),
            "full_name": "",
        },
        "erased",
    ),
]


def page_of(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def names_listed(page: str) -> list[str]:
    return re.findall(r"<strong>([^<]*)</strong></a>", page)


def test_the_status_filter_and_the_status_shown_agree_for_every_status(app: Flask) -> None:
    position_id = make_position(app)
    ids = {make_application(app, position_id, **fields): status for fields, status in CASES}
    with app.app_context():
        for application_id, status in ids.items():
            assert status_of(db.session.get(Application, application_id)) == status
        for status in STATUS_LABELS:
            found = {
                row.application.id
                for row in search_applications(ApplicationFilters(status=status)).rows
            }
            assert found == {i for i, s in ids.items() if s == status}, status


def test_the_list_shows_readable_statuses_and_filters_by_each(
    app: Flask, recruiter: FlaskClient
) -> None:
    position_id = make_position(app)
    for index, (fields, _status) in enumerate(CASES):
        make_application(
            app, position_id, full_name=fields.pop("full_name", f"Person {index}"), **fields
        )
    page = page_of(recruiter, "/admin/applications")
    for label in STATUS_LABELS.values():
        assert f">{label}</span>" in page
    assert "Erased candidate" in page
    failed = page_of(recruiter, "/admin/applications?status=failed")
    assert names_listed(failed) == ["Person 10"]
    assert '<option selected value="failed">Failed — can re-queue</option>' in failed


def test_filters_by_position_date_and_search(app: Flask, recruiter: FlaskClient) -> None:
    barista = make_position(app, title="Barista")
    baker = make_position(app, title="Baker")
    day = datetime(2030, 5, 10, 23, 30, tzinfo=UTC)
    make_application(app, barista, full_name="Ana Horvat", email="ana@example.com", created_at=day)
    make_application(
        app,
        barista,
        full_name="Ivo Kovač",
        email="ivo@example.com",
        created_at=day + timedelta(hours=1),
    )
    make_application(
        app,
        baker,
        full_name="Eva Novak",
        email="eva_n@example.com",
        created_at=day - timedelta(days=3),
    )
    assert names_listed(page_of(recruiter, f"/admin/applications?position={baker}")) == [
        "Eva Novak"
    ]
    assert names_listed(
        page_of(recruiter, "/admin/applications?date_from=2030-05-10&date_to=2030-05-10")
    ) == ["Ana Horvat"]
    assert names_listed(page_of(recruiter, "/admin/applications?date_from=2030-05-11")) == [
        "Ivo Kovač"
    ]
    assert names_listed(page_of(recruiter, "/admin/applications?q=IVO")) == ["Ivo Kovač"]
    assert names_listed(page_of(recruiter, "/admin/applications?q=eva_n%40")) == ["Eva Novak"]
    assert (
        names_listed(page_of(recruiter, "/admin/applications?q=%25")) == []
    )  # wildcards are literal
    bad_date = page_of(recruiter, "/admin/applications?date_from=yesterday")
    assert "Not a valid date value" in bad_date and len(names_listed(bad_date)) == 3


def test_times_are_shown_in_utc_with_the_zone_named(app: Flask, recruiter: FlaskClient) -> None:
    application_id = make_application(
        app, make_position(app), created_at=datetime(2030, 5, 10, 23, 30, tzinfo=UTC)
    )
    assert '<time datetime="2030-05-10T23:30:00+00:00">2030-05-10 23:30 UTC</time>' in page_of(
        recruiter, "/admin/applications"
    )
    detail = page_of(recruiter, f"/admin/applications/{application_id}")
    assert "2030-05-10 23:30:00 UTC" in detail  # the history, to the second


def test_the_list_has_fifty_a_page(app: Flask, recruiter: FlaskClient) -> None:
    position_id = make_position(app)
    start = datetime(2030, 1, 1, tzinfo=UTC)
    for index in range(55):
        make_application(
            app,
            position_id,
            full_name=f"Person {index:02d}",
            created_at=start + timedelta(minutes=index),
        )
    first = page_of(recruiter, f"/admin/applications?position={position_id}")
    assert len(names_listed(first)) == 50 and names_listed(first)[0] == "Person 54"
    assert "55 applications match" in first and "page 1 of 2" in first
    assert f'href="/admin/applications?page=2&amp;position={position_id}"' in first
    second = page_of(recruiter, f"/admin/applications?page=2&position={position_id}")
    assert names_listed(second) == [f"Person {index:02d}" for index in range(4, -1, -1)]
    assert names_listed(page_of(recruiter, "/admin/applications?page=99")) == names_listed(second)


def read_csv(response: Any) -> list[list[str]]:
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_the_export_holds_the_filtered_list_with_every_page(
    app: Flask, recruiter: FlaskClient
) -> None:
    barista, baker = make_position(app, title="Barista"), make_position(app, title="Baker")
    for index in range(60):
        make_application(app, barista, full_name=f"Person {index}")
    make_application(app, baker, full_name="Eva Novak", score=8.5, interview_status="completed")
    response = recruiter.get(f"/admin/applications/export.csv?position={barista}")
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="applications-')
    rows = read_csv(response)
    assert rows[0][:4] == ["Received (UTC)", "Position", "Position code", "Name"]
    assert len(rows) == 61 and {row[1] for row in rows[1:]} == {"Barista"}
    [eva] = read_csv(recruiter.get("/admin/applications/export.csv?q=eva"))[1:]
    assert eva[3:7] == ["Eva Novak", eva[4], "HR", "Finished"] and eva[10] == "8.5"
    assert eva[0].endswith(" UTC")
    page = page_of(recruiter, f"/admin/applications?position={barista}&status=interview")
    assert f'href="/admin/applications/export.csv?position={barista}&amp;status=interview"' in page


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://evil","x")', '\'=HYPERLINK("http://evil","x")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Ana = Horvat", "Ana = Horvat"),
        (None, ""),
        (7.5, "7.5"),
    ],
)
def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(value: object, cell: str) -> None:
    assert safe_cell(value) == cell


HOSTILE = ["<img src=x onerror=alert(1)>", '"><script>alert(1)</script>', "=cmd|' /C calc'!A0"]


def test_hostile_candidate_input_is_inert_in_list_detail_and_csv(
    app: Flask, recruiter: FlaskClient
) -> None:
    position_id = make_position(app)
    ids = [
        make_application(
            app,
            position_id,
            full_name=name,
            resume_text=name + " " + RESUME,
            reason=name,
            events=[f"Note: {name}"],
            linkedin_url='https://www.linkedin.com/in/x"><script>',
        )
        for name in HOSTILE
    ]
    listing = page_of(recruiter, "/admin/applications")
    assert "&lt;img src=x onerror=alert(1)&gt;" in listing
    assert "&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in listing
    assert "<script>alert(1)</script>" not in listing and "<img src=x" not in listing
    for application_id in ids[:2]:
        detail = page_of(recruiter, f"/admin/applications/{application_id}")
        assert "<script>alert(1)</script>" not in detail and "<img src=x" not in detail
        assert "<script>" not in detail.split("</head>")[1].replace("<script src=", "")
    assert "&lt;img src=x onerror=alert(1)&gt;" in page_of(
        recruiter, f"/admin/applications/{ids[0]}"
    )
    rows = read_csv(recruiter.get("/admin/applications/export.csv"))
    names = {row[3] for row in rows[1:]}
    assert "'=cmd|' /C calc'!A0" in names and '"><script>alert(1)</script>' in names
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_the_detail_page_tells_the_whole_story(app: Flask, recruiter: FlaskClient) -> None:
    position_id = make_position(app, title="Barista")
    application_id = make_application(
        app,
        position_id,
        full_name="Ana Horvat",
        email="ana@example.com",
        linkedin_url="https://www.linkedin.com/in/ana",
        decision="ai_accept",
        interview_status="completed",
        result_status="active",
        score=5.12,
        profile_interview_id="pi-1",
        events=[
            "Application received",
            "Interview platform decided: ai_accept",
            "Interview scored: 5.12",
        ],
    )
    store_delivery(
        app,
        application_id,
        {
            "event": "interview_result",
            "profile_interview_id": "pi-1",
            "score": 5.12,
            "ai_analysis": "Clear and structured answers.",
            "pdf_export_url": "https://platform.example/report.pdf",
        },
    )
    page = page_of(recruiter, f"/admin/applications/{application_id}")
    for text in (
        "Ana Horvat",
        "ana@example.com",
        "Croatia",
        "https://www.linkedin.com/in/ana",
        "Six years as a backend developer",
        "Accepted by AI pre-screening",
        "(ai_accept)",
        "completed",
        "(result active)",
        "5.12",
        "Interview platform decided: ai_accept",
        "Interview scored: 5.12",
        "Clear and structured answers.",
        "https://platform.example/report.pdf",
        ">Finished</span>",
    ):
        assert text in page, text
    assert page.count(" UTC</time> — ") == 3


def test_a_rejection_shows_the_platforms_reason(app: Flask, recruiter: FlaskClient) -> None:
    application_id = make_application(
        app, make_position(app), decision="ai_reject", reason="The résumé is too short to assess."
    )
    page = page_of(recruiter, f"/admin/applications/{application_id}")
    assert "Rejected by AI pre-screening" in page and "The résumé is too short to assess." in page


def test_a_failed_application_can_be_requeued_and_others_cannot(
    app: Flask, recruiter: FlaskClient
) -> None:
    position_id = make_position(app)
    failed = make_application(
        app,
        position_id,
        job_state="gave_up",
        decision=None,
        last_error="HTTP 422: no such template",
    )
    page = page_of(recruiter, f"/admin/applications/{failed}")
    assert "HTTP 422: no such template" in page and "Re-queue" in page
    response = recruiter.post(f"/admin/applications/{failed}/requeue", follow_redirects=True)
    assert "Re-queued" in flashes(response.get_data(as_text=True))[0]
    with app.app_context():
        application = db.session.get(Application, failed)
        assert (application.job_state, application.last_error) == ("pending", None)
        assert application.events[-1].detail == "Re-queued by a recruiter"
    decided = make_application(app, position_id)
    response = recruiter.post(f"/admin/applications/{decided}/requeue", follow_redirects=True)
    assert flashes(response.get_data(as_text=True)) == [
        "Only a failed application can be re-queued."
    ]
    with app.app_context():
        assert db.session.get(Application, decided).job_state == "done"


def test_erasing_asks_first_then_keeps_only_an_anonymous_record(
    app: Flask, recruiter: FlaskClient
) -> None:
    position_id = make_position(app)
    created = datetime(2030, 2, 3, 4, 5, tzinfo=UTC)
    application_id = make_application(
        app,
        position_id,
        full_name="Ana Horvat",
        email="Ana@Example.com",
        linkedin_url="https://www.linkedin.com/in/ana",
        resume_filename="ana.pdf",
        embed_id="embed-1",
        embed_signing_key_encrypted=b"secret",
        interview_url="https://x/i?t=1",
        score=6.5,
        interview_status="completed",
        profile_interview_id="pi-9",
        created_at=created,
        reason="Ana Horvat did well",
        events=["Application received", "Mail to ana@example.com bounced"],
    )
    delivery_id = store_delivery(
        app,
        application_id,
        {
            "event": "interview_result",
            "profile_interview_id": "pi-9",
            "score": 6.5,
            "status": "active",
            "candidate_name": "Ana Horvat",
            "candidate_email": "ana@example.com",
            "ai_analysis": "Ana was clear.",
            "ai_analysis_recruiter": "Ana…",
            "pdf_export_url": "https://x/report.pdf",
            "candidate_external_id": "abc",
        },
    )
    confirm = page_of(recruiter, f"/admin/applications/{application_id}/erase")
    assert (
        "Erase Ana Horvat" in confirm
        and "cannot be undone" in confirm
        and "deleted there as well" in confirm
    )
    with app.app_context():
        assert (
            db.session.get(Application, application_id).erased_at is None
        )  # asking changed nothing
    response = recruiter.post(f"/admin/applications/{application_id}/erase", follow_redirects=True)
    assert "personal data is erased" in flashes(response.get_data(as_text=True))[0]
    with app.app_context():
        a = db.session.get(Application, application_id)
        assert (a.full_name, a.email, a.resume_text, a.linkedin_url, a.resume_filename) == (
            "",
            "",
            "",
            None,
            None,
        )
        assert (
            a.embed_signing_key_encrypted is None
            and a.interview_url is None
            and a.erased_at is not None
        )
        assert (a.position_id, a.created_at, a.decision, a.score, a.interview_status) == (
            position_id,
            created,
            "ai_accept",
            6.5,
            "completed",
        )
        assert "Ana" not in a.reason and "ana@example.com" not in " ".join(
            e.detail for e in a.events
        )
        assert a.events[-1].detail == "Personal data erased on request"
        payload = db.session.get(WebhookDelivery, delivery_id).payload
        assert (
            payload["candidate_name"]
            is payload["candidate_email"]
            is payload["ai_analysis"]
            is None
        )
        assert payload["pdf_export_url"] is None and payload["ai_analysis_recruiter"] is None
        assert (payload["score"], payload["status"], payload["candidate_external_id"]) == (
            6.5,
            "active",
            "abc",
        )
    detail = page_of(recruiter, f"/admin/applications/{application_id}")
    assert "Ana" not in detail and "Erased candidate" in detail and ">Erased</span>" in detail
    assert "Ana" not in recruiter.get("/admin/applications/export.csv").get_data(as_text=True)


def test_erasing_withdraws_an_unsent_application_and_waits_for_one_in_flight(
    app: Flask, recruiter: FlaskClient
) -> None:
    position_id = make_position(app)
    pending = make_application(app, position_id, job_state="pending", decision=None)
    in_flight = make_application(app, position_id, job_state="in_flight", decision=None)
    recruiter.post(f"/admin/applications/{pending}/erase", follow_redirects=True)
    response = recruiter.post(f"/admin/applications/{in_flight}/erase", follow_redirects=True)
    assert (
        "being called for this application right now" in flashes(response.get_data(as_text=True))[0]
    )
    with app.app_context():
        withdrawn = db.session.get(Application, pending)
        assert withdrawn.job_state == "gave_up" and withdrawn.erased_at is not None
        assert db.session.get(Application, in_flight).erased_at is None
    response = recruiter.post(f"/admin/applications/{pending}/requeue", follow_redirects=True)
    assert flashes(response.get_data(as_text=True)) == [
        "Only a failed application can be re-queued."
    ]


def test_two_erased_applications_to_one_position_can_coexist(
    app: Flask, recruiter: FlaskClient
) -> None:
    position_id = make_position(app)
    first, second = make_application(app, position_id), make_application(app, position_id)
    for application_id in (first, second):
        recruiter.post(f"/admin/applications/{application_id}/erase")
    with app.app_context():
        assert all(db.session.get(Application, i).erased_at for i in (first, second))


def csrf_token(page: str) -> str:
    match = re.search(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"', page)
    assert match is not None
    return match.group(1)


def test_a_refused_api_token_is_shown_at_the_top_of_every_admin_page(site: Site) -> None:
    with site.app.app_context():
        create_user(email_of("recruiter"), "recruiter", PASSWORD)
        db.session.remove()
    position_id = make_position(site.app, slug="barista", title="Barista")
    site.sandbox.fault("401", count=50)
    application_id = make_application(site.app, position_id, job_state="pending", decision=None)
    with httpx.Client(base_url=site.url, timeout=10, follow_redirects=False) as browser:
        token = csrf_token(browser.get("/admin/login").text)
        signed_in = browser.post(
            "/admin/login",
            data={"email": email_of("recruiter"), "password": PASSWORD, "csrf_token": token},
        )
        assert signed_in.status_code == 302

        def alert_shown() -> str | None:
            page = browser.get("/admin/").text
            return page if "Configuration problem:" in page else None

        wait_for(alert_shown, what="the configuration alert")
        for path in (
            "/admin/",
            "/admin/positions",
            "/admin/applications",
            f"/admin/applications/{application_id}",
            f"/admin/positions/{position_id}",
        ):
            page = browser.get(path).text
            alert = re.search(
                r'<div class="alert alert-danger" role="alert"><strong>Configuration problem:</strong>(.*?)</div>',
                page,
                re.DOTALL,
            )
            assert alert is not None, path
            assert "JobMojito refused our API token (401)" in alert.group(
                1
            ) and "JOBMOJITO_API_TOKEN" in alert.group(1)
            assert page.index("Configuration problem") < page.index("<h1")


def test_the_action_buttons_carry_a_working_csrf_token(app: Flask, recruiter: FlaskClient) -> None:
    failed = make_application(app, make_position(app), job_state="gave_up", decision=None)
    app.config["WTF_CSRF_ENABLED"] = True
    assert recruiter.post(f"/admin/applications/{failed}/requeue").status_code == 400
    token = csrf_token(page_of(recruiter, f"/admin/applications/{failed}"))
    assert (
        recruiter.post(
            f"/admin/applications/{failed}/requeue", data={"csrf_token": token}
        ).status_code
        == 303
    )
    token = csrf_token(page_of(recruiter, f"/admin/applications/{failed}/erase"))
    assert (
        recruiter.post(
            f"/admin/applications/{failed}/erase", data={"csrf_token": token}
        ).status_code
        == 303
    )
    with app.app_context():
        assert db.session.get(Application, failed).erased_at is not None
