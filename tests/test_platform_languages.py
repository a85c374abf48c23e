"""The position form offers the interview languages the platform offers now, or the built-in list."""

# ruff: noqa: F811  (a test's parameter names the fixture imported below)

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import httpx
from flask import Flask
from flask.testing import FlaskClient

from tests.admin_fixtures import make_position, recruiter, sign_in  # noqa: F401
from tests.conftest import Site
from tests.helpers import wait_for
from webapp.extensions import db
from webapp.jobmojito.languages import LANGUAGES
from webapp.models import utcnow
from webapp.models.jobs import Job
from webapp.models.platform_languages import PlatformLanguageList
from webapp.services import jobs
from webapp.services.accounts import create_user
from webapp.services.platform_languages import KIND, offered

LANGUAGES_LIST = "platform-languages-list"
OFFERED = ["de", "en", "fil"]


def language_options(html: str) -> dict[str, str]:
    """The language select's options (code → text), the empty prompt left out."""
    select = re.search(r'<select[^>]*name="language"[^>]*>(.*?)</select>', html, re.S)
    assert select, "the form has no language choice"
    options = re.findall(r'<option[^>]*value="([^"]*)"[^>]*>(.*?)</option>', select.group(1))
    return {code: unescape(text).strip() for code, text in options if code}


def staff_client(site: Site) -> FlaskClient:
    site.app.config["WTF_CSRF_ENABLED"] = False
    with site.app.app_context():
        create_user("recruiter@staff.example", "recruiter", "correct-horse-battery-staple")
        db.session.remove()
    client = site.app.test_client()
    sign_in(client, "recruiter@staff.example")
    return client


def offer_only(site: Site, codes: list[str] | None) -> None:
    with site.sandbox.control() as http:
        http.post("/_sandbox/languages", json={"codes": codes}).raise_for_status()


def fetched(site: Site) -> bool:
    with site.app.app_context():
        row = db.session.get(PlatformLanguageList, 1)
        done = row is not None and row.fetched_at is not None
        db.session.remove()
        return done


def test_the_form_offers_just_what_the_platform_offers(site: Site) -> None:
    offer_only(site, OFFERED)
    client = staff_client(site)
    client.get("/admin/positions/new")  # the first look asks for the list in the background
    wait_for(lambda: fetched(site), what="the languages list fetched")
    html = client.get("/admin/positions/new").get_data(as_text=True)
    assert language_options(html) == {"de": "German", "en": "English", "fil": "Filipino"}
    assert "The languages JobMojito offers now." in html
    assert site.sandbox.calls()["other_calls"][LANGUAGES_LIST] == 1

    refused = client.post(
        "/admin/positions/new",
        data={
            "title": "Barista",
            "location": "Zagreb",
            "country": "HR",
            "language": "fr",
            "employment_types": "FULL_TIME",
        },
    )
    assert refused.status_code == 422


def test_a_position_keeps_its_dropped_language_with_a_warning(site: Site) -> None:
    offer_only(site, OFFERED)
    client = staff_client(site)
    client.get("/admin/positions/new")
    wait_for(lambda: fetched(site), what="the languages list fetched")
    position_id = make_position(site.app, language_code="fr")
    html = client.get(f"/admin/positions/{position_id}").get_data(as_text=True)
    options = language_options(html)
    assert set(options) == {*OFFERED, "fr"}
    assert options["fr"] == "French (no longer offered by JobMojito)"
    assert 'id="language-dropped"' in html
    assert "JobMojito no longer offers French" in unescape(html)
    saved = client.post(
        f"/admin/positions/{position_id}",
        data={
            "title": "Backend Engineer",
            "location": "Zagreb",
            "country": "HR",
            "language": "fr",
            "employment_types": "FULL_TIME",
        },
    )
    assert saved.status_code == 303


def test_the_built_in_list_is_offered_while_the_platform_is_down(
    app: Flask, recruiter: FlaskClient
) -> None:
    # The app fixture's platform address answers nothing.
    html = recruiter.get("/admin/positions/new").get_data(as_text=True)
    assert language_options(html) == dict(LANGUAGES)
    with app.app_context():
        job = db.session.scalar(db.select(Job).where(Job.kind == KIND))
        assert job is not None and job.state == "pending"
        ran = jobs.run_next(app, "test-worker", [KIND])
        assert ran is not None and ran[1].state == "retry" and ran[1].error
        row = db.session.get(PlatformLanguageList, 1)
        assert row is not None and row.fetched_at is None and row.last_error
        db.session.remove()
    html = recruiter.get("/admin/positions/new").get_data(as_text=True)
    assert language_options(html) == dict(LANGUAGES)
    assert "current list could not be read" in unescape(html)


def test_an_answer_a_week_old_gives_way_to_the_built_in_list(app: Flask) -> None:
    with app.app_context():
        db.session.add(
            PlatformLanguageList(
                id=1, codes=["en"], fetched_at=utcnow() - timedelta(days=8), checked_at=utcnow()
            )
        )
        db.session.commit()
        assert offered().codes == tuple(LANGUAGES) and not offered().from_platform
        assert offered(now=utcnow() - timedelta(days=2)).codes == ("en",)
        db.session.remove()


def test_the_refresh_runs_again_a_day_later(site: Site) -> None:
    client = staff_client(site)
    client.get("/admin/positions/new")
    wait_for(lambda: fetched(site), what="the languages list fetched")
    with site.app.app_context():
        job = db.session.scalar(db.select(Job).where(Job.kind == KIND))
        assert job is not None and job.state == "pending"
        assert timedelta(hours=23) < job.run_at - utcnow() <= timedelta(days=1)
        db.session.remove()
    client.get("/admin/positions/new")  # fresh: no second refresh
    assert site.sandbox.calls()["other_calls"][LANGUAGES_LIST] == 1


def test_the_sandbox_control_refuses_what_is_not_a_list_of_its_codes(site: Site) -> None:
    with site.sandbox.control() as http:
        for body in ({"codes": "en"}, {"codes": ["en", "xx"]}, {"codes": [1]}, {}, ["en"]):
            response = http.post("/_sandbox/languages", json=body)
            assert response.status_code == 422, body
            assert response.json()["name"] == "codes"
        assert http.post("/_sandbox/languages", json={"codes": ["en"]}).json() == {"codes": ["en"]}
        listed = http.get("/functions/v1/platform-languages-list").json()["languages"]
        assert [row["code"] for row in listed] == ["en"]
        assert http.post("/_sandbox/languages", json={"codes": None}).status_code == 200
        assert len(http.get("/functions/v1/platform-languages-list").json()["languages"]) == 34
        assert http.get("/_sandbox/positions/pos_unknown").status_code == 404
    with httpx.Client(base_url=site.sandbox.url) as anonymous:
        assert anonymous.post("/_sandbox/languages", json={"codes": None}).status_code == 401
