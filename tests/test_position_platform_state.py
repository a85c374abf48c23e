"""Closing and reopening a position follows on the platform, in the background, over real HTTP."""

# ruff: noqa: F811  (a test's parameter names the fixture imported below)

from __future__ import annotations

import re
from html import unescape
from typing import Any

import httpx
from flask import Flask
from flask.testing import FlaskClient

from tests.admin_fixtures import flashes, make_position, recruiter, sign_in  # noqa: F401
from tests.conftest import SANDBOX_TOKEN, Site
from tests.helpers import Candidate, seed, wait_for
from tests.sandbox_fixtures import CREATE_PATH, application
from tests.studio_fixtures import SLUG
from webapp.extensions import db
from webapp.jobmojito.contract.position_state import CLOSED_STATUS, OPEN_STATUS
from webapp.models import Application, Position
from webapp.models.applications import JOB_IN_FLIGHT
from webapp.models.jobs import ACTIVE_STATES, Job
from webapp.services.accounts import create_user
from webapp.services.position_platform import KIND

SET_STATE = "job-interview-set-state"


def staff_client(site: Site) -> FlaskClient:
    """A recruiter signed in to the live site's app (forms without CSRF tokens)."""
    site.app.config["WTF_CSRF_ENABLED"] = False
    with site.app.app_context():
        create_user("recruiter@staff.example", "recruiter", "correct-horse-battery-staple")
        db.session.remove()
    client = site.app.test_client()
    sign_in(client, "recruiter@staff.example")
    return client


def created_upstream(site: Site, **values: Any) -> tuple[int, str]:
    """An open position that the sandbox has created (through one candidate's call)."""
    position_id = make_position(site.app, **values)
    with site.app.app_context():
        external_id = db.session.get(Position, position_id).external_id
        db.session.remove()
    with httpx.Client(
        base_url=site.sandbox.url, headers={"Authorization": f"Bearer {SANDBOX_TOKEN}"}
    ) as http:
        answer = http.post(CREATE_PATH, json=application(position_external_id=external_id))
        answer.raise_for_status()
        upstream_id = answer.json()["position_def_set_id"]
    with site.app.app_context():
        db.session.get(Position, position_id).upstream_position_id = upstream_id
        db.session.commit()
        db.session.remove()
    return position_id, upstream_id


def sandbox_status(site: Site, upstream_id: str) -> str:
    with site.sandbox.control() as http:
        response = http.get(f"/_sandbox/positions/{upstream_id}")
        response.raise_for_status()
        return str(response.json()["status"])


def set_state_calls(site: Site) -> int:
    return int(site.sandbox.calls()["other_calls"].get(SET_STATE, 0))


def stored(site: Site, position_id: int) -> Position:
    with site.app.app_context():
        position = db.session.get(Position, position_id)
        assert position is not None
        db.session.expunge(position)
        db.session.remove()
        return position


def confirmed(site: Site, position_id: int, status: str) -> bool:
    position = stored(site, position_id)
    return position.platform_sync == "confirmed" and position.platform_status == status


def platform_panel(client: FlaskClient, position_id: int) -> str:
    html = client.get(f"/admin/positions/{position_id}").get_data(as_text=True)
    match = re.search(r'<div id="platform-state">.*?<dd>(.*?)</dd>', html, re.S)
    assert match, "the position page shows no platform state"
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", match.group(1))).split())


def test_closing_and_reopening_follow_on_the_platform(site: Site) -> None:
    client = staff_client(site)
    position_id, upstream_id = created_upstream(site)
    assert sandbox_status(site, upstream_id) == OPEN_STATUS.value

    response = client.post(f"/admin/positions/{position_id}/close", data={"back": "edit"})
    assert response.status_code == 303
    assert "Interviews already offered can still be taken" in " ".join(
        flashes(client.get(f"/admin/positions/{position_id}").get_data(as_text=True))
    )
    wait_for(lambda: confirmed(site, position_id, CLOSED_STATUS.value), what="close confirmed")
    assert sandbox_status(site, upstream_id) == CLOSED_STATUS.value
    assert platform_panel(client, position_id).startswith("Confirmed closed")

    client.post(f"/admin/positions/{position_id}/open")
    wait_for(lambda: confirmed(site, position_id, OPEN_STATUS.value), what="reopen confirmed")
    assert sandbox_status(site, upstream_id) == OPEN_STATUS.value
    assert platform_panel(client, position_id).startswith("Confirmed open")
    assert set_state_calls(site) == 2


def test_a_server_error_is_retried_until_the_platform_confirms(site: Site) -> None:
    client = staff_client(site)
    position_id, upstream_id = created_upstream(site)
    # Three failures: more than the client's own single repeat, so the job itself retries.
    site.sandbox.fault("500", count=3, endpoint=SET_STATE)
    client.post(f"/admin/positions/{position_id}/close")
    wait_for(lambda: confirmed(site, position_id, CLOSED_STATUS.value), what="close confirmed")
    assert sandbox_status(site, upstream_id) == CLOSED_STATUS.value
    assert set_state_calls(site) == 4
    assert site.sandbox.calls()["faults_served"] == 3
    assert stored(site, position_id).platform_sync_error is None


def test_a_refusal_is_shown_with_its_reason_and_not_retried(site: Site) -> None:
    client = staff_client(site)
    position_id = make_position(site.app, upstream_position_id="pos_the_platform_forgot")
    client.post(f"/admin/positions/{position_id}/close")
    wait_for(lambda: stored(site, position_id).platform_sync == "refused", what="refusal")
    panel = platform_panel(client, position_id)
    assert panel.startswith("The platform refused: HTTP 404: Position not found"), panel
    assert set_state_calls(site) == 1
    with site.app.app_context():
        job = db.session.scalar(db.select(Job).where(Job.kind == KIND))
        assert job is not None and job.state == "failed"
        db.session.remove()


def test_a_position_never_created_upstream_sends_nothing_and_says_so(site: Site) -> None:
    client = staff_client(site)
    position_id = make_position(site.app)
    client.post(f"/admin/positions/{position_id}/close")
    client.post(f"/admin/positions/{position_id}/open")
    assert "JobMojito has not created it yet" in " ".join(
        flashes(client.get(f"/admin/positions/{position_id}").get_data(as_text=True))
    )
    assert platform_panel(client, position_id).startswith("Nothing to send")
    with site.app.app_context():
        assert db.session.scalar(db.select(db.func.count(Job.id)).where(Job.kind == KIND)) == 0
        db.session.remove()
    assert set_state_calls(site) == 0


def test_repeated_clicks_collapse_into_one_call_with_the_last_wish(site: Site) -> None:
    site.stop_workers()
    client = staff_client(site)
    position_id, upstream_id = created_upstream(site)
    for action in ("close", "open", "close"):
        client.post(f"/admin/positions/{position_id}/{action}")
    with site.app.app_context():
        active = db.session.scalars(
            db.select(Job).where(Job.kind == KIND, Job.state.in_(ACTIVE_STATES))
        ).all()
        assert len(active) == 1
        db.session.remove()
    assert "has not confirmed yet" in platform_panel(client, position_id)
    site.start_workers()
    wait_for(lambda: confirmed(site, position_id, CLOSED_STATUS.value), what="close confirmed")
    assert set_state_calls(site) == 1
    assert sandbox_status(site, upstream_id) == CLOSED_STATUS.value


def test_a_reopen_during_the_close_call_is_sent_after_it(site: Site) -> None:
    client = staff_client(site)
    position_id, upstream_id = created_upstream(site)
    # The close call is held by the platform for a while, then carried out.
    site.sandbox.fault("hang", count=1, endpoint=SET_STATE, hang_seconds=1.5)
    client.post(f"/admin/positions/{position_id}/close")
    wait_for(lambda: set_state_calls(site) == 1, what="the close call in flight")
    client.post(f"/admin/positions/{position_id}/open")
    wait_for(lambda: confirmed(site, position_id, OPEN_STATUS.value), what="reopen confirmed")
    assert set_state_calls(site) == 2
    assert sandbox_status(site, upstream_id) == OPEN_STATUS.value
    assert stored(site, position_id).state == "open"


def test_the_admin_page_says_what_closing_does_to_offered_interviews(
    app: Flask, recruiter: FlaskClient
) -> None:
    position_id = make_position(app)
    html = recruiter.get(f"/admin/positions/{position_id}").get_data(as_text=True)
    hint = re.search(r'<p class="hint" id="closing-hint">(.*?)</p>', html, re.S)
    assert hint and "Interviews already offered can still be taken" in unescape(hint.group(1))


def test_the_page_tells_a_position_created_after_it_was_closed_apart(
    app: Flask, recruiter: FlaskClient
) -> None:
    # Closed here while its first application's call was on the way: created open upstream.
    position_id = make_position(
        app, state="closed", upstream_position_id="pos_created_late", platform_sync="not_created"
    )
    html = recruiter.get(f"/admin/positions/{position_id}").get_data(as_text=True)
    match = re.search(r'<div id="platform-state">.*?<dd>(.*?)</dd>', html, re.S)
    assert match and "Reopen and close it again" in unescape(match.group(1))
    assert "Nothing to send" not in unescape(match.group(1))


def in_flight(site: Site, email: str) -> bool:
    with site.app.app_context():
        state = db.session.scalar(
            db.select(Application.job_state).where(Application.email == email)
        )
        db.session.remove()
        return state == JOB_IN_FLIGHT


def test_a_position_closed_while_its_first_call_is_on_the_way_is_closed_there_too(
    site: Site,
) -> None:
    seed(site.app)
    client = staff_client(site)
    with site.app.app_context():
        position = db.session.scalar(db.select(Position).where(Position.slug == SLUG))
        assert position is not None and not position.upstream_position_id
        position_id = position.id
        db.session.remove()
    site.sandbox.set_latency(1.5)  # the first create call is still on the way when the close lands
    candidate = Candidate(site.url)
    try:
        candidate.apply(SLUG, "late-close@example.com")
        wait_for(lambda: in_flight(site, "late-close@example.com"), what="the create call sent")
        client.post(f"/admin/positions/{position_id}/close")
    finally:
        candidate.close()
    site.sandbox.set_latency(0)
    wait_for(lambda: confirmed(site, position_id, CLOSED_STATUS.value), what="close confirmed")
    upstream_id = stored(site, position_id).upstream_position_id
    assert upstream_id and sandbox_status(site, upstream_id) == CLOSED_STATUS.value
    assert set_state_calls(site) == 1
