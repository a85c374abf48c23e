"""Fixtures and helpers for the studio tests: marketers, signed-in clients, reading and posting forms."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from flask import Flask
from PIL import Image

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
