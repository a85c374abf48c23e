"""Absolute links come from SITE_URL: a forged Host or X-Forwarded-Host never reaches a page."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.conftest import base_env
from tests.helpers import seed
from tests.studio_fixtures import make_account, sign_in
from webapp import create_app
from webapp.extensions import db
from webapp.urls import external_url, site_url

SITE = "https://careers.example.com/join-us"
SLUG = "data-analyst-amsterdam"
FORGED = {"Host": "evil.example", "X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "http"}
# A signed-in browser keeps its cookie for its own host: the proxy's header is the forged one.
FORWARDED = {"X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "http"}


@pytest.fixture
def proxied(tmp_path: Path, migrated_template: Path) -> Iterator[Flask]:
    """An app behind one proxy (X-Forwarded-* honoured), public at a URL with a path."""
    database = tmp_path / "app.sqlite3"
    shutil.copy(migrated_template, database)
    env = base_env(tmp_path, database, SITE_URL=SITE + "/", PROXY_FIX_COUNT="1")
    application = create_app(env=env, instance_path=tmp_path)
    application.config.update(WTF_CSRF_ENABLED=False)
    seed(application)
    yield application
    with application.app_context():
        db.engine.dispose()


def json_ld(page: str) -> dict[str, Any]:
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert found, "the job page carries structured data"
    return json.loads(found.group(1))  # type: ignore[no-any-return]


def test_a_forged_host_never_reaches_the_canonical_link_or_structured_data(
    proxied: Flask,
) -> None:
    page = proxied.test_client().get(f"/jobs/{SLUG}", headers=FORGED).get_data(as_text=True)
    assert "evil.example" not in page
    assert f'<link rel="canonical" href="{SITE}/jobs/{SLUG}">' in page
    data = json_ld(page)
    assert data["url"] == f"{SITE}/jobs/{SLUG}"
    assert data["hiringOrganization"]["sameAs"] == f"{SITE}/"


def test_preview_links_are_built_from_the_site_address(proxied: Flask) -> None:
    marketer = sign_in(proxied.test_client(), make_account(proxied, "mara@kestrel.example"))
    shown = marketer.post("/admin/studio/preview-links", headers=FORWARDED)
    page = shown.get_data(as_text=True)
    link = re.search(r'id="preview-link" type="text" readonly value="([^"]+)"', page)
    assert link, "the studio shows the new preview link"
    assert "evil.example" not in page
    assert link.group(1).startswith(f"{SITE}/preview/")
    opened = marketer.post("/admin/studio/preview-links", data={"open": "1"}, headers=FORWARDED)
    assert opened.status_code == 303
    assert opened.headers["Location"].startswith(f"{SITE}/preview/")


def test_links_are_the_same_inside_and_outside_a_request(proxied: Flask) -> None:
    with proxied.app_context():
        outside = external_url("careers.job", slug=SLUG, _anchor="apply now")
        assert site_url() == SITE
    with proxied.test_request_context(
        f"/jobs/{SLUG}", base_url="http://evil.example/mounted", headers=FORGED
    ):
        inside = external_url("careers.job", slug=SLUG, _anchor="apply now")
        relative = external_url(".index")
    assert outside == inside == f"{SITE}/jobs/{SLUG}#apply%20now"
    assert relative == f"{SITE}/"


def test_a_site_at_the_root_gets_links_without_a_double_slash(
    tmp_path: Path, migrated_template: Path
) -> None:
    database = tmp_path / "root.sqlite3"
    shutil.copy(migrated_template, database)
    env = base_env(tmp_path, database, SITE_URL="https://careers.example.com/")
    application = create_app(env=env, instance_path=tmp_path)
    with application.app_context():
        assert external_url("careers.index") == "https://careers.example.com/"
        assert external_url("careers.job", slug="x") == "https://careers.example.com/jobs/x"
        db.engine.dispose()
