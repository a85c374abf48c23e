"""Marketers never lose work in the studio: logo uploads keep edits, rollbacks ask and set drafts aside."""

# ruff: noqa: F811  (a test's parameter names the fixture imported below)

from __future__ import annotations

import re
from typing import Any

from flask import Flask

from tests.studio_fixtures import (  # noqa: F401 (fixtures)
    colleague,
    edit_draft,
    marketer,
    open_draft,
    png_bytes,
    publish,
    read_form,
    save_draft,
    seeded,
    upload_logo,
)
from webapp.extensions import db
from webapp.models.content import SavedDraft
from webapp.services.site import DEFAULT_TEXTS
from webapp.uploads import EXTENSION_KEY, UploadSlots

HEADING = DEFAULT_TEXTS["home_heading"]
PURPLE = "#5b2a86"


def home(app: Flask) -> str:
    """The careers home as a candidate sees it."""
    return app.test_client().get("/").get_data(as_text=True)


def page_of(client: Any, response: Any) -> str:
    """The page a redirect leads to (with its flashed messages)."""
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    return client.get(response.headers["Location"]).get_data(as_text=True)


def saved_rows(app: Flask) -> list[SavedDraft]:
    with app.app_context():
        rows = db.session.query(SavedDraft).order_by(SavedDraft.id).all()
        db.session.expunge_all()
        return rows


# ---------------------------------------------------------------- the logo in the draft form


def test_uploading_a_logo_keeps_every_unsaved_edit(seeded: Flask, marketer: Any) -> None:
    typed = {
        **open_draft(marketer),
        "text_home_heading": "Ride the purple wave",
        "brand_primary_color": PURPLE,
        "custom_css": ".hero h1 { letter-spacing: -0.01em }",
    }
    page = page_of(marketer, upload_logo(marketer, png_bytes(), form=typed))
    assert "Logo uploaded and draft saved, with everything else you changed." in page
    saved = open_draft(marketer)
    assert saved["text_home_heading"] == "Ride the purple wave"
    assert saved["brand_primary_color"] == PURPLE
    assert saved["custom_css"] == ".hero h1 { letter-spacing: -0.01em }"
    assert re.fullmatch(r"[0-9a-f]{64}", saved["logo"])
    assert re.search(r'<img class="logo-preview" src="/brand/logo-[0-9a-f]{64}\.png"', page)


def test_a_refused_logo_keeps_what_was_typed_and_saves_nothing(
    seeded: Flask, marketer: Any
) -> None:
    typed = {**open_draft(marketer), "text_home_heading": "Typed, not saved"}
    response = upload_logo(marketer, b"<svg onload=alert(1)></svg>", "logo.svg", form=typed)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "SVG logos are not accepted" in page and 'id="logo-error"' in page
    assert read_form(page, "draft-form")["text_home_heading"] == "Typed, not saved"
    assert open_draft(marketer)["text_home_heading"] == HEADING


def test_a_busy_upload_answers_503_with_everything_typed(seeded: Flask, marketer: Any) -> None:
    typed = {**open_draft(marketer), "text_home_heading": "Typed while busy"}
    gate: UploadSlots = seeded.extensions[EXTENSION_KEY]
    taken = 0
    while gate.slots.acquire(blocking=False):
        taken += 1
    try:
        response = upload_logo(marketer, png_bytes(), form=typed)
    finally:
        for _ in range(taken):
            gate.slots.release()
    assert response.status_code == 503 and response.headers["Retry-After"]
    page = response.get_data(as_text=True)
    assert "upload the logo again in a few seconds" in page
    assert read_form(page, "draft-form")["text_home_heading"] == "Typed while busy"
    assert open_draft(marketer)["text_home_heading"] == HEADING


def test_a_logo_sent_with_a_field_to_fix_is_kept_for_the_next_save(
    seeded: Flask, marketer: Any
) -> None:
    typed = {**open_draft(marketer), "brand_company_name": "", "text_home_heading": "Kept"}
    response = upload_logo(marketer, png_bytes(), form=typed)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Enter the company name." in page and "not saved yet: press Save draft" in page
    form = read_form(page, "draft-form")
    assert re.fullmatch(r"[0-9a-f]{64}", form["logo"])  # the checked logo rides along
    assert save_draft(marketer, form, brand_company_name="Kestrel").status_code == 303
    saved = open_draft(marketer)
    assert saved["logo"] == form["logo"] and saved["text_home_heading"] == "Kept"


def test_a_logo_uploaded_on_a_stale_form_is_merged_not_lost(
    seeded: Flask, marketer: Any, colleague: Any
) -> None:
    mine = open_draft(marketer)
    edit_draft(colleague, text_footer_text="Colin's footer")
    response = upload_logo(marketer, png_bytes(), form={**mine, "text_home_heading": "Mara's"})
    assert response.status_code == 409
    form = read_form(response.get_data(as_text=True), "draft-form")
    assert re.fullmatch(r"[0-9a-f]{64}", form["logo"])
    assert form["text_footer_text"] == "Colin's footer" and form["text_home_heading"] == "Mara's"
    assert save_draft(marketer, form).status_code == 303
    saved = open_draft(colleague)
    assert saved["logo"] == form["logo"] and saved["text_footer_text"] == "Colin's footer"


def test_upload_without_a_file_says_so_and_saves_nothing(seeded: Flask, marketer: Any) -> None:
    response = save_draft(
        marketer, open_draft(marketer), action="upload", text_home_heading="Not yet"
    )
    assert response.status_code == 422
    assert "Choose a logo file to upload." in response.get_data(as_text=True)
    assert open_draft(marketer)["text_home_heading"] == HEADING


def test_a_damaged_logo_field_is_refused(seeded: Flask, marketer: Any) -> None:
    form = open_draft(marketer)
    assert save_draft(marketer, form, logo="not-a-digest").status_code == 422
    assert save_draft(marketer, form, logo="0" * 64).status_code == 400  # never uploaded
    assert open_draft(marketer)["logo"] == ""


# ---------------------------------------------------------------- whether the draft differs


def test_both_studio_pages_say_whether_the_draft_differs_from_the_live_site(
    seeded: Flask, marketer: Any
) -> None:
    for url in ("/admin/studio", "/admin/studio/draft"):
        page = marketer.get(url).get_data(as_text=True)
        assert "The draft is the same as the live site (Careerframe's defaults" in page
    edit_draft(marketer, text_home_heading="New", brand_primary_color=PURPLE, text_home_intro="Hi")
    for url in ("/admin/studio", "/admin/studio/draft"):
        page = marketer.get(url).get_data(as_text=True)
        status = re.search(r'id="unpublished">([\s\S]*?)</div>', page).group(1)
        assert "Your draft has 3 unpublished changes:" in status
        assert "Brand kit: Brand colour" in status and "Careers home: Heading" in status
    publish(marketer)
    for url in ("/admin/studio", "/admin/studio/draft"):
        page = marketer.get(url).get_data(as_text=True)
        assert "The draft is the same as the live site (version 1)." in page


# ---------------------------------------------------------------- rollbacks


def test_a_rollback_asks_first_and_says_what_would_change(seeded: Flask, marketer: Any) -> None:
    edit_draft(marketer, text_home_heading="First version")
    publish(marketer)
    edit_draft(marketer, text_home_heading="Second version", brand_primary_color=PURPLE)
    publish(marketer)
    edit_draft(marketer, text_home_intro="Work in progress")

    studio = marketer.get("/admin/studio").get_data(as_text=True)
    assert 'href="/admin/studio/versions/1/rollback"' in studio  # a link to a question, not a POST
    question = marketer.get("/admin/studio/versions/1/rollback")
    assert question.status_code == 200
    page = question.get_data(as_text=True)
    assert "Roll back to version 1?" in page
    live_changes = page.split("What changes on the live site")[1].split("What happens")[0]
    assert "Careers home: Heading" in live_changes and "Brand kit: Brand colour" in live_changes
    assert "1 unpublished change is not lost" in page and "Careers home: Welcome text" in page

    # A POST that did not come through the question changes nothing and leads to it.
    skipped = marketer.post("/admin/studio/versions/1/rollback")
    assert skipped.status_code == 303
    assert skipped.headers["Location"].endswith("/admin/studio/versions/1/rollback")
    assert "Second version" in home(seeded)

    done = marketer.post("/admin/studio/versions/1/rollback", data={"confirm": "yes"})
    assert "a copy of version 1, is live now" in page_of(marketer, done)
    assert "First version" in home(seeded)


def test_the_first_publish_can_be_rolled_back_to_the_defaults(seeded: Flask, marketer: Any) -> None:
    edit_draft(marketer, text_home_heading="Our first try", brand_primary_color=PURPLE)
    publish(marketer)
    studio = marketer.get("/admin/studio").get_data(as_text=True)
    row = re.search(r'<tr id="version-defaults">([\s\S]*?)</tr>', studio).group(1)
    assert 'href="/admin/studio/defaults/rollback"' in row
    page = marketer.get("/admin/studio/defaults/rollback").get_data(as_text=True)
    assert "Roll back to the defaults?" in page and "Careers home: Heading" in page

    done = marketer.post("/admin/studio/defaults/rollback", data={"confirm": "yes"})
    assert "version 2, a copy of the defaults, is live now" in page_of(marketer, done)
    assert HEADING in home(seeded) and "Our first try" not in home(seeded)
    assert open_draft(marketer)["text_home_heading"] == HEADING
    studio = marketer.get("/admin/studio").get_data(as_text=True)
    latest = re.search(r'<tr id="version-2">([\s\S]*?)</tr>', studio).group(1)
    assert "Rollback to the defaults." in latest
    row = re.search(r'<tr id="version-defaults">([\s\S]*?)</tr>', studio).group(1)
    assert "Same as live" in row and "href=" not in row

    again = marketer.post("/admin/studio/defaults/rollback", data={"confirm": "yes"})
    assert "nothing to roll back" in page_of(marketer, again)


def test_the_draft_a_rollback_replaces_is_kept_listed_and_restorable(
    seeded: Flask, marketer: Any, colleague: Any
) -> None:
    edit_draft(marketer, text_home_heading="First version")
    publish(marketer)
    edit_draft(marketer, text_home_heading="Second version")
    publish(marketer)
    edit_draft(
        colleague, text_home_intro="Colin's work in progress", custom_css="h1 { color: red }"
    )
    marketer.post("/admin/studio/versions/1/rollback", data={"confirm": "yes"})

    [kept] = saved_rows(seeded)
    assert kept.reason == "rollback" and kept.rollback_number == 3
    studio = marketer.get("/admin/studio").get_data(as_text=True)
    row = re.search(rf'<tr id="saved-draft-{kept.id}">([\s\S]*?)</tr>', studio).group(1)
    assert "Replaced by a rollback (version 3)" in row
    assert "by mara@kestrel.example" in row  # who rolled back
    assert "by colin@kestrel.example" in row  # who last edited it
    assert kept.saved_at.strftime("%Y-%m-%d %H:%M") in row
    assert "Careers home: Welcome text" in row and "Custom CSS" in row

    question = marketer.get(f"/admin/studio/saved-drafts/{kept.id}/restore")
    page = question.get_data(as_text=True)
    assert question.status_code == 200 and "Restore this set-aside draft?" in page
    assert "Nothing goes live" in page and "Careers home: Welcome text" in page
    revision = re.search(r'name="revision" value="(\d+)"', page).group(1)
    skipped = marketer.post(f"/admin/studio/saved-drafts/{kept.id}/restore")
    assert skipped.status_code == 303
    assert open_draft(marketer)["text_home_intro"] != "Colin's work in progress"

    done = marketer.post(
        f"/admin/studio/saved-drafts/{kept.id}/restore",
        data={"confirm": "yes", "revision": revision},
    )
    assert "Draft restored. Nothing is live until you publish it." in page_of(marketer, done)
    draft = open_draft(marketer)
    assert draft["text_home_intro"] == "Colin's work in progress"
    assert draft["custom_css"] == "h1 { color: red }"
    # The restored draft is based on version 2's heading, as it was: what Colin had worked on.
    assert draft["text_home_heading"] == "Second version"
    assert "Colin" not in home(seeded)
    studio = marketer.get("/admin/studio").get_data(as_text=True)
    row = re.search(rf'<tr id="saved-draft-{kept.id}">([\s\S]*?)</tr>', studio).group(1)
    assert "restored" in row and "Same as the draft" in row


def test_restoring_sets_the_current_draft_aside_too(seeded: Flask, marketer: Any) -> None:
    edit_draft(marketer, text_home_heading="Live heading")
    publish(marketer)
    edit_draft(marketer, text_home_intro="Older work")
    marketer.post("/admin/studio/defaults/rollback", data={"confirm": "yes"})
    edit_draft(marketer, text_footer_text="Newer work")
    [older] = saved_rows(seeded)
    page = marketer.get(f"/admin/studio/saved-drafts/{older.id}/restore").get_data(as_text=True)
    assert "The current draft has 1 unpublished change. It is set aside first" in page
    revision = re.search(r'name="revision" value="(\d+)"', page).group(1)
    done = marketer.post(
        f"/admin/studio/saved-drafts/{older.id}/restore",
        data={"confirm": "yes", "revision": revision},
    )
    assert "The draft it replaced is kept" in page_of(marketer, done)
    assert open_draft(marketer)["text_home_intro"] == "Older work"
    _, newer = saved_rows(seeded)
    assert newer.reason == "restore" and newer.texts.get("footer_text") == "Newer work"


def test_a_restore_from_a_stale_page_restores_nothing(
    seeded: Flask, marketer: Any, colleague: Any
) -> None:
    edit_draft(marketer, text_home_heading="Live heading")
    publish(marketer)
    edit_draft(marketer, text_home_intro="Set aside")
    marketer.post("/admin/studio/defaults/rollback", data={"confirm": "yes"})
    [kept] = saved_rows(seeded)
    page = marketer.get(f"/admin/studio/saved-drafts/{kept.id}/restore").get_data(as_text=True)
    revision = re.search(r'name="revision" value="(\d+)"', page).group(1)
    edit_draft(colleague, text_home_heading="Colin saved meanwhile")
    done = marketer.post(
        f"/admin/studio/saved-drafts/{kept.id}/restore",
        data={"confirm": "yes", "revision": revision},
    )
    assert "nothing was restored" in page_of(marketer, done)
    assert open_draft(marketer)["text_home_heading"] == "Colin saved meanwhile"


def test_unknown_set_aside_drafts_are_not_found(marketer: Any) -> None:
    assert marketer.get("/admin/studio/saved-drafts/999/restore").status_code == 404
    response = marketer.post(
        "/admin/studio/saved-drafts/999/restore", data={"confirm": "yes", "revision": "1"}
    )
    assert response.status_code == 404
    assert marketer.get("/admin/studio/saved-drafts/99999999999/restore").status_code == 404
