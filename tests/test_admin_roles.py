"""Every admin route lets in exactly the roles it should, on every method, behind CSRF; accounts.

The expected table below is written out by hand, so that a route whose ``role_required`` is
loosened, or a new route nobody listed, fails here rather than in production.
"""

# ruff: noqa: F811  (a test's parameter names the fixture imported below)

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.admin_fixtures import (  # noqa: F401  (fixtures, requested by parameter name)
    PASSWORD,
    make_application,
    make_position,
    recruiter,
    sign_in,
    staff,
)
from webapp.extensions import db
from webapp.models import User
from webapp.services import alerts
from webapp.services.accounts import create_user

EVERYONE = frozenset({"admin", "marketer", "recruiter"})
RECRUITING = frozenset({"admin", "recruiter"})
MARKETING = frozenset({"admin", "marketer"})
ADMIN = frozenset({"admin"})

# Endpoint -> the roles that may use it. Admins hold every role.
EXPECTED: dict[str, frozenset[str]] = {
    "admin.dashboard": EVERYONE,
    "admin.positions": RECRUITING,
    "admin.position_new": RECRUITING,
    "admin.position_edit": RECRUITING,
    "admin.position_open": RECRUITING,
    "admin.position_close": RECRUITING,
    "admin.position_duplicate": RECRUITING,
    "admin.position_key_revoke": RECRUITING,
    "admin.position_key_retry": RECRUITING,
    "admin.applications": RECRUITING,
    "admin.applications_export": RECRUITING,
    "admin.application": RECRUITING,
    "admin.application_requeue": RECRUITING,
    "admin.application_erase": RECRUITING,
    "admin.application_report": RECRUITING,
    "admin.application_another_attempt": RECRUITING,
    "admin.studio_home": MARKETING,
    "admin.studio_draft": MARKETING,
    "admin.studio_sample_css": MARKETING,
    "admin.studio_position": MARKETING,
    "admin.studio_publish": MARKETING,
    "admin.studio_rollback": MARKETING,
    "admin.studio_rollback_defaults": MARKETING,
    "admin.studio_restore": MARKETING,
    "admin.studio_preview_create": MARKETING,
    "admin.studio_preview_revoke": MARKETING,
    "admin.studio_preview_revoke_all": MARKETING,
    "admin.studio_languages": MARKETING,
    "admin.studio_widget": MARKETING,
    "admin.studio_widget_save": MARKETING,
    "admin.studio_sections": MARKETING,
    "admin.studio_section_new": MARKETING,
    "admin.studio_section_edit": MARKETING,
    "admin.studio_section_move": MARKETING,
    "admin.studio_section_remove": MARKETING,
    "admin.studio_privacy_reviewed": MARKETING,
    "admin.funnel_dashboard": MARKETING,
    "admin.diagnostics": EVERYONE,
    "admin.diagnostics_position": EVERYONE,
    "admin.users": ADMIN,
    "admin.user_new": ADMIN,
    "admin.user_deactivate": ADMIN,
    "admin.user_reactivate": ADMIN,
    "admin.user_reset_password": ADMIN,
}
# Reachable without signing in, by design.
PUBLIC = {"admin.login", "admin.logout", "admin.static"}
VISITORS = ("anonymous", "admin", "marketer", "recruiter")


def admin_rules(app: Flask) -> list[Any]:
    """Every URL rule under /admin."""
    return [rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/admin")]


def declared_roles(app: Flask) -> dict[str, frozenset[str]]:
    """Endpoint -> roles, as ``role_required`` recorded them on each view (admins added)."""
    declared = {}
    for rule in admin_rules(app):
        roles = getattr(app.view_functions[rule.endpoint], "required_roles", None)
        if roles is not None:
            declared[rule.endpoint] = frozenset(roles) | ADMIN
    return declared


@pytest.fixture
def targets(app: Flask) -> dict[str, Any]:
    """Records for the routes' URL arguments, none of them the signed-in accounts."""
    position_id = make_position(app, slug="backend-engineer")
    application_id = make_application(app, position_id, job_state="gave_up", decision=None)
    with app.app_context():
        user_id = create_user("target@staff.example", "recruiter", PASSWORD).user.id
        db.session.remove()
    return {
        "position_id": position_id,
        "application_id": application_id,
        "user_id": user_id,
        "slug": "backend-engineer",
    }


def url_for_rule(rule: Any, targets: dict[str, Any]) -> str:
    """A concrete URL for a rule: known ids for known arguments, placeholders otherwise."""
    built = rule.build(
        {name: targets.get(name, 1) for name in rule.arguments}, append_unknown=False
    )
    assert built is not None, rule.rule
    return built[1]


def test_every_admin_route_is_in_the_expected_table(app: Flask) -> None:
    endpoints = {rule.endpoint for rule in admin_rules(app)}
    unlisted = endpoints - set(EXPECTED) - PUBLIC
    assert not unlisted, (
        f"add these routes to EXPECTED with the roles they should allow: {sorted(unlisted)}"
    )
    assert set(EXPECTED) <= endpoints, (
        f"routes listed but gone: {sorted(set(EXPECTED) - endpoints)}"
    )


def test_every_view_declares_the_roles_the_table_expects(app: Flask) -> None:
    declared = declared_roles(app)
    assert {endpoint: declared.get(endpoint) for endpoint in EXPECTED} == EXPECTED
    assert not PUBLIC & set(declared), "a public route must not be behind role_required"


@pytest.mark.parametrize("visitor", VISITORS)
def test_each_role_gets_exactly_its_routes(
    app: Flask, staff: dict[str, str], targets: dict[str, Any], visitor: str
) -> None:
    client = app.test_client()
    if visitor != "anonymous":
        sign_in(client, staff[visitor])
    wrong = []
    for rule in sorted(admin_rules(app), key=lambda r: r.rule):
        if rule.endpoint in PUBLIC:
            continue
        url = url_for_rule(rule, targets)
        for method in sorted({"GET", "POST"} & set(rule.methods or ())):
            response = client.open(url, method=method)
            login_redirect = response.status_code == 302 and "/admin/login" in response.location
            if visitor == "anonymous":
                outcome_ok = login_redirect
            elif visitor in EXPECTED.get(rule.endpoint, ADMIN):
                outcome_ok = (
                    response.status_code != 403
                    and not login_redirect
                    and response.status_code < 500
                )
            else:
                outcome_ok = response.status_code == 403
            if not outcome_ok:
                wrong.append(
                    f"{method} {url} ({rule.endpoint}) as {visitor}: {response.status_code}"
                )
    assert not wrong, "\n".join(wrong)


def test_anonymous_visitors_are_sent_to_sign_in_and_back(app: Flask, staff: dict[str, str]) -> None:
    client = app.test_client()
    response = client.get("/admin/applications?status=failed")
    assert response.status_code == 302
    assert "/admin/login" in response.location and "next=" in response.location
    login = client.post(response.location, data={"email": staff["recruiter"], "password": PASSWORD})
    assert login.status_code == 302 and login.location.startswith("/admin/applications")


def test_every_state_changing_admin_route_needs_a_csrf_token(
    app: Flask, staff: dict[str, str], targets: dict[str, Any]
) -> None:
    client = app.test_client()
    sign_in(client, staff["admin"])
    app.config["WTF_CSRF_ENABLED"] = True
    refused = {}
    for rule in admin_rules(app):
        if "POST" in (rule.methods or ()) and rule.endpoint != "admin.login":
            url = url_for_rule(rule, targets)
            refused[url] = client.post(url, data={"title": "x"}).status_code
    assert refused and all(status == 400 for status in refused.values()), refused
    with app.app_context():
        assert db.session.get(User, targets["user_id"]).active  # nothing happened


def test_sign_out_ends_the_session(app: Flask, recruiter: FlaskClient) -> None:
    assert recruiter.get("/admin/positions").status_code == 200
    recruiter.post("/admin/logout")
    assert recruiter.get("/admin/positions").status_code == 302


# --- users (admins) ---------------------------------------------------------------------------


@pytest.fixture
def admin(app: Flask, staff: dict[str, str]) -> FlaskClient:
    """A test client signed in as the admin."""
    client = app.test_client()
    sign_in(client, staff["admin"])
    return client


def test_admin_lists_accounts_with_their_roles(admin: FlaskClient, staff: dict[str, str]) -> None:
    page = admin.get("/admin/users").get_data(as_text=True)
    for email in staff.values():
        assert email in page
    assert "Recruiter" in page and "Marketer" in page and "(you)" in page


def test_a_created_account_gets_a_password_shown_once_that_works(
    app: Flask, admin: FlaskClient
) -> None:
    response = admin.post(
        "/admin/users/new", data={"email": "New.Person@Staff.example", "role": "marketer"}
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "only this once" in page
    password = page.split('id="generated-password">')[1].split("<")[0]
    assert len(password) >= 12
    assert response.headers["Cache-Control"] == "no-store"
    assert password not in admin.get("/admin/users").get_data(as_text=True)
    fresh = app.test_client()
    sign_in(fresh, "new.person@staff.example", password)
    assert fresh.get("/admin/").status_code == 200
    assert fresh.get("/admin/positions").status_code == 403  # a marketer


def test_creating_a_duplicate_account_says_so_next_to_the_field(
    admin: FlaskClient, staff: dict[str, str]
) -> None:
    response = admin.post(
        "/admin/users/new", data={"email": staff["recruiter"], "role": "recruiter"}
    )
    assert response.status_code == 422
    assert "already exists" in response.get_data(as_text=True)


def test_deactivating_an_account_signs_it_out_and_keeps_it_out(
    app: Flask, admin: FlaskClient, recruiter: FlaskClient, staff: dict[str, str]
) -> None:
    with app.app_context():
        user_id = db.session.scalar(db.select(User.id).where(User.email == staff["recruiter"]))
    assert recruiter.get("/admin/positions").status_code == 200
    admin.post(f"/admin/users/{user_id}/deactivate")
    assert recruiter.get("/admin/positions").status_code == 302  # the session ended
    again = app.test_client()
    assert (
        again.post(
            "/admin/login", data={"email": staff["recruiter"], "password": PASSWORD}
        ).status_code
        == 401
    )
    admin.post(f"/admin/users/{user_id}/reactivate")
    sign_in(again, staff["recruiter"])
    assert again.get("/admin/positions").status_code == 200


def test_an_admin_cannot_deactivate_themselves(
    app: Flask, admin: FlaskClient, staff: dict[str, str]
) -> None:
    with app.app_context():
        user_id = db.session.scalar(db.select(User.id).where(User.email == staff["admin"]))
    page = admin.post(f"/admin/users/{user_id}/deactivate", follow_redirects=True).get_data(
        as_text=True
    )
    assert "cannot deactivate your own account" in page
    assert admin.get("/admin/users").status_code == 200


def test_a_new_password_replaces_the_old_one(
    app: Flask, admin: FlaskClient, staff: dict[str, str]
) -> None:
    with app.app_context():
        user_id = db.session.scalar(db.select(User.id).where(User.email == staff["marketer"]))
    page = admin.post(f"/admin/users/{user_id}/reset-password").get_data(as_text=True)
    password = page.split('id="generated-password">')[1].split("<")[0]
    client = app.test_client()
    assert (
        client.post(
            "/admin/login", data={"email": staff["marketer"], "password": PASSWORD}
        ).status_code
        == 401
    )
    sign_in(client, staff["marketer"], password)


def test_an_open_configuration_alert_tops_every_admin_page(
    app: Flask, staff: dict[str, str], targets: dict[str, Any]
) -> None:
    with app.app_context():
        alerts.raise_alert("upstream_auth", "JobMojito refused our API token (401).")
        db.session.commit()
    client = app.test_client()
    sign_in(client, staff["admin"])
    pages = 0
    for rule in admin_rules(app):
        if rule.endpoint in PUBLIC or "GET" not in (rule.methods or ()):
            continue
        response = client.get(url_for_rule(rule, targets))
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        page = response.get_data(as_text=True)
        assert (
            "<strong>Configuration problem:</strong> JobMojito refused our API token (401)." in page
        ), rule.rule
        assert page.index("Configuration problem") < page.index("<h1"), rule.rule
        pages += 1
    assert pages >= 10
