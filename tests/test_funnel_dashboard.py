"""The funnel dashboard: steps and conversions over a period, per source, over time, per position."""

# ruff: noqa: F811  (a test's parameter names the fixture imported below)

from __future__ import annotations

import re
from datetime import date, timedelta
from html import unescape

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.admin_fixtures import (  # noqa: F401  (fixtures, requested by parameter name)
    PASSWORD,
    email_of,
    make_application,
    make_position,
    sign_in,
    staff,
)
from webapp.extensions import db
from webapp.models import utcnow
from webapp.models.funnel import FunnelCount
from webapp.services.funnel.queries import PeriodError, parse_period, wait_in_words


def signed_in(app: Flask, role: str) -> FlaskClient:
    client = app.test_client()
    sign_in(client, email_of(role))
    return client


def add_views(app: Flask, position_id: int, step: str, count: int, **source: str) -> None:
    with app.app_context():
        db.session.add(
            FunnelCount(
                day=source.pop("day", None) or utcnow().date(),
                position_id=position_id,
                step=step,
                count=count,
                **source,
            )
        )
        db.session.commit()
        db.session.remove()


def table_rows(html: str, table_id: str) -> list[list[str]]:
    body = re.search(rf'<table id="{table_id}".*?<tbody>(.*?)</tbody>', html, re.S)
    assert body, f"no table {table_id}"
    return [
        [
            unescape(re.sub(r"<[^>]+>", "", cell)).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", body.group(1), re.S)
    ]


def funnel_rows(html: str) -> dict[str, str]:
    section = html.split('id="steps-heading"', 1)[1]
    return {
        unescape(label).strip(): count
        for label, count in re.findall(
            r'<tr><th scope="row">(.*?)</th><td class="num">([^<]*)</td>', section
        )[:6]
    }


@pytest.mark.parametrize("role, status", [("marketer", 200), ("admin", 200), ("recruiter", 403)])
def test_marketers_and_admins_open_the_funnel(app: Flask, staff, role: str, status: int) -> None:
    assert signed_in(app, role).get("/admin/funnel").status_code == status


def test_the_funnel_is_in_the_marketers_menu(app: Flask, staff) -> None:
    html = signed_in(app, "marketer").get("/admin/").get_data(as_text=True)
    assert 'href="/admin/funnel"' in html


def test_an_empty_period_says_what_will_show_and_how_to_tag_links(app: Flask, staff) -> None:
    html = signed_in(app, "marketer").get("/admin/funnel").get_data(as_text=True)
    assert "Nothing counted in this period yet" in html
    assert "utm_source" in html
    assert "<svg" not in html


def test_the_funnel_counts_each_step_with_sources_and_the_wait_for_the_interview(
    app: Flask, staff
) -> None:
    job = make_position(app, title="Data Analyst")
    other = make_position(app, title="Designer")
    now = utcnow()
    add_views(app, job, "job_view", 40, utm_source="linkedin")
    add_views(app, job, "job_view", 60)
    add_views(app, job, "apply_view", 30, utm_source="linkedin")
    add_views(app, other, "job_view", 5, referrer_host="news.example.org")
    add_views(app, job, "job_view", 999, day=(now - timedelta(days=40)).date())  # outside
    make_application(
        app,
        job,
        created_at=now - timedelta(hours=1),
        decided_at=now - timedelta(minutes=58),
        utm_source="linkedin",
        interview_finished_at=now,
        events=["Application received"],
    )
    make_application(
        app,
        job,
        created_at=now - timedelta(hours=2),
        decided_at=now - timedelta(hours=1, minutes=54),
        utm_source="linkedin",
    )
    make_application(
        app, job, created_at=now - timedelta(hours=3), decision="ai_reject", decided_at=now
    )
    make_application(
        app, job, created_at=now - timedelta(hours=1), decided_at=now, withdrawn_at=now
    )  # corrected: the person is counted once, on the new application
    make_application(app, job, created_at=now - timedelta(days=45), decided_at=now)  # outside
    with app.app_context():
        from webapp.models import Application, ApplicationEvent

        first = db.session.scalars(db.select(Application).order_by(Application.id)).first()
        first.events.append(ApplicationEvent(kind="interview_result", detail="scored"))
        db.session.commit()
        db.session.remove()

    client = signed_in(app, "marketer")
    html = client.get("/admin/funnel?period=30").get_data(as_text=True)
    assert funnel_rows(html) == {
        "Job page views": "105",
        "Apply form views": "30",
        "Applications sent": "3",
        "Interviews ready": "2",
        "Interviews collected": "1",
        "Results": "1",
    }
    assert 'id="median-ready">4 minutes<' in html  # 2 and 6 minutes
    sources = table_rows(html, "sources")
    assert sources[0] == ["linkedin", "40", "2", "5.0%"]
    assert ["Direct or unknown", "60", "1", "1.7%"] in sources
    assert ["news.example.org", "5", "0", "0.0%"] in sources
    assert "<svg" in html and "Job page views and applications per day" in html

    one = client.get(f"/admin/funnel?period=7&position={other}").get_data(as_text=True)
    assert funnel_rows(one)["Job page views"] == "5"
    assert funnel_rows(one)["Applications sent"] == "0"
    assert "· Designer" in one


def test_a_period_of_ones_own_dates(app: Flask, staff) -> None:
    job = make_position(app)
    add_views(app, job, "job_view", 7, day=date(2026, 3, 2))
    client = signed_in(app, "marketer")
    html = client.get("/admin/funnel?period=custom&from=2026-03-01&to=2026-03-03").get_data(
        as_text=True
    )
    assert funnel_rows(html)["Job page views"] == "7"
    assert "01 Mar 2026 – 03 Mar 2026" in html


@pytest.mark.parametrize(
    "query, message",
    [
        ("period=custom&from=2026-03-05&to=2026-03-01", "must not be after"),
        ("period=custom&from=yesterday&to=2026-03-01", "year-month-day"),
        ("period=custom", "year-month-day"),
        ("period=custom&from=2020-01-01&to=2026-01-01", "at most two years"),
        ("period=365", "Choose the last 7, 30 or 90 days"),
        ("period=14", "Choose the last 7, 30 or 90 days"),
    ],
)
def test_a_period_that_cannot_be_shown_is_explained(
    app: Flask, staff, query: str, message: str
) -> None:
    response = signed_in(app, "marketer").get("/admin/funnel?" + query)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_an_unknown_position_shows_the_whole_site(app: Flask, staff) -> None:
    client = signed_in(app, "marketer")
    for value in ("999", "abc", "-1", "1" * 400):
        response = client.get("/admin/funnel?position=" + value)
        assert response.status_code == 200
        assert "· the whole site" in response.get_data(as_text=True)


def test_views_still_in_memory_are_shown_at_once(app: Flask, staff) -> None:
    from tests.helpers import seed

    seed(app)
    app.test_client().get("/jobs/data-analyst-amsterdam", headers={"User-Agent": "Mozilla/5.0"})
    html = signed_in(app, "marketer").get("/admin/funnel").get_data(as_text=True)
    assert funnel_rows(html)["Job page views"] == "1"


def test_presets_end_today() -> None:
    today = date(2026, 12, 1)
    period = parse_period({"period": "7"}, today)
    assert (period.start, period.end, len(period.days)) == (date(2026, 11, 25), today, 7)
    assert parse_period({}, today).start == date(2026, 11, 2)
    with pytest.raises(PeriodError):
        parse_period({"period": "custom", "from": "2026-02-30", "to": "2026-03-01"}, today)


@pytest.mark.parametrize(
    "seconds, words",
    [
        (None, "—"),
        (12, "under a minute"),
        (60, "1 minute"),
        (240, "4 minutes"),
        (5400, "1.5 hours"),
        (86400 * 3, "3 days"),
    ],
)
def test_waits_read_as_people_say_them(seconds: float | None, words: str) -> None:
    assert wait_in_words(seconds) == words
