"""Staff sessions live server-side: sign-out, a password change or deactivation ends every copy.

Also: strong session protection holds for permanent sessions, sign-in is limited per account
without locking the real person out, and no password hash is computed at import time.
"""

# ruff: noqa: F811  (a test's parameter names the fixture imported below)

from __future__ import annotations

import hashlib
import time
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from tests.admin_fixtures import PASSWORD, email_of, sign_in, staff  # noqa: F401  (fixture)
from webapp.extensions import db
from webapp.models import User, utcnow
from webapp.models.staff_sessions import StaffSession
from webapp.services import accounts
from webapp.services.accounts import set_password

ADMIN_HOME = "/admin/"


def signed_in(app: Flask, role: str, **environ: str) -> FlaskClient:
    client = app.test_client()
    if environ:
        client.environ_base.update(environ)
    sign_in(client, email_of(role))
    return client


def copy_of(app: Flask, original: FlaskClient) -> FlaskClient:
    """Another browser holding a copy of ``original``'s session cookie (same user agent)."""
    cookie = original.get_cookie("session")
    assert cookie is not None
    other = app.test_client()
    other.set_cookie("session", cookie.value)
    return other


def refused(response) -> bool:  # type: ignore[no-untyped-def]
    return response.status_code == 403 or (
        response.status_code == 302 and "/admin/login" in response.location
    )


def user_id(app: Flask, role: str) -> int:
    with app.app_context():
        found = db.session.scalar(select(User.id).where(User.email == email_of(role)))
        db.session.remove()
    assert found is not None
    return found


def test_a_cookie_copied_before_sign_out_is_refused_after_it(
    app: Flask, staff: dict[str, str]
) -> None:
    original = signed_in(app, "recruiter")
    copy = copy_of(app, original)
    assert copy.get(ADMIN_HOME).status_code == 200
    original.post("/admin/logout")
    assert refused(copy.get(ADMIN_HOME))
    assert refused(copy.get("/admin/positions"))
    assert refused(original.get(ADMIN_HOME))


def test_signing_out_ends_only_that_sign_in(app: Flask, staff: dict[str, str]) -> None:
    laptop, phone = signed_in(app, "recruiter"), signed_in(app, "recruiter")
    laptop.post("/admin/logout")
    assert phone.get(ADMIN_HOME).status_code == 200


def test_a_password_reset_ends_every_session_of_the_account(
    app: Flask, staff: dict[str, str]
) -> None:
    recruiter = signed_in(app, "recruiter")
    copy = copy_of(app, recruiter)
    admin = signed_in(app, "admin")
    response = admin.post(f"/admin/users/{user_id(app, 'recruiter')}/reset-password")
    assert response.status_code == 200
    assert refused(recruiter.get(ADMIN_HOME)) and refused(copy.get(ADMIN_HOME))
    assert admin.get(ADMIN_HOME).status_code == 200  # someone else's reset leaves the admin in


def test_a_self_initiated_password_change_may_keep_the_current_session(
    app: Flask, staff: dict[str, str]
) -> None:
    here, elsewhere = signed_in(app, "marketer"), signed_in(app, "marketer")
    token = here.get_cookie("session")
    assert token is not None
    with here.session_transaction() as session:
        current = session["_user_id"]
    with app.app_context():
        user = db.session.get(User, user_id(app, "marketer"))
        set_password(user, "a-brand-new-passphrase", keep_session=current)
        db.session.remove()
    assert here.get(ADMIN_HOME).status_code == 200
    assert refused(elsewhere.get(ADMIN_HOME))


def test_deactivation_ends_every_session_of_the_account(app: Flask, staff: dict[str, str]) -> None:
    recruiter = signed_in(app, "recruiter")
    copy = copy_of(app, recruiter)
    admin = signed_in(app, "admin")
    response = admin.post(f"/admin/users/{user_id(app, 'recruiter')}/deactivate")
    assert response.status_code == 303
    assert refused(recruiter.get(ADMIN_HOME)) and refused(copy.get(ADMIN_HOME))
    admin.post(f"/admin/users/{user_id(app, 'recruiter')}/reactivate")
    # Reactivating lets the person sign in again; it does not bring old sessions back.
    assert refused(copy.get(ADMIN_HOME))
    assert signed_in(app, "recruiter").get(ADMIN_HOME).status_code == 200


def test_a_session_past_its_server_side_expiry_is_refused(
    app: Flask, staff: dict[str, str]
) -> None:
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=8)
    client = signed_in(app, "recruiter")
    assert client.get(ADMIN_HOME).status_code == 200
    with app.app_context():
        record = db.session.scalars(select(StaffSession)).one()
        assert timedelta(hours=7) < record.expires_at - utcnow() <= timedelta(hours=8)
        db.session.execute(update(StaffSession).values(expires_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
        db.session.remove()
    # The cookie itself is still valid and signed; the record behind it has expired.
    assert refused(client.get(ADMIN_HOME))


def test_only_a_hash_of_the_session_id_is_stored(app: Flask, staff: dict[str, str]) -> None:
    client = signed_in(app, "recruiter")
    with client.session_transaction() as session:
        token = session["_user_id"]
    assert len(token) >= 40 and str(user_id(app, "recruiter")) != token
    with app.app_context():
        stored = db.session.scalars(select(StaffSession.token_hash)).all()
        db.session.remove()
    assert stored == [hashlib.sha256(token.encode()).hexdigest()]


def test_an_old_style_session_identity_opens_nothing(app: Flask, staff: dict[str, str]) -> None:
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = f"{user_id(app, 'admin')}:0123456789abcdef"
        session["_fresh"] = True
    assert refused(client.get(ADMIN_HOME))


def test_a_session_cookie_replayed_from_another_browser_is_ended(
    app: Flask, staff: dict[str, str]
) -> None:
    """Strong protection really applies to our permanent sessions (Flask-Login only marked them)."""
    original = signed_in(app, "admin", HTTP_USER_AGENT="Firefox/140 on the admin's laptop")
    thief = app.test_client()
    thief.environ_base["HTTP_USER_AGENT"] = "curl/8.5"
    thief.set_cookie("session", original.get_cookie("session").value)  # type: ignore[union-attr]
    assert refused(thief.get(ADMIN_HOME))
    # The sign-in was ended, so a retry with the right user agent does not get in either.
    assert refused(original.get(ADMIN_HOME))


def test_no_password_is_hashed_at_import_and_the_dummy_hash_is_per_app(
    app: Flask, staff: dict[str, str]
) -> None:
    assert not hasattr(accounts, "_DUMMY_HASH")
    assert accounts.DUMMY_HASH_KEY not in app.extensions
    response = app.test_client().post(
        "/admin/login", data={"email": "nobody@staff.example", "password": "whatever-it-is"}
    )
    assert response.status_code == 401
    assert app.extensions[accounts.DUMMY_HASH_KEY].startswith("$argon2")


# --- sign-in limited per account --------------------------------------------------------------


def attempt(app: Flask, address: str, password: str, role: str = "admin") -> int:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    response = client.post("/admin/login", data={"email": email_of(role), "password": password})
    return response.status_code


@pytest.fixture
def limited(app: Flask, staff: dict[str, str]) -> Flask:
    app.config.update(
        RATELIMIT_ENABLED=True,
        LOGIN_RATE_LIMIT="1000 per minute",
        LOGIN_ACCOUNT_RATE_LIMIT="3 per 2 seconds",
    )
    return app


def test_failures_for_one_account_from_many_addresses_are_limited(limited: Flask) -> None:
    statuses = [attempt(limited, f"203.0.113.{n}", "wrong-password") for n in range(4)]
    assert statuses == [401, 401, 401, 429]
    client = limited.test_client()
    client.environ_base["REMOTE_ADDR"] = "203.0.113.99"
    response = client.post("/admin/login", data={"email": email_of("admin"), "password": PASSWORD})
    assert response.status_code == 429  # a new address waits, even with the right password
    assert 1 <= int(response.headers["Retry-After"]) <= 3
    assert "too many unsuccessful sign-ins to this account" in response.get_data(as_text=True)
    # Other accounts are not affected.
    assert attempt(limited, "203.0.113.99", PASSWORD, role="recruiter") == 302


def test_the_limit_is_short_lived(limited: Flask) -> None:
    for n in range(3):
        attempt(limited, f"198.51.100.{n}", "wrong-password")
    assert attempt(limited, "198.51.100.50", PASSWORD) == 429
    time.sleep(2.1)
    assert attempt(limited, "198.51.100.50", PASSWORD) == 302


def test_the_owner_signs_in_from_an_address_that_succeeded_before(limited: Flask) -> None:
    home = "192.0.2.10"
    assert attempt(limited, home, PASSWORD) == 302
    for n in range(5):
        attempt(limited, f"203.0.113.{n}", "wrong-password")
    assert attempt(limited, "203.0.113.200", PASSWORD) == 429
    assert attempt(limited, home, PASSWORD) == 302


def test_successful_sign_ins_are_not_counted(limited: Flask) -> None:
    assert [attempt(limited, f"192.0.2.{n}", PASSWORD) for n in range(6)] == [302] * 6
