"""Two apps in one process keep their own page caches, menus and published-content caches."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from flask import Flask

from tests.admin_fixtures import PASSWORD, sign_in
from tests.conftest import base_env
from tests.helpers import seed
from webapp import create_app
from webapp.admin import MENU, menu_for
from webapp.extensions import db
from webapp.models import Position
from webapp.models.content import SiteVersion
from webapp.services.accounts import create_user
from webapp.services.site import published_content
from webapp.services.site_cache import forget_published_content

SLUG = "data-analyst-amsterdam"


def _build(folder: Path, template: Path) -> Flask:
    folder.mkdir()
    database = folder / "app.sqlite3"
    shutil.copy(template, database)
    app = create_app(env=base_env(folder, database), instance_path=folder)
    app.config.update(WTF_CSRF_ENABLED=False, PAGE_CACHE_SECONDS=60)
    seed(app)
    return app


@pytest.fixture
def two_apps(tmp_path: Path, migrated_template: Path) -> Iterator[tuple[Flask, Flask]]:
    """Two sites, each on its own database, built in this one process."""
    first = _build(tmp_path / "first", migrated_template)
    second = _build(tmp_path / "second", migrated_template)
    yield first, second
    for app in (first, second):
        with app.app_context():
            db.engine.dispose()


def _rename(app: Flask, title: str, *, commit: bool = True) -> None:
    with app.app_context():
        position = db.session.scalar(db.select(Position).where(Position.slug == SLUG))
        assert position is not None
        position.title = title
        if commit:
            db.session.commit()


def _home(app: Flask) -> str:
    return app.test_client().get("/").get_data(as_text=True)


def test_each_app_serves_its_own_cached_pages(two_apps: tuple[Flask, Flask]) -> None:
    first, second = two_apps
    _rename(first, "First Site Analyst")
    _rename(second, "Second Site Analyst")
    assert "First Site Analyst" in _home(first)  # now cached in the first app
    page = _home(second)  # same host and path: a shared store would answer with the first's page
    assert "Second Site Analyst" in page and "First Site Analyst" not in page


def test_a_change_in_one_app_clears_only_that_apps_pages(two_apps: tuple[Flask, Flask]) -> None:
    first, second = two_apps
    _rename(first, "First Site Analyst")
    assert "First Site Analyst" in _home(first) and "Data Analyst" in _home(second)  # both cached
    with first.app_context():  # a change the first app's page cache cannot know of
        db.session.execute(
            db.update(Position).where(Position.slug == SLUG).values(title="Quietly Renamed")
        )
        db.session.commit()
    _rename(second, "Renamed In Second")
    assert "Renamed In Second" in _home(second)  # the second app forgot its pages at once
    page = _home(first)  # the first app's pages were left alone
    assert "First Site Analyst" in page and "Quietly Renamed" not in page


def test_pages_are_forgotten_when_the_change_is_committed_not_before(app: Flask) -> None:
    seed(app)
    app.config["PAGE_CACHE_SECONDS"] = 60
    with app.app_context():
        position = db.session.scalar(db.select(Position).where(Position.slug == SLUG))
        assert position is not None
        position.title = "Committed Analyst"
        db.session.flush()
        # Another visitor renders between the flush and the commit: they still read the old row.
        with ThreadPoolExecutor(1) as other_visitor:
            assert "Committed Analyst" not in other_visitor.submit(_home, app).result(timeout=30)
        db.session.commit()
    assert "Committed Analyst" in _home(app)


def _publish_heading(app: Flask, heading: str) -> None:
    with app.app_context():
        db.session.add(SiteVersion(number=1, revision=1, texts={"home_heading": heading}))
        db.session.commit()
        forget_published_content()


def test_each_app_keeps_its_own_published_content(two_apps: tuple[Flask, Flask]) -> None:
    first, second = two_apps
    with first.app_context():
        assert published_content().version == "default"
    with second.app_context():
        assert published_content().version == "default"
    _publish_heading(first, "Ride with us")
    with first.app_context():
        assert published_content().text("home_heading") == "Ride with us"
    with second.app_context():
        assert published_content().version == "default"
    assert "Ride with us" in first.test_client().get("/?fresh=1").get_data(as_text=True)
    assert "Ride with us" not in second.test_client().get("/?fresh=1").get_data(as_text=True)


@pytest.mark.parametrize(
    ("role", "shown"),
    [
        ("recruiter", ["Overview", "Positions", "Applications", "Embed diagnostics"]),
        ("marketer", ["Overview", "Site studio", "Jobs widget", "Funnel", "Embed diagnostics"]),
        ("admin", [label for _, label in MENU]),
    ],
)
def test_the_menu_shows_what_the_role_may_open(
    two_apps: tuple[Flask, Flask], role: str, shown: list[str]
) -> None:
    for app in two_apps:  # built twice in one process, the menu is the same: nothing piles up
        with app.app_context():
            create_user(f"{role}@staff.example", role, PASSWORD)
            db.session.remove()
        client = app.test_client()
        sign_in(client, f"{role}@staff.example")
        page = client.get("/admin/").get_data(as_text=True)
        nav = page.split('<nav aria-label="Admin">', 1)[1].split("</nav>", 1)[0]
        labels = [part.split("<", 1)[0] for part in nav.split('">')[1:] if "</a>" in part]
        assert labels == shown


def test_the_menu_leaves_out_endpoints_this_app_does_not_have(app: Flask) -> None:
    views = {k: v for k, v in app.view_functions.items() if k != "admin.users"}
    assert ("admin.users", "Users") in menu_for(app.view_functions, lambda *roles: True)
    assert ("admin.users", "Users") not in menu_for(views, lambda *roles: True)
    assert menu_for(app.view_functions, lambda *roles: False) == []
