"""Odd input to the staff admin gets a clear 4xx or a field error, never a 500, on SQLite and PostgreSQL.

Every test here runs twice: on a SQLite copy of the migrated template and on a fresh, migrated
PostgreSQL database (the production one), which is stricter about integers, NULs and lengths.
"""

# ruff: noqa: F811  (a test's parameter names the fixture imported below)

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.admin_fixtures import (  # noqa: F401  (fixtures, requested by parameter name)
    field_errors,
    make_application,
    make_position,
    recruiter,
    sign_in,
    staff,
)
from tests.conftest import base_env
from webapp import create_app
from webapp.extensions import db
from webapp.models import Position, User

INT4_MAX = 2**31 - 1
HUGE = 10**20
NUL = "\x00"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Flask]:
    """The admin on a fresh, migrated database: SQLite, then PostgreSQL (overrides conftest's ``app``)."""
    database = tmp_path / "app.sqlite3"
    extra: dict[str, str] = {}
    if request.param == "sqlite":
        shutil.copy(request.getfixturevalue("migrated_template"), database)
    else:
        extra["DATABASE_URL"] = request.getfixturevalue("postgres_database")
    application = create_app(env=base_env(tmp_path, database, **extra), instance_path=tmp_path)
    application.config.update(WTF_CSRF_ENABLED=False)
    if extra:
        from flask_migrate import upgrade

        with application.app_context():
            upgrade()
    yield application
    with application.app_context():
        db.engine.dispose()


@pytest.fixture
def admin(app: Flask, staff: dict[str, str]) -> FlaskClient:
    """A test client signed in as the admin."""
    client = app.test_client()
    sign_in(client, staff["admin"])
    return client


def position_form(**values: str) -> dict[str, str]:
    """A valid minimal position form, with ``values`` changed."""
    basics = {"title": "Barista", "location": "Zagreb", "country": "HR", "language": "en"}
    return {**basics, "employment_types": "FULL_TIME", **values}


def count_positions(app: Flask) -> int:
    with app.app_context():
        total = db.session.scalar(db.select(db.func.count()).select_from(Position)) or 0
        db.session.remove()
    return total


# --- 1. numbers that str.isdigit() accepts but int() refuses -------------------------------------


@pytest.mark.parametrize(
    "query", ["page=²", "position=²", "page=٣", "position=٣", "page=-1", "position=0x1"]
)
def test_non_ascii_or_odd_numbers_in_the_list_are_ignored(
    app: Flask, recruiter: FlaskClient, query: str
) -> None:
    make_application(app, make_position(app))
    response = recruiter.get(f"/admin/applications?{query}")
    assert response.status_code == 200
    assert "1 application" in response.get_data(as_text=True)


# --- 2. ids beyond PostgreSQL's integer --------------------------------------------------------


@pytest.mark.parametrize("number", [INT4_MAX + 1, HUGE])
def test_ids_beyond_the_database_integer_are_not_found(
    app: Flask, admin: FlaskClient, number: int
) -> None:
    urls = {
        "GET": [
            f"/admin/applications/{number}",
            f"/admin/applications/{number}/erase",
            f"/admin/positions/{number}",
        ],
        "POST": [
            f"/admin/applications/{number}/requeue",
            f"/admin/applications/{number}/erase",
            f"/admin/positions/{number}",
            f"/admin/positions/{number}/open",
            f"/admin/positions/{number}/close",
            f"/admin/positions/{number}/duplicate",
            f"/admin/users/{number}/deactivate",
            f"/admin/users/{number}/reactivate",
            f"/admin/users/{number}/reset-password",
        ],
    }
    statuses = {
        f"{method} {url}": admin.open(url, method=method).status_code
        for method, group in urls.items()
        for url in group
    }
    assert set(statuses.values()) == {404}, statuses


def test_the_largest_database_integer_is_simply_not_found(admin: FlaskClient) -> None:
    assert admin.get(f"/admin/applications/{INT4_MAX}").status_code == 404
    assert admin.get(f"/admin/positions/{INT4_MAX}").status_code == 404
    assert admin.post(f"/admin/users/{INT4_MAX}/deactivate").status_code == 404


@pytest.mark.parametrize("number", [INT4_MAX + 1, HUGE, 10**400])
def test_a_position_filter_beyond_the_database_integer_is_a_field_error(
    app: Flask, recruiter: FlaskClient, number: int
) -> None:
    make_application(app, make_position(app))
    response = recruiter.get(f"/admin/applications?position={number}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "1 application" in page
    assert field_errors(page)["position"] == "Choose a position from the list."
    assert recruiter.get(f"/admin/applications/export.csv?position={number}").status_code == 200


def test_a_page_number_beyond_any_page_shows_the_last(app: Flask, recruiter: FlaskClient) -> None:
    make_application(app, make_position(app))
    for page in (INT4_MAX + 1, HUGE, 10**400):
        response = recruiter.get(f"/admin/applications?page={page}")
        assert response.status_code == 200 and "1 application" in response.get_data(as_text=True)


# --- 3. dates at the ends of the calendar ------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "date_to=9999-12-31",
        "date_from=0001-01-01",
        "date_from=0001-01-01&date_to=9999-12-31",
        "date_from=9999-12-31",
        "date_to=0001-01-01",
    ],
)
def test_dates_at_the_ends_of_the_calendar_filter_without_error(
    app: Flask, recruiter: FlaskClient, query: str
) -> None:
    make_application(app, make_position(app), created_at=datetime(2030, 5, 1, tzinfo=UTC))
    expected = 0 if query in ("date_from=9999-12-31", "date_to=0001-01-01") else 1
    response = recruiter.get(f"/admin/applications?{query}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert ("1 application" in page) if expected else ("No applications match" in page)
    export = recruiter.get(f"/admin/applications/export.csv?{query}")
    assert export.status_code == 200
    rows = list(csv.reader(io.StringIO(export.get_data(as_text=True).lstrip("\ufeff"))))
    assert len(rows) == 1 + expected


# --- 4. NUL characters (refused with a 400 before any view runs) --------------------------------


@pytest.mark.parametrize("key", ["q", "position", "status", "date_from", "date_to", "page"])
def test_a_nul_in_a_filter_is_refused(app: Flask, recruiter: FlaskClient, key: str) -> None:
    make_application(app, make_position(app))
    for url in ("/admin/applications", "/admin/applications/export.csv"):
        response = recruiter.get(url, query_string={key: f"ana{NUL}"})
        assert response.status_code == 400, url
        assert "Something was wrong with that request" in response.get_data(as_text=True)
    assert (
        recruiter.get("/admin/positions", query_string={"state": f"open{NUL}"}).status_code == 400
    )


TEXT_FIELDS = (
    "title",
    "location",
    "department",
    "salary",
    "summary",
    "description",
    "interview_template_id",
    "welcome_message",
    "thank_you_message",
    "instructional_video_custom_text",
    "tags",
    "hiring_name",
    "hiring_location",
    "hiring_sector",
    "hiring_company_size",
    "hiring_description",
)
CHOICE_FIELDS = (
    "country",
    "language",
    "seniority",
    "result_view",
    "candidate_video_introduction",
    "interview_conversation_speed",
    "include_rapport_question",
    "interview_available_till",
    "max_duration",
)


@pytest.mark.parametrize("name", TEXT_FIELDS + CHOICE_FIELDS)
def test_a_nul_in_a_position_field_is_refused(
    app: Flask, recruiter: FlaskClient, name: str
) -> None:
    value = position_form().get(name, "Text") + NUL + "x"
    response = recruiter.post("/admin/positions/new", data=position_form(**{name: value}))
    assert response.status_code == 400
    assert count_positions(app) == 0
    position_id = make_position(app, title="Kept")
    assert (
        recruiter.post(
            f"/admin/positions/{position_id}", data=position_form(**{name: value})
        ).status_code
        == 400
    )
    with app.app_context():
        assert db.session.get(Position, position_id).title == "Kept"
        db.session.remove()


def test_a_nul_in_a_new_user_email_is_refused(app: Flask, admin: FlaskClient) -> None:
    response = admin.post(
        "/admin/users/new", data={"email": f"new{NUL}@staff.example", "role": "recruiter"}
    )
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(db.select(User).where(User.email.like("new%"))) is None
        db.session.remove()


def test_an_email_too_long_for_its_column_is_a_field_error(app: Flask, admin: FlaskClient) -> None:
    domain = ("b" * 60 + ".") * 3 + "com"
    # "İ" lower-cases to two characters: the stored e-mail would outgrow the column.
    for email in ("a" * 64 + "@" + domain + ".example", "İ" * 60 + "@" + domain):
        response = admin.post("/admin/users/new", data={"email": email, "role": "recruiter"})
        assert response.status_code == 422, email
        assert "email" in field_errors(response.get_data(as_text=True))


def test_a_nul_in_an_admin_path_is_refused(admin: FlaskClient) -> None:
    assert admin.get("/admin/positions/1%00").status_code in (400, 404)
    assert admin.get("/admin/studio/positions/x%00y").status_code in (400, 404)


# --- 5. the rest: lengths, numbers, unicode ---------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "length"),
    [
        ("title", 201),
        ("location", 201),
        ("department", 121),
        ("salary", 121),
        ("seniority", 33),
        ("interview_template_id", 65),
        ("hiring_company_size", 61),
        ("tags", 501),
    ],
)
def test_a_field_longer_than_its_column_is_a_field_error(
    app: Flask, recruiter: FlaskClient, name: str, length: int
) -> None:
    response = recruiter.post("/admin/positions/new", data=position_form(**{name: "é" * length}))
    assert response.status_code == 422
    assert name in field_errors(response.get_data(as_text=True))


def test_fields_exactly_as_long_as_their_columns_are_stored(
    app: Flask, recruiter: FlaskClient
) -> None:
    values = {
        "title": "é" * 200,
        "location": "ł" * 200,
        "department": "ß" * 120,
        "salary": "€" * 120,
    }
    response = recruiter.post("/admin/positions/new", data=position_form(**values))
    assert response.status_code == 303, field_errors(response.get_data(as_text=True))
    with app.app_context():
        position = db.session.scalars(db.select(Position)).one()
        assert (position.title, position.location, position.department, position.salary) == tuple(
            values.values()
        )
        assert position.slug.isascii() and len(position.slug) <= 80
        db.session.remove()


@pytest.mark.parametrize(
    "name", ["interview_attempts", "max_duration", "max_followups", "questions_random_subset"]
)
@pytest.mark.parametrize("value", [str(10**400), str(INT4_MAX + 1), "-5", "²", "1e3"])
def test_an_out_of_range_number_is_a_field_error(
    recruiter: FlaskClient, name: str, value: str
) -> None:
    response = recruiter.post("/admin/positions/new", data=position_form(**{name: value}))
    assert response.status_code == 422
    assert name in field_errors(response.get_data(as_text=True))


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01", "10000-01-01", "²⁰²⁶-01-01"])
def test_any_interview_date_is_stored_or_refused_cleanly(
    recruiter: FlaskClient, value: str
) -> None:
    response = recruiter.post(
        "/admin/positions/new", data=position_form(interview_available_till=value)
    )
    assert response.status_code in (303, 422)


@pytest.mark.parametrize(
    "title",
    [
        "🚀 Rocket Engineer",
        "\u0301\u0301\u0301",
        "ﷺ" * 200,
        "Ĳssel İnženjer Ǆ",
        "\ufffd\ufffd",
        "مهندس برمجيات",
        "\u202eevil\u202c",
        "Zero\u200bwidth",
        "a" + "\u0300" * 199,
        "---",
        "ＦＵＬＬＷＩＤＴＨ",
    ],
)
def test_odd_unicode_titles_get_a_plain_ascii_slug(
    app: Flask, recruiter: FlaskClient, title: str
) -> None:
    first = recruiter.post("/admin/positions/new", data=position_form(title=title))
    second = recruiter.post("/admin/positions/new", data=position_form(title=title))
    assert (first.status_code, second.status_code) == (303, 303)
    with app.app_context():
        slugs = list(db.session.scalars(db.select(Position.slug)))
        db.session.remove()
    assert len(set(slugs)) == 2
    assert all(slug.isascii() and 0 < len(slug) <= 80 for slug in slugs), slugs


def test_undecodable_bytes_in_a_query_or_form_do_not_break_the_admin(
    app: Flask, recruiter: FlaskClient
) -> None:
    make_application(app, make_position(app))
    assert (
        recruiter.get("/admin/applications?q=%FF%FE&position=%FF&date_to=%C0%AF").status_code == 200
    )
    assert recruiter.get("/admin/positions/%FF").status_code == 404
    response = recruiter.post(
        "/admin/positions/new",
        data=b"title=%FF%FEBarista&location=Zagreb&country=HR&language=en&employment_types=FULL_TIME",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 303


def test_a_search_with_like_wildcards_and_long_words_is_fine(
    app: Flask, recruiter: FlaskClient
) -> None:
    make_application(app, make_position(app), full_name="Ana_100% Horvat")
    for q in ("_100%", "\\", "%" * 200, "a " * 100, "x" * 201):
        response = recruiter.get("/admin/applications", query_string={"q": q})
        assert response.status_code == 200, q


@pytest.mark.parametrize("number", [2**31, 10**20])
def test_studio_version_numbers_out_of_range_are_not_found(admin: FlaskClient, number: int) -> None:
    assert admin.post(f"/admin/studio/versions/{number}/rollback").status_code == 404
    assert admin.get(f"/admin/studio/sample-{number}.css").status_code == 404


@pytest.mark.parametrize("revision", ["\u00b2", "9" * 30, "-1", ""])
def test_an_odd_revision_on_publish_is_refused_kindly(admin: FlaskClient, revision: str) -> None:
    response = admin.post("/admin/studio/publish", data={"revision": revision})
    assert 300 <= response.status_code < 500, response.status_code
