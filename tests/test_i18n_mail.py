"""The application remembers its language: its page and every e-mail about it speak it.

A German test catalogue is the shipped ``de`` one with every message it does not translate yet
marked and accented (``[de]⟦Ýóúr …⟧``), so these tests tell German from English today and read the real German once
translators fill the catalogue.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from email.message import EmailMessage
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from flask import Flask
from flask_babel import force_locale, gettext

from tests.admin_fixtures import RESUME, make_application
from tests.conftest import base_env
from tests.helpers import mail_text, position_id, seed
from tests.smtp_fixtures import SITE_URL, SmtpServer, smtpd
from tests.test_i18n_catalogues import extract, pseudo, shipped
from webapp import create_app
from webapp.extensions import db
from webapp.mail import enqueue, send_due
from webapp.mail.render import Rendered, render
from webapp.models import Application, Position
from webapp.models.accommodations import AccommodationRequest
from webapp.models.outbox import OutboxMessage
from webapp.services.platform import close as close_platform
from webapp.services.verification import issue_code
from webapp.views.apply import candidate_link_token

__all__ = ["smtpd"]  # the SMTP fixture, requested by name

SLUG = "data-analyst-amsterdam"
APPLY = f"/jobs/{SLUG}/apply"
TITLE = "Data Analyst"


@pytest.fixture(scope="module")
def german(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Catalog]:
    """A translations folder holding the test German catalogue, and that catalogue."""
    template = extract(tmp_path_factory.mktemp("pot") / "messages.pot")
    catalogue = shipped("de")
    for message in template:
        if not message.id:
            continue
        found = catalogue.get(message.id)
        forms = found.string if found is not None else None
        if found is None or not (all(forms) if isinstance(forms, tuple) else forms):
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            marked = tuple(f"[de]{pseudo(form)}" for form in ids)
            catalogue.add(message.id, marked if isinstance(message.id, tuple) else marked[0])
    folder = tmp_path_factory.mktemp("translations")
    (folder / "de" / "LC_MESSAGES").mkdir(parents=True)
    with (folder / "de" / "LC_MESSAGES" / "messages.mo").open("wb") as handle:
        write_mo(handle, catalogue)
    return folder, catalogue


@pytest.fixture
def de_app(
    tmp_path: Path, migrated_template: Path, smtpd: SmtpServer, german: tuple[Path, Catalog]
) -> Iterator[Flask]:
    """The demo positions on a fresh database, with the test German catalogue, mailing ``smtpd``."""
    database = tmp_path / "app.sqlite3"
    shutil.copy(migrated_template, database)
    app = create_app(
        {
            "BABEL_TRANSLATION_DIRECTORIES": str(german[0]),
            "PAGE_CACHE_SECONDS": 0,
            "WTF_CSRF_ENABLED": False,
            "SITE_URL": SITE_URL,
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": smtpd.port,
            "SMTP_SECURITY": "none",
            "SMTP_TIMEOUT": 5.0,
            "MAIL_FROM": "Kestrel Careers <careers@kestrel.example>",
        },
        env=base_env(tmp_path, database),
        instance_path=tmp_path,
    )
    seed(app)
    yield app
    close_platform(app)
    with app.app_context():
        db.engine.dispose()


def de(catalogue: Catalog, msgid: str, **values: Any) -> str:
    """What the German catalogue makes of ``msgid`` (a plural message: its singular)."""
    found = catalogue.get(msgid)
    assert found is not None and found.string, msgid
    text = str(found.string[0] if isinstance(found.string, tuple) else found.string)
    return text % values if values else text


def form(**overrides: str) -> dict[str, str]:
    return {
        "full_name": "Jonas Becker",
        "email": "jonas@example.com",
        "country": "DE",
        "resume_text": RESUME,
        "consent": "y",
        "website": "",
        **overrides,
    }


def stored_locale(app: Flask, email: str) -> str | None:
    with app.app_context():
        application = db.session.scalar(db.select(Application).where(Application.email == email))
        assert application is not None
        return application.locale


@pytest.mark.parametrize(
    ("path", "headers", "expected"),
    [
        ("/de" + APPLY, {"Accept-Language": "en"}, "de"),
        ("/pt-br" + APPLY, {}, "pt_BR"),
        (APPLY, {"Accept-Language": "nl-NL,nl;q=0.9"}, "nl"),
        (APPLY, {}, "en"),
    ],
)
def test_an_application_remembers_the_language_it_was_made_in(
    de_app: Flask, path: str, headers: dict[str, str], expected: str
) -> None:
    response = de_app.test_client().post(path, data=form(), headers=headers)
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    assert stored_locale(de_app, "jonas@example.com") == expected


def _page_of(app: Flask, locale: str | None) -> str:
    application_id = make_application(app, position_id(app, SLUG), locale=locale)
    with app.test_request_context("/"):
        application = db.session.get(Application, application_id)
        assert application is not None
        return f"/applications/{candidate_link_token(application.public_id)}"


def test_the_candidate_page_speaks_its_application_language_whatever_the_url_says(
    de_app: Flask, german: tuple[Path, Catalog]
) -> None:
    page = _page_of(de_app, "de")
    client = de_app.test_client()
    client.set_cookie("lang", "fr")
    skip = de(german[1], "Skip to content")
    for url in (page, "/fr" + page, "/en" + page):
        response = client.get(url, headers={"Accept-Language": "en-GB,en;q=0.9"})
        body = response.get_data(as_text=True)
        assert response.status_code == 200, url
        assert '<html lang="de"' in body and response.headers["Content-Language"] == "de", url
        assert skip in body and "Skip to content" not in body, url
        # Links it builds keep the language: home is the German home, whatever the URL's prefix.
        assert 'href="/de/"' in body, url
        assert 'href="/fr/"' not in body.replace('hreflang="fr" href="/fr/', ""), url


def test_an_older_application_without_a_language_reads_in_the_default(de_app: Flask) -> None:
    page = _page_of(de_app, None)
    response = de_app.test_client().get("/de" + page, headers={"Accept-Language": "de"})
    assert response.status_code == 200
    assert '<html lang="en"' in response.get_data(as_text=True)
    assert response.headers["Content-Language"] == "en"


def _rendered(app: Flask, kind: str, locale: str | None, **values: Any) -> Rendered:
    """Queue ``kind`` about a new application and render it as a worker does (no request)."""
    application_id = make_application(app, position_id(app, SLUG), locale=locale, **values)
    with app.app_context():
        position = db.session.get(Position, position_id(app, SLUG))
        assert position is not None
        position.interview = {**position.interview, "interview_available_till": "2027-01-31"}
        application = db.session.get(Application, application_id)
        assert application is not None
        issue_code(application)  # as applying or asking for a code does
        message = enqueue(kind, application.email, application_id=application_id)
        db.session.commit()
        rendered = render(message)
        db.session.remove()
    return rendered


CANDIDATE_KINDS = {
    "application_received": ("We have your application for %(title)s", {}),
    "verification_code": ("Your code for %(title)s", {}),
    "application_link": ("Your link to your application for %(title)s", {}),
    "interview_ready": ("Your interview for %(title)s is ready", {}),
    "interview_accepted": ("Good news about your application for %(title)s", {}),
    "interview_reminder": ("Your interview for %(title)s is still open", {}),
    "interview_thanks": ("Thank you for your interview for %(title)s", {}),
    "rejection": ("Your application for %(title)s", {"decision": "ai_reject"}),
    "interview_again": (
        "You can take your interview for %(title)s again",
        {"interview_attempt": 2},
    ),
}


@pytest.mark.parametrize("kind", sorted(CANDIDATE_KINDS))
def test_every_candidate_email_is_written_in_the_application_language(
    de_app: Flask, german: tuple[Path, Catalog], kind: str
) -> None:
    subject, values = CANDIDATE_KINDS[kind]
    rendered = _rendered(de_app, kind, "de", **values)
    assert rendered.subject == de(german[1], subject, title=TITLE)
    assert rendered.language == "de" and '<html lang="de" dir="ltr">' in rendered.html
    button = de(german[1], "If the button does not work, copy this address into your browser:")
    assert button in rendered.html
    english = _rendered(de_app, kind, None, **values)
    assert english.subject == subject % {"title": TITLE} and english.language == "en"
    # Not one English sentence of the same message is left in the German one.
    for sentence in re.findall(r"[A-Z][a-z][^.:\n]{20,}[.:]", english.text):
        assert sentence not in rendered.text, sentence
    # Links to public pages keep the language; the personal link opens the German page anyway.
    assert f"{SITE_URL}/de/" in rendered.text and f"{SITE_URL}/de/" in rendered.html


def test_dates_and_codes_in_an_email_follow_its_language(
    de_app: Flask, german: tuple[Path, Catalog]
) -> None:
    ready = _rendered(de_app, "interview_ready", "de")
    assert "31. Januar 2027" in ready.text and "31. Januar 2027" in ready.html
    received = _rendered(de_app, "application_received", "de", email="code@example.com")
    assert re.search(re.escape(de(german[1], "Your confirmation code:")) + r" \d{6}", received.text)
    assert "January" in _rendered(de_app, "interview_ready", None, email="en@example.com").text


def test_an_arabic_email_reads_right_to_left(de_app: Flask) -> None:
    rendered = _rendered(de_app, "application_received", "ar")
    assert rendered.language == "ar" and '<html lang="ar" dir="rtl">' in rendered.html


def test_the_recruiters_copy_of_an_adjustment_request_stays_in_the_site_language(
    de_app: Flask,
) -> None:
    application_id = make_application(de_app, position_id(de_app, SLUG), locale="de")
    with de_app.app_context():
        request = AccommodationRequest(
            application_id=application_id, need="alternative", details="Ein Telefonat, bitte."
        )
        db.session.add(request)
        db.session.flush()
        message = enqueue(
            "accommodation_request",
            "recruiters@kestrel.example",
            application_id=application_id,
            data={"request": request.id},
        )
        db.session.commit()
        rendered = render(message)
    assert rendered.language == "en" and rendered.subject.startswith("Adjustment requested:")
    assert "A different way to interview (a call or a meeting with a person)" in rendered.text
    assert "[de]" not in rendered.text + rendered.html


def test_find_my_application_answers_in_the_language_of_the_page_that_asked(
    de_app: Flask, german: tuple[Path, Catalog]
) -> None:
    make_application(de_app, position_id(de_app, SLUG), email="nora@example.com", locale="nl")
    response = de_app.test_client().post(
        "/de/find-my-application", data={"email": "nora@example.com"}
    )
    assert response.status_code == 200
    with de_app.app_context():
        message = db.session.scalar(
            db.select(OutboxMessage).where(OutboxMessage.kind == "find_applications")
        )
        assert message is not None and message.language == "de"
        rendered = render(message)
    assert rendered.subject == de(german[1], "Your application") and rendered.language == "de"


def test_a_german_application_gets_its_confirmation_over_smtp_in_german(
    de_app: Flask, smtpd: SmtpServer, german: tuple[Path, Catalog]
) -> None:
    response = de_app.test_client().post(
        "/de" + APPLY, data=form(email="lena@example.com"), headers={"Accept-Language": "en"}
    )
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/de/applications/")

    assert send_due(de_app, "sender-de") == 1

    (message,) = smtpd.wait_for(1)
    assert isinstance(message, EmailMessage)
    assert message["Subject"] == de(
        german[1], "We have your application for %(title)s", title=TITLE
    )
    assert message["Content-Language"] == "de"
    text = mail_text(message)
    assert de(german[1], "What happens next") in text and "What happens next" not in text
    assert f"{SITE_URL}/de/find-my-application" in text
    html = message.get_body(preferencelist=("html",))
    assert html is not None and '<html lang="de"' in str(html.get_content())


def test_rendering_in_a_worker_leaves_no_language_behind(de_app: Flask) -> None:
    # force_locale is undone after each message: the next one, and the app, are as before.
    _rendered(de_app, "interview_ready", "de")
    with de_app.app_context():
        assert gettext("Skip to content") == "Skip to content"
        with force_locale("de"):
            assert gettext("Skip to content") != "Skip to content"


def newest_locale(app: Flask) -> str | None:
    with app.app_context():
        locale = db.session.scalar(
            db.select(Application.locale).order_by(Application.id.desc()).limit(1)
        )
        db.session.remove()
        return locale


def test_the_switch_on_a_candidate_page_changes_the_application_language(de_app: Flask) -> None:
    page = _page_of(de_app, "de")
    client = de_app.test_client()
    body = client.get(page).get_data(as_text=True)
    assert '<html lang="de"' in body
    switch = re.search(r'href="([^"]*/language/nl)" lang="nl"', body)
    assert switch is not None, "the switch offers Dutch through the application"
    assert switch.group(1).startswith("/de" + page) or switch.group(1).startswith(page)
    chosen = client.get(unescape(switch.group(1)))
    assert chosen.status_code == 303
    assert chosen.headers["Cache-Control"] == "no-store"
    assert chosen.headers["Location"].endswith("/nl" + page)
    assert "lang=" not in chosen.headers.get("Set-Cookie", "")  # the application, not a cookie
    assert newest_locale(de_app) == "nl"
    # Opened plainly later, in any browser, the page is Dutch now.
    fresh = de_app.test_client().get(page, headers={"Accept-Language": "de"})
    assert '<html lang="nl"' in fresh.get_data(as_text=True)
    # A language the site does not offer, or a forged link, changes nothing.
    assert client.get(page + "/language/xx").status_code == 404
    forged = client.get("/applications/not-a-token/language/en")
    assert forged.status_code in (400, 404)
    assert newest_locale(de_app) == "nl"
