"""The sandbox behaves like the documented platform: auth, validation, positions, decisions,
embed links, injected faults and call counts, all over real HTTP."""

# ruff: noqa: F811  (a test's parameter names the fixture imported below)

from __future__ import annotations

import base64
import logging
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from sandbox_fixtures import (  # noqa: F401  (fixtures, requested by parameter name)
    CREATE_PATH,
    RESUME,
    TOKEN,
    RunningSandbox,
    application,
    sandbox,
    sandbox_factory,
)

from webapp.jobmojito.sandbox.cli import sandbox_command

REPO = Path(__file__).resolve().parents[1]


# --- authentication -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong-token"},
        {"Authorization": f"Basic {TOKEN}"},
        {"Authorization": "Bearer"},
        {"Authorization": TOKEN},
    ],
    ids=["missing", "wrong", "other-scheme", "empty", "no-scheme"],
)
def test_api_refuses_a_missing_or_wrong_token(sandbox: RunningSandbox, headers: dict) -> None:
    response = sandbox.anonymous.post(CREATE_PATH, json=application(), headers=headers)
    assert response.status_code == 401
    assert set(response.json()) == {"error"}
    assert sandbox.calls()["interviews_created"] == 0


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/_sandbox/calls"),
        ("DELETE", "/_sandbox/calls"),
        ("GET", "/_sandbox/faults"),
        ("POST", "/_sandbox/faults"),
        ("DELETE", "/_sandbox/faults"),
        ("POST", "/_sandbox/config"),
    ],
)
def test_control_endpoints_need_the_token(sandbox: RunningSandbox, method: str, path: str) -> None:
    response = sandbox.anonymous.request(method, path, json={"kind": "500"})
    assert response.status_code == 401


# --- validation -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"candidate_name": None}, "candidate_name"),
        ({"candidate_email": "   "}, "candidate_email"),
        ({"candidate_country_code": ""}, "candidate_country_code"),
        ({"candidate_resume": 42}, "candidate_resume"),
        ({"mojito_language_code": "pt-BR"}, "mojito_language_code"),
        ({"result_view": "everything"}, "result_view"),
        ({"seniority_level": "junior"}, "seniority_level"),
        ({"candidate_video_introduction": "maybe"}, "candidate_video_introduction"),
        ({"interview_conversation_speed": "fast"}, "interview_conversation_speed"),
        ({"interview_attempts": 0}, "interview_attempts"),
        ({"interview_attempts": 21}, "interview_attempts"),
        ({"interview_attempts": "3"}, "interview_attempts"),
        ({"max_followups": 1000}, "max_followups"),
        ({"max_followups": 2.5}, "max_followups"),
        ({"questions_random_subset": 0.95}, "questions_random_subset"),
        ({"questions_random_subset": 0}, "questions_random_subset"),
        ({"is_embedded": "yes"}, "is_embedded"),
        ({"tags": ["a", 1]}, "tags"),
        ({"interview_available_till": "next week"}, "interview_available_till"),
        ({"position_name": None}, "position_name"),
        ({"position_location": ""}, "position_location"),
        ({"position_country_code": None}, "position_country_code"),
        ({"mojito_language_code": None}, "mojito_language_code"),
        ({"interview_attempts": 2.5}, "interview_attempts"),
        ({"max_duration": 86_400}, "max_duration"),
        ({"hiring_for_company": {"name": 3}}, "hiring_for_company.name"),
        ({"custom_scoring": "heavy"}, "custom_scoring"),
        ({"surprise_option": 1}, "surprise_option"),
    ],
)
def test_invalid_bodies_are_refused_naming_the_field(
    sandbox: RunningSandbox, overrides: dict[str, Any], field: str
) -> None:
    response = sandbox.create(**overrides)
    assert response.status_code == 422
    assert response.json()["name"] == field
    assert response.json()["error"]


@pytest.mark.parametrize("content", [b"not json", b"[1, 2]", b""])
def test_a_body_that_is_not_a_json_object_is_refused(
    sandbox: RunningSandbox, content: bytes
) -> None:
    response = sandbox.http.post(
        CREATE_PATH, content=content, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422
    assert "error" in response.json()


def test_boundary_values_are_accepted(sandbox: RunningSandbox) -> None:
    response = sandbox.create(
        interview_attempts=20,
        max_followups=0,
        questions_random_subset=0.01,
        mojito_language_code="br",
        interview_available_till="2030-01-31",
        tags=["barista"],
        hiring_for_company={"name": "Kava"},
    )
    assert response.status_code == 200, response.text


# --- positions ------------------------------------------------------------------------------


def test_one_external_id_resolves_one_position(sandbox: RunningSandbox) -> None:
    first = sandbox.create(candidate_email="ana@example.com").json()
    second = sandbox.create(candidate_email="bob@example.com").json()
    other = sandbox.create(candidate_email="ana@example.com", position_external_id="JOB-999").json()
    assert first["position_def_set_id"] == second["position_def_set_id"]
    assert first["interview_def_set_id"] == second["interview_def_set_id"]
    assert first["profile_interview_id"] != second["profile_interview_id"]
    assert other["position_def_set_id"] != first["position_def_set_id"]
    assert sandbox.calls()["positions_created"] == 2


def test_concurrent_first_applicants_resolve_one_position(sandbox_factory: Callable) -> None:
    running = sandbox_factory(latency=0.05)
    start = threading.Barrier(8)
    answers: list[dict[str, Any]] = []

    def apply(n: int) -> None:
        start.wait()
        answers.append(running.create(candidate_email=f"c{n}@example.com").json())

    threads = [threading.Thread(target=apply, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({a["position_def_set_id"] for a in answers}) == 1
    assert len({a["embed_id"] for a in answers}) == 1
    assert running.calls()["positions_created"] == 1


def test_position_def_set_id_finds_the_position_without_position_fields(
    sandbox: RunningSandbox,
) -> None:
    created = sandbox.create().json()
    again = sandbox.create(
        candidate_email="bob@example.com",
        position_def_set_id=created["position_def_set_id"],
        position_external_id=None,
        position_name=None,
        position_location=None,
        position_country_code=None,
        mojito_language_code=None,
    )
    assert again.status_code == 200, again.text
    assert again.json()["position_def_set_id"] == created["position_def_set_id"]


def test_an_unknown_position_def_set_id_is_not_found(sandbox: RunningSandbox) -> None:
    response = sandbox.create(position_def_set_id="00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404
    assert response.json()["name"] == "position_def_set_id"


def test_embed_id_and_key_belong_to_the_position_and_are_reused(sandbox: RunningSandbox) -> None:
    first = sandbox.create(candidate_email="ana@example.com").json()
    second = sandbox.create(candidate_email="bob@example.com").json()
    other = sandbox.create(position_external_id="JOB-2").json()
    assert first["embed_id"].startswith("emb_") and first["embed_signing_key"].startswith("esk_")
    assert (second["embed_id"], second["embed_signing_key"]) == (
        first["embed_id"],
        first["embed_signing_key"],
    )
    assert other["embed_id"] != first["embed_id"]
    assert other["embed_signing_key"] != first["embed_signing_key"]


def test_embed_values_come_only_with_is_embedded(sandbox: RunningSandbox) -> None:
    answer = sandbox.create(is_embedded=False).json()
    assert "embed_id" not in answer and "embed_signing_key" not in answer
    assert answer["interview_url"] == f"{sandbox.url}/interview/{answer['profile_interview_id']}"


# --- decisions ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("email", "resume", "status", "has_reason"),
    [
        ("ana@example.com", RESUME, "ai_accept", False),
        ("ana+review@example.com", RESUME, "recruiter_action", False),
        ("Ana+Review@Example.COM", RESUME, "recruiter_action", False),
        ("ana+reject@example.com", RESUME, "ai_reject", True),
        ("ana+recruiter-accept@example.com", RESUME, "recruiter_accept", False),
        ("ana+recruiter-reject@example.com", RESUME, "recruiter_reject", True),
        ("ana@example.com", "x" * 99 + "   \n", "ai_reject", True),
        ("ana@example.com", "x" * 100, "ai_accept", False),
        ("ana+review@example.com", "short", "recruiter_action", False),
    ],
)
def test_each_decision_is_reachable_by_the_documented_rules(
    sandbox: RunningSandbox, email: str, resume: str, status: str, has_reason: bool
) -> None:
    answer = sandbox.create(candidate_email=email, candidate_resume=resume).json()
    assert answer["status"] == status
    assert ("reason" in answer) is has_reason
    assert answer["profile_interview_id"] and answer["interview_url"]


def test_applying_again_is_already_applied_with_the_same_values(sandbox: RunningSandbox) -> None:
    first = sandbox.create(candidate_email="ana@example.com").json()
    again = sandbox.create(candidate_email="  ANA@Example.com ")
    assert again.status_code == 200
    body = again.json()
    assert body["status"] == "already-applied"
    assert body["reason"]
    for key in (
        "interview_url",
        "profile_interview_id",
        "position_def_set_id",
        "interview_def_set_id",
        "embed_id",
        "embed_signing_key",
    ):
        assert body[key] == first[key]
    assert sandbox.calls()["interviews_created"] == 1


def test_the_same_email_may_apply_to_another_position(sandbox: RunningSandbox) -> None:
    first = sandbox.create().json()
    other = sandbox.create(position_external_id="JOB-777").json()
    assert other["status"] == "ai_accept"
    assert other["profile_interview_id"] != first["profile_interview_id"]


# --- the embed link -------------------------------------------------------------------------


def _b64(value: str) -> str:
    return base64.b64encode(value.encode()).decode()


def test_a_signed_link_opens_the_interview_in_the_candidates_name(sandbox: RunningSandbox) -> None:
    created = sandbox.create().json()
    response = sandbox.anonymous.get(sandbox.embed_url(created, " Ana Horvat ", "ANA@example.com"))
    assert response.status_code == 200
    assert "Welcome, Ana Horvat" in response.text
    for marker in (
        'id="camera-status"',
        'id="microphone-status"',
        "Submit interview",
        "Abandon interview",
        "getUserMedia",
    ):
        assert marker in response.text
    assert "x-frame-options" not in response.headers
    assert "frame-ancestors" not in response.headers["content-security-policy"]
    # Everything the page needs is inline or same-origin: no third-party host is ever contacted.
    assert "http://" not in response.text and "https://" not in response.text


def _alter(url: str, part: str, other_embed_id: str) -> str:
    replacements = {
        "embed_id": other_embed_id,
        "name": _b64("Eve Mallory"),
        "email": _b64("eve@example.com"),
    }
    query = dict(httpx.URL(url).params)
    if part == "signature":
        last = query["signature"][-1]
        query["signature"] = query["signature"][:-1] + ("0" if last != "0" else "1")
    else:
        query[part] = replacements[part]
    return str(httpx.URL(url).copy_with(params=query))


@pytest.mark.parametrize("part", ["embed_id", "name", "email", "signature"])
def test_a_link_altered_in_any_one_part_is_refused_without_disclosure(
    sandbox: RunningSandbox, part: str
) -> None:
    created = sandbox.create().json()
    other = sandbox.create(candidate_email="eve@example.com", position_external_id="JOB-2").json()
    good = sandbox.embed_url(created, "Ana Horvat", "ana@example.com")
    assert sandbox.anonymous.get(good).status_code == 200
    response = sandbox.anonymous.get(_alter(good, part, other["embed_id"]))
    assert response.status_code == 403
    assert "not valid" in response.text
    signature = httpx.URL(good).params["signature"]
    for secret in (
        created["embed_signing_key"],
        other["embed_signing_key"],
        signature,
        created["embed_id"],
        "Ana",
        "ana@example.com",
        "Eve",
        "eve@example.com",
    ):
        assert secret not in response.text


@pytest.mark.parametrize("missing", ["embed_id", "name", "email", "signature"])
def test_a_link_missing_a_parameter_is_refused(sandbox: RunningSandbox, missing: str) -> None:
    created = sandbox.create().json()
    params = dict(httpx.URL(sandbox.embed_url(created, "Ana Horvat", "ana@example.com")).params)
    del params[missing]
    response = sandbox.anonymous.get(f"{sandbox.url}/embed", params=params)
    assert response.status_code == 403
    assert "not valid" in response.text


def test_a_link_with_undecodable_identity_is_refused(sandbox: RunningSandbox) -> None:
    created = sandbox.create().json()
    params = dict(httpx.URL(sandbox.embed_url(created, "Ana Horvat", "ana@example.com")).params)
    params["name"] = "!!not-base64!!"
    assert sandbox.anonymous.get(f"{sandbox.url}/embed", params=params).status_code == 403


def test_the_candidates_name_is_escaped_on_the_page(sandbox: RunningSandbox) -> None:
    name = '<script>alert("x")</script>'
    created = sandbox.create(candidate_name=name).json()
    page = sandbox.anonymous.get(sandbox.embed_url(created, name, "ana@example.com")).text
    assert name not in page
    assert "&lt;script&gt;" in page


@pytest.mark.parametrize(
    ("email", "heading"),
    [
        ("ana+review@example.com", "We are reviewing your application"),
        ("ana+reject@example.com", "This interview is not available"),
        ("ana+recruiter-reject@example.com", "This interview is not available"),
    ],
)
def test_a_candidate_without_an_open_interview_sees_why(
    sandbox: RunningSandbox, email: str, heading: str
) -> None:
    created = sandbox.create(candidate_email=email).json()
    page = sandbox.anonymous.get(sandbox.embed_url(created, "Ana", email))
    assert page.status_code == 200
    assert heading in page.text and "Submit interview" not in page.text


def test_a_valid_link_for_someone_who_never_applied_finds_no_interview(
    sandbox: RunningSandbox,
) -> None:
    created = sandbox.create().json()
    page = sandbox.anonymous.get(sandbox.embed_url(created, "Zed", "zed@example.com"))
    assert page.status_code == 404
    assert "No interview is waiting here" in page.text


# --- injected faults ------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "status"), [("500", 500), ("429", 429), ("401", 401)])
def test_error_faults_answer_with_the_platforms_envelope(
    sandbox: RunningSandbox, kind: str, status: int
) -> None:
    sandbox.arm(kind)
    response = sandbox.create()
    assert response.status_code == status
    assert set(response.json()) == {"error"}
    if kind == "429":
        assert response.headers["retry-after"] == "1"
    assert sandbox.calls()["interviews_created"] == 0


def test_malformed_fault_answers_200_with_a_body_that_is_not_json(sandbox: RunningSandbox) -> None:
    sandbox.arm("malformed")
    response = sandbox.create()
    assert response.status_code == 200
    with pytest.raises(ValueError):
        response.json()


def test_drop_fault_closes_the_connection_without_a_response(sandbox: RunningSandbox) -> None:
    sandbox.arm("drop")
    with pytest.raises(httpx.RemoteProtocolError):
        sandbox.create()
    assert sandbox.create().status_code == 200


def test_hang_fault_waits_then_answers_normally(sandbox: RunningSandbox) -> None:
    sandbox.arm("hang", hang_seconds=0.3)
    started = time.monotonic()
    response = sandbox.create()
    assert time.monotonic() - started >= 0.3
    assert response.json()["status"] == "ai_accept"


def test_a_call_abandoned_during_a_hang_is_recovered_as_already_applied(
    sandbox: RunningSandbox,
) -> None:
    sandbox.arm("hang", hang_seconds=0.5)
    with pytest.raises(httpx.ReadTimeout):
        sandbox.http.post(CREATE_PATH, json=application(), timeout=0.1)
    time.sleep(0.6)  # the platform finishes the call the client gave up on
    assert sandbox.create().json()["status"] == "already-applied"


def test_a_fault_lasts_exactly_count_calls(sandbox: RunningSandbox) -> None:
    sandbox.arm("500", count=2)
    assert sandbox.http.get("/_sandbox/faults").json()["fault"]["remaining"] == 2
    statuses = [sandbox.create(candidate_email=f"c{n}@example.com").status_code for n in range(3)]
    assert statuses == [500, 500, 200]
    assert sandbox.http.get("/_sandbox/faults").json() == {"fault": None}
    counts = sandbox.calls()
    assert (counts["api_calls"], counts["faults_served"], counts["interviews_created"]) == (3, 2, 1)


def test_clearing_faults_lets_calls_through(sandbox: RunningSandbox) -> None:
    sandbox.arm("429", count=5)
    assert sandbox.http.delete("/_sandbox/faults").status_code == 200
    assert sandbox.create().status_code == 200


@pytest.mark.parametrize(
    "body",
    [{"kind": "teapot"}, {"kind": "500", "count": 0}, {"kind": "hang", "hang_seconds": -1}, []],
)
def test_a_wrong_fault_request_is_refused(sandbox: RunningSandbox, body: Any) -> None:
    assert sandbox.http.post("/_sandbox/faults", json=body).status_code == 422


# --- counts, latency, settings --------------------------------------------------------------


def test_calls_are_counted_per_candidate_and_position(sandbox: RunningSandbox) -> None:
    sandbox.create(candidate_email="ana@example.com")
    sandbox.create(candidate_email=" Ana@Example.com")
    sandbox.create(candidate_email="bob@example.com")
    sandbox.create(candidate_email="bob@example.com", position_external_id="JOB-9")
    sandbox.create(candidate_email="cy@example.com", interview_attempts=99)
    counts = sandbox.calls()
    assert counts["api_calls"] == 5
    assert counts["interviews_created"] == 3
    assert counts["positions_created"] == 2
    assert counts["per_candidate"] == [
        {"email": "ana@example.com", "position": "JOB-123", "calls": 2},
        {"email": "bob@example.com", "position": "JOB-123", "calls": 1},
        {"email": "bob@example.com", "position": "JOB-9", "calls": 1},
        {"email": "cy@example.com", "position": "JOB-123", "calls": 1},
    ]
    reset = sandbox.http.delete("/_sandbox/calls").json()
    assert (reset["api_calls"], reset["per_candidate"], reset["interviews_created"]) == (0, [], 3)


def test_latency_delays_each_answer_within_a_quarter(sandbox_factory: Callable) -> None:
    running = sandbox_factory(latency=0.2)
    started = time.monotonic()
    assert running.create().status_code == 200
    assert 0.15 <= time.monotonic() - started < 1.0
    assert running.http.post("/_sandbox/config", json={"latency": 0}).json()["latency"] == 0
    started = time.monotonic()
    running.create(candidate_email="bob@example.com")
    assert time.monotonic() - started < 0.15


@pytest.mark.parametrize("body", [{"latency": -1}, {"latency": "slow"}, {"webhook_url": 5}, "x"])
def test_wrong_settings_are_refused(sandbox: RunningSandbox, body: Any) -> None:
    assert sandbox.http.post("/_sandbox/config", json=body).status_code == 422


def test_no_secret_reaches_the_logs(
    sandbox: RunningSandbox, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    created = sandbox.create().json()
    sandbox.anonymous.get(sandbox.embed_url(created, "Ana Horvat", "ana@example.com"))
    sandbox.http.post("/_sandbox/faults", json={"kind": "500"})
    sandbox.create()
    # The test's own client logs its URLs; only what the sandbox side writes is under test.
    logged = "\n".join(
        record.getMessage()
        for record in caplog.records
        if not record.name.startswith(("httpx", "httpcore"))
    )
    assert "/embed" in logged  # the request log is captured, so the checks below can fail
    for secret in (TOKEN, created["embed_signing_key"], "signature=", _b64("ana@example.com")):
        assert secret not in logged


# --- the command ----------------------------------------------------------------------------


def test_the_command_requires_a_token() -> None:
    result = CliRunner().invoke(sandbox_command, [], env={"JOBMOJITO_API_TOKEN": None})
    assert result.exit_code == 2
    assert "token is required" in result.output


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_command_serves_the_sandbox_and_prints_its_urls() -> None:
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO), "JOBMOJITO_API_TOKEN": TOKEN}
    process = subprocess.Popen(
        [sys.executable, "-m", "webapp.jobmojito.sandbox", "--port", str(port), "--latency", "0"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        api_line = process.stdout.readline()
        embed_line = process.stdout.readline()
        assert f"http://127.0.0.1:{port}/functions/v1" in api_line
        assert f"http://127.0.0.1:{port}/embed" in embed_line
        answer = httpx.post(
            f"http://127.0.0.1:{port}{CREATE_PATH}",
            json=application(),
            headers={"Authorization": f"Bearer {TOKEN}"},
            timeout=5,
        )
        assert answer.json()["status"] == "ai_accept"
    finally:
        process.terminate()
        output, errors = process.communicate(timeout=5)
    assert TOKEN not in api_line + embed_line + output + errors


def test_the_sandbox_stands_apart_from_the_product() -> None:
    script = (
        "import sys, webapp.jobmojito.sandbox.cli\n"
        "print(' '.join(sorted(m for m in sys.modules if m.startswith('webapp'))))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    outside = [m for m in loaded if not m.startswith(("webapp.jobmojito.sandbox",))]
    # The platform's side needs only the contract (the same one the client reads) and the signer.
    assert outside == [
        "webapp",
        "webapp.jobmojito",
        "webapp.jobmojito.contract",
        "webapp.jobmojito.contract.base",
        "webapp.jobmojito.contract.create_interview",
        "webapp.jobmojito.contract.endpoints",
        "webapp.jobmojito.contract.errors",
        "webapp.jobmojito.contract.interview_details",
        "webapp.jobmojito.contract.platform_languages",
        "webapp.jobmojito.contract.position_state",
        "webapp.jobmojito.contract.reports",
        "webapp.jobmojito.contract.result_list",
        "webapp.jobmojito.embed_link",
        "webapp.jobmojito.languages",
    ]


# --- the results list -----------------------------------------------------------------------

RESULTS_PATH = "/functions/v1/merchant-result-list"


def test_the_results_list_answers_rows_of_the_contract(sandbox: RunningSandbox) -> None:
    from webapp.jobmojito.contract import ResultList

    first = sandbox.create(candidate_email="ana@example.com").json()
    sandbox.create(candidate_email="ben+review@example.com")
    page = sandbox.http.get(RESULTS_PATH).json()
    parsed = ResultList.from_json(page)  # the client's own model reads it
    assert [row.candidate_email for row in parsed.results] == [
        "ben+review@example.com",
        "ana@example.com",
    ]  # newest first
    assert parsed.pagination.model_dump() == {
        "total": 2,
        "limit": 50,
        "offset": 0,
        "has_more": False,
    }
    ana = parsed.results[1]
    assert ana.profile_interview_id == first["profile_interview_id"]
    assert (ana.status, ana.processing_status, ana.interview_started, ana.score) == (
        "draft",
        "new",
        False,
        None,
    )
    assert parsed.results[0].decision_status == "recruiter_action"
    expected = {
        "id", "interview_result_id", "profile_interview_id", "candidate_name", "candidate_email",
        "position_name", "position_step", "status", "coach_status", "decision_status",
        "interview_started", "score", "processing_status", "created_at", "updated_at",
    }  # fmt: skip
    assert set(page["results"][0]) == expected


def test_the_results_list_filters_orders_and_pages(sandbox: RunningSandbox) -> None:
    made = [sandbox.create(candidate_email=f"c{i}@example.com").json() for i in range(3)]
    sandbox.create(candidate_email="d+review@example.com")
    one = sandbox.http.get(
        RESULTS_PATH, params={"profile_interview_id": made[1]["profile_interview_id"]}
    ).json()
    assert [r["candidate_email"] for r in one["results"]] == ["c1@example.com"]
    undecided = sandbox.http.get(RESULTS_PATH, params={"tab": "undecided"}).json()
    assert [r["candidate_email"] for r in undecided["results"]] == ["d+review@example.com"]
    step = sandbox.http.get(RESULTS_PATH, params={"step": "pre-screening"}).json()
    assert [r["candidate_email"] for r in step["results"]] == ["d+review@example.com"]
    paged = sandbox.http.get(
        RESULTS_PATH, params={"order_by": "created_at_oldest", "limit": "2", "offset": "1"}
    ).json()
    assert [r["candidate_email"] for r in paged["results"]] == ["c1@example.com", "c2@example.com"]
    assert paged["pagination"] == {"total": 4, "limit": 2, "offset": 1, "has_more": True}
    other = sandbox.http.get(RESULTS_PATH, params={"interview_id": "no-such-interview"}).json()
    assert other["results"] == [] and other["pagination"]["total"] == 0


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("limit=0", "limit"),
        ("limit=1001", "limit"),
        ("limit=ten", "limit"),
        ("limit=2.5", "limit"),
        ("offset=-1", "offset"),
        ("step=final", "step"),
        ("tab=everything", "tab"),
        ("order_by=name", "order_by"),
        ("profile_interview_id=", "profile_interview_id"),
        ("colour=blue", "colour"),
        ("limit=1&limit=2", "limit"),
    ],
)
def test_a_bad_results_query_is_a_422_naming_the_parameter(
    sandbox: RunningSandbox, query: str, name: str
) -> None:
    response = sandbox.http.get(f"{RESULTS_PATH}?{query}")
    assert response.status_code == 422
    body = response.json()
    assert body["name"] == name and body["error"].startswith(name)


def test_the_results_list_needs_the_token(sandbox: RunningSandbox) -> None:
    response = sandbox.anonymous.get(RESULTS_PATH)
    assert response.status_code == 401 and set(response.json()) == {"error"}


def test_the_results_list_takes_the_method_the_contract_names(sandbox: RunningSandbox) -> None:
    from webapp.jobmojito.contract import RESULT_LIST

    other = "POST" if RESULT_LIST.method == "GET" else "GET"
    assert sandbox.http.request(RESULT_LIST.method, RESULTS_PATH).status_code == 200
    assert sandbox.http.request(other, RESULTS_PATH).status_code == 405


def test_the_client_reads_the_sandboxs_results(sandbox: RunningSandbox) -> None:
    from webapp.jobmojito.client import ClientSettings, JobMojitoClient, ResultListQuery

    created = sandbox.create(candidate_email="eva@example.com").json()
    settings = ClientSettings(api_url=f"{sandbox.url}/functions/v1", token=TOKEN)
    with JobMojitoClient(settings) as client:
        page = client.list_results(
            ResultListQuery(profile_interview_id=created["profile_interview_id"], limit=5)
        )
    assert [row.profile_interview_id for row in page.results] == [created["profile_interview_id"]]


# --- state kept across restarts ---------------------------------------------------------------


def test_a_restarted_sandbox_still_opens_a_link_minted_before(
    sandbox_factory: Callable[..., RunningSandbox], tmp_path: Path
) -> None:
    state = tmp_path / "instance" / "sandbox-state.json"
    before = sandbox_factory(state_path=state)
    created = before.create(candidate_email="lea@example.com").json()
    link = before.embed_url(created, "Lea Novak", "lea@example.com")
    path = link.removeprefix(before.url)
    before.server.shutdown()
    assert state.stat().st_mode & 0o777 == 0o600  # it holds signing keys

    after = sandbox_factory(state_path=state)
    page = after.anonymous.get(path)
    assert page.status_code == 200 and "Lea Novak" in page.text
    again = after.create(candidate_email="lea@example.com").json()
    assert again["status"] == "already-applied"
    assert again["embed_signing_key"] == created["embed_signing_key"]
    assert after.calls()["positions_created"] == 1


def test_a_decision_and_a_finished_interview_survive_a_restart(
    sandbox_factory: Callable[..., RunningSandbox], tmp_path: Path
) -> None:
    state = tmp_path / "state.json"
    before = sandbox_factory(state_path=state)
    review = before.create(candidate_email="ivo+review@example.com").json()
    done = before.create(candidate_email="mia@example.com").json()
    before.server.sandbox.store.decide_review(review["profile_interview_id"], accept=True)
    before.anonymous.post(f"/interview/{done['profile_interview_id']}/submit", json={})
    before.server.shutdown()

    after = sandbox_factory(state_path=state)
    rows = {r["candidate_email"]: r for r in after.http.get(RESULTS_PATH).json()["results"]}
    assert rows["ivo+review@example.com"]["decision_status"] == "selected"
    assert rows["mia@example.com"]["status"] == "active"
    assert rows["mia@example.com"]["score"] is not None


def test_an_unreadable_state_file_stops_the_sandbox_with_a_message(tmp_path: Path) -> None:
    from webapp.jobmojito.sandbox import create_sandbox_app

    state = tmp_path / "state.json"
    state.write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match="not valid JSON"):
        create_sandbox_app(token=TOKEN, state_path=state)
