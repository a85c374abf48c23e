"""Fixtures and helpers for the studio tests: marketers, signed-in clients, forms, sections, photos."""

from __future__ import annotations

import io
import random
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from flask import Flask
from PIL import Image, ImageDraw

from tests.helpers import seed
from webapp.services.accounts import create_user

PASSWORD = "a-long-password-for-tests"
SLUG = "data-analyst-amsterdam"


def make_account(app: Flask, email: str, role: str = "marketer") -> str:
    """Create an account; returns its e-mail."""
    with app.app_context():
        create_user(email, role, PASSWORD)
    return email


def sign_in(client: Any, email: str) -> Any:
    """Sign a test client in."""
    response = client.post("/admin/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return client


@pytest.fixture
def seeded(app: Flask) -> Flask:
    """The app with the demo positions."""
    seed(app)
    return app


@pytest.fixture
def marketer(seeded: Flask) -> Any:
    """A test client signed in as a marketer."""
    return sign_in(seeded.test_client(), make_account(seeded, "mara@kestrel.example"))


@pytest.fixture
def colleague(seeded: Flask) -> Any:
    """A second marketer, in a browser of their own."""
    return sign_in(seeded.test_client(), make_account(seeded, "colin@kestrel.example"))


class _FormReader(HTMLParser):
    """Collects the fields of one form (by id) as a browser would submit them."""

    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields: dict[str, str] = {}
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside:
            return
        if tag == "input" and a.get("name") and a.get("type") not in ("file", "submit"):
            if a.get("type") in ("radio", "checkbox") and "checked" not in a:
                return
            self.fields[a["name"]] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = a["name"]
            self.fields[a["name"]] = ""
        elif tag == "select":
            self._select = a["name"]
        elif (
            tag == "option"
            and self._select
            and ("selected" in a or self._select not in self.fields)
        ):
            self.fields[self._select] = a.get("value", "")

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self._textarea:
            # Browsers drop the one newline that follows <textarea>.
            self.fields[self._textarea] = (
                self.fields[self._textarea].replace("\r\n", "\n").removeprefix("\n")
            )
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self.inside = False


def read_form(html: str, form_id: str) -> dict[str, str]:
    """The values a browser would submit for the form with this id."""
    reader = _FormReader(form_id)
    reader.feed(html)
    assert reader.fields, f"no form #{form_id} in the page"
    return reader.fields


def open_draft(client: Any) -> dict[str, str]:
    """Open the draft editor and return its form values."""
    page = client.get("/admin/studio/draft")
    assert page.status_code == 200
    return read_form(page.get_data(as_text=True), "draft-form")


def save_draft(client: Any, form: dict[str, str], **changes: str) -> Any:
    """Post the draft editor with some fields changed."""
    return client.post("/admin/studio/draft", data={**form, **changes})


def edit_draft(client: Any, **changes: str) -> None:
    """Open the draft editor, change fields, save, and check it worked."""
    response = save_draft(client, open_draft(client), **changes)
    assert response.status_code == 303, response.get_data(as_text=True)[:3000]


def draft_revision(client: Any) -> str:
    """The draft revision the studio page offers to publish."""
    page = client.get("/admin/studio").get_data(as_text=True)
    return re.search(r'name="revision" value="(\d+)"', page).group(1)


def publish(client: Any) -> Any:
    """Press Publish on the studio page."""
    return client.post("/admin/studio/publish", data={"revision": draft_revision(client)})


def new_preview_link(client: Any) -> str:
    """Press "Create a preview link" in the studio; the absolute link it shows once."""
    response = client.post("/admin/studio/preview-links", data={})
    assert response.status_code == 201, response.get_data(as_text=True)[:500]
    page = response.get_data(as_text=True)
    return re.search(r'id="preview-link" type="text" readonly value="([^"]+)"', page).group(1)


def preview_link(client: Any) -> str:
    """A new shareable preview link (path only)."""
    return "/" + new_preview_link(client).split("/", 3)[3]


def png_bytes(
    size: tuple[int, int] = (240, 80), colour: tuple[int, int, int, int] = (200, 30, 60, 255)
) -> bytes:
    """A real PNG made with Pillow."""
    out = io.BytesIO()
    Image.new("RGBA", size, colour).save(out, "PNG")
    return out.getvalue()


def post_draft_form(client: Any, form: dict[str, str], files: dict[str, tuple[bytes, str]]) -> Any:
    """Post the draft editor as a browser does, multipart, with files (name -> bytes, filename)."""
    from werkzeug.datastructures import FileStorage
    from werkzeug.test import encode_multipart

    fields: dict[str, Any] = dict(form)
    for name, (data, filename) in files.items():
        fields[name] = FileStorage(
            io.BytesIO(data), filename, content_type="application/octet-stream"
        )
    # Encoded in memory: the test client would spool a large body to a file it never closes.
    boundary, body = encode_multipart(fields)
    return client.post(
        "/admin/studio/draft", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )


def upload_logo(
    client: Any, data: bytes, filename: str = "logo.png", form: dict[str, str] | None = None
) -> Any:
    """Choose a logo in the draft editor and press "Upload logo" (with the form's other values)."""
    values = {**(open_draft(client) if form is None else form), "action": "upload"}
    return post_draft_form(client, values, {"logo_file": (data, filename)})


def logo_png() -> bytes:
    """A logo as marketers upload them: light artwork on a transparent background."""
    from PIL import ImageDraw, ImageFont

    image = Image.new("RGBA", (420, 120), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 16, 96, 104), fill=(242, 177, 52, 255))
    draw.text((116, 26), "PURPLE", font=ImageFont.load_default(64), fill=(255, 255, 255, 255))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def photo_jpeg(size: tuple[int, int] = (2000, 1125), exif_note: str = "") -> bytes:
    """A photo-like JPEG: a sky gradient, hills, a little grain; optionally an EXIF comment."""
    width, height = size
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    sky = Image.new("RGB", size, (70, 140, 200))
    image = Image.blend(image, sky, 0.6)
    draw = ImageDraw.Draw(image)
    draw.ellipse((width * 0.1, height * 0.55, width * 0.9, height * 1.6), fill=(40, 110, 70))
    draw.ellipse((width * 0.55, height * 0.45, width * 1.3, height * 1.5), fill=(30, 90, 60))
    draw.ellipse((width * 0.7, height * 0.1, width * 0.8, height * 0.28), fill=(250, 220, 120))
    rng = random.Random(7)
    for _ in range(1500):
        x, y = rng.randrange(width), rng.randrange(height)
        draw.point((x, y), fill=(rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    out = io.BytesIO()
    exif = Image.Exif()
    if exif_note:
        exif[0x010E] = exif_note  # ImageDescription
        exif[0x010F] = exif_note  # Make
    image.save(out, "JPEG", quality=90, exif=exif.tobytes())
    return out.getvalue()


def noise_png(size: tuple[int, int] = (1600, 1000)) -> bytes:
    """Pure noise: no encoder can make it small."""
    rng = random.Random(3)
    image = Image.frombytes("RGB", size, rng.randbytes(size[0] * size[1] * 3))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def multipart(
    client: Any, url: str, fields: dict[str, Any], files: dict[str, tuple[bytes, str]]
) -> Any:
    """Post a form as a browser does, multipart, with files (name -> bytes, filename)."""
    from werkzeug.datastructures import FileStorage
    from werkzeug.test import encode_multipart

    data: dict[str, Any] = dict(fields)
    for name, (content, filename) in files.items():
        data[name] = FileStorage(io.BytesIO(content), filename, content_type="image/jpeg")
    boundary, body = encode_multipart(data)
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def section_form(client: Any, url: str) -> dict[str, str]:
    """The values a browser would submit from a section form."""
    page = client.get(url)
    assert page.status_code == 200, page.get_data(as_text=True)[:500]
    return read_form(page.get_data(as_text=True), "section-form")


def add_section(
    client: Any,
    page: str,
    kind: str,
    files: dict[str, tuple[bytes, str]] | None = None,
    expect: int = 303,
    **fields: str,
) -> Any:
    """Fill in a new section of ``kind`` on ``page`` and press Add section."""
    url = f"/admin/studio/sections/{page}/new/{kind}"
    values = {**section_form(client, url), **fields}
    response = multipart(client, url, values, files or {})
    assert response.status_code == expect, response.get_data(as_text=True)[:3000]
    return response


def section_ids(client: Any, page: str) -> list[str]:
    """The ids of a page's sections in the draft, in order, as the studio lists them."""
    html = client.get(f"/admin/studio/sections/{page}").get_data(as_text=True)
    return re.findall(r'<li class="card section-row" id="s-([0-9a-f]{12})"', html)


def hero(client: Any, page: str = "job", alt: str = "Two mechanics fitting a wheel") -> None:
    """Add a hero image section with a real photo."""
    add_section(client, page, "hero", files={"image_file": (photo_jpeg(), "team.jpg")}, alt=alt)
