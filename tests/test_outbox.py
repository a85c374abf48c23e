"""The outbox's promises: queued with the change that caused it, sent at least once with one
Message-ID, never a flood, retried through an outage, purged on erasure."""

from __future__ import annotations

import logging
import re
import threading
import time
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from tests import smtp_fixtures
from tests.smtp_fixtures import SmtpServer, queue_confirmation
from webapp.extensions import db
from webapp.mail import OutboxRefused, enqueue, purge_for_application, send_due, start_mail_sender
from webapp.mail.sender import policy_from_config
from webapp.models import Application, SystemAlert
from webapp.models.jobs import Job
from webapp.models.outbox import (
    MAIL_CANCELLED,
    MAIL_GAVE_UP,
    MAIL_PENDING,
    MAIL_SENDING,
    MAIL_SENT,
    OutboxMessage,
)
from webapp.services import jobs

# The shared fixtures this module requests by parameter name.
mail_app = smtp_fixtures.mail_app
smtpd = smtp_fixtures.smtpd


def rows(app: Flask) -> list[OutboxMessage]:
    """Every outbox row, detached, oldest first."""
    with app.app_context():
        found = list(db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id)))
        db.session.expunge_all()
        db.session.remove()
    return found


def alert(app: Flask) -> SystemAlert | None:
    """The mail alert, if one was ever raised."""
    with app.app_context():
        found = db.session.scalar(db.select(SystemAlert).where(SystemAlert.key == "mail_failing"))
        db.session.expunge_all()
        db.session.remove()
    return found


def expire_leases(app: Flask) -> None:
    """Let every lease run out now, as time would."""
    from datetime import timedelta

    from webapp.models import utcnow

    with app.app_context():
        db.session.execute(
            db.update(Job)
            .where(Job.lease_expires_at.is_not(None))
            .values(lease_expires_at=utcnow() - timedelta(seconds=1))
        )
        db.session.commit()
        db.session.remove()


def send_until(app: Flask, smtpd: SmtpServer, count: int, timeout: float = 10.0) -> None:
    """Run the sender until ``count`` messages have arrived."""
    deadline = time.monotonic() + timeout
    while len(smtpd.messages) < count:
        assert time.monotonic() < deadline, f"only {len(smtpd.messages)} of {count} arrived"
        send_due(app, "sender-1")
        time.sleep(0.02)


def test_enqueue_joins_the_callers_transaction(mail_app: Flask) -> None:
    with mail_app.app_context():
        enqueue("application_received", "ana@example.com")
        db.session.rollback()
        assert db.session.scalar(db.select(db.func.count(OutboxMessage.id))) == 0

        message = enqueue("application_received", "Ana@Example.com", data={"round": 2})
        assert db.session.scalar(db.select(db.func.count(OutboxMessage.id))) == 1  # autoflush
        db.session.commit()
        assert re.fullmatch(r"<[0-9a-f]{32}@kestrel\.example>", message.message_id)
        assert message.state == MAIL_PENDING and message.data == {"round": 2}
        assert message.to_address == "Ana@example.com"  # the domain normalised, nothing else


@pytest.mark.parametrize(
    ("kind", "to", "data"),
    [
        ("no_such_kind", "ana@example.com", None),
        ("application_received", "ana@example.com\r\nBcc: all@example.com", None),
        ("application_received", "not an address", None),
        ("application_received", "ana@example.com", {"code": "493021"}),
        ("application_received", "ana@example.com", {"page_url": "x"}),
        ("application_received", "ana@example.com", {"note": "see https://evil.example/x"}),
        ("application_received", "ana@example.com", {"note": "/applications/abc"}),
        ("application_received", "ana@example.com", {"items": ["a", "b"]}),
    ],
)
def test_enqueue_refuses_what_cannot_be_sent_or_must_not_be_stored(
    mail_app: Flask, kind: str, to: str, data: dict[str, Any] | None
) -> None:
    with mail_app.app_context(), pytest.raises(OutboxRefused):
        enqueue(kind, to, data=data)


def test_every_message_arrives_once_after_the_server_was_down(
    mail_app: Flask, smtpd: SmtpServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="webapp.mail")
    smtpd.stop()
    for index in range(3):
        queue_confirmation(mail_app, f"candidate-{index}@example.com")

    deadline = time.monotonic() + 15
    while not all(row.attempts >= 3 for row in rows(mail_app)):  # each retried, with backoff
        assert time.monotonic() < deadline, "the messages were not retried"
        assert send_due(mail_app, "sender-1") == 0
        time.sleep(0.02)

    down = rows(mail_app)
    assert all(row.state == MAIL_PENDING for row in down)
    open_alert = alert(mail_app)
    assert open_alert is not None and open_alert.resolved_at is None
    outage_lines = [r for r in caplog.records if "cannot be sent" in r.getMessage()]
    assert len(outage_lines) == 1, [r.getMessage() for r in caplog.records]
    assert outage_lines[0].levelno == logging.WARNING

    smtpd.start()
    send_until(mail_app, smtpd, 3)
    time.sleep(0.2)
    send_due(mail_app, "sender-1")

    received = smtpd.messages
    assert sorted(m["To"] for m in received) == [f"candidate-{i}@example.com" for i in range(3)]
    assert sorted(m["Message-ID"] for m in received) == sorted(row.message_id for row in down)
    assert all(row.state == MAIL_SENT for row in rows(mail_app))
    closed = alert(mail_app)
    assert closed is not None and closed.resolved_at is not None
    said = [r.getMessage() for r in caplog.records]
    assert said.count("e-mail is being delivered again") == 1, said


def test_a_sender_killed_before_connecting_leaves_one_delivery(
    mail_app: Flask, smtpd: SmtpServer
) -> None:
    queue_confirmation(mail_app)
    with mail_app.app_context():  # a sender claims the message, then dies before connecting
        lease = policy_from_config(mail_app.config).lease_seconds
        assert jobs.claim_next("dead-sender", {"mail": lease}) is not None
        db.session.remove()

    assert send_due(mail_app, "sender-2") == 0  # the dead sender's lease still holds
    expire_leases(mail_app)
    assert send_due(mail_app, "sender-2") == 1
    assert send_due(mail_app, "sender-2") == 0

    assert len(smtpd.wait_for(1)) == 1
    time.sleep(0.2)
    assert len(smtpd.messages) == 1


def test_a_sender_dying_after_the_server_accepted_resends_once_with_the_same_message_id(
    mail_app: Flask, smtpd: SmtpServer, caplog: pytest.LogCaptureFixture
) -> None:
    outbox_id, _ = queue_confirmation(mail_app)
    accepted, failed_once = threading.Event(), threading.Event()
    smtpd.handler.after_accept = accepted.set

    def lose_the_record(connection: Any) -> None:
        # The server said yes; our record of it fails, as if the sender died right there.
        if accepted.is_set() and not failed_once.is_set():
            failed_once.set()
            raise OperationalError("COMMIT", {}, Exception("disk I/O error"))

    with mail_app.app_context():
        engine = db.engine
    event.listen(engine, "commit", lose_the_record)
    try:
        assert send_due(mail_app, "sender-1") == 0
    finally:
        event.remove(engine, "commit", lose_the_record)
    assert failed_once.is_set() and len(smtpd.messages) == 1
    (row,) = rows(mail_app)
    assert row.state == MAIL_SENDING and row.sent_at is None
    assert "accepted by the SMTP server but could not be recorded" in caplog.text

    assert send_due(mail_app, "sender-2") == 0  # not while the lease holds: no flood
    expire_leases(mail_app)
    assert send_due(mail_app, "sender-2") == 1
    for _ in range(3):
        assert send_due(mail_app, "sender-2") == 0

    first, second = smtpd.wait_for(2)
    assert len(smtpd.messages) == 2
    assert first["Message-ID"] == second["Message-ID"] == row.message_id
    (row,) = rows(mail_app)
    assert row.id == outbox_id and row.state == MAIL_SENT


def test_two_senders_at_once_send_each_message_once(mail_app: Flask, smtpd: SmtpServer) -> None:
    for index in range(12):
        queue_confirmation(mail_app, f"candidate-{index}@example.com")
    senders = [start_mail_sender(mail_app, poll_interval=0.02) for _ in range(2)]
    try:
        smtpd.wait_for(12, timeout=30)
        time.sleep(0.3)
    finally:
        for stop, thread in senders:
            stop.set()
            thread.join(timeout=10)
    ids = [m["Message-ID"] for m in smtpd.messages]
    assert len(ids) == 12 and len(set(ids)) == 12
    assert all(row.state == MAIL_SENT for row in rows(mail_app))


def test_a_refused_recipient_is_given_up_and_the_others_still_go(
    mail_app: Flask, smtpd: SmtpServer
) -> None:
    smtpd.handler.refuse = {"nobody@example.com"}
    queue_confirmation(mail_app, "nobody@example.com")
    queue_confirmation(mail_app, "ana@example.com")

    assert send_due(mail_app, "sender-1") == 1

    assert [m["To"] for m in smtpd.messages] == ["ana@example.com"]
    refused, delivered = rows(mail_app)
    assert refused.state == MAIL_GAVE_UP and refused.last_error == "recipient refused (550)"
    assert delivered.state == MAIL_SENT
    assert alert(mail_app) is None  # one bad address is not an outage


def test_mail_is_given_up_after_MAIL_GIVE_UP_AFTER(mail_app: Flask, smtpd: SmtpServer) -> None:
    mail_app.config["MAIL_GIVE_UP_AFTER"] = 0
    smtpd.stop()
    queue_confirmation(mail_app)

    send_due(mail_app, "sender-1")
    smtpd.start()
    send_due(mail_app, "sender-1")

    (row,) = rows(mail_app)
    assert row.state == MAIL_GAVE_UP and smtpd.messages == []


def test_purging_an_application_cancels_its_mail_and_blanks_its_address(
    mail_app: Flask, smtpd: SmtpServer
) -> None:
    outbox_id, public_id = queue_confirmation(mail_app, "ana@example.com")
    other_id, _ = queue_confirmation(mail_app, "ben@example.com")
    with mail_app.app_context():
        application = db.session.scalar(
            db.select(Application).where(Application.public_id == public_id)
        )
        assert application is not None
        assert purge_for_application(application.id) == 1
        db.session.commit()

    assert send_due(mail_app, "sender-1") == 1

    assert [m["To"] for m in smtpd.messages] == ["ben@example.com"]
    purged, other = rows(mail_app)
    assert (purged.id, purged.state, purged.to_address, purged.data) == (
        outbox_id,
        MAIL_CANCELLED,
        "",
        {},
    )
    assert other.id == other_id and other.state == MAIL_SENT


@pytest.fixture
def pg_mail_app(tmp_path: Any, postgres_database: str, smtpd: SmtpServer) -> Any:
    """The app on a fresh PostgreSQL database built by the migrations, sending to ``smtpd``."""
    from flask_migrate import upgrade

    from tests.conftest import base_env
    from tests.helpers import seed
    from webapp import create_app

    app = create_app(
        env=base_env(tmp_path, tmp_path / "unused.sqlite3", DATABASE_URL=postgres_database),
        instance_path=tmp_path,
    )
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=smtpd.port, SMTP_TIMEOUT=5.0)
    with app.app_context():
        upgrade()
    seed(app)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.mark.postgres
def test_racing_senders_on_postgresql_send_each_message_once(
    pg_mail_app: Flask, smtpd: SmtpServer
) -> None:
    for index in range(20):
        queue_confirmation(pg_mail_app, f"candidate-{index}@example.com")
    senders = [start_mail_sender(pg_mail_app, poll_interval=0.01) for _ in range(4)]
    try:
        smtpd.wait_for(20, timeout=30)
        time.sleep(0.3)
    finally:
        for stop, thread in senders:
            stop.set()
            thread.join(timeout=10)
    ids = [m["Message-ID"] for m in smtpd.messages]
    assert len(ids) == 20 and len(set(ids)) == 20
    assert all(row.state == MAIL_SENT for row in rows(pg_mail_app))


def test_a_held_back_message_waits_and_its_give_up_clock_starts_when_due(mail_app: Any) -> None:
    from datetime import timedelta

    from webapp.extensions import db
    from webapp.mail import enqueue
    from webapp.models.common import utcnow
    from webapp.models.outbox import OutboxMessage

    with mail_app.app_context():
        later = utcnow() + timedelta(hours=2)
        message = enqueue("application_received", "held@example.com", not_before=later)
        db.session.commit()
        assert jobs.claim_next("sender-a", {"mail": 60}) is None  # not due yet
        claimed = jobs.claim_next("sender-a", {"mail": 60}, now=later + timedelta(seconds=1))
        assert claimed is not None and claimed.subject_id == message.id
        stored = db.session.get(OutboxMessage, message.id)
        assert stored is not None and stored.due_at >= later - timedelta(seconds=1)


def test_erasing_an_application_cancels_its_mail_and_blanks_its_address(
    mail_app: Flask, smtpd: SmtpServer
) -> None:
    from webapp.services.application_admin import erase_application

    outbox_id, public_id = queue_confirmation(mail_app, "erase-me@example.com")
    with mail_app.app_context():
        application = db.session.scalar(
            db.select(Application).where(Application.public_id == public_id)
        )
        assert application is not None
        erase_application(application)
        # In the erasure's own transaction, before any sender looks at it.
        row = db.session.get(OutboxMessage, outbox_id)
        assert row is not None
        assert (row.state, row.to_address) == (MAIL_CANCELLED, "")

    assert send_due(mail_app, "sender-1") == 0
    assert smtpd.messages == []
