"""Embed diagnostics: what the interview page sends, what is stored, and a live signature check."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from flask import Flask

from tests.conftest import Site
from tests.helpers import Candidate, seed, wait_for
from tests.studio_fixtures import SLUG, make_account, preview_link, sign_in
from webapp.admin.diagnostics import check_signature
from webapp.extensions import db
from webapp.models import Application, Position
from webapp.security import content_security_policy, interview_allow_attribute
from webapp.vault import fingerprint


@pytest.fixture
def staff(site: Site) -> Any:
    """A recruiter signed in to the live site's app (in-process client, same database)."""
    seed(site.app)
    site.app.config["WTF_CSRF_ENABLED"] = False
    return sign_in(
        site.app.test_client(), make_account(site.app, "rita@kestrel.example", "recruiter")
    )


def applied_with_interview(site: Site, email: str = "amara@example.com") -> Application:
    candidate = Candidate(site.url)
    try:
        page = candidate.apply(SLUG, email)
        candidate.wait_for_stage(page, "interview")
    finally:
        candidate.close()
    with site.app.app_context():
        application = db.session.scalar(db.select(Application).where(Application.email == email))
        db.session.expunge(application)
        return application


def stored_key(site: Site, application: Application) -> str:
    """The key the application's position holds (what every candidate page signs with)."""
    with site.app.app_context():
        from webapp.services.platform import platform

        position = db.session.get(Position, application.position_id)
        return platform().vault.decrypt(position.embed_signing_key_encrypted)


def test_the_page_shows_what_is_sent_and_what_is_stored_but_never_the_key(
    site: Site, staff: Any
) -> None:
    empty = staff.get(f"/admin/diagnostics/{SLUG}").get_data(as_text=True)
    assert "No application to this position yet" in empty

    application = applied_with_interview(site)
    key = stored_key(site, application)
    page = unescape(staff.get(f"/admin/diagnostics/{SLUG}").get_data(as_text=True))
    origin = site.sandbox.url
    assert f'<code id="embed-origin">{origin}</code>' in page
    assert f'<code id="allow">{interview_allow_attribute(origin)}</code>' in page
    assert f'<code id="csp">{content_security_policy(origin)}</code>' in page
    assert f"frame-src {origin}" in page
    assert application.embed_id in page
    assert "Position (every candidate page)" in page
    assert fingerprint(key) in page
    assert key not in page


def test_the_signature_check_reports_accepted_and_refused(site: Site, staff: Any) -> None:
    application = applied_with_interview(site)
    result = staff.post(f"/admin/diagnostics/{SLUG}").get_data(as_text=True)
    # A test identity the platform does not know: signature accepted, no interview for it.
    assert re.search(r'id="check-result"[^>]*>\s*<strong>HTTP 404 — Accepted\.', result)

    # Once the preview candidate has an interview, the check uses that identity: a full 200.
    marketer = sign_in(site.app.test_client(), make_account(site.app, "mara@kestrel.example"))
    marketer.get(preview_link(marketer))
    status = f"/preview/jobs/{SLUG}/interview/status"  # a worker makes the preview interview
    wait_for(lambda: marketer.get(status).json["stage"] == "ready", timeout=20)
    result = staff.post(f"/admin/diagnostics/{SLUG}").get_data(as_text=True)
    assert re.search(r'id="check-result"[^>]*>\s*<strong>HTTP 200 — Accepted\.', result)
    assert "Preview Candidate" in result

    # A wrong stored key: the platform refuses the link.
    with site.app.app_context():
        from webapp.services.platform import platform

        row = db.session.get(Position, application.position_id)
        row.embed_signing_key_encrypted = platform().vault.encrypt("esk_wrong_key")
        db.session.commit()
    result = staff.post(f"/admin/diagnostics/{SLUG}").get_data(as_text=True)
    assert re.search(r'id="check-result"[^>]*>\s*<strong>HTTP 403 — Refused\.', result)


def test_an_unreachable_embed_url_is_reported_not_raised() -> None:
    check = check_signature("http://127.0.0.1:9/embed", "emb_1", "key", "Test", "test@example.com")
    assert check.verdict == "unreachable" and check.status is None


def test_with_nothing_stored_there_is_nothing_to_check(app: Flask) -> None:
    seed(app)
    recruiter = sign_in(app.test_client(), make_account(app, "rita@kestrel.example", "recruiter"))
    page = recruiter.post(f"/admin/diagnostics/{SLUG}").get_data(as_text=True)
    assert "Nothing to check yet" in page


def test_diagnostics_are_for_staff_only(app: Flask) -> None:
    seed(app)
    assert app.test_client().get(f"/admin/diagnostics/{SLUG}").status_code == 302
    for role in ("admin", "marketer", "recruiter"):
        client = sign_in(app.test_client(), make_account(app, f"{role}@kestrel.example", role))
        listing = client.get("/admin/diagnostics").get_data(as_text=True)
        assert f'href="/admin/diagnostics/{SLUG}"' in listing
    assert app.test_client().get("/admin/diagnostics/no-such-position").status_code == 302
