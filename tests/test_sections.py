"""Page sections: each kind checked and sanitised, images re-encoded in sizes, order kept, versioned."""

# ruff: noqa: F811  (a test's parameter names the fixture imported below)

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from flask import Flask
from PIL import Image

from tests.studio_fixtures import (  # noqa: F401 (fixtures)
    SLUG,
    add_section,
    colleague,
    hero,
    marketer,
    multipart,
    noise_png,
    photo_jpeg,
    png_bytes,
    publish,
    section_form,
    section_ids,
    seeded,
)
from tests.test_studio import PAYLOAD, assert_inert
from webapp.extensions import db
from webapp.models.content import DRAFT_NUMBER, SiteImage, SiteVersion
from webapp.services.budgeted import Budget
from webapp.services.images import MAX_RENDITION_BYTES, ImageError, prepare_image
from webapp.services.sections import check_section, clean_sections


def candidate_page(app: Flask, url: str) -> str:
    """A public page as a candidate (no account, no preview) sees it."""
    return app.test_client().get(url).get_data(as_text=True)


def test_a_hero_image_needs_alt_text_or_a_decorative_choice_and_keeps_the_upload(
    seeded: Flask, marketer: Any
) -> None:
    url = "/admin/studio/sections/job/new/hero"
    refused = multipart(
        marketer, url, section_form(marketer, url), {"image_file": (photo_jpeg(), "team.jpg")}
    )
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert "Describe the image for people who cannot see it, or mark it as decorative." in html
    # The upload was read once and is kept in the form: only the alt text is asked for again.
    digest = re.search(r'id="image-digest" name="image" type="hidden" value="([0-9a-f]{64})"', html)
    assert digest, html[:3000]
    with seeded.app_context():
        assert db.session.query(SiteImage).filter_by(digest=digest.group(1)).count() == 3
    form = {**section_form(marketer, url), "image": digest.group(1), "decorative": "y"}
    assert multipart(marketer, url, form, {}).status_code == 303
    with seeded.app_context():
        sections = clean_sections(
            db.session.query(SiteVersion).filter_by(number=DRAFT_NUMBER).one().sections
        )
    assert sections["job"][0]["decorative"] is True and sections["job"][0]["alt"] == ""


def test_a_section_without_an_image_is_refused(marketer: Any) -> None:
    response = add_section(marketer, "home", "hero", expect=422, alt="A workshop")
    assert "Upload an image for this section." in response.get_data(as_text=True)


def test_a_hero_image_is_served_in_sizes_from_our_origin_within_its_budget(
    seeded: Flask, marketer: Any
) -> None:
    jpeg = photo_jpeg(exif_note="Secret camera GPS 48.2N")
    add_section(
        marketer, "job", "hero", files={"image_file": (jpeg, "t.jpg")}, alt="Our Vienna workshop"
    )
    publish(marketer)
    page = candidate_page(seeded, f"/jobs/{SLUG}")
    img = re.search(r"<img src=\"([^\"]+)\"\s+srcset=\"([^\"]+)\"\s+sizes=\"([^\"]+)\"", page)
    assert img, page
    candidates = [part.strip().split(" ") for part in img.group(2).split(",")]
    assert [width for _, width in candidates] == ["480w", "960w", "1600w"]
    assert img.group(1) == candidates[1][0]  # the fallback is the middle size
    assert 'alt="Our Vienna workshop"' in page and 'width="1600" height="900"' in page
    guest = seeded.test_client()
    for url, width in candidates:
        assert url.startswith("/brand/section-")  # our origin
        response = guest.get(url)
        assert response.status_code == 200 and response.mimetype == "image/webp"
        assert "immutable" in response.headers["Cache-Control"]
        assert len(response.data) <= MAX_RENDITION_BYTES
        served = Image.open(io.BytesIO(response.data))
        assert served.format == "WEBP" and served.width == int(width.removesuffix("w"))
        assert b"Secret camera" not in response.data  # only pixels were kept
    assert guest.get("/brand/section-" + "0" * 64 + "-480.webp").status_code == 404


def test_a_small_image_is_not_enlarged(marketer: Any, seeded: Flask) -> None:
    add_section(
        marketer, "home", "hero", files={"image_file": (photo_jpeg((700, 400)), "s.jpg")}, alt="A"
    )
    publish(marketer)
    srcset = re.search(r'srcset="([^"]+)"', candidate_page(seeded, "/")).group(1)
    assert [c.split(" ")[1] for c in srcset.split(", ")] == ["480w", "700w"]


def _bomb() -> bytes:
    out = io.BytesIO()
    Image.new("1", (30000, 30000)).save(out, "PNG")
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "SVG images"),
        (b"GIF89a" + b"\0" * 100, "not a PNG, JPEG or WebP"),
        (photo_jpeg()[:4000], "damaged or incomplete"),
        (png_bytes((300, 120)), "too small for a wide picture"),
        (png_bytes((2000, 300)), "too long and thin"),
        (b"\xff\xd8\xff" + b"\0" * (6 * 1024 * 1024 + 10), "at most 6 MB"),
        (_bomb(), "too large"),
        (noise_png(), "too detailed"),
    ],
)
def test_bad_images_get_a_clear_message_never_a_500(
    marketer: Any, data: bytes, message: str
) -> None:
    response = add_section(
        marketer, "job", "hero", files={"image_file": (data, "x.png")}, expect=422, alt="Alt"
    )
    assert message in response.get_data(as_text=True)


def test_every_image_is_read_within_the_upload_budget() -> None:
    photo = photo_jpeg((3000, 1700))
    assert len(prepare_image(photo).renditions) == 3
    with pytest.raises(ImageError, match="too large or complex"):
        prepare_image(photo, Budget(cpu_seconds=1, memory_bytes=64 * 1024 * 1024))


def test_a_polyglot_keeps_only_its_pixels(seeded: Flask, marketer: Any) -> None:
    polyglot = photo_jpeg((960, 540)) + b"<?php system($_GET['c']); ?>"
    add_section(marketer, "home", "hero", files={"image_file": (polyglot, "a.jpg")}, alt="Hills")
    with seeded.app_context():
        for image in db.session.query(SiteImage).all():
            assert b"<?php" not in image.data and image.data[8:12] == b"WEBP"


def test_text_benefits_faq_and_quote_are_escaped_and_sanitised(
    seeded: Flask, marketer: Any
) -> None:
    add_section(marketer, "home", "text", heading=PAYLOAD, body=PAYLOAD + "\n\n**Bold** move")
    add_section(marketer, "home", "benefits", heading="Perks", benefits=f"{PAYLOAD}\n- Bike\n\n")
    add_section(marketer, "home", "faq", heading=PAYLOAD, faq=f"{PAYLOAD}\n{PAYLOAD}\n\nQ2?\nA2")
    short = "<script>alert(1)</script><img src=x onerror=alert(1)>"
    add_section(marketer, "home", "quote", quote=PAYLOAD, name=short, role=short)
    for url in ("/admin/studio/sections/home",):
        assert_inert(marketer.get(url).get_data(as_text=True))
    publish(marketer)
    page = candidate_page(seeded, "/")
    assert_inert(page)
    assert "<strong>Bold</strong> move" in page  # Markdown rendered
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # raw HTML shown as text
    assert "<li>Bike</li>" in page and page.count('class="faq-item"') == 2
    assert "<summary>Q2?</summary>" in page and "<p>A2</p>" in page
    for url in (f"/jobs/{SLUG}", "/privacy"):
        assert 'class="section' not in candidate_page(seeded, url)  # home sections stay home


@pytest.mark.parametrize(
    ("kind", "fields", "message"),
    [
        ("text", {"body": ""}, "Write the text of this block."),
        ("text", {"body": "x" * 5001}, "Keep it under 5,000 characters."),
        ("benefits", {"benefits": "\n \n"}, "List at least one benefit, one per line."),
        ("benefits", {"benefits": "\n".join(f"b{i}" for i in range(21))}, "at most 20"),
        ("faq", {"faq": "Only a question?"}, "Every question needs an answer"),
        ("faq", {"faq": ""}, "Write at least one question with its answer."),
        ("quote", {"quote": "Great team", "name": ""}, "Say who said it."),
        ("quote", {"quote": "", "name": "Ana"}, "Write the quote."),
    ],
)
def test_each_section_kind_is_validated(
    marketer: Any, kind: str, fields: dict[str, str], message: str
) -> None:
    response = add_section(marketer, "job", kind, expect=422, **fields)
    html = response.get_data(as_text=True)
    assert message in html and "nothing was saved" in html
    assert section_ids(marketer, "job") == []


def test_sections_keep_their_order_through_moves_and_removal(seeded: Flask, marketer: Any) -> None:
    for name in ("First", "Second", "Third"):
        add_section(marketer, "job", "quote", quote=f"{name} quote", name=name)
    first, second, third = section_ids(marketer, "job")
    move = f"/admin/studio/sections/job/{third}/move"
    assert marketer.post(move, data={"direction": "up"}).status_code == 303
    assert section_ids(marketer, "job") == [first, third, second]
    # At the top, "up" changes nothing; a bad direction is refused.
    marketer.post(f"/admin/studio/sections/job/{first}/move", data={"direction": "up"})
    assert marketer.post(move, data={"direction": "sideways"}).status_code == 400
    remove = f"/admin/studio/sections/job/{first}/remove"
    question = marketer.post(remove)  # the button asks first
    assert question.status_code == 200 and "Remove this team quote?" in question.get_data(
        as_text=True
    )
    assert section_ids(marketer, "job") == [first, third, second]
    assert marketer.post(remove, data={"confirm": "yes"}).status_code == 303
    assert section_ids(marketer, "job") == [third, second]
    assert marketer.post(remove, data={"confirm": "yes"}).status_code == 404
    publish(marketer)
    page = candidate_page(seeded, f"/jobs/{SLUG}")
    assert page.index("Third quote") < page.index("Second quote") and "First quote" not in page
    assert "Third quote" in candidate_page(seeded, "/jobs/product-designer-berlin")


def test_sections_are_draft_until_published_and_roll_back(seeded: Flask, marketer: Any) -> None:
    publish(marketer)  # version 1: no sections
    add_section(marketer, "home", "benefits", heading="Perks", benefits="Paid training")
    assert "Paid training" not in candidate_page(seeded, "/")
    studio = marketer.get("/admin/studio").get_data(as_text=True)
    assert "Careers home: sections" in studio and "1 unpublished change" in studio
    publish(marketer)
    assert "Paid training" in candidate_page(seeded, "/")
    plan = marketer.get("/admin/studio/versions/1/rollback").get_data(as_text=True)
    assert "Careers home: sections" in plan
    rolled = marketer.post("/admin/studio/versions/1/rollback", data={"confirm": "yes"})
    assert rolled.status_code == 303
    assert "Paid training" not in candidate_page(seeded, "/")
    assert section_ids(marketer, "home") == []  # the draft followed the rollback


def test_a_section_changed_by_someone_else_is_not_overwritten(
    marketer: Any, colleague: Any
) -> None:
    add_section(marketer, "job", "quote", quote="Original", name="Ana")
    (section_id,) = section_ids(marketer, "job")
    url = f"/admin/studio/sections/job/{section_id}"
    stale = section_form(colleague, url)
    assert marketer.post(url, data={**section_form(marketer, url), "quote": "Mine"}).status_code
    response = colleague.post(url, data={**stale, "quote": "Theirs"})
    assert response.status_code == 409
    assert "Someone else changed this section" in response.get_data(as_text=True)
    assert "Theirs</textarea>" in response.get_data(as_text=True)
    # Having seen their change, pressing Save again replaces it.
    again = colleague.post(
        url, data={**stale, "base": _base(response.get_data(as_text=True)), "quote": "Theirs"}
    )
    assert again.status_code == 303


def _base(html: str) -> str:
    return re.search(r'name="base" type="hidden" value="([^"]*)"', html).group(1)


def test_unknown_pages_kinds_and_sections_are_404(marketer: Any) -> None:
    for url in (
        "/admin/studio/sections/apply",
        "/admin/studio/sections/home/new/video",
        "/admin/studio/sections/home/abcdefabcdef",
        "/admin/studio/sections/home/..%2f",
    ):
        assert marketer.get(url).status_code == 404, url


def test_stored_sections_are_checked_again_before_they_show(seeded: Flask) -> None:
    stored = {
        "home": [
            {"id": "a" * 12, "kind": "script", "body": "<script>"},
            {
                "id": "b" * 12,
                "kind": "hero",
                "image": "c" * 64,
                "alt": "",
                "decorative": False,
                "widths": [480],
                "ratio": [480, 270],
            },
            {"id": "<x>", "kind": "text", "body": "bad id"},
            {"id": "d" * 12, "kind": "text", "body": "Kept", "onclick": "alert(1)"},
        ],
        "apply": [{"id": "e" * 12, "kind": "text", "body": "unknown page"}],
    }
    cleaned = clean_sections(stored)
    assert cleaned == {"home": [{"id": "d" * 12, "kind": "text", "heading": "", "body": "Kept"}]}
    assert (
        check_section(
            "hero", {"image": "c" * 64, "decorative": "y", "widths": [480], "ratio": [480, 270]}
        )["alt"]
        == ""
    )


def test_only_marketers_and_admins_edit_sections(seeded: Flask) -> None:
    from tests.studio_fixtures import make_account, sign_in

    recruiter = sign_in(seeded.test_client(), make_account(seeded, "rex@k.example", "recruiter"))
    assert recruiter.get("/admin/studio/sections/home").status_code == 403
    assert seeded.test_client().get("/admin/studio/sections/home").status_code in (302, 401)
