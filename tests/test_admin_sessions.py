"""Staff sign-in: rate-limited, sessions that expire, sign-out that ends them."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask

from tests.admin_fixtures import PASSWORD, email_of, staff  # noqa: F401  (fixture)


def test_sign_in_is_rate_limited_per_address(app: Flask, staff: dict[str, str]) -> None:  # noqa: F811
    app.config.update(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute")
    client = app.test_client()
    statuses = [
        client.post(
            "/admin/login", data={"email": email_of("admin"), "password": "wrong"}
        ).status_code
        for _ in range(4)
    ]
    assert statuses == [401, 401, 401, 429]
    # Even the right password waits: guessing stops for everyone at this address.
    assert (
        client.post(
            "/admin/login", data={"email": email_of("admin"), "password": PASSWORD}
        ).status_code
        == 429
    )
    assert client.get("/admin/login").status_code == 200  # the form itself is not limited


def test_a_staff_session_expires(app: Flask, staff: dict[str, str]) -> None:  # noqa: F811
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(seconds=60)
    client = app.test_client()
    response = client.post(
        "/admin/login", data={"email": email_of("recruiter"), "password": PASSWORD}
    )
    assert response.status_code == 302
    cookie = response.headers["Set-Cookie"]
    assert "Expires=" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert client.get("/admin/").status_code == 200
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(seconds=-1)
    client.post("/admin/login", data={"email": email_of("recruiter"), "password": PASSWORD})
    # A cookie that has expired is not sent back by a browser; the server's signature check agrees.
    assert client.get("/admin/").status_code == 302
