"""Funnel counters: real visits counted in memory and added up in the database, nothing personal."""

from __future__ import annotations

import shutil
import threading
import timeit
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import inspect, select, text

from tests.conftest import base_env
from tests.helpers import position_id, seed, wait_for
from webapp import create_app
from webapp.extensions import db
from webapp.models.funnel import FunnelCount
from webapp.services.funnel import counters

JOB = "/jobs/data-analyst-amsterdam"
CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
)


@pytest.fixture
def seeded(app: Flask) -> Flask:
    seed(app)
    return app


def rows(app: Flask) -> list[dict[str, object]]:
    """Every counter row, as stored, after this app's pending counts are flushed."""
    counters(app).flush()
    with app.app_context():
        result = [dict(row._mapping) for row in db.session.execute(select(FunnelCount.__table__))]
        db.session.remove()
    return result


def total(app: Flask, step: str = "job_view") -> int:
    return sum(int(row["count"]) for row in rows(app) if row["step"] == step)  # type: ignore[call-overload]


@pytest.mark.parametrize(
    "user_agent",
    [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; Googlebot/2.1; "
        "+http://www.google.com/bot.html) Chrome/131.0.0.0 Safari/537.36",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",
        "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
        "DuckDuckBot/1.1; (+http://duckduckgo.com/duckduckbot.html)",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
        "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
        "Twitterbot/1.0",
        "WhatsApp/2.23.20.0",
        "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
        "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2)",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "HeadlessChrome/131.0.0.0 Safari/537.36",
        "curl/8.5.0",
        "python-requests/2.32.3",
        "Pingdom.com_bot_version_1.4_(http://www.pingdom.com/)",
    ],
)
def test_known_crawlers_are_not_counted(seeded: Flask, client, user_agent: str) -> None:
    assert client.get(JOB, headers={"User-Agent": user_agent}).status_code == 200
    assert rows(seeded) == []


@pytest.mark.parametrize(
    "user_agent",
    [
        CHROME,
        IPHONE,
        "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
        "Mozilla/5.0 (Linux; Android 11; CUBOT KINGKONG 5 Pro) AppleWebKit/537.36 (KHTML, like "
        "Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.0.0 Mobile Safari/537.36 [Pinterest/Android]",
    ],
)
def test_people_browsing_are_counted(seeded: Flask, client, user_agent: str) -> None:
    assert client.get(JOB, headers={"User-Agent": user_agent}).status_code == 200
    assert total(seeded) == 1


@pytest.mark.parametrize(
    "method, headers",
    [
        ("HEAD", {}),
        ("GET", {"Sec-Purpose": "prefetch"}),
        ("GET", {"Sec-Purpose": "prefetch;prerender"}),
        ("GET", {"Purpose": "prefetch"}),
        ("GET", {"X-Moz": "prefetch"}),
    ],
)
def test_prefetches_and_head_requests_are_not_counted(
    seeded: Flask, client, method: str, headers: dict[str, str]
) -> None:
    response = client.open(JOB, method=method, headers={"User-Agent": CHROME, **headers})
    assert response.status_code == 200
    assert rows(seeded) == []


def test_only_served_pages_are_counted(seeded: Flask, client) -> None:
    assert client.get("/jobs/no-such-position", headers={"User-Agent": CHROME}).status_code == 404
    assert client.get(JOB + "/apply", headers={"User-Agent": CHROME}).status_code == 200
    assert client.get("/", headers={"User-Agent": CHROME}).status_code == 200
    assert [(row["step"], row["count"]) for row in rows(seeded)] == [("apply_view", 1)]


def test_counting_can_be_turned_off(seeded: Flask, client) -> None:
    seeded.config["FUNNEL_COUNTING"] = False
    client.get(JOB, headers={"User-Agent": CHROME})
    assert rows(seeded) == []


def test_staff_previews_are_not_counted(seeded: Flask, client) -> None:
    from flask import g

    @seeded.before_request
    def act_as_preview() -> None:  # what the preview link's check sets for a staff preview
        g.site_preview = True

    assert client.get(JOB, headers={"User-Agent": CHROME}).status_code == 200
    assert rows(seeded) == []


def test_rows_hold_only_the_day_the_position_the_step_the_source_and_a_count(
    seeded: Flask, client
) -> None:
    response = client.get(
        JOB + "?utm_source=LinkedIn&utm_campaign=Spring+2027&email=ana@example.com",
        headers={
            "User-Agent": CHROME,
            "Referer": "https://news.example.org/item?id=42&user=ana@example.com",
            "X-Forwarded-For": "203.0.113.9",
            "Accept-Language": "hr-HR",
        },
    )
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers  # nothing is put on the visitor's device
    with seeded.app_context():
        columns = {column["name"] for column in inspect(db.engine).get_columns("funnel_counts")}
        db.session.remove()
    assert columns == {
        "id",
        "day",
        "position_id",
        "step",
        "utm_source",
        "utm_medium",
        "utm_campaign",
        "referrer_host",
        "count",
    }
    [row] = rows(seeded)
    assert row["position_id"] == position_id(seeded, "data-analyst-amsterdam")
    assert (row["step"], row["count"]) == ("job_view", 1)
    assert (row["utm_source"], row["utm_medium"], row["utm_campaign"]) == (
        "linkedin",
        "",
        "spring 2027",
    )
    assert row["referrer_host"] == "news.example.org"
    stored = " ".join(str(value) for value in row.values())
    for personal in ("203.0.113.9", "ana@example.com", "Chrome", "item?id", "hr-HR"):
        assert personal not in stored


def test_a_page_view_is_added_without_waiting_for_the_database(seeded: Flask, client) -> None:
    seeded.config["FUNNEL_COUNTING"] = True
    client.get(JOB, headers={"User-Agent": CHROME})
    with seeded.app_context():
        assert db.session.scalar(select(FunnelCount.id)) is None  # still in memory
        db.session.remove()
    assert total(seeded) == 1


def test_a_due_flush_runs_in_the_background(tmp_path: Path, migrated_template: Path) -> None:
    app = _app_on(tmp_path / "db.sqlite3", tmp_path, migrated_template, FUNNEL_FLUSH_SECONDS=0)
    seed(app)
    app.test_client().get(JOB, headers={"User-Agent": CHROME})

    def stored() -> int:
        with app.app_context():
            value = db.session.scalar(select(db.func.sum(FunnelCount.count))) or 0
            db.session.remove()
        return int(value)

    wait_for(lambda: stored() == 1, timeout=10, what="the background flush")
    _close(app)


def test_a_failed_flush_keeps_its_counts_for_the_next(seeded: Flask, client) -> None:
    client.get(JOB, headers={"User-Agent": CHROME})
    with seeded.app_context():
        db.session.execute(text("ALTER TABLE funnel_counts RENAME TO funnel_counts_away"))
        db.session.commit()
        with pytest.raises(Exception):  # noqa: B017 - whatever the driver raises for a lost table
            counters(seeded).flush()
        db.session.execute(text("ALTER TABLE funnel_counts_away RENAME TO funnel_counts"))
        db.session.commit()
        db.session.remove()
    assert total(seeded) == 1


def _app_on(
    database: Path, instance: Path, template: Path, **config: object
) -> Flask:  # an app instance of its own, as another web process would be
    if not database.exists():
        shutil.copy(template, database)
    instance.mkdir(exist_ok=True)
    return create_app(config, env=base_env(instance, database), instance_path=instance)


def _close(app: Flask) -> None:
    from webapp.services.platform import close as close_platform

    close_platform(app)
    with app.app_context():
        db.engine.dispose()


def test_two_app_instances_add_up_in_one_database(tmp_path: Path, migrated_template: Path) -> None:
    database = tmp_path / "shared.sqlite3"
    first = _app_on(database, tmp_path / "one", migrated_template)
    second = _app_on(database, tmp_path / "two", migrated_template)
    seed(first)

    def browse(app: Flask, views: int) -> None:
        client = app.test_client()
        for n in range(views):
            client.get(
                JOB + ("?utm_source=linkedin" if n % 2 else ""), headers={"User-Agent": CHROME}
            )

    threads = [
        threading.Thread(target=browse, args=(app, 40)) for app in (first, second, first, second)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    counters(first).flush()
    counters(second).flush()
    browse(second, 3)  # a second flush adds to the same rows
    counters(second).flush()
    stored = rows(first)
    assert sum(int(row["count"]) for row in stored) == 163  # type: ignore[call-overload]
    assert sorted((row["utm_source"], row["count"]) for row in stored) == [
        ("", 82),
        ("linkedin", 81),
    ]
    _close(first)
    _close(second)


def test_counting_a_view_costs_microseconds(seeded: Flask) -> None:
    mine = counters(seeded)
    runs = 20_000
    seconds = timeit.timeit(
        lambda: mine.count("data-analyst-amsterdam", "job_view", ("linkedin", "", "", "")),
        number=runs,
    )
    assert seconds / runs < 50e-6, f"{seconds / runs * 1e6:.1f} µs per view"
    assert sum(mine.pending().values()) == runs


@pytest.mark.postgres
def test_two_app_instances_add_up_on_postgresql(tmp_path: Path, postgres_database: str) -> None:
    from flask_migrate import upgrade

    def instance(name: str) -> Flask:
        folder = tmp_path / name
        folder.mkdir()
        env = base_env(folder, folder / "unused.sqlite3", DATABASE_URL=postgres_database)
        return create_app(env=env, instance_path=folder)

    first, second = instance("one"), instance("two")
    with first.app_context():
        upgrade()
    seed(first)
    for app, views in ((first, 5), (second, 7), (first, 2)):
        client = app.test_client()
        for _ in range(views):
            client.get(JOB + "?utm_source=linkedin", headers={"User-Agent": CHROME})
        counters(app).flush()
    [row] = rows(second)
    assert (row["utm_source"], row["count"]) == ("linkedin", 14)
    _close(first)
    _close(second)


def test_pages_served_from_the_page_cache_are_counted_too(seeded: Flask, client) -> None:
    seeded.config["PAGE_CACHE_SECONDS"] = 60
    for _ in range(3):
        assert client.get(JOB, headers={"User-Agent": CHROME}).status_code == 200
    assert total(seeded) == 3


def test_a_page_in_another_language_counts_for_the_same_position(seeded: Flask, client) -> None:
    assert client.get("/de" + JOB, headers={"User-Agent": CHROME}).status_code == 200
    assert total(seeded) == 1


def test_counting_is_on_by_default_and_set_from_the_environment(tmp_path: Path) -> None:
    from webapp.config import ConfigError, load_settings

    env = base_env(tmp_path, tmp_path / "db.sqlite3")
    defaults = load_settings(env, tmp_path)
    assert (defaults["FUNNEL_COUNTING"], defaults["FUNNEL_FLUSH_SECONDS"]) == (True, 5)
    chosen = load_settings(
        {**env, "FUNNEL_COUNTING": "false", "FUNNEL_FLUSH_SECONDS": "30"}, tmp_path
    )
    assert (chosen["FUNNEL_COUNTING"], chosen["FUNNEL_FLUSH_SECONDS"]) == (False, 30)
    with pytest.raises(ConfigError, match="FUNNEL_FLUSH_SECONDS"):
        load_settings({**env, "FUNNEL_FLUSH_SECONDS": "0"}, tmp_path)
