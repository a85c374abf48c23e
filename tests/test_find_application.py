"""Find my application: the same answer and the same work for any address, links out by e-mail."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import event, text

from tests import smtp_fixtures
from tests.helpers import link_in, mail_text
from tests.smtp_fixtures import SmtpServer, queue_confirmation
from webapp.extensions import db
from webapp.mail import send_due

smtpd = smtp_fixtures.smtpd
mail_app = smtp_fixtures.mail_app


def ask(app: Flask, email: str, client: Any = None) -> tuple[Any, list[str]]:
    """POST the form; the response and every SQL statement it ran."""
    statements: list[str] = []
    with app.app_context():
        engine = db.engine

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        response = (client or app.test_client()).post("/find-my-application", data={"email": email})
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return response, statements


def outbox(app: Flask) -> list[tuple[Any, ...]]:
    with app.app_context():
        rows = db.session.execute(
            text("SELECT kind, to_address, state FROM outbox ORDER BY id")
        ).all()
        db.session.remove()
    return [tuple(row) for row in rows]


def test_the_form_is_linked_and_labelled(mail_app: Flask) -> None:
    page = mail_app.test_client().get("/find-my-application")
    assert page.status_code == 200
    assert '<label for="email">' in page.text and 'autocomplete="email"' in page.text


def test_known_and_unknown_addresses_get_the_same_answer_and_the_same_work(
    mail_app: Flask, smtpd: SmtpServer
) -> None:
    queue_confirmation(mail_app, email="known@example.com")
    send_due(mail_app, "test-sender")
    smtpd.wait_for(1)
    before = len(outbox(mail_app))

    known, known_sql = ask(mail_app, "known@example.com")
    unknown, unknown_sql = ask(mail_app, "nobody@example.com")
    assert known.status_code == unknown.status_code == 200
    assert known.text.replace("known@example.com", "@") == unknown.text.replace(
        "nobody@example.com", "@"
    )
    assert known_sql == unknown_sql  # the same statements, in the same order
    assert len(outbox(mail_app)) == before + 2

    send_due(mail_app, "test-sender")
    messages = smtpd.wait_for(2)
    assert len(messages) == 2 and str(messages[1]["To"]) == "known@example.com"
    assert "Data Analyst" in mail_text(messages[1])
    # The unknown address got nothing, and its row keeps nothing of it.
    assert outbox(mail_app)[-1] == ("find_applications", "", "cancelled")

    # The link in that e-mail proves the address and opens the application's page.
    opened = mail_app.test_client().get(link_in(messages[1]))
    assert opened.status_code == 303 and "/applications/" in opened.headers["Location"]


def test_a_bad_address_gets_a_clear_message(mail_app: Flask) -> None:
    response, _ = ask(mail_app, "not an address")
    assert response.status_code == 422
    assert "Enter an e-mail address like name@example.com." in response.text
    assert outbox(mail_app) == []


def test_each_address_is_limited(mail_app: Flask) -> None:
    for _ in range(3):
        assert ask(mail_app, "flood@example.com")[0].status_code == 200
    refused, _ = ask(mail_app, "Flood@Example.com ")
    assert refused.status_code == 429 and "Please wait" in refused.text
    assert len(outbox(mail_app)) == 3
    assert ask(mail_app, "other@example.com")[0].status_code == 200


def test_each_client_is_limited(mail_app: Flask) -> None:
    mail_app.config.update(RATELIMIT_ENABLED=True, FIND_RATE_LIMIT="2 per minute")
    client = mail_app.test_client()
    assert ask(mail_app, "a@example.com", client)[0].status_code == 200
    assert ask(mail_app, "b@example.com", client)[0].status_code == 200
    refused, _ = ask(mail_app, "c@example.com", client)
    assert refused.status_code == 429 and refused.headers["Retry-After"]
    assert len(outbox(mail_app)) == 2
