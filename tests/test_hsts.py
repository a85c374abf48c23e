"""Strict-Transport-Security: on in production by default, configurable, off when a proxy sends it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from flask import Flask

from tests.conftest import base_env
from webapp import create_app
from webapp.extensions import db

PRODUCTION = {
    "APP_ENV": "production",
    "SITE_URL": "https://careers.example.com",
    "TRUSTED_HOSTS": "careers.example.com",
    "RATELIMIT_SINGLE_PROCESS": "true",
    "SESSION_COOKIE_SECURE": "true",
}


def build(tmp_path: Path, migrated_template: Path, name: str, **env: str) -> Flask:
    database = tmp_path / f"{name}.sqlite3"
    shutil.copy(migrated_template, database)
    instance = tmp_path / name
    return create_app(env=base_env(instance, database, **env), instance_path=instance)


def hsts(app: Flask, path: str = "/") -> str | None:
    response = app.test_client().get(path, base_url="https://careers.example.com")
    assert response.status_code in (200, 404)
    return response.headers.get("Strict-Transport-Security")


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ({}, "max-age=31536000"),
        ({"HSTS_MAX_AGE": "600"}, "max-age=600"),
        (
            {"HSTS_MAX_AGE": "63072000", "HSTS_INCLUDE_SUBDOMAINS": "true", "HSTS_PRELOAD": "yes"},
            "max-age=63072000; includeSubDomains; preload",
        ),
        ({"HSTS_ENABLED": "false"}, None),
    ],
)
def test_production_sends_the_configured_hsts_header(
    tmp_path: Path, migrated_template: Path, settings: dict[str, str], expected: str | None
) -> None:
    app = build(tmp_path, migrated_template, "prod", **PRODUCTION, **settings)
    assert hsts(app) == expected
    assert hsts(app, "/no-such-page") == expected  # error pages too
    with app.app_context():
        db.engine.dispose()


def test_development_sends_no_hsts_unless_asked(tmp_path: Path, migrated_template: Path) -> None:
    plain = build(tmp_path, migrated_template, "plain")
    asked = build(tmp_path, migrated_template, "asked", HSTS_ENABLED="true", HSTS_MAX_AGE="120")
    # Two apps in one process keep their own header policy.
    assert hsts(plain) is None
    assert hsts(asked) == "max-age=120"
    assert hsts(plain) is None
    for app in (plain, asked):
        with app.app_context():
            db.engine.dispose()
