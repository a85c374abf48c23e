"""Preview links: made on purpose, listed, revocable at once, expiring, and honest about the draft."""

# ruff: noqa: F811  (a test's parameter names the fixture imported below)

from __future__ import annotations

import re
import time
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select, update

from tests.studio_fixtures import (  # noqa: F401 (fixtures)
    PASSWORD,
    SLUG,
    colleague,
    edit_draft,
    make_account,
    marketer,
    new_preview_link,
    preview_link,
    seeded,
    sign_in,
)
from webapp.extensions import db
from webapp.models import utcnow
from webapp.models.content import PreviewLink
from webapp.services.site import DEFAULT_TEXTS


def shows_draft(guest: Any, text: str = "Draft heading") -> bool:
    """Whether this browser sees the draft on the careers home."""
    return text in guest.get("/").get_data(as_text=True)


def link_id(app: Flask) -> int:
    """The id of the newest preview link."""
    with app.app_context():
        return db.session.scalars(select(PreviewLink.id).order_by(PreviewLink.id.desc())).first()


def test_a_preview_link_shows_the_draft_to_a_browser_without_an_account(
    seeded: Flask, marketer: Any
) -> None:
    edit_draft(marketer, text_home_heading="Draft heading", brand_company_name="Kestrel Draft Co")
    guest = seeded.test_client()
    response = guest.get(preview_link(marketer))
    assert response.status_code == 303 and response.headers["Location"] == "/"
    assert response.headers["Cache-Control"] == "no-store"
    page = guest.get("/")
    html = page.get_data(as_text=True)
    assert "Draft heading" in html and "Kestrel Draft Co" in html
    assert "Preview of unpublished changes" in html and 'href="/preview/exit"' in html
    assert page.headers["Cache-Control"] == "no-store"
    theme = re.search(r'href="(/theme-d\d+\.css)"', html).group(1)
    assert guest.get(theme).headers["Cache-Control"] == "no-store"
    sample = guest.get(f"/preview/jobs/{SLUG}/finished").get_data(as_text=True)
    assert DEFAULT_TEXTS["finished_heading"] in sample and "Kestrel Draft Co" in sample
    # Everyone else still sees the published site, and the sample pages are not theirs.
    assert not shows_draft(seeded.test_client())
    assert seeded.test_client().get(f"/preview/jobs/{SLUG}/finished").status_code == 404
    guest.get("/preview/exit")
    assert not shows_draft(guest)


def test_the_link_is_built_from_site_url_never_from_the_host_header(seeded: Flask) -> None:
    email = make_account(seeded, "mara@kestrel.example")
    browser = seeded.test_client()
    elsewhere = "http://attacker.example"
    login = browser.post(
        "/admin/login", data={"email": email, "password": PASSWORD}, base_url=elsewhere
    )
    assert login.status_code == 302
    response = browser.post("/admin/studio/preview-links", data={}, base_url=elsewhere)
    assert response.status_code == 201
    link = re.search(r'id="preview-link" type="text" readonly value="([^"]+)"', response.text)
    site_url = seeded.config["SITE_URL"].rstrip("/")
    assert link is not None and link.group(1).startswith(site_url + "/preview/")
    assert "attacker.example" not in response.text
    assert response.headers["Cache-Control"] == "no-store"


def test_only_a_hash_of_the_secret_is_stored_and_the_studio_never_shows_it_again(
    seeded: Flask, marketer: Any
) -> None:
    secret = new_preview_link(marketer).rsplit("/", 1)[1]
    with seeded.app_context():
        row = db.session.scalars(select(PreviewLink)).one()
        stored = " ".join(str(getattr(row, c.key)) for c in PreviewLink.__table__.columns)
    assert secret not in stored and len(row.secret_hash) == 64
    assert secret not in marketer.get("/admin/studio").get_data(as_text=True)


def test_the_studio_lists_live_links_with_creator_time_expiry_and_revision(
    seeded: Flask, marketer: Any
) -> None:
    edit_draft(marketer, text_home_heading="Draft heading")
    new_preview_link(marketer)
    edit_draft(marketer, text_home_heading="Draft heading, again")
    page = marketer.get("/admin/studio").get_data(as_text=True)
    row = re.search(rf'<tr id="preview-link-{link_id(seeded)}">([\s\S]*?)</tr>', page).group(1)
    with seeded.app_context():
        link = db.session.get(PreviewLink, link_id(seeded))
        created, expires, revision = link.created_at, link.expires_at, link.draft_revision
    assert "mara@kestrel.example" in row
    assert created.strftime("%Y-%m-%d %H:%M") in row and expires.strftime("%Y-%m-%d %H:%M") in row
    assert f"<td>{revision} " in row and f"(draft now at {revision + 1})" in row
    assert timedelta(days=6) < expires - created <= timedelta(days=7)


def test_revoking_a_link_stops_it_and_a_preview_already_open(seeded: Flask, marketer: Any) -> None:
    edit_draft(marketer, text_home_heading="Draft heading")
    link = preview_link(marketer)
    other = preview_link(marketer)
    guest, second_guest = seeded.test_client(), seeded.test_client()
    guest.get(link)
    second_guest.get(other)
    assert shows_draft(guest) and shows_draft(second_guest)

    response = marketer.post(f"/admin/studio/preview-links/{link_id(seeded) - 1}/revoke")
    assert response.status_code == 303
    assert not shows_draft(guest)  # the open preview ended with the next page
    assert guest.get(f"/preview/jobs/{SLUG}/finished").status_code == 404
    again = seeded.test_client().get(link)
    assert again.status_code == 410 and "This preview link was turned off" in again.text
    assert shows_draft(second_guest)  # the other link still works
    page = marketer.get("/admin/studio").get_data(as_text=True)
    assert f'id="preview-link-{link_id(seeded) - 1}"' not in page
    assert f'id="preview-link-{link_id(seeded)}"' in page


def test_revoke_all_stops_every_link(seeded: Flask, marketer: Any) -> None:
    edit_draft(marketer, text_home_heading="Draft heading")
    guests = []
    for _ in range(3):
        guest = seeded.test_client()
        guest.get(preview_link(marketer))
        guests.append(guest)
    response = marketer.post("/admin/studio/preview-links/revoke-all", follow_redirects=True)
    assert "3 preview links revoked" in response.text and 'id="no-preview-links"' in response.text
    assert not any(shows_draft(guest) for guest in guests)


def test_an_expired_link_is_refused_and_ends_a_preview_already_open(
    seeded: Flask, marketer: Any
) -> None:
    edit_draft(marketer, text_home_heading="Draft heading")
    link = preview_link(marketer)
    guest = seeded.test_client()
    guest.get(link)
    assert shows_draft(guest)
    with seeded.app_context():
        db.session.execute(update(PreviewLink).values(expires_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    assert not shows_draft(guest)
    response = seeded.test_client().get(link)
    assert response.status_code == 410 and "This preview link has expired" in response.text
    assert 'id="no-preview-links"' in marketer.get("/admin/studio").get_data(as_text=True)


def test_a_link_lives_as_long_as_the_setting_says(seeded: Flask, marketer: Any) -> None:
    edit_draft(marketer, text_home_heading="Draft heading")
    seeded.config["STUDIO_PREVIEW_MAX_AGE"] = 1
    guest = seeded.test_client()
    guest.get(preview_link(marketer))
    assert shows_draft(guest)
    time.sleep(1.2)
    assert not shows_draft(guest)


def test_the_preview_says_which_draft_revision_the_link_was_made_for(
    seeded: Flask, marketer: Any
) -> None:
    edit_draft(marketer, text_home_heading="Draft heading")
    guest = seeded.test_client()
    guest.get(preview_link(marketer))
    with seeded.app_context():
        made_for = db.session.scalars(select(PreviewLink.draft_revision)).one()
    html = guest.get("/").get_data(as_text=True)
    assert f"You are seeing draft revision {made_for}, as it was when this link was made." in html

    edit_draft(marketer, text_home_heading="Later heading")
    edit_draft(marketer, text_home_heading="Latest heading")
    html = guest.get(f"/jobs/{SLUG}").get_data(as_text=True)
    assert (
        f"This preview link was made for draft revision {made_for}; the draft has changed since "
        f"— you are seeing the current draft, revision {made_for + 2}."
    ) in html
    assert "Latest heading" in guest.get("/").get_data(as_text=True)


@pytest.mark.parametrize(
    "forge",
    [
        lambda secret: secret[:-1] + ("A" if secret[-1] != "A" else "B"),  # one character off
        lambda secret: secret[:10],  # cut short
        lambda secret: "x" * 2000,  # absurdly long
        lambda secret: "not-a-preview-link",
    ],
)
def test_a_forged_or_unknown_link_is_a_clear_404(seeded: Flask, marketer: Any, forge: Any) -> None:
    edit_draft(marketer, text_home_heading="Draft heading")
    secret = preview_link(marketer).removeprefix("/preview/")
    guest = seeded.test_client()
    response = guest.get("/preview/" + forge(secret))
    assert response.status_code == 404
    assert "This preview link is not valid" in response.text
    assert not shows_draft(guest)


def test_a_forged_session_marker_shows_no_draft(seeded: Flask, marketer: Any) -> None:
    edit_draft(marketer, text_home_heading="Draft heading")
    guest = seeded.test_client()
    for marker in (999999, 2**70, -1, True, "1", "not-a-number", None, [1]):
        with guest.session_transaction() as session:
            session["site_preview_link"] = marker
        assert not shows_draft(guest)


@pytest.mark.parametrize(
    "route",
    ["/admin/studio/preview-links", "/admin/studio/preview-links/1/revoke"],
)
def test_only_marketers_and_admins_create_and_revoke_links(seeded: Flask, route: str) -> None:
    anonymous = seeded.test_client().post(route)
    assert anonymous.status_code in (302, 401) and "/admin/login" in anonymous.headers.get(
        "Location", "/admin/login"
    )
    recruiter = sign_in(seeded.test_client(), make_account(seeded, "rex@k.example", "recruiter"))
    assert recruiter.post(route).status_code == 403
    admin = sign_in(seeded.test_client(), make_account(seeded, "ada@k.example", "admin"))
    assert admin.post("/admin/studio/preview-links").status_code == 201
    assert admin.post(f"/admin/studio/preview-links/{link_id(seeded)}/revoke").status_code == 303
    with seeded.app_context():
        assert db.session.get(PreviewLink, link_id(seeded)).revoked_at is not None


def test_creating_and_revoking_need_the_forms_csrf_token(seeded: Flask, marketer: Any) -> None:
    preview_link(marketer)
    seeded.config["WTF_CSRF_ENABLED"] = True
    for route in (
        "/admin/studio/preview-links",
        f"/admin/studio/preview-links/{link_id(seeded)}/revoke",
        "/admin/studio/preview-links/revoke-all",
    ):
        assert marketer.post(route, data={}).status_code == 400, route
    with seeded.app_context():
        assert db.session.scalars(select(PreviewLink)).one().revoked_at is None
    # With the token the studio page carries, the same button works.
    page = marketer.get("/admin/studio").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert (
        marketer.post("/admin/studio/preview-links", data={"csrf_token": token}).status_code == 201
    )


def test_open_preview_from_the_studio_makes_a_link_and_goes_to_it(
    seeded: Flask, marketer: Any
) -> None:
    edit_draft(marketer, text_home_heading="Draft heading")
    response = marketer.post("/admin/studio/preview-links", data={"open": "1"})
    assert response.status_code == 303
    assert response.headers["Location"].startswith(
        seeded.config["SITE_URL"].rstrip("/") + "/preview/"
    )
    marketer.get("/" + response.headers["Location"].split("/", 3)[3])
    assert shows_draft(marketer)
