"""Languages in URLs: prefixes, Accept-Language, the remembered choice, hreflang and canonical."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from tests.conftest import base_env
from tests.helpers import seed
from webapp import create_app
from webapp.config import ConfigError, load_settings
from webapp.extensions import db
from webapp.i18n.locales import SHIPPED
from webapp.services.platform import close as close_platform

JOB = "/jobs/warehouse-team-lead-bratislava"
SITE = "https://careers.example.com/work"


@pytest.fixture
def seeded(app: Flask) -> Flask:
    app.config["SITE_URL"] = SITE  # a public address with a path: prefixes go after it
    seed(app)
    return app


def _lang(page: str) -> tuple[str, str]:
    match = re.search(r'<html lang="([^"]+)" dir="([^"]+)">', page)
    assert match, "no <html lang dir>"
    return match.group(1), match.group(2)


def _canonical(page: str) -> str:
    found = re.findall(r'<link rel="canonical" href="([^"]+)">', page)
    assert len(found) == 1, found
    return found[0]


def _alternates(page: str) -> dict[str, str]:
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', page))


def test_a_prefix_renders_the_page_in_that_language(seeded: Flask, client) -> None:
    response = client.get("/de/", headers={"Accept-Language": "fr"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert _lang(page) == ("de", "ltr")
    assert "6 offene Stellen" in page and "Offene Stellen" in page
    assert response.headers["Content-Language"] == "de"
    arabic = client.get("/ar" + JOB).get_data(as_text=True)
    assert _lang(arabic) == ("ar", "rtl")
    assert "المقابلة باللغة السلوفاكية." in arabic
    brazil = client.get("/pt-br/").get_data(as_text=True)
    assert _lang(brazil)[0] == "pt-BR" and "6 vagas abertas" in brazil


@pytest.mark.parametrize(
    ("accept", "lang"),
    [
        (None, "en"),  # a crawler: the default, never a redirect
        ("de-AT,de;q=0.9,en;q=0.5", "de"),
        ("ja,sk;q=0.8", "sk"),
        ("pt-BR", "pt-BR"),
        ("pt", "pt-PT"),
        ("ja, zh;q=0.5", "en"),
        ("*", "en"),
    ],
)
def test_an_unprefixed_url_follows_accept_language_without_redirecting(
    seeded: Flask, client, accept: str | None, lang: str
) -> None:
    headers = {"Accept-Language": accept} if accept else {}
    response = client.get(JOB, headers=headers)
    assert response.status_code == 200  # no redirect, whatever the browser asks for
    page = response.get_data(as_text=True)
    assert _lang(page)[0] == lang
    assert response.headers["Content-Language"] == lang
    vary = {part.strip() for part in response.headers["Vary"].split(",")}
    assert {"Accept-Language", "Cookie"} <= vary
    assert "lang=" not in response.headers.get("Set-Cookie", "")  # nothing remembered unasked
    prefix = "" if lang == "en" else "/" + lang.lower()
    assert _canonical(page) == f"{SITE}{prefix}{JOB}"


def test_every_public_page_lists_each_language_and_x_default(seeded: Flask, client) -> None:
    for path in ("/", JOB, "/privacy", "/find-my-application"):
        page = client.get("/de" + path).get_data(as_text=True)
        alternates = _alternates(page)
        expected = {loc.tag: f"{SITE}/{loc.url_tag}{path}" for loc in SHIPPED}
        expected["en"] = f"{SITE}{path}"  # the default language's URL is the unprefixed one
        expected["x-default"] = f"{SITE}{path}"
        assert alternates == expected, path
        assert _canonical(page) == f"{SITE}/de{path}"


def test_the_switch_remembers_the_choice_and_keeps_the_page(seeded: Flask, client) -> None:
    page = client.get(JOB + "?ref=x").get_data(as_text=True)
    links = re.findall(r'<a href="([^"]+)" lang="([^"]+)" hreflang="([^"]+)"', page)
    assert len(links) == len(SHIPPED)
    href = next(h for h, lang, _ in links if lang == "ar").replace("&amp;", "&")
    response = client.get(href)
    assert response.status_code == 303
    assert response.headers["Location"] == "/ar" + JOB + "?ref=x"
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("lang=ar;")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Max-Age=31536000" in cookie
    # Remembered: the unprefixed page now comes in Arabic, whatever Accept-Language says.
    again = client.get("/", headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert _lang(again) == ("ar", "rtl")
    # Choosing the default language again goes back to the unprefixed URL.
    back = client.get("/language/en?next=/de/privacy")
    assert back.headers["Location"] == "/privacy"
    assert _lang(client.get("/", headers={"Accept-Language": "de"}).get_data(as_text=True)) == (
        "en",
        "ltr",
    )


@pytest.mark.parametrize(
    "target",
    ["//evil.example/x", "https://evil.example/", "/\\evil.example", "/admin", "/static/x", ""],
)
def test_the_switch_never_leaves_the_site(seeded: Flask, client, target: str) -> None:
    response = client.get("/language/de", query_string={"next": target})
    assert response.status_code == 303
    assert response.headers["Location"] == "/de/"


def test_an_unknown_language_in_the_switch_is_a_404(seeded: Flask, client) -> None:
    assert client.get("/language/xx?next=/").status_code == 404
    assert client.get("/xx/").status_code == 404


def test_language_independent_urls_keep_one_address(seeded: Flask, client) -> None:
    page = client.get("/de/").get_data(as_text=True)
    assert re.search(r'href="/static/site\.css\?v=\w+"', page)
    assert 'href="/jobs.atom"' in page and 'href="/jobs.json"' in page
    assert re.search(r'href="/theme-[^"]+\.css"', page)
    assert 'href="/de/jobs/' in page and 'href="/de/privacy"' in page  # pages keep the prefix
    assert client.get("/de/static/site.css").status_code == 404
    assert client.get("/de/jobs.atom").status_code == 404
    assert client.get("/de/admin/login").status_code == 404
    static = client.get("/static/site.css")
    assert static.status_code == 200
    static.close()
    assert "Accept-Language" not in client.get("/jobs.atom").headers.get("Vary", "")


def test_error_pages_speak_the_pages_language(seeded: Flask, client) -> None:
    response = client.get("/de/nothing-here")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Wir konnten diese Seite nicht finden" in page and _lang(page)[0] == "de"
    missing = client.get("/fr/jobs/no-such-job").get_data(as_text=True)
    assert "Nous n’avons pas trouvé ce poste" in missing


def test_the_page_cache_keeps_one_copy_per_language(seeded: Flask, client) -> None:
    seeded.config["PAGE_CACHE_SECONDS"] = 60
    german = client.get("/", headers={"Accept-Language": "de"}).get_data(as_text=True)
    english = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    czech = client.get("/cs/").get_data(as_text=True)
    assert _lang(german)[0] == "de" and _lang(english)[0] == "en" and _lang(czech)[0] == "cs"


def test_structured_data_names_the_pages_language(seeded: Flask, client) -> None:
    page = client.get("/fr" + JOB).get_data(as_text=True)
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)[1]
    )
    assert data["inLanguage"] == "fr"
    assert data["url"] == f"{SITE}/fr{JOB}"
    english = client.get(JOB).get_data(as_text=True)
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', english, re.S)[1]
    )
    assert data["inLanguage"] == "en" and data["url"] == SITE + JOB


def test_default_locale_is_validated(tmp_path: Path) -> None:
    env = base_env(tmp_path, tmp_path / "x.sqlite3")
    assert load_settings({**env, "DEFAULT_LOCALE": "pt-BR"}, tmp_path)["DEFAULT_LOCALE"] == "pt_BR"
    assert load_settings(env, tmp_path)["DEFAULT_LOCALE"] == "en"
    with pytest.raises(ConfigError, match="DEFAULT_LOCALE"):
        load_settings({**env, "DEFAULT_LOCALE": "klingon"}, tmp_path)


@pytest.fixture
def german_site(tmp_path: Path, migrated_template: Path) -> Iterator[Flask]:
    database = tmp_path / "de.sqlite3"
    shutil.copy(migrated_template, database)
    app = create_app(env={**base_env(tmp_path, database), "DEFAULT_LOCALE": "de"})
    app.config["SITE_URL"] = SITE
    seed(app)
    yield app
    close_platform(app)
    with app.app_context():
        db.engine.dispose()


def test_a_site_whose_default_is_german(german_site: Flask) -> None:
    client = german_site.test_client()
    page = client.get(JOB).get_data(as_text=True)  # no Accept-Language: the site's default
    assert _lang(page)[0] == "de"
    assert _canonical(page) == SITE + JOB
    alternates = _alternates(page)
    assert alternates["de"] == SITE + JOB and alternates["en"] == f"{SITE}/en{JOB}"
    english = client.get("/en" + JOB).get_data(as_text=True)
    assert _lang(english)[0] == "en" and _canonical(english) == f"{SITE}/en{JOB}"
