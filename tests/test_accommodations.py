"""A candidate asks for an adjustment: stored on the application, shown to recruiters, e-mailed."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import smtp_fixtures
from tests.admin_fixtures import PASSWORD, create_user, email_of, sign_in
from tests.conftest import Site, make_site
from tests.helpers import Candidate, mail_env, mail_text, mail_to, seed
from tests.smtp_fixtures import SmtpServer
from webapp.extensions import db

SLUG = "data-analyst-amsterdam"
smtpd = smtp_fixtures.smtpd
NEED = "I am deaf: I would like captions, or to answer in writing."


@pytest.fixture
def live(tmp_path: Path, migrated_template: Path, smtpd: SmtpServer) -> Iterator[Site]:
    env = mail_env(smtpd.port, ACCOMMODATION_EMAIL="people@kestrel.example")
    for site in make_site(tmp_path, migrated_template, env=env):
        seed(site.app)
        site.start_workers()
        yield site


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found
    return found.group(1)


def _ask(person: Candidate, page: str, **fields: str):  # type: ignore[no-untyped-def]
    html = person.http.get(page).text
    return person.http.post(page + "/adjustment", data={"csrf_token": _csrf(html), **fields})


def test_a_request_reaches_the_recruiter_and_the_configured_address(
    live: Site, smtpd: SmtpServer
) -> None:
    person = Candidate(live.url)
    page = person.apply(SLUG, "ines@example.com", name="Inês Duarte")
    html = person.http.get(page).text
    assert "Need an adjustment or a different way to interview?" in html

    sent = _ask(person, page, need="adjustment", details=NEED)
    assert sent.status_code == 303
    confirmed = person.http.get(sent.headers["Location"])
    assert "Thank you — we have your request" in confirmed.text

    (message,) = mail_to(smtpd, "people@kestrel.example")
    assert "Inês Duarte" in str(message["Subject"]) and NEED in mail_text(message)
    assert "/admin/applications/" in mail_text(message)

    with live.app.app_context():
        create_user(email_of("recruiter"), "recruiter", PASSWORD)
        db.session.remove()
    live.app.config["WTF_CSRF_ENABLED"] = False  # the staff sign-in is tested elsewhere
    staff = live.app.test_client()
    sign_in(staff, email_of("recruiter"), PASSWORD)
    listing = staff.get("/admin/applications").get_data(as_text=True)
    detail = re.search(r'href="(/admin/applications/\d+)"', listing)
    assert detail, listing[:2000]
    shown = staff.get(detail.group(1)).get_data(as_text=True)
    assert "Adjustments asked for" in shown and "captions, or to answer in writing" in shown
    person.close()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"need": "adjustment", "details": "   "}, "Tell us a little about what would help you."),
        ({"need": "bribe", "details": "hello"}, "Choose what you would like us to arrange."),
        ({"details": "no need given"}, "Choose what you would like us to arrange."),
        ({"need": "other", "details": "x" * 2001}, "Please keep it under 2000 characters"),
    ],
)
def test_a_bad_request_gets_a_clear_message_and_nothing_is_stored(
    live: Site, fields: dict[str, str], message: str
) -> None:
    person = Candidate(live.url)
    page = person.apply(SLUG, "bad@example.com")
    refused = _ask(person, page, **fields)
    assert refused.status_code == 422 and message in refused.text
    with live.app.app_context():
        from webapp.models.accommodations import AccommodationRequest

        assert db.session.scalar(db.select(db.func.count(AccommodationRequest.id))) == 0
        db.session.remove()
    person.close()


def test_without_the_csrf_token_or_a_valid_link_nothing_is_taken(live: Site) -> None:
    person = Candidate(live.url)
    page = person.apply(SLUG, "csrf@example.com")
    forged = person.http.post(page + "/adjustment", data={"need": "other", "details": "hi"})
    assert forged.status_code == 400
    assert person.http.get(page[:-3] + "AAA/adjustment").status_code == 404
    person.close()


def test_asking_is_rate_limited(live: Site) -> None:
    live.app.config.update(RATELIMIT_ENABLED=True, ACCOMMODATION_RATE_LIMIT="2 per minute")
    person = Candidate(live.url)
    page = person.apply(SLUG, "often@example.com")
    answers = [_ask(person, page, need="other", details=f"try {n}").status_code for n in range(3)]
    assert answers == [303, 303, 429]
    person.close()


def test_erasing_the_application_erases_what_the_candidate_asked_for(live: Site) -> None:
    from webapp.models import Application
    from webapp.models.accommodations import AccommodationRequest
    from webapp.services.application_admin import erase_application

    person = Candidate(live.url)
    page = person.apply(SLUG, "erase-need@example.com", name="Ida Erased")
    assert _ask(person, page, need="adjustment", details=NEED).status_code == 303
    person.close()
    live.stop_workers()  # nothing is being sent for it while it is erased
    with live.app.app_context():
        application = db.session.scalar(
            db.select(Application).where(Application.email == "erase-need@example.com")
        )
        assert application is not None and application.accommodation_requests
        erase_application(application)
        assert db.session.scalars(db.select(AccommodationRequest)).all() == []
