"""Page sections per language: German words on /de/, fallbacks named on publish, history kept."""

# ruff: noqa: F811  (a test's parameter names the fixture imported below)

from __future__ import annotations

import re
from typing import Any

from flask import Flask

from tests.studio_fixtures import (  # noqa: F401 (fixtures)
    add_section,
    colleague,
    hero,
    marketer,
    multipart,
    photo_jpeg,
    publish,
    read_form,
    section_form,
    section_ids,
    seeded,
)
from tests.test_studio import PAYLOAD, assert_inert
from tests.test_studio_languages import page, set_languages, text
from webapp.extensions import db
from webapp.models.content import DRAFT_NUMBER, SiteVersion
from webapp.services.site_translations import (
    clean_section_translations,
    localized_sections,
)

FAQ_EN = "Can I work part time?\nYes, from 24 hours a week."
FAQ_DE = "Kann ich in Teilzeit arbeiten?\nJa, ab 24 Stunden pro Woche."


def edit_url(where: str, section_id: str, lang: str) -> str:
    return f"/admin/studio/sections/{where}/{section_id}?lang={lang}"


def translate(
    client: Any, where: str, section_id: str, lang: str, expect: int = 303, **fields: str
) -> Any:
    """Open a section's form in ``lang``, fill in its words, press Save."""
    url = edit_url(where, section_id, lang)
    response = multipart(client, url, {**section_form(client, url), **fields}, {})
    assert response.status_code == expect, response.get_data(as_text=True)[:3000]
    return response


def only_section(client: Any, where: str = "home") -> str:
    (section_id,) = section_ids(client, where)
    return section_id


def faq(client: Any) -> str:
    add_section(client, "home", "faq", heading="Questions", faq=FAQ_EN)
    return only_section(client)


def test_a_german_faq_shows_on_the_german_page_and_english_stays(
    seeded: Flask, marketer: Any
) -> None:
    assert set_languages(marketer, ["en", "de", "nl"], "en").status_code == 303
    section_id = faq(marketer)
    translate(marketer, "home", section_id, "de", heading="Fragen", faq=FAQ_DE)
    assert "Kann ich in Teilzeit" not in text(page(seeded, "/de/"))  # a draft until published
    assert "Careers home: sections — German" in text(marketer.get("/admin/studio"))
    assert publish(marketer).status_code == 303

    german = text(page(seeded, "/de/"))
    assert "Kann ich in Teilzeit arbeiten?" in german and "Ja, ab 24 Stunden" in german
    assert "Can I work part time?" not in german
    assert re.search(r'<section class="section section-faq" aria-labelledby', german)
    english = text(page(seeded, "/"))
    assert "Can I work part time?" in english and "Kann ich" not in english
    # Dutch has no words of its own: the English FAQ, marked as English for screen readers.
    dutch = text(page(seeded, "/nl/"))
    assert "Can I work part time?" in dutch
    assert '<section class="section section-faq" lang="en"' in dutch
    # The forms keep each language apart.
    german_form = section_form(marketer, edit_url("home", section_id, "de"))
    assert german_form["heading"] == "Fragen" and german_form["faq"] == FAQ_DE
    english_form = section_form(marketer, edit_url("home", section_id, "en"))
    assert english_form["heading"] == "Questions" and english_form["faq"] == FAQ_EN


def test_a_missing_dutch_benefits_list_shows_english_and_publish_warns_naming_it(
    seeded: Flask, marketer: Any
) -> None:
    assert set_languages(marketer, ["en", "nl"], "en").status_code == 303
    add_section(marketer, "home", "benefits", heading="Perks", benefits="Paid training\nE-bike")
    line = (
        "Careers home: Benefits list 1 “Perks” in Dutch: candidates "
        "read the English text “Perks · Paid training · E-bike”"
    )
    languages = text(marketer.get("/admin/studio/languages"))
    assert line in languages
    listing = text(marketer.get("/admin/studio/sections/home"))
    assert f'{edit_url("home", only_section(marketer), "nl")}">Dutch</a>' in listing
    form = section_form(marketer, edit_url("home", only_section(marketer), "nl"))
    assert form["heading"] == "" and form["benefits"] == ""  # nothing Dutch yet
    editor = text(marketer.get(edit_url("home", only_section(marketer), "nl")))
    assert "Not written in Dutch yet: candidates on the Dutch pages read the English words" in (
        editor
    )

    response = publish(marketer)
    assert response.status_code == 303
    after = text(marketer.get(response.headers["Location"]))
    assert "Published as version" in after and line in after
    dutch = text(page(seeded, "/nl/"))
    assert "Paid training" in dutch  # exactly what the warning said
    assert '<section class="section section-benefits" lang="en"' in dutch


def test_require_complete_refuses_with_the_section_listed(seeded: Flask, marketer: Any) -> None:
    assert set_languages(marketer, ["en", "nl"], "en", complete=True).status_code == 303
    add_section(marketer, "job", "quote", quote="I fix bikes all day.", name="Ana")
    refused = publish(marketer)
    assert refused.status_code == 409
    body = text(refused)
    assert "Not published: the site requires complete translations and 1 are missing" in body or (
        "Not published: the site requires complete translations and 1 is missing" in body
    )
    assert "Job pages: Team quote 1 “I fix bikes all day.” in Dutch" in body

    translate(
        marketer,
        "job",
        only_section(marketer, "job"),
        "nl",
        quote="Ik repareer fietsen.",
        name="Ana",
    )
    assert "Nothing is missing" in text(marketer.get("/admin/studio/languages"))
    assert publish(marketer).status_code == 303


def test_rollback_and_restore_bring_the_german_words_back(seeded: Flask, marketer: Any) -> None:
    section_id = faq(marketer)
    translate(marketer, "home", section_id, "de", heading="Erste Fassung", faq=FAQ_DE)
    publish(marketer)
    translate(marketer, "home", section_id, "de", heading="Zweite Fassung", faq=FAQ_DE)
    publish(marketer)
    assert "Zweite Fassung" in text(page(seeded, "/de/"))
    history = text(marketer.get("/admin/studio"))
    number = int(re.search(r'id="version-(\d+)"', history).group(1)) - 1
    url = f"/admin/studio/versions/{number}/rollback"
    assert "Careers home: sections — German" in text(marketer.get(url))
    assert marketer.post(url, data={"confirm": "yes"}).status_code == 303
    assert "Erste Fassung" in text(page(seeded, "/de/"))
    assert section_form(marketer, edit_url("home", section_id, "de"))["heading"] == "Erste Fassung"

    # A draft set aside by going back to the defaults keeps the German words, and restores them.
    translate(marketer, "home", section_id, "de", heading="Dritte Fassung", faq=FAQ_DE)
    marketer.post("/admin/studio/defaults/rollback", data={"confirm": "yes"})
    assert section_ids(marketer, "home") == []
    studio = text(marketer.get("/admin/studio"))
    kept = re.search(r'<tr id="saved-draft-(\d+)">([\s\S]*?)</tr>', studio)
    path = f"/admin/studio/saved-drafts/{kept.group(1)}/restore"
    revision = re.search(r'name="revision" value="(\d+)"', text(marketer.get(path))).group(1)
    assert marketer.post(path, data={"confirm": "yes", "revision": revision}).status_code == 303
    assert section_form(marketer, edit_url("home", section_id, "de"))["heading"] == "Dritte Fassung"


def test_the_german_preview_shows_the_draft_words(seeded: Flask, marketer: Any) -> None:
    section_id = faq(marketer)
    publish(marketer)
    translate(marketer, "home", section_id, "de", heading="Fragen im Entwurf", faq=FAQ_DE)
    made = marketer.post("/admin/studio/preview-links", data={"open": "1", "lang": "de"})
    visitor = seeded.test_client()
    visitor.get("/" + made.headers["Location"].split("/", 3)[3])
    assert "Fragen im Entwurf" in text(visitor.get("/de/"))
    assert "Fragen im Entwurf" not in text(page(seeded, "/de/"))  # not published
    assert "Questions" in text(visitor.get("/"))  # the English preview keeps the English words


def test_hostile_text_in_a_german_section_is_sanitised(seeded: Flask, marketer: Any) -> None:
    add_section(marketer, "job", "text", heading="About the team", body="We fix bikes.")
    section_id = only_section(marketer, "job")
    translate(marketer, "job", section_id, "de", heading=PAYLOAD, body=f"**Wir** {PAYLOAD}")
    publish(marketer)
    html = page(seeded, "/de/jobs/data-analyst-amsterdam").get_data(as_text=True)
    assert "<strong>Wir</strong>" in html  # Markdown still works
    assert_inert(html)
    assert_inert(marketer.get(edit_url("job", section_id, "de")).get_data(as_text=True))
    assert_inert(marketer.get("/admin/studio/languages").get_data(as_text=True))


def test_a_german_alt_text_shares_the_image(seeded: Flask, marketer: Any) -> None:
    hero(marketer, "home", alt="Two mechanics fitting a wheel")
    section_id = only_section(marketer)
    editor = text(marketer.get(edit_url("home", section_id, "de")))
    assert 'id="image_file"' not in editor  # the image is shared, not uploaded per language
    translate(marketer, "home", section_id, "de", alt="Zwei Mechaniker montieren ein Rad")
    publish(marketer)
    german = page(seeded, "/de/").get_data(as_text=True)
    english = page(seeded, "/").get_data(as_text=True)
    assert 'alt="Zwei Mechaniker montieren ein Rad"' in german
    assert 'alt="Two mechanics fitting a wheel"' in english
    image = re.compile(r'src="(/brand/section-[^"]+)"')
    assert image.search(german).group(1) == image.search(english).group(1)


def test_a_decorative_image_has_nothing_to_translate(seeded: Flask, marketer: Any) -> None:
    files = {"image_file": (photo_jpeg(), "team.jpg")}
    add_section(marketer, "home", "hero", files=files, alt="", decorative="y")
    # The list of sections names it without a heading or alt text to quote (once a 500).
    assert marketer.get("/admin/studio/sections/home").status_code == 200
    assert set_languages(marketer, ["en", "nl"], "en").status_code == 303
    editor = text(marketer.get(edit_url("home", only_section(marketer), "nl")))
    assert "it has no words to translate" in editor and 'id="save-section"' not in editor
    assert "Nothing is missing" in text(marketer.get("/admin/studio/languages"))


def test_german_words_are_checked_and_emptying_them_falls_back(
    seeded: Flask, marketer: Any
) -> None:
    section_id = faq(marketer)
    refused = translate(
        marketer, "home", section_id, "de", expect=422, faq="Eine Frage ohne Antwort"
    )
    assert "Every question needs an answer" in text(refused)
    translate(marketer, "home", section_id, "de", heading="Fragen", faq=FAQ_DE)
    translate(marketer, "home", section_id, "de", heading="", faq="")
    publish(marketer)
    assert "Can I work part time?" in text(page(seeded, "/de/"))  # never an empty section
    with seeded.app_context():
        draft = db.session.query(SiteVersion).filter_by(number=DRAFT_NUMBER).one()
        assert "sections" not in (draft.translations or {}).get("de", {})


def test_removing_a_section_drops_its_words_in_every_language(seeded: Flask, marketer: Any) -> None:
    section_id = faq(marketer)
    translate(marketer, "home", section_id, "de", heading="Fragen", faq=FAQ_DE)
    url = f"/admin/studio/sections/home/{section_id}/remove"
    opened = marketer.get("/admin/studio/sections/home").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', opened)
    data = {"confirm": "yes", **({"csrf_token": token.group(1)} if token else {})}
    assert marketer.post(url, data=data).status_code == 303
    with seeded.app_context():
        draft = db.session.query(SiteVersion).filter_by(number=DRAFT_NUMBER).one()
        assert clean_section_translations(draft.translations) == {}


def test_german_words_changed_by_someone_else_are_not_overwritten(
    seeded: Flask, marketer: Any, colleague: Any
) -> None:
    section_id = faq(marketer)
    url = edit_url("home", section_id, "de")
    mine = section_form(marketer, url)
    translate(colleague, "home", section_id, "de", heading="Von Colin", faq=FAQ_DE)
    stale = multipart(marketer, url, {**mine, "heading": "Von Mara", "faq": FAQ_DE}, {})
    assert stale.status_code == 409
    assert section_form(marketer, url)["heading"] == "Von Colin"


def test_an_unknown_language_edits_the_default_never_a_500(seeded: Flask, marketer: Any) -> None:
    section_id = faq(marketer)
    response = marketer.get(edit_url("home", section_id, "xx-yy"))
    assert response.status_code == 200 and "This section in English" in text(response)
    form = read_form(response.get_data(as_text=True), "section-form")
    assert form["faq"] == FAQ_EN


def test_another_default_language_is_the_fallback_for_sections(
    seeded: Flask, marketer: Any
) -> None:
    assert set_languages(marketer, ["en", "de", "nl"], "de").status_code == 303
    section_id = faq(marketer)
    translate(marketer, "home", section_id, "de", heading="Fragen", faq=FAQ_DE)
    publish(marketer)
    dutch = text(page(seeded, "/nl/"))
    assert "Kann ich in Teilzeit" in dutch and '<section class="section section-faq" lang="de"' in (
        dutch
    )


def test_damaged_stored_words_are_ignored() -> None:
    stored = {
        "de": {"home_heading": "x", "sections": {"abcdef012345": {"heading": 3, "body": "Hallo"}}},
        "xx": {"sections": {"abcdef012345": {"body": "?"}}},
        "nl": {"sections": {"not-an-id": {"body": "?"}, "abcdef012346": "broken"}},
        "en": {"sections": {"abcdef012345": {"body": "English is the section itself"}}},
    }
    assert clean_section_translations(stored) == {"de": {"abcdef012345": {"body": "Hallo"}}}
    section = {"id": "abcdef012345", "kind": "faq", "heading": "Q", "items": [{"q": "a", "a": "b"}]}
    bad = {"de": {"abcdef012345": {"items": [{"q": "<b>only a question</b>", "a": ""}]}}}
    shown = localized_sections([section], bad, "de", "en")
    assert shown == [{**section, "lang": "en"}]  # words that fail the checks never show
