"""The front cache answers anonymous public GETs before Flask, and only where Flask would say the same."""

from __future__ import annotations

import re
from http.cookies import SimpleCookie

import pytest
from flask import Flask

from tests.helpers import seed
from webapp.extensions import db
from webapp.models import Position
from webapp.services.funnel import counters

JOB = "/jobs/data-analyst-amsterdam"
APPLY = JOB + "/apply"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def front(app: Flask) -> tuple[Flask, list[str]]:
    """A seeded app with its page cache on, and the paths Flask itself answered."""
    seed(app)
    app.config["PAGE_CACHE_SECONDS"] = 60
    app.config["WTF_CSRF_ENABLED"] = True
    reached: list[str] = []

    @app.before_request
    def note() -> None:
        from flask import request

        reached.append(request.path)

    return app, reached


def job_views(app: Flask) -> int:
    return sum(n for (_, _, step, _), n in counters(app).pending().items() if step == "job_view")


def test_an_anonymous_visit_is_answered_again_without_flask(front) -> None:
    app, reached = front
    client = app.test_client()
    first = client.get(JOB)
    again = client.get(JOB)
    assert reached == [JOB]
    assert again.status_code == 200 and again.data == first.data
    # Every header Flask sent comes back: the security policy, the language, Vary.
    assert list(again.headers.items()) == list(first.headers.items())
    assert again.headers["Content-Language"] == "en"
    assert "frame-ancestors 'none'" in again.headers["Content-Security-Policy"]


def test_every_answer_is_counted_but_crawlers_and_prefetches_are_not(front) -> None:
    app, _ = front
    client = app.test_client()
    for _ in range(3):
        client.get(JOB, headers={"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/131.0"})
    client.get(JOB, headers={"User-Agent": "Googlebot/2.1 (+http://www.google.com/bot.html)"})
    client.get(JOB, headers={"Sec-Purpose": "prefetch"})
    assert job_views(app) == 3


@pytest.mark.parametrize(
    ("cookies", "headers"),
    [
        ({"session": "anything"}, {}),
        ({"lang": "de", "other": "1"}, {}),
        ({}, {"Authorization": "Basic eDp5"}),
        ({}, {"Referer": "https://www.linkedin.com/feed/"}),
    ],
    ids=["session", "another cookie", "authorization", "a referring site"],
)
def test_anything_personal_or_a_source_goes_to_flask(
    front, cookies: dict[str, str], headers: dict[str, str]
) -> None:
    app, reached = front
    app.test_client().get(JOB)
    client = app.test_client()
    for name, value in cookies.items():
        client.set_cookie(name, value)
    client.get(JOB, headers=headers)
    assert reached == [JOB, JOB]


def test_our_own_pages_as_referrer_do_not_make_a_source(front) -> None:
    app, reached = front
    client = app.test_client()
    client.get(JOB)
    client.get(JOB, headers={"Referer": "http://localhost/"})
    assert reached == [JOB]


def test_each_language_choice_has_its_own_answer(front) -> None:
    app, _ = front
    client = app.test_client()
    assert client.get(JOB).headers["Content-Language"] == "en"
    chose = app.test_client()
    chose.set_cookie("lang", "de")
    by_cookie = chose.get(JOB)
    assert chose.get(JOB).headers["Content-Language"] == "de"  # and again, in front of Flask
    by_header = client.get(JOB, headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    by_prefix = client.get("/nl" + JOB)
    assert by_cookie.headers["Content-Language"] == "de"
    assert by_header.headers["Content-Language"] == "fr"
    assert by_prefix.headers["Content-Language"] == "nl"
    assert client.get(JOB).headers["Content-Language"] == "en"


def test_a_change_by_staff_is_seen_at_once(front) -> None:
    app, _ = front
    client = app.test_client()
    assert b"Data Analyst" in client.get("/").data
    with app.app_context():
        position = db.session.scalar(db.select(Position).where(Position.slug == JOB.split("/")[-1]))
        position.title = "Senior Data Analyst"
        db.session.commit()
    assert b"Senior Data Analyst" in client.get("/").data


def test_an_answer_lives_no_longer_than_the_page_cache(front, monkeypatch) -> None:
    app, reached = front
    client = app.test_client()
    client.get("/")
    import webapp.front_cache
    import webapp.page_cache

    later = webapp.front_cache.time.monotonic() + 61
    monkeypatch.setattr(webapp.front_cache.time, "monotonic", lambda: later)
    monkeypatch.setattr(webapp.page_cache.time, "monotonic", lambda: later)
    client.get("/")
    assert reached == ["/", "/"]


def _cookie(response) -> SimpleCookie:
    cookies = SimpleCookie()
    for value in response.headers.getlist("Set-Cookie"):
        cookies.load(value)
    return cookies


def test_the_apply_form_gives_each_visitor_a_token_and_a_session_of_their_own(front) -> None:
    app, reached = front
    flask_made = app.test_client().get(APPLY)
    visitors = [app.test_client().get(APPLY) for _ in range(2)]
    assert reached == [APPLY]  # the two later visitors were answered in front of Flask
    tokens = {
        TOKEN.search(page.get_data(as_text=True)).group(1) for page in [flask_made, *visitors]
    }
    assert len(tokens) == 3 and not any("__careerframe" in token for token in tokens)
    made, front_made = _cookie(flask_made)["session"], _cookie(visitors[0])["session"]
    assert made.value != front_made.value
    # The same cookie Flask sets: name, path, flags and lifetime.
    assert {k: v for k, v in front_made.items() if v} == {k: v for k, v in made.items() if v}
    assert visitors[0].headers["Content-Length"] == str(len(visitors[0].data))
    assert "remember_token" not in visitors[0].headers.get("Set-Cookie", "")


def test_a_form_answered_in_front_of_flask_is_accepted(front) -> None:
    app, reached = front
    app.test_client().get(APPLY)  # another visitor's visit fills the cache
    client = app.test_client()
    page = client.get(APPLY).get_data(as_text=True)
    assert reached == [APPLY]
    response = client.post(
        APPLY,
        data={
            "csrf_token": TOKEN.search(page).group(1),
            "full_name": "Ana",
            "email": "ana@example.com",
            "country": "HR",
            "consent": "y",
            "resume_text": "Barista and shift lead for five years in busy city cafés; "
            "trained staff and ran ordering.",
        },
    )
    assert response.status_code == 303


def test_a_token_without_its_session_is_refused(front) -> None:
    app, _ = front
    app.test_client().get(APPLY)
    page = app.test_client().get(APPLY).get_data(as_text=True)
    stranger = app.test_client()
    response = stranger.post(APPLY, data={"csrf_token": TOKEN.search(page).group(1)})
    assert response.status_code == 400


def test_a_returning_visitor_keeps_their_session_and_token(front) -> None:
    app, reached = front
    client = app.test_client()
    client.get(APPLY)
    second = client.get(APPLY)  # sends the session cookie back: Flask answers, with no new one
    assert reached == [APPLY, APPLY]
    assert "session=" not in second.headers.get("Set-Cookie", "")
    assert TOKEN.search(second.get_data(as_text=True))
