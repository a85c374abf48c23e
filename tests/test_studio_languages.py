"""Studio texts per language: the languages the site offers, fallbacks, publishing, previews."""

# ruff: noqa: F811  (a test's parameter names the fixture imported below)

from __future__ import annotations

import re
import shutil
import time
from html import unescape
from pathlib import Path
from typing import Any

from flask import Flask
from flask_babel import force_locale, gettext
from sqlalchemy import event

from tests.conftest import base_env
from tests.studio_fixtures import (  # noqa: F401 (fixtures)
    SLUG,
    draft_revision,
    edit_draft,
    marketer,
    publish,
    read_form,
    seeded,
)
from webapp import create_app
from webapp.extensions import db
from webapp.i18n import state
from webapp.services.site import DEFAULT_TEXTS

HEADING = DEFAULT_TEXTS["home_heading"]


def page(app: Flask, path: str, **headers: str) -> Any:
    """A public page as a new visitor (no cookie, no preview) gets it."""
    return app.test_client().get(path, headers=headers)


def text(response: Any) -> str:
    return unescape(response.get_data(as_text=True))


def edit_in(client: Any, lang: str, path: str = "/admin/studio/draft", **changes: str) -> Any:
    """Open a studio text form in one language, change fields, save."""
    opened = client.get(f"{path}?lang={lang}")
    assert opened.status_code == 200
    form_id = "draft-form" if path.endswith("/draft") else "position-form"
    values = read_form(opened.get_data(as_text=True), form_id)
    response = client.post(f"{path}?lang={lang}", data={**values, **changes})
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    return response


def set_languages(client: Any, offered: list[str], default: str, complete: bool = False) -> Any:
    """Save the languages settings form."""
    opened = client.get("/admin/studio/languages")
    assert opened.status_code == 200
    values = read_form(opened.get_data(as_text=True), "languages-form")
    values.pop("offered", None)
    values.pop("require_complete", None)
    data: dict[str, Any] = {**values, "offered": offered, "default": default}
    if complete:
        data["require_complete"] = "y"
    return client.post("/admin/studio/languages", data=data)


def built_in(app: Flask, key: str, ident: str) -> str:
    with app.test_request_context(), force_locale(ident):
        return gettext(DEFAULT_TEXTS[key])


def test_a_german_text_shows_on_the_german_page_and_english_stays(
    seeded: Flask, marketer: Any
) -> None:
    edit_in(marketer, "de", text_home_heading="Fahr mit uns in die Stadt von morgen")
    assert "Fahr mit uns" not in text(page(seeded, "/de/"))  # a draft until published
    assert publish(marketer).status_code == 303

    german = text(page(seeded, "/de/"))
    assert "Fahr mit uns in die Stadt von morgen" in german
    english = text(page(seeded, "/"))
    assert HEADING in english and "Fahr mit uns" not in english
    # Dutch has no text of the marketer's: the built-in Dutch translation, not the German text.
    dutch = text(page(seeded, "/nl/"))
    assert built_in(seeded, "home_heading", "nl") in dutch and "Fahr mit uns" not in dutch
    # Saved per language: the English form still shows the English text.
    english_form = read_form(
        marketer.get("/admin/studio/draft?lang=en").get_data(as_text=True), "draft-form"
    )
    assert english_form["text_home_heading"] == HEADING
    german_form = read_form(
        marketer.get("/admin/studio/draft?lang=de").get_data(as_text=True), "draft-form"
    )
    assert german_form["text_home_heading"] == "Fahr mit uns in die Stadt von morgen"
    # Left empty, a German field means the German built-in text: the sample card says so too.
    german_page = text(marketer.get("/admin/studio/draft?lang=de"))
    assert f'data-default="{built_in(seeded, "home_intro", "de")}"' in german_page
    field = re.search(r'<input[^>]*id="text_home_heading"[^>]*>', german_page).group(0)
    assert 'lang="de"' in field  # spell-checked and read aloud as German


def test_the_change_list_and_history_name_the_language(seeded: Flask, marketer: Any) -> None:
    edit_in(marketer, "de", text_home_heading="Fahr mit uns")
    studio = text(marketer.get("/admin/studio"))
    assert "Careers home: Heading — German" in studio
    publish(marketer)
    assert "Careers home: Heading — German" in text(marketer.get("/admin/studio"))  # history


def test_writing_the_built_in_translation_keeps_it_built_in(seeded: Flask, marketer: Any) -> None:
    edit_in(marketer, "de", text_home_heading=built_in(seeded, "home_heading", "de"))
    assert "Your draft has" not in text(marketer.get("/admin/studio"))
    edit_in(marketer, "de", text_home_heading="Bau mit uns")
    assert "Your draft has 1 unpublished change" in text(marketer.get("/admin/studio"))


def test_a_missing_dutch_text_warns_on_publish_and_names_the_fallback(
    seeded: Flask, marketer: Any
) -> None:
    assert set_languages(marketer, ["en", "nl"], "en").status_code == 303
    edit_in(marketer, "en", text_home_heading="Ride with us")
    languages = text(marketer.get("/admin/studio/languages"))
    assert (
        "Careers home: Heading in Dutch: candidates read the English text “Ride with us”"
        in languages
    )

    response = publish(marketer)
    assert response.status_code == 303
    after = text(marketer.get(response.headers["Location"]))
    assert "Published as version" in after
    assert "candidates read the default language's text there instead" in after
    assert (
        "Careers home: Heading in Dutch: candidates read the English text “Ride with us”" in after
    )
    assert "Ride with us" in text(page(seeded, "/nl/"))  # exactly what the warning said


def test_require_complete_refuses_to_publish_with_the_list(seeded: Flask, marketer: Any) -> None:
    assert set_languages(marketer, ["en", "nl"], "en", complete=True).status_code == 303
    edit_in(marketer, "en", text_home_heading="Ride with us", text_apply_heading="Join us")

    refused = publish(marketer)
    assert refused.status_code == 409
    body = text(refused)
    assert "Not published: the site requires complete translations and 2 are missing" in body
    assert "Careers home: Heading in Dutch" in body and "Apply page: Heading" in body
    assert "Ride with us" not in text(page(seeded, "/"))  # nothing went live

    edit_in(marketer, "nl", text_home_heading="Rijd met ons mee", text_apply_heading="Doe mee")
    assert publish(marketer).status_code == 303
    assert "Rijd met ons mee" in text(page(seeded, "/nl/"))
    assert "Ride with us" in text(page(seeded, "/"))


def test_disabling_a_language_removes_it_from_the_switch_and_hreflang(
    seeded: Flask, marketer: Any
) -> None:
    before = text(page(seeded, "/"))
    assert 'hreflang="de"' in before and "/language/de?" in before
    assert set_languages(marketer, ["en", "nl", "fr"], "en").status_code == 303
    assert page(seeded, "/de/").status_code == 200  # only once published
    publish(marketer)

    home = text(page(seeded, "/"))
    assert 'hreflang="de"' not in home and "/language/de?" not in home
    assert 'hreflang="nl"' in home and 'hreflang="fr"' in home and "/language/nl?" in home
    assert page(seeded, "/de/").status_code == 404
    assert page(seeded, f"/de/jobs/{SLUG}").status_code == 404
    assert page(seeded, "/language/de?next=/").status_code == 404
    # A German browser is offered what the site has: the default language.
    assert HEADING in text(page(seeded, "/", **{"Accept-Language": "de-DE,de;q=0.9"}))
    assert built_in(seeded, "home_heading", "fr") in text(
        page(seeded, "/", **{"Accept-Language": "fr-FR,fr;q=0.9"})
    )


def test_another_default_language_serves_unprefixed_pages_and_is_the_fallback(
    seeded: Flask, marketer: Any
) -> None:
    assert set_languages(marketer, ["de", "nl"], "de").status_code == 303
    # The forms open in the default language now.
    form_page = text(marketer.get("/admin/studio/draft"))
    assert "Texts in German" in form_page
    edit_in(marketer, "de", text_home_heading="Fahr mit uns")
    publish(marketer)
    assert "Fahr mit uns" in text(page(seeded, "/"))
    assert "Fahr mit uns" in text(page(seeded, "/nl/"))  # missing in Dutch: the German text
    assert page(seeded, "/fr/").status_code == 404
    assert 'lang="de"' in text(page(seeded, "/"))


def test_the_default_language_must_be_offered(seeded: Flask, marketer: Any) -> None:
    response = set_languages(marketer, ["en", "nl"], "de")
    assert response.status_code == 422
    assert "The default language must be one of the languages offered." in text(response)
    assert set_languages(marketer, [], "en").status_code == 422


def test_position_texts_per_language(seeded: Flask, marketer: Any) -> None:
    path = f"/admin/studio/positions/{SLUG}"
    edit_in(marketer, "en", path, text_job_apply_label="Apply to analyse")
    edit_in(marketer, "de", path, text_job_apply_label="Jetzt als Analyst bewerben")
    publish(marketer)
    assert "Jetzt als Analyst bewerben" in text(page(seeded, f"/de/jobs/{SLUG}"))
    assert "Apply to analyse" in text(page(seeded, f"/jobs/{SLUG}"))
    # French misses the position's text: candidates read the English one, and the table says so.
    assert "Apply to analyse" in text(page(seeded, f"/fr/jobs/{SLUG}"))
    languages = text(marketer.get("/admin/studio/languages"))
    assert (
        f"{SLUG} → Job page: Apply button in French: candidates read the English text" in languages
    )


def test_the_language_table_tells_own_built_in_and_missing_apart(
    seeded: Flask, marketer: Any
) -> None:
    set_languages(marketer, ["en", "de", "nl"], "en")
    edit_in(marketer, "en", text_home_heading="Ride with us")
    edit_in(marketer, "de", text_home_heading="Fahr mit uns", text_apply_intro="Zwei Minuten.")
    body = marketer.get("/admin/studio/languages").get_data(as_text=True)
    table = body[body.index('id="coverage"') :]
    rows = re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</th>(.*?)</tr>", table, re.S)
    cells = {label: re.findall(r'class="badge[^"]*">([^<]+)<', rest) for label, rest in rows}
    assert cells["Careers home: Heading"] == ["Your text", "Your text", "Missing"]
    assert cells["Apply page: Introduction"] == [
        "Built-in translation",
        "Your text",
        "Built-in translation",
    ]


def test_preview_in_german_shows_the_german_draft(seeded: Flask, marketer: Any) -> None:
    edit_in(marketer, "de", text_home_heading="Fahr mit uns (Entwurf)")
    made = marketer.post("/admin/studio/preview-links", data={"open": "1", "lang": "de"})
    assert made.status_code == 303
    link = made.headers["Location"]
    assert link.endswith("?lang=de")
    visitor = seeded.test_client()
    opened = visitor.get("/" + link.split("/", 3)[3])
    assert opened.status_code == 303 and opened.headers["Location"].endswith("/de/")
    german = text(visitor.get("/de/"))
    assert "Fahr mit uns (Entwurf)" in german
    assert "Fahr mit uns (Entwurf)" not in text(page(seeded, "/de/"))  # not published
    # The sample candidate pages switch too.
    sample = visitor.get(f"/preview/jobs/{SLUG}/finished?lang=de")
    assert sample.status_code == 200 and 'lang="de"' in text(sample)


def test_preview_of_a_language_the_draft_enables_before_publishing(
    seeded: Flask, marketer: Any
) -> None:
    set_languages(marketer, ["en", "nl"], "en")
    publish(marketer)
    assert page(seeded, "/de/").status_code == 404
    set_languages(marketer, ["en", "nl", "de"], "en")
    edit_in(marketer, "de", text_home_heading="Bald auf Deutsch")
    link = marketer.post("/admin/studio/preview-links", data={"open": "1", "lang": "de"})
    visitor = seeded.test_client()
    visitor.get("/" + link.headers["Location"].split("/", 3)[3])
    assert "Bald auf Deutsch" in text(visitor.get("/de/"))
    assert page(seeded, "/de/").status_code == 404


def test_rollback_brings_back_each_languages_texts(seeded: Flask, marketer: Any) -> None:
    edit_in(marketer, "de", text_home_heading="Erste Fassung")
    publish(marketer)
    edit_in(marketer, "de", text_home_heading="Zweite Fassung")
    set_languages(marketer, ["en", "de"], "en")
    publish(marketer)
    assert page(seeded, "/nl/").status_code == 404
    history = text(marketer.get("/admin/studio"))
    number = int(re.search(r'id="version-(\d+)"', history).group(1)) - 1
    url = f"/admin/studio/versions/{number}/rollback"
    assert marketer.get(url).status_code == 200
    assert marketer.post(url, data={"confirm": "yes"}).status_code == 303
    assert "Erste Fassung" in text(page(seeded, "/de/"))
    assert page(seeded, "/nl/").status_code == 200


def test_an_unknown_language_in_the_studio_is_the_default_never_a_500(marketer: Any) -> None:
    response = marketer.get("/admin/studio/draft?lang=xx-yy")
    assert response.status_code == 200 and "Texts in English" in text(response)
    assert marketer.get(f"/admin/studio/positions/{SLUG}?lang=de-CH").status_code == 200


def test_damaged_language_settings_keep_the_site_speaking(seeded: Flask) -> None:
    from webapp.i18n.offered import parse_settings

    assert parse_settings({"offered": "de", "default": 3}, "en").offered[0] == "en"
    broken = parse_settings({"offered": ["xx", "nl"], "default": "de"}, "en")
    assert broken.default == "de" and broken.offered == ("de", "nl")
    assert parse_settings(None, "nl").default == "nl"


def test_a_set_aside_draft_keeps_and_restores_its_translations(
    seeded: Flask, marketer: Any
) -> None:
    edit_in(marketer, "de", text_home_heading="Erste Fassung")
    publish(marketer)
    edit_in(marketer, "nl", text_home_heading="Werk in uitvoering")
    set_languages(marketer, ["en", "nl"], "nl", complete=True)
    marketer.post("/admin/studio/defaults/rollback", data={"confirm": "yes"})
    assert "Erste Fassung" not in text(page(seeded, "/de/"))
    assert "Werk in uitvoering" not in text(marketer.get("/admin/studio/draft?lang=nl"))

    studio = text(marketer.get("/admin/studio"))
    kept = re.search(r'<tr id="saved-draft-(\d+)">([\s\S]*?)</tr>', studio)
    assert "Careers home: Heading — Dutch" in kept.group(2)
    path = f"/admin/studio/saved-drafts/{kept.group(1)}/restore"
    revision = re.search(r'name="revision" value="(\d+)"', text(marketer.get(path))).group(1)
    assert marketer.post(path, data={"confirm": "yes", "revision": revision}).status_code == 303
    dutch = read_form(
        marketer.get("/admin/studio/draft?lang=nl").get_data(as_text=True), "draft-form"
    )
    assert dutch["text_home_heading"] == "Werk in uitvoering"
    assert "Texts in Dutch" in text(
        marketer.get("/admin/studio/draft")
    )  # Dutch is the default again


def test_the_offered_languages_are_cached_per_app_and_reach_every_process(
    tmp_path: Path, migrated_template: Path
) -> None:
    database = tmp_path / "shared.sqlite3"
    shutil.copy(migrated_template, database)
    env = base_env(tmp_path, database)
    first = create_app(env=env, instance_path=tmp_path)
    second = create_app(env=env, instance_path=tmp_path)
    queries: list[str] = []
    with second.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *args: queries.append(args[2]))
    with second.test_request_context("/"):
        assert "de" in state().offered
    queries.clear()
    for _ in range(200):  # 200 requests' worth of lookups: the database is asked once at most
        with second.test_request_context("/"):
            state()
    assert len(queries) <= 1

    with first.app_context():
        from webapp.services import studio

        draft = studio.get_draft()
        settings = '{"default": "nl", "offered": ["en", "nl"], "require_complete": false}'
        saved = studio.save_draft({"languages": settings}, draft.revision, {}, None)
        studio.publish(saved.revision, None)
    deadline = time.monotonic() + 3
    seen = None
    while time.monotonic() < deadline:
        with second.test_request_context("/"):
            seen = state()
        if seen.offered == ("en", "nl"):
            break
        time.sleep(0.1)
    assert seen is not None and seen.offered == ("en", "nl") and seen.default == "nl"
    assert second.test_client().get("/de/").status_code == 404


def test_many_missing_translations_warn_with_a_few_and_list_the_rest(
    seeded: Flask, marketer: Any
) -> None:
    edit_in(marketer, "en", text_home_heading="Ride with us", text_apply_heading="Join us")
    after = text(marketer.get(publish(marketer).headers["Location"]))
    # Two texts, twelve other languages: 24 gaps, three named in the message, all on the page.
    assert "24 of your texts have no translation in an offered language" in after
    assert "; and 21 more, listed under “Languages”." in after
    assert "Careers home: Heading in Arabic: candidates read the English text" in text(
        marketer.get("/admin/studio/languages")
    )
