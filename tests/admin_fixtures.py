"""Fixtures and builders for the admin tests: staff accounts, signed-in clients, stored records.

Import the fixtures by name into a test module (``from tests.admin_fixtures import staff, ...``).
"""

from __future__ import annotations

import itertools
import re
from datetime import datetime, timedelta
from html import unescape
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp.extensions import db
from webapp.models import Application, ApplicationEvent, Position, User, WebhookDelivery, utcnow
from webapp.services.accounts import create_user

PASSWORD = "correct-horse-battery-staple"
ROLES = ("admin", "marketer", "recruiter")
_numbers = itertools.count(1)
RESUME = (
    "Curriculum vitae. Six years as a backend developer: Python, PostgreSQL and message queues; "
    "led a team of four and ran the on-call rota for a payments service."
)


def email_of(role: str) -> str:
    """The e-mail of the test account holding ``role``."""
    return f"{role}@staff.example"


@pytest.fixture
def staff(app: Flask) -> dict[str, str]:
    """One active account per role; role -> e-mail (the password is PASSWORD)."""
    with app.app_context():
        for role in ROLES:
            create_user(email_of(role), role, PASSWORD)
        db.session.remove()
    return {role: email_of(role) for role in ROLES}


def sign_in(client: FlaskClient, email: str, password: str = PASSWORD) -> None:
    """Sign a test client in (the ``app`` fixture has CSRF off)."""
    response = client.post("/admin/login", data={"email": email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


@pytest.fixture
def recruiter(app: Flask) -> FlaskClient:
    """A test client signed in as a recruiter."""
    with app.app_context():
        if db.session.scalar(db.select(User.id).where(User.email == email_of("recruiter"))) is None:
            create_user(email_of("recruiter"), "recruiter", PASSWORD)
        db.session.remove()
    client = app.test_client()
    sign_in(client, email_of("recruiter"))
    return client


def make_position(app: Flask, **values: Any) -> int:
    """Store a position (open unless told otherwise) and return its id."""
    fields: dict[str, Any] = {
        "slug": values.pop("slug", f"position-{next(_numbers)}"),
        "title": "Backend Engineer",
        "location": "Zagreb",
        "country_code": "HR",
        "language_code": "en",
        "state": "open",
        "opened_at": utcnow(),
        "interview": {},
    }
    fields.update(values)
    with app.app_context():
        position = Position(**fields)
        db.session.add(position)
        db.session.commit()
        position_id = position.id
        db.session.remove()
    return position_id


def make_application(app: Flask, position_id: int, **values: Any) -> int:
    """Store an application (decided ai_accept unless told otherwise) and return its id."""
    email = values.pop("email", f"candidate-{next(_numbers)}@example.com")
    created_at: datetime = values.pop("created_at", utcnow())
    events = values.pop("events", ["Application received"])
    fields: dict[str, Any] = {
        "position_id": position_id,
        "full_name": "Ana Horvat",
        "email": email,
        "email_normalized": email.strip().lower(),
        "country_code": "HR",
        "resume_text": RESUME,
        "job_state": "done",
        "decision": "ai_accept",
        "created_at": created_at,
        "consented_at": created_at,
    }
    fields.update(values)
    with app.app_context():
        application = Application(**fields)
        for index, detail in enumerate(events):
            application.events.append(
                ApplicationEvent(
                    kind="note", detail=detail, at=created_at + timedelta(seconds=index)
                )
            )
        db.session.add(application)
        db.session.flush()
        if application.job_state in ("pending", "in_flight"):
            from webapp.services.upstream_jobs import schedule_call

            schedule_call(application)  # as a submission would
        db.session.commit()
        application_id = application.id
        db.session.remove()
    return application_id


def store_delivery(app: Flask, application_id: int, payload: dict[str, Any]) -> int:
    """Store a webhook delivery for an application, as the webhook receiver would."""
    with app.app_context():
        delivery = WebhookDelivery(
            dedupe_key=f"delivery-{next(_numbers)}",
            event=payload.get("event", "interview_result"),
            profile_interview_id=payload.get("profile_interview_id"),
            application_id=application_id,
            payload=payload,
        )
        db.session.add(delivery)
        db.session.commit()
        delivery_id = delivery.id
        db.session.remove()
    return delivery_id


def field_errors(html: str) -> dict[str, str]:
    """Field id -> its error text, as rendered next to the field."""
    return {
        match.group(1): unescape(re.sub(r"<[^>]+>", " ", match.group(2))).strip()
        for match in re.finditer(
            r'<p class="field-error" id="([\w-]+)-error">(.*?)</p>', html, re.DOTALL
        )
    }


def flashes(html: str) -> list[str]:
    """The flashed messages on a page, as plain text."""
    return [
        unescape(re.sub(r"<[^>]+>", "", text)).strip()
        for text in re.findall(
            r'<div class="alert alert-\w+" role="status">(.*?)</div>', html, re.DOTALL
        )
    ]
