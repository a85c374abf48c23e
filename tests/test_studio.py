"""The studio's promises: drafts stay private until published, previews, history, conflicts, logos."""

# ruff: noqa: F811  (a test's parameter names the fixture imported below)

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event

from tests.conftest import base_env
from tests.studio_fixtures import (  # noqa: F401 (fixtures)
    SLUG,
    colleague,
    edit_draft,
    marketer,
    open_draft,
    png_bytes,
    preview_link,
    publish,
    read_form,
    save_draft,
    seeded,
    upload_logo,
)
from webapp import create_app
from webapp.extensions import db
from webapp.services.site import DEFAULT_TEXTS, current_content
from webapp.services.theme import contrast_checks

HEADING = DEFAULT_TEXTS["home_heading"]


def home(app: Flask) -> str:
    """The careers home as a candidate (no account, no preview) sees it."""
    return app.test_client().get("/").get_data(as_text=True)


def test_a_saved_draft_is_not_live_until_published(seeded: Flask, marketer: Any) -> None:
    edit_draft(marketer, text_home_heading="Ride with us", brand_primary_color="#5b2a86")
    assert HEADING in home(seeded) and "Ride with us" not in home(seeded)
    assert "1 unpublished change" not in marketer.get("/admin/studio").get_data(as_text=True)
    assert "Your draft has 2 unpublished changes:" in marketer.get("/admin/studio").get_data(
        as_text=True
    )

    assert publish(marketer).status_code == 303
    page = home(seeded)
    assert "Ride with us" in page and HEADING not in page
    theme = re.search(r'href="(/theme-[^"]+\.css)"', page).group(1)
    response = seeded.test_client().get(theme)
    assert "--brand: #5b2a86;" in response.get_data(as_text=True)
    assert "immutable" in response.headers["Cache-Control"]
    assert "The draft is the same as the live site (version 1)." in marketer.get(
        "/admin/studio"
    ).get_data(as_text=True)


def test_publishing_an_unchanged_draft_says_so(seeded: Flask, marketer: Any) -> None:
    edit_draft(marketer, text_home_heading="Ride with us")
    publish(marketer)
    response = publish(marketer)
    assert "Nothing to publish" in marketer.get(response.headers["Location"]).get_data(as_text=True)


def test_every_version_is_kept_and_rollback_publishes_a_copy(
    seeded: Flask, marketer: Any, colleague: Any
) -> None:
    edit_draft(marketer, text_home_heading="First version")
    publish(marketer)
    edit_draft(colleague, text_home_heading="Second version", custom_css="h1 { color: #aa0000 }")
    publish(colleague)
    assert "Second version" in home(seeded)

    response = marketer.post("/admin/studio/versions/1/rollback", data={"confirm": "yes"})
    assert response.status_code == 303
    flash = marketer.get(response.headers["Location"]).get_data(as_text=True)
    assert "a copy of version 1, is live now" in flash and "The draft was reset to it too" in flash
    assert "First version" in home(seeded) and "Second version" not in home(seeded)

    history = marketer.get("/admin/studio").get_data(as_text=True)
    rows = re.findall(r'<tr id="version-(\d+)">([\s\S]*?)</tr>', history)
    assert [number for number, _ in rows] == ["3", "2", "1"]
    assert "Rollback to version 1" in rows[0][1] and "live" in rows[0][1]
    assert "colin@kestrel.example" in rows[1][1] and "Custom CSS" in rows[1][1]
    assert "mara@kestrel.example" in rows[2][1]
    # The draft follows the rollback, so the next publish does not bring the undone change back.
    assert open_draft(marketer)["text_home_heading"] == "First version"


def test_rollback_resets_the_draft_and_sets_its_unpublished_work_aside(
    seeded: Flask, marketer: Any
) -> None:
    edit_draft(marketer, text_home_heading="First version")
    publish(marketer)
    edit_draft(marketer, text_home_heading="Second version")
    publish(marketer)
    edit_draft(marketer, text_home_intro="Work in progress")
    response = marketer.post("/admin/studio/versions/1/rollback", data={"confirm": "yes"})
    page = marketer.get(response.headers["Location"]).get_data(as_text=True)
    assert "its unpublished changes are kept under “Set-aside drafts”" in page
    assert "First version" in home(seeded)
    # The draft follows the rollback; the work in progress waits to be restored.
    assert open_draft(marketer)["text_home_heading"] == "First version"
    assert open_draft(marketer)["text_home_intro"] != "Work in progress"
    assert re.search(r'<tr id="saved-draft-\d+">[\s\S]*?Careers home: Welcome text', page)


def test_rolling_back_to_an_unknown_version_is_404(marketer: Any) -> None:
    assert marketer.get("/admin/studio/versions/99/rollback").status_code == 404
    assert (
        marketer.post("/admin/studio/versions/99/rollback", data={"confirm": "yes"}).status_code
        == 404
    )


def test_a_stale_save_is_refused_keeps_the_input_and_shows_what_changed(
    seeded: Flask, marketer: Any, colleague: Any
) -> None:
    mine = open_draft(marketer)
    theirs = open_draft(colleague)
    edit = save_draft(
        colleague, theirs, text_home_heading="Colin's heading", text_footer_text="Colin's footer"
    )
    assert edit.status_code == 303

    response = save_draft(
        marketer, mine, text_home_heading="Mara's heading", text_home_intro="Mara's intro"
    )
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Someone else saved this draft" in page and "colin@kestrel.example" in page
    assert "Your changes are not saved yet" in page
    form = read_form(page, "draft-form")
    assert (
        form["text_home_heading"] == "Mara's heading"
    )  # both changed it: hers is kept in the form
    assert form["text_home_intro"] == "Mara's intro"
    assert form["text_footer_text"] == "Colin's footer"  # only he changed it: his value is taken in
    assert re.search(
        r"Careers home: Heading</strong>\s*<span class=\"badge badge-bad\">you changed it too", page
    )
    assert "Colin&#39;s heading" in page
    assert (
        "Colin's heading" in open_draft(colleague)["text_home_heading"]
    )  # nothing was overwritten

    # Saving the merged form again is a knowing choice, and keeps his footer.
    assert save_draft(marketer, form).status_code == 303
    saved = open_draft(colleague)
    assert (
        saved["text_home_heading"] == "Mara's heading"
        and saved["text_footer_text"] == "Colin's footer"
    )


def test_publishing_from_a_stale_page_publishes_nothing(
    seeded: Flask, marketer: Any, colleague: Any
) -> None:
    edit_draft(marketer, text_home_heading="Reviewed heading")
    page = marketer.get("/admin/studio").get_data(as_text=True)
    seen_revision = re.search(r'name="revision" value="(\d+)"', page).group(1)
    edit_draft(colleague, text_home_heading="Unreviewed heading")
    response = marketer.post("/admin/studio/publish", data={"revision": seen_revision})
    assert "nothing was published" in marketer.get(response.headers["Location"]).get_data(
        as_text=True
    )
    assert HEADING in home(seeded)


def test_position_texts_override_the_site_texts_for_that_position_only(
    seeded: Flask, marketer: Any
) -> None:
    page = marketer.get(f"/admin/studio/positions/{SLUG}").get_data(as_text=True)
    form = read_form(page, "position-form")
    assert (
        form["text_apply_heading"] == ""
    )  # empty: uses the site-wide text, shown as a placeholder
    assert 'placeholder="Apply"' in page
    response = marketer.post(
        f"/admin/studio/positions/{SLUG}",
        data={
            **form,
            "text_apply_heading": "Join the data team",
            "text_footer_text": "Data team footer",
        },
    )
    assert response.status_code == 303
    publish(marketer)
    candidate = seeded.test_client()
    assert "Join the data team" in candidate.get(f"/jobs/{SLUG}/apply").get_data(as_text=True)
    assert "Data team footer" in candidate.get(f"/jobs/{SLUG}").get_data(as_text=True)
    other = candidate.get("/jobs/product-designer-berlin/apply").get_data(as_text=True)
    assert "Join the data team" not in other and "<h1>Apply:" in other
    assert "Data team footer" not in home(seeded)


def test_help_faq_and_footer_links_come_from_the_texts(seeded: Flask, marketer: Any) -> None:
    edit_draft(
        marketer,
        text_faq_body="**Is there parking?**  \nYes, for bikes.",
        text_help_body="Write to [jobs@kestrel.example](mailto:jobs@kestrel.example).",
        text_footer_links="Privacy | https://kestrel.example/privacy\nAll jobs | /",
    )
    publish(marketer)
    candidate = seeded.test_client()
    job = candidate.get(f"/jobs/{SLUG}").get_data(as_text=True)
    assert "<strong>Is there parking?</strong>" in job
    assert '<a href="https://kestrel.example/privacy" rel="noopener">Privacy</a>' in job
    apply = candidate.get(f"/jobs/{SLUG}/apply").get_data(as_text=True)
    assert 'href="mailto:jobs@kestrel.example"' in apply and "Need help?" in apply
    edit_draft(marketer, text_faq_body="", text_help_body="")  # emptied: the blocks disappear
    publish(marketer)
    assert 'class="faq"' not in candidate.get(f"/jobs/{SLUG}").get_data(as_text=True)
    assert "help-block" not in candidate.get(f"/jobs/{SLUG}/apply").get_data(as_text=True)


@pytest.mark.parametrize(
    ("links", "message"),
    [
        ("Click | javascript:alert(1)", "must start with https://"),
        ("No address here", "write it as"),
        ("Evil | //evil.example/", "must start with https://"),
        ("Data | data:text/html,hi", "must start with https://"),
    ],
)
def test_bad_footer_links_are_refused_with_a_message(
    marketer: Any, links: str, message: str
) -> None:
    response = save_draft(marketer, open_draft(marketer), text_footer_links=links)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_emptied_texts_fall_back_to_the_default(seeded: Flask, marketer: Any) -> None:
    edit_draft(marketer, text_home_heading="   ")
    assert open_draft(marketer)["text_home_heading"] == HEADING


# ---------------------------------------------------------------- contrast


def test_low_contrast_colours_are_warned_in_the_studio(marketer: Any) -> None:
    page = marketer.get("/admin/studio/draft").get_data(as_text=True)
    assert 'id="contrast-warning"' not in page
    edit_draft(
        marketer,
        brand_primary_color="#8a8a8a",
        brand_text_color="#bbbbbb",
        brand_background_color="#ffffff",
    )
    page = marketer.get("/admin/studio/draft").get_data(as_text=True)
    assert 'id="contrast-warning"' in page and "below 4.5:1" in page
    assert "Text on the page background — below 4.5:1" in page


@pytest.mark.parametrize(
    ("brand", "failing"),
    [
        ({}, set()),
        (
            {"text_color": "#999999", "background_color": "#ffffff"},
            {"Text on the page background", "Text on white panels and cards"},
        ),
        (
            {"primary_color": "#777777"},
            {
                "Text on the brand colour (header, buttons)",
                "Links (brand colour) on the page background",
            },
        ),
        (
            {"primary_color": "#ffff00", "background_color": "#ffffff"},
            {"Links (brand colour) on the page background"},
        ),
    ],
)
def test_contrast_checks_follow_wcag_aa(brand: dict[str, str], failing: set[str]) -> None:
    assert {check.label for check in contrast_checks(brand) if not check.passes} == failing


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("brand_primary_color", "red"),
        ("brand_text_color", "#12345"),
        ("brand_radius", "99"),
        ("brand_font", "Comic Sans"),
        ("brand_company_name", ""),
    ],
)
def test_invalid_brand_values_are_refused(marketer: Any, field: str, value: str) -> None:
    response = save_draft(marketer, open_draft(marketer), **{field: value})
    assert response.status_code == 422
    assert "nothing was saved" in response.get_data(as_text=True)


# ---------------------------------------------------------------- logo


def test_a_png_logo_is_re_encoded_and_served_from_our_origin_for_good(
    seeded: Flask, marketer: Any
) -> None:
    upload = png_bytes() + b"<?php system($_GET['c']); ?>"  # a polyglot: image first, script after
    response = upload_logo(marketer, upload)
    assert response.status_code == 303
    publish(marketer)
    page = home(seeded)
    src = re.search(
        r'<img src="(/brand/logo-[0-9a-f]{64}\.png)" alt="Kestrel Mobility"', page
    ).group(1)
    served = seeded.test_client().get(src)
    assert served.status_code == 200 and served.mimetype == "image/png"
    assert served.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert b"<?php" not in served.data and served.data.startswith(b"\x89PNG")
    assert seeded.test_client().get(src.replace(".png", ".jpg")).status_code == 404


def test_removing_the_logo_shows_the_company_name(seeded: Flask, marketer: Any) -> None:
    upload_logo(marketer, png_bytes())
    form = open_draft(marketer)
    assert len(form["logo"]) == 64
    response = save_draft(
        marketer, form, action="remove-logo", text_home_heading="Typed before removing"
    )
    assert response.status_code == 303
    page = marketer.get("/admin/studio/draft").get_data(as_text=True)
    assert "No logo: the header shows the company name." in page
    assert "Everything else you changed is saved too." in page
    assert open_draft(marketer)["text_home_heading"] == "Typed before removing"


def _truncated_png() -> bytes:
    data = png_bytes((400, 300), (10, 200, 30, 255))
    return data[: len(data) // 2]


def _big_png() -> bytes:
    import io
    import os

    from PIL import Image

    out = io.BytesIO()
    Image.frombytes("RGB", (1000, 1000), os.urandom(3_000_000)).save(out, "PNG")
    return out.getvalue()


def _huge_dimensions_png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("1", (20000, 20000)).save(out, "PNG")
    return out.getvalue()


@pytest.mark.parametrize(
    ("make", "filename", "message"),
    [
        (
            lambda: b"<?php echo shell_exec($_GET['cmd']); ?>",
            "logo.png",
            "not a PNG, JPEG or WebP image",
        ),
        (
            lambda: (
                b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
            ),
            "logo.svg",
            "SVG logos are not accepted",
        ),
        (lambda: b"<svg onload=alert(1)></svg>", "logo.png", "SVG logos are not accepted"),
        (_big_png, "logo.png", "at most 1 MB"),
        (_huge_dimensions_png, "logo.png", "at most 4000×4000 pixels"),
        (lambda: png_bytes((8, 8)), "logo.png", "between 16 and 4000 pixels"),
        (lambda: png_bytes((2000, 20)), "logo.png", "too long and thin"),
        (_truncated_png, "logo.png", "damaged or incomplete"),
        (lambda: b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "logo.png", "damaged or incomplete"),
        (lambda: b"GIF89a" + b"\x00" * 40, "logo.gif", "not a PNG, JPEG or WebP image"),
        (lambda: b"", "logo.png", "The file is empty"),
        (lambda: b"", "", "Choose a logo file to upload"),
    ],
)
def test_bad_logos_get_a_clear_message_never_a_500(
    marketer: Any, make: Any, filename: str, message: str
) -> None:
    response = upload_logo(marketer, make(), filename)
    assert 400 <= response.status_code < 500
    assert message in response.get_data(as_text=True)
    assert "No logo: the header shows the company name." in response.get_data(as_text=True)


def test_jpeg_and_webp_logos_are_accepted(marketer: Any) -> None:
    import io

    from PIL import Image

    for kind in ("JPEG", "WEBP"):
        out = io.BytesIO()
        Image.new("RGB", (300, 100), (20, 40, 200)).save(out, kind)
        assert upload_logo(marketer, out.getvalue(), f"logo.{kind.lower()}").status_code == 303


# ---------------------------------------------------------------- who may use the studio


def test_only_marketers_and_admins_use_the_studio(seeded: Flask) -> None:
    from tests.studio_fixtures import make_account, sign_in

    assert seeded.test_client().get("/admin/studio").status_code == 302
    recruiter = sign_in(
        seeded.test_client(), make_account(seeded, "rita@kestrel.example", "recruiter")
    )
    assert recruiter.get("/admin/studio").status_code == 403
    assert recruiter.post("/admin/studio/publish", data={"revision": "1"}).status_code == 403
    admin = sign_in(seeded.test_client(), make_account(seeded, "ada@kestrel.example", "admin"))
    assert admin.get("/admin/studio/draft").status_code == 200


def test_the_admin_never_loads_the_theme_stylesheet(marketer: Any) -> None:
    for url in ("/admin/studio", "/admin/studio/draft", f"/admin/studio/positions/{SLUG}"):
        assert "/theme-" not in marketer.get(url).get_data(as_text=True)


# ---------------------------------------------------------------- publishing reaches every process


def test_a_publish_in_one_process_is_seen_by_another_within_a_second(
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
    try:
        with second.test_request_context("/"):
            assert current_content().text("home_heading") == HEADING
            queries.clear()
            for _ in range(200):
                current_content()
            assert (
                len(queries) <= 1
            )  # the cache answers; the database is asked once a second at most

        with first.app_context():
            from webapp.services import studio

            draft = studio.get_draft()
            saved = studio.save_draft(
                {"text.home_heading": "Published elsewhere"}, draft.revision, {}, None
            )
            studio.publish(saved.revision, None)
            published_at = time.monotonic()

        seen_after = None
        while time.monotonic() - published_at < 3:
            with second.test_request_context("/"):
                if current_content().text("home_heading") == "Published elsewhere":
                    seen_after = time.monotonic() - published_at
                    break
            time.sleep(0.05)
        assert seen_after is not None and seen_after <= 1.3
    finally:
        for app in (first, second):
            with app.app_context():
                db.engine.dispose()


# ---------------------------------------------------------------- hostile input stays inert

PAYLOAD = '<script>alert(1)</script>"><img src=x onerror=alert(1)>[x](javascript:alert(1)) </style><script>alert(2)</script>'
HOSTILE_CSS = (
    'h1 { color: #aa0000; background: url("javascript:alert(1)") }\n'
    "</style><script>alert(1)</script>\n"
    '.hero { font-family: "</style><script>alert(1)</script>" }\n'
    "@import url(https://evil.example/x.css);\n"
    ".lead { behavior: url(x.htc); -moz-binding: url(x.xml#x); width: expression(alert(1)) }"
)
HOSTILE_LINKS = 'Help<script>alert(1)</script> | https://example.com/"onmouseover="alert(1)'


def assert_inert(html: str) -> None:
    """No payload survives as markup: every piece is escaped text or gone."""
    lowered = html.lower()
    for raw in (
        "<script>alert",
        "<img src=x",
        "onerror=alert(1)>",
        'href="javascript:',
        "</style><script>",
        '"onmouseover="',
    ):
        assert raw not in lowered, raw


def fill_everything(marketer: Any) -> None:
    form = open_draft(marketer)
    hostile = {name: PAYLOAD for name in form if name.startswith("text_")}
    hostile.update(
        text_footer_links=HOSTILE_LINKS,
        brand_company_name='"><img src=x onerror=alert(1)><script>alert(1)</script>',
        brand_tagline=PAYLOAD,
        custom_css=HOSTILE_CSS,
    )
    response = save_draft(marketer, form, **hostile)
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    page = marketer.get(f"/admin/studio/positions/{SLUG}").get_data(as_text=True)
    position_form = read_form(page, "position-form")
    overrides = {
        name: PAYLOAD
        for name in position_form
        if name.startswith("text_") and name != "text_footer_links"
    }
    assert (
        marketer.post(
            f"/admin/studio/positions/{SLUG}", data={**position_form, **overrides}
        ).status_code
        == 303
    )


def test_hostile_texts_brand_and_css_render_inert_everywhere(
    seeded: Flask, marketer: Any, colleague: Any
) -> None:
    fill_everything(marketer)
    guest = seeded.test_client()
    guest.get(preview_link(marketer))
    stages = ("preparing", "review", "rejected", "failed", "finished")
    preview_pages = [
        "/",
        f"/jobs/{SLUG}",
        f"/jobs/{SLUG}/apply",
        *(f"/preview/jobs/{SLUG}/{stage}" for stage in stages),
    ]
    for url in preview_pages:
        response = guest.get(url)
        assert response.status_code == 200, url
        assert_inert(response.get_data(as_text=True))
    assert "alert(1)" in guest.get("/").get_data(as_text=True)  # shown, as text

    for url in ("/admin/studio", "/admin/studio/draft", f"/admin/studio/positions/{SLUG}"):
        assert_inert(marketer.get(url).get_data(as_text=True))
    # The conflict notice shows another person's hostile value: as text too.
    stale = open_draft(colleague)
    edit_draft(marketer, text_home_heading=PAYLOAD + " again")
    conflict = save_draft(colleague, stale, text_home_heading="Mine")
    assert conflict.status_code == 409
    assert_inert(conflict.get_data(as_text=True))

    publish(marketer)
    candidate = seeded.test_client()
    for url in [
        "/",
        f"/jobs/{SLUG}",
        f"/jobs/{SLUG}/apply",
        "/jobs/product-designer-berlin",
        "/privacy",
    ]:
        html = candidate.get(url).get_data(as_text=True)
        assert_inert(html)
    html = candidate.get("/").get_data(as_text=True)
    theme = candidate.get(re.search(r'href="(/theme-[^"]+\.css)"', html).group(1)).get_data(
        as_text=True
    )
    for raw in (
        "</style",
        "<script",
        "javascript:",
        "expression(",
        "behavior",
        "-moz-binding",
        "@import",
        "evil.example",
    ):
        assert raw not in theme.lower(), raw
    from webapp.services.custom_css_selectors import SHIELD

    assert f".site h1{SHIELD} {{ color: #aa0000; }}" in theme


@pytest.mark.parametrize(
    "field",
    ["brand_primary_color", "brand_accent_color", "brand_text_color", "brand_background_color"],
)
def test_a_colour_field_cannot_carry_markup_or_css(marketer: Any, field: str) -> None:
    response = save_draft(
        marketer,
        open_draft(marketer),
        **{field: "#000000; } body { display:none } </style><script>alert(1)</script>"},
    )
    assert response.status_code == 422
    assert_inert(response.get_data(as_text=True))
