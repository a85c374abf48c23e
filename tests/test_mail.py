"""E-mail as candidates receive it: real SMTP, both parts, the published brand, absolute links."""

from __future__ import annotations

import base64
import io
import logging
import re
import time
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from PIL import Image

from tests import smtp_fixtures
from tests.leakwatch import LEAKS, find_leaks
from tests.smtp_fixtures import SITE_URL, SmtpServer, queue_confirmation, smtp_server
from webapp.extensions import db
from webapp.mail import send_due
from webapp.models import Application, SystemAlert
from webapp.models.outbox import MAIL_PENDING, MAIL_SENT, OutboxMessage

PURPLE = "#7a1fa2"

# The shared fixtures this module requests by parameter name.
mail_app = smtp_fixtures.mail_app
smtpd = smtp_fixtures.smtpd


def parts(message: EmailMessage) -> tuple[str, str]:
    """The plain-text and HTML bodies of a received message."""
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None and html is not None
    return str(text.get_content()), str(html.get_content())


def publish_brand(app: Flask) -> str:
    """Publish a brand with its own colour, name and logo, as a marketer would; the logo's path."""
    from webapp.services.logo import prepare_logo
    from webapp.services.studio.draft import get_draft, save_draft, set_logo, store_logo
    from webapp.services.studio.publishing import publish

    image = io.BytesIO()
    Image.new("RGB", (120, 40), PURPLE).save(image, format="PNG")
    with app.app_context():
        draft = get_draft()
        draft = save_draft(
            {"brand.primary_color": PURPLE, "brand.company_name": "Harbour & Pine Cycles"},
            draft.revision,
            {},
            None,
        )
        asset = store_logo(prepare_logo(image.getvalue()), None)
        draft = set_logo(asset, draft.revision, {}, None)
        publish(draft.revision, None)
        path = f"/brand/logo-{asset.digest}.{asset.extension}"
        db.session.remove()
    return path


def test_confirmation_arrives_with_both_parts_in_the_published_brand(
    mail_app: Flask, smtpd: SmtpServer
) -> None:
    logo = publish_brand(mail_app)
    outbox_id, _ = queue_confirmation(mail_app, "ana.horvat@example.com")

    assert send_due(mail_app, "sender-1") == 1

    (message,) = smtpd.wait_for(1)
    assert message.get_content_type() == "multipart/alternative"
    assert message["To"] == "ana.horvat@example.com"
    assert message["From"].addresses[0].addr_spec == "careers@kestrel.example"
    assert message["Subject"] == "We have your application for Data Analyst"
    assert message["Content-Language"] == "en" and message["Auto-Submitted"] == "auto-generated"
    text, html = parts(message)
    assert "Harbour & Pine Cycles" in text and "What happens next" in text
    assert "Harbour &amp; Pine Cycles" in html and PURPLE in html
    assert '<html lang="en"' in html
    assert f'<img src="{SITE_URL}{logo}" alt="Harbour &amp; Pine Cycles"' in html
    links = re.findall(r'href="([^"]+)"', html) + re.findall(r"\bhttps?://\S+", text)
    assert len(links) >= 4
    assert all(link.startswith(SITE_URL + "/") for link in links), links
    with mail_app.app_context():
        row = db.session.get(OutboxMessage, outbox_id)
        assert row is not None and row.state == MAIL_SENT and row.sent_at is not None
        assert message["Message-ID"] == row.message_id


def test_the_link_in_the_message_opens_the_candidates_own_page(
    mail_app: Flask, smtpd: SmtpServer
) -> None:
    queue_confirmation(mail_app)
    send_due(mail_app, "sender-1")
    text, html = parts(smtpd.wait_for(1)[0])
    (link,) = re.findall(rf"{re.escape(SITE_URL)}/continue/\S+", text)
    assert f'href="{link}"' in html

    page = mail_app.test_client().get(link.removeprefix(SITE_URL), follow_redirects=True)

    assert page.status_code == 200
    assert "Data Analyst" in page.get_data(as_text=True)


def test_what_candidates_typed_is_escaped_in_the_html(mail_app: Flask, smtpd: SmtpServer) -> None:
    queue_confirmation(mail_app, full_name='Ana <img src=x onerror="alert(1)">')
    send_due(mail_app, "sender-1")
    text, html = parts(smtpd.wait_for(1)[0])
    assert "<img src=x" not in html and "Ana &lt;img src=x" in html
    assert 'Ana <img src=x onerror="alert(1)">' in text  # plain text is shown as text


def test_nothing_of_the_body_or_link_is_stored_or_logged(
    mail_app: Flask, smtpd: SmtpServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    queue_confirmation(mail_app)
    send_due(mail_app, "sender-1")
    text, _ = parts(smtpd.wait_for(1)[0])
    (link,) = re.findall(rf"{re.escape(SITE_URL)}/continue/\S+", text)
    token = link.rsplit("/", 1)[1]

    with mail_app.app_context():
        db.engine.dispose()  # everything written is in the file now
    database = Path(mail_app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))
    stored = database.read_bytes()
    for needle in (token, "What happens next", "Open your application page"):
        assert needle.encode() not in stored
    assert token not in caplog.text
    assert find_leaks({token}, [], LEAKS.log_lines) == []


def test_a_login_works_and_its_password_is_never_logged_or_stored(
    mail_app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    password = "smtp-password-for-tests-4711"
    for server in smtp_server(credentials=("careers", password)):
        mail_app.config.update(
            SMTP_PORT=server.port, SMTP_USERNAME="careers", SMTP_PASSWORD="wrong-" + password
        )
        outbox_id, _ = queue_confirmation(mail_app)
        assert send_due(mail_app, "sender-1") == 0
        with mail_app.app_context():
            alert = db.session.scalar(
                db.select(SystemAlert).where(SystemAlert.key == "mail_failing")
            )
            assert alert is not None and "SMTP_PASSWORD" in alert.message
            row = db.session.get(OutboxMessage, outbox_id)
            assert row is not None and row.state == MAIL_PENDING and row.last_error
            assert password not in row.last_error and password not in alert.message
            db.session.remove()

        mail_app.config.update(SMTP_PASSWORD=password, MAIL_RETRY_BASE_SECONDS=0)
        time.sleep(0.25)  # the retry set at the failure (at most MAIL_RETRY_CAP_SECONDS) is due
        assert send_due(mail_app, "sender-1") == 1
        assert len(server.wait_for(1)) == 1
    encoded = base64.b64encode(f"\0careers\0{password}".encode()).decode()
    assert password not in caplog.text and encoded not in caplog.text
    assert find_leaks({password, encoded}, [], LEAKS.log_lines) == []
    with mail_app.app_context():
        db.engine.dispose()
    stored = Path(mail_app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))
    assert password.encode() not in stored.read_bytes()


@pytest.mark.parametrize(
    ("security", "says"),
    [("tls", "cannot reach the SMTP server"), ("starttls", "does not offer")],
)
def test_a_security_mode_the_server_lacks_is_a_clear_failure(
    mail_app: Flask, smtpd: SmtpServer, security: str, says: str
) -> None:
    mail_app.config.update(SMTP_SECURITY=security)
    outbox_id, _ = queue_confirmation(mail_app)

    assert send_due(mail_app, "sender-1") == 0

    assert smtpd.messages == []
    with mail_app.app_context():
        row = db.session.get(OutboxMessage, outbox_id)
        assert row is not None and row.state == MAIL_PENDING
        assert row.last_error is not None and says in row.last_error


def test_an_erased_application_gets_no_mail(mail_app: Flask, smtpd: SmtpServer) -> None:
    from webapp.models import utcnow

    outbox_id, public_id = queue_confirmation(mail_app)
    with mail_app.app_context():
        application = db.session.scalar(
            db.select(Application).where(Application.public_id == public_id)
        )
        assert application is not None
        application.erased_at = utcnow()
        db.session.commit()

    assert send_due(mail_app, "sender-1") == 0

    assert smtpd.messages == []
    with mail_app.app_context():
        row: Any = db.session.get(OutboxMessage, outbox_id)
        assert row.state == "cancelled"
