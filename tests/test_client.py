"""The JobMojito client's promises: what it refuses, what it sends, and the shape of every failure.

Failures are provoked against a real HTTP server on localhost (a scripted stand-in for
JobMojito), never a mocked HTTP library, so timeouts and dropped connections are the real thing.
"""

from __future__ import annotations

import json
import logging
import queue
import socket
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from werkzeug.serving import make_server
from werkzeug.wrappers import Request

from webapp.jobmojito.client import (
    ClientSettings,
    CreateInterviewRequest,
    CreateInterviewResult,
    Decision,
    HiringForCompany,
    InterviewDetailsQuery,
    InterviewPdfRequest,
    JobMojitoClient,
    RequestInvalid,
    SetStateRequest,
    UpstreamError,
)

TOKEN = "eyJ-test-token-3f9c1a7e"
API_KEY = "anon-key-b62d04e1"
SIGNING_KEY = "embed-signing-key-91ac55f0"
INTERVIEW_URL = "https://try.interviewmojito.com/interview?access=interview-token-7d2e"
RESUME = "Curriculum Vitae: Ada Lovelace, analyst, résumé-marker-5521"
EMAIL = "ada.lovelace@example.org"
SECRETS = (TOKEN, API_KEY, SIGNING_KEY)
ENDPOINT_PATH = "/functions/v1/job-interview-create-for-candidate-with-token"

WsgiAction = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


# --- the scripted stand-in for JobMojito --------------------------------------------------------


@dataclass(frozen=True)
class Received:
    """One request as the stand-in server saw it."""

    method: str
    path: str
    headers: dict[str, str]  # names lower-cased
    body: bytes

    def json(self) -> Any:
        """The request body, decoded."""
        return json.loads(self.body)


class ScriptedUpstream:
    """A real HTTP server answering each request with the next queued action, in order."""

    def __init__(self) -> None:
        self.requests: list[Received] = []
        self._script: queue.Queue[WsgiAction] = queue.Queue()
        self._release = threading.Event()
        self._server = make_server("127.0.0.1", 0, self._app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}/functions/v1"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def reply(self, status: int, body: Any, content_type: str = "application/json") -> None:
        """Answer the next request with this status and body (a non-bytes/str body is JSON)."""
        if isinstance(body, str):
            data = body.encode()
        elif isinstance(body, bytes):
            data = body
        else:
            data = json.dumps(body).encode()

        def action(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
            start_response(f"{status} X", [("Content-Type", content_type)])
            return [data]

        self._script.put(action)

    def hang(self, seconds: float) -> None:
        """Sit on the next request for this long, then answer it with a success."""

        def action(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
            self._release.wait(seconds)
            start_response("200 OK", [("Content-Type", "application/json")])
            return [json.dumps(success_body()).encode()]

        self._script.put(action)

    def drop(self) -> None:
        """Close the connection of the next request without answering it."""

        def action(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
            environ["werkzeug.socket"].shutdown(socket.SHUT_RDWR)
            # The server's own write now fails as a dropped connection, which it handles quietly.
            start_response("200 OK", [])
            return []

        self._script.put(action)

    def start(self) -> None:
        """Serve in a daemon thread."""
        self._thread.start()

    def stop(self) -> None:
        """Release any hanging request and shut the server down."""
        self._release.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def _app(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        request = Request(environ)
        self.requests.append(
            Received(
                method=request.method,
                path=request.path,
                headers={name.lower(): value for name, value in request.headers.items()},
                body=request.get_data(),
            )
        )
        try:
            action = self._script.get_nowait()
        except queue.Empty:
            start_response("599 Unscripted", [("Content-Type", "text/plain")])
            return [b"no response was scripted for this request"]
        return action(environ, start_response)


@pytest.fixture
def upstream() -> Iterator[ScriptedUpstream]:
    """A running scripted stand-in for JobMojito."""
    server = ScriptedUpstream()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def client_factory(upstream: ScriptedUpstream) -> Iterator[Callable[..., JobMojitoClient]]:
    """Build clients pointed at the stand-in; every one is closed after the test."""
    built: list[JobMojitoClient] = []

    def build(**overrides: Any) -> JobMojitoClient:
        options: dict[str, Any] = {"api_url": upstream.url, "token": TOKEN, "read_timeout": 5.0}
        options.update(overrides)
        client = JobMojitoClient(ClientSettings(**options))
        built.append(client)
        return client

    yield build
    for client in built:
        client.close()


@pytest.fixture
def jobmojito(client_factory: Callable[..., JobMojitoClient]) -> JobMojitoClient:
    """A client configured with a token and an api key."""
    return client_factory(api_key=API_KEY)


def valid_request(**overrides: Any) -> CreateInterviewRequest:
    """A request for a new position that satisfies the contract, with the given changes."""
    return CreateInterviewRequest.parse({**valid_body(), **overrides})


def valid_body() -> dict[str, Any]:
    """The body of ``valid_request()``, as plain JSON values."""
    return {
        "candidate_name": "Ada Lovelace",
        "candidate_email": EMAIL,
        "candidate_country_code": "HR",
        "candidate_resume": RESUME,
        "position_external_id": "JOB-123",
        "position_name": "Data analyst",
        "position_location": "Zagreb",
        "position_country_code": "HR",
        "mojito_language_code": "en",
    }


def success_body(status: str = "ai_accept", **extra: Any) -> dict[str, Any]:
    """A response body of the create call, as the contract describes it."""
    body = {
        "status": status,
        "interview_url": INTERVIEW_URL,
        "position_def_set_id": "pos-1",
        "interview_def_set_id": "ids-1",
        "profile_interview_id": "pi-1",
    }
    body.update(extra)
    return body


def unused_port() -> int:
    """A localhost port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- validation: what we refuse before a credit is spent ----------------------------------------

NAN = float("nan")


@pytest.mark.parametrize(
    ("field", "bad"),
    [
        ("candidate_name", ""),
        ("candidate_name", "   "),
        ("candidate_name", None),
        ("candidate_email", ""),
        ("candidate_email", 42),
        ("candidate_country_code", "HRV"),
        ("candidate_country_code", "H1"),
        ("candidate_country_code", ""),
        ("candidate_country_code", "HR\n"),
        ("candidate_resume", " \n "),
        ("candidate_resume", None),
        ("position_def_set_id", ""),
        ("position_external_id", "  "),
        ("position_name", ""),
        ("position_location", 7),
        ("position_country_code", "S"),
        ("mojito_language_code", "xx"),
        ("mojito_language_code", "pt-BR"),
        ("mojito_language_code", "EN"),
        ("position_description", 3),
        ("candidate_video_introduction", "maybe"),
        ("interview_attempts", 0),
        ("interview_attempts", 21),
        ("interview_attempts", 2.5),
        ("interview_attempts", "3"),
        ("interview_attempts", True),
        ("seniority_level", "junior"),
        ("result_view", "everything"),
        ("custom_scoring", []),
        ("custom_scoring", {"weight": NAN}),
        ("custom_scoring", {"weight": object()}),
        ("use_enhanced_expectations", "true"),
        ("include_rapport_question", 1),
        ("include_closing_prompt", "yes"),
        ("instructional_video", 0),
        ("welcome_message", 42),
        ("max_duration", 0),
        ("max_duration", -60),
        ("max_duration", 12.5),
        ("max_duration", 14_401),
        ("is_embedded", "true"),
        ("interview_available_till", "tomorrow"),
        ("interview_available_till", "2025-02-30"),
        ("interview_available_till", ""),
        ("interview_conversation_speed", "fast"),
        ("max_followups", -1),
        ("max_followups", 1000),
        ("questions_random_subset", 0.0),
        ("questions_random_subset", 0.009),
        ("questions_random_subset", 0.91),
        ("questions_random_subset", 1),
        ("questions_random_subset", NAN),
        ("questions_random_subset", True),
        ("questions_random_subset", "0.5"),
        ("required_pronunciation", "false"),
        ("result_enable_edit_transcript", 1),
        ("tags", "backend,remote"),
        ("tags", ["remote", ""]),
        ("tags", ["remote", 3]),
        ("tags", ("remote",)),
        ("recruiter_profile_id", ""),
        ("hiring_for_company", "Acme"),
        ("hiring_for_company.name", {"name": 3}),
        ("hiring_for_company.founded", {"founded": "1999"}),
        ("pdf_export_auto_config", "yes"),
        ("pdf_export_auto_config", {"at": NAN}),
        ("surprise_option", True),
    ],
)
def test_each_contract_rule_rejects_its_bad_value(field: str, bad: Any) -> None:
    with pytest.raises(RequestInvalid) as caught:
        valid_request(**{field.split(".")[0]: bad})
    assert caught.value.field == field
    assert caught.value.message


@pytest.mark.parametrize("bad", [[RESUME], {"text": RESUME}, RESUME.encode()])
def test_a_refusal_never_carries_the_refused_value(bad: Any) -> None:
    with pytest.raises(RequestInvalid) as caught:
        valid_request(candidate_resume=bad)
    error = caught.value
    assert error.field == "candidate_resume"
    assert error.__cause__ is None and error.__suppress_context__
    assert "résumé-marker" not in f"{error} {error!r} {error.message}"


def test_a_built_request_cannot_be_changed_behind_the_contract() -> None:
    request = valid_request()
    with pytest.raises(ValueError):
        request.interview_attempts = 99  # type: ignore[misc]
    tampered = request.model_copy(update={"interview_attempts": 99})
    with pytest.raises(RequestInvalid) as caught:
        tampered.validate()
    assert caught.value.field == "interview_attempts"


@pytest.mark.parametrize(
    "missing",
    ["position_name", "position_location", "position_country_code", "mojito_language_code"],
)
def test_position_fields_are_required_without_a_position_id(missing: str) -> None:
    with pytest.raises(RequestInvalid) as caught:
        valid_request(**{missing: None})
    assert caught.value.field == missing


def test_position_fields_are_optional_once_the_position_id_is_given() -> None:
    request = CreateInterviewRequest(
        candidate_name="Ada Lovelace",
        candidate_email=EMAIL,
        candidate_country_code="hr",
        candidate_resume=RESUME,
        position_def_set_id="00000000-0000-0000-0000-000000000000",
    )
    assert request.to_payload() == {
        "candidate_name": "Ada Lovelace",
        "candidate_email": EMAIL,
        "candidate_country_code": "HR",
        "candidate_resume": RESUME,
        "position_def_set_id": "00000000-0000-0000-0000-000000000000",
    }


@pytest.mark.parametrize(
    "overrides",
    [
        {"interview_attempts": 1},
        {"interview_attempts": 20},
        {"max_followups": 0},
        {"max_followups": 999},
        {"questions_random_subset": 0.01},
        {"questions_random_subset": 0.9},
        {"max_duration": 1},
        {"max_duration": 14_400},
        {"interview_attempts": 3.0},
        {"mojito_language_code": "fil"},
        {"mojito_language_code": "br"},
        {"interview_available_till": "2025-12-31"},
        {"interview_available_till": "2025-12-31T23:59:00+01:00"},
        {"interview_available_till": "2025-12-31T23:59:00Z"},
        {"tags": ["remote", "backend"]},
        {"hiring_for_company": HiringForCompany()},
        {"hiring_for_company": {}},
        {"custom_scoring": {}},
    ],
)
def test_boundary_values_are_accepted(overrides: dict[str, Any]) -> None:
    valid_request(**overrides).validate()


def test_a_full_request_sends_every_set_field_and_omits_the_unset_ones() -> None:
    request = valid_request(
        position_def_set_id="pos-1",
        interview_template_id="tpl-1",
        merchant_id="m-1",
        position_country_code="sk",
        position_description="Short",
        candidate_external_id="cand-9",
        candidate_video_introduction="optional",
        interview_attempts=3,
        seniority_level="senior",
        result_view="none",
        custom_scoring={"communication": 2},
        include_rapport_question=False,
        instructional_video=True,
        welcome_message="Welcome",
        max_duration=1200,
        is_embedded=True,
        interview_available_till="2025-12-31",
        interview_conversation_speed="normal",
        max_followups=2,
        questions_random_subset=0.5,
        required_pronunciation=False,
        tags=["remote"],
        hiring_for_company=HiringForCompany(name="Acme", sector="Retail"),
        pdf_export_auto_config={"enabled": True},
    )
    payload = request.to_payload()
    assert payload == {
        "candidate_name": "Ada Lovelace",
        "candidate_email": EMAIL,
        "candidate_country_code": "HR",
        "candidate_resume": RESUME,
        "position_def_set_id": "pos-1",
        "position_external_id": "JOB-123",
        "interview_template_id": "tpl-1",
        "merchant_id": "m-1",
        "position_name": "Data analyst",
        "position_location": "Zagreb",
        "position_country_code": "SK",
        "mojito_language_code": "en",
        "position_description": "Short",
        "candidate_external_id": "cand-9",
        "candidate_video_introduction": "optional",
        "interview_attempts": 3,
        "seniority_level": "senior",
        "result_view": "none",
        "custom_scoring": {"communication": 2},
        "include_rapport_question": False,
        "instructional_video": True,
        "welcome_message": "Welcome",
        "max_duration": 1200,
        "is_embedded": True,
        "interview_available_till": "2025-12-31",
        "interview_conversation_speed": "normal",
        "max_followups": 2,
        "questions_random_subset": 0.5,
        "required_pronunciation": False,
        "tags": ["remote"],
        "hiring_for_company": {"name": "Acme", "sector": "Retail"},
        "pdf_export_auto_config": {"enabled": True},
    }
    assert None not in payload.values()
    json.dumps(payload, allow_nan=False)


def test_the_request_repr_keeps_personal_data_out() -> None:
    shown = repr(valid_request())
    assert RESUME not in shown and EMAIL not in shown


# --- results: the six decisions -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "shows_interview", "is_rejection", "awaits_recruiter"),
    [
        ("ai_accept", True, False, False),
        ("recruiter_accept", True, False, False),
        ("recruiter_action", False, False, True),
        ("ai_reject", False, True, False),
        ("recruiter_reject", False, True, False),
        ("already-applied", True, False, False),
    ],
)
def test_every_decision_parses_into_a_typed_result(
    status: str, shows_interview: bool, is_rejection: bool, awaits_recruiter: bool
) -> None:
    body = success_body(status, reason="Because", embed_id="emb-1", embed_signing_key=SIGNING_KEY)
    result = CreateInterviewResult.from_json(body)
    assert result.status is Decision(status)
    assert result.interview_url == INTERVIEW_URL
    assert (result.embed_id, result.embed_signing_key, result.reason) == (
        "emb-1",
        SIGNING_KEY,
        "Because",
    )
    assert result.status.shows_interview is shows_interview
    assert result.status.is_rejection is is_rejection
    assert result.status.awaits_recruiter is awaits_recruiter
    assert SIGNING_KEY not in repr(result)
    assert INTERVIEW_URL not in repr(result)


def test_absent_optional_result_fields_are_none() -> None:
    result = CreateInterviewResult.from_json({"status": "ai_reject", "interview_url": "u"})
    assert result.embed_id is None and result.embed_signing_key is None
    assert result.position_def_set_id is None and result.reason is None


@pytest.mark.parametrize(
    "body",
    [
        [],
        "ai_accept",
        None,
        {"interview_url": INTERVIEW_URL},
        {"status": "accepted", "interview_url": INTERVIEW_URL},
        {"status": ["ai_accept"], "interview_url": INTERVIEW_URL},
        {"status": "ai_accept"},
        {"status": "ai_accept", "interview_url": ""},
        {"status": "ai_accept", "interview_url": 5},
        success_body(embed_id=5),
        success_body(embed_signing_key={"k": SIGNING_KEY}),
    ],
)
def test_a_body_outside_the_contract_is_malformed(body: Any) -> None:
    with pytest.raises(UpstreamError) as caught:
        CreateInterviewResult.from_json(body)
    assert caught.value.kind == "malformed"
    assert SIGNING_KEY not in str(caught.value)


# --- the call over real HTTP ----------------------------------------------------------------------


def test_a_successful_call_returns_the_typed_decision(
    upstream: ScriptedUpstream, jobmojito: JobMojitoClient
) -> None:
    upstream.reply(200, success_body("ai_accept", embed_id="emb-1", embed_signing_key=SIGNING_KEY))
    result = jobmojito.create_interview_for_candidate(valid_request(is_embedded=True))
    assert result.status is Decision.AI_ACCEPT
    assert (result.embed_id, result.embed_signing_key) == ("emb-1", SIGNING_KEY)
    assert result.profile_interview_id == "pi-1"


def test_the_call_posts_json_with_the_bearer_token_and_api_key(
    upstream: ScriptedUpstream, jobmojito: JobMojitoClient
) -> None:
    upstream.reply(200, success_body())
    request = valid_request(tags=["remote"])
    jobmojito.create_interview_for_candidate(request)
    [sent] = upstream.requests
    assert (sent.method, sent.path) == ("POST", ENDPOINT_PATH)
    assert sent.headers["authorization"] == f"Bearer {TOKEN}"
    assert sent.headers["apikey"] == API_KEY
    assert sent.headers["content-type"] == "application/json"
    assert sent.headers["user-agent"] == "Careerframe/0.1"
    assert sent.json() == request.to_payload()


def test_the_api_key_header_is_sent_only_when_configured(
    upstream: ScriptedUpstream, client_factory: Callable[..., JobMojitoClient]
) -> None:
    upstream.reply(200, success_body())
    client_factory().create_interview_for_candidate(valid_request())
    [sent] = upstream.requests
    assert "apikey" not in sent.headers
    assert sent.headers["authorization"] == f"Bearer {TOKEN}"


def test_a_trailing_slash_on_the_api_url_is_tolerated(
    upstream: ScriptedUpstream, client_factory: Callable[..., JobMojitoClient]
) -> None:
    upstream.reply(200, success_body())
    client_factory(api_url=upstream.url + "/").create_interview_for_candidate(valid_request())
    assert upstream.requests[0].path == ENDPOINT_PATH


def test_an_invalid_request_never_reaches_jobmojito(
    upstream: ScriptedUpstream, jobmojito: JobMojitoClient
) -> None:
    # A copy made around the contract (model_copy skips validation): the client checks again.
    tampered = valid_request().model_copy(update={"interview_attempts": 99})
    with pytest.raises(RequestInvalid) as caught:
        jobmojito.create_interview_for_candidate(tampered)
    assert caught.value.field == "interview_attempts"
    assert upstream.requests == []


@pytest.mark.parametrize(
    ("status", "body", "field", "retryable"),
    [
        (401, {"error": "Invalid JWT"}, None, False),
        (403, {"error": "Not permitted"}, None, False),
        (
            404,
            {"error": "Position not found", "name": "position_def_set_id"},
            "position_def_set_id",
            False,
        ),
        (409, {"error": "Conflict"}, None, False),
        (422, {"error": "Invalid e-mail", "name": "candidate_email"}, "candidate_email", False),
        (400, {"error": "Bad request"}, None, False),
        (429, {"error": "Slow down"}, None, True),
        (500, {"error": "Internal error"}, None, True),
        (503, {"error": "Unavailable"}, None, True),
    ],
)
def test_an_error_status_maps_to_an_http_error_with_the_envelope(
    upstream: ScriptedUpstream,
    jobmojito: JobMojitoClient,
    status: int,
    body: dict[str, str],
    field: str | None,
    retryable: bool,
) -> None:
    upstream.reply(status, body)
    with pytest.raises(UpstreamError) as caught:
        jobmojito.create_interview_for_candidate(valid_request())
    error = caught.value
    assert (error.kind, error.status, error.field, error.retryable) == (
        "http",
        status,
        field,
        retryable,
    )
    assert error.message == body["error"]
    assert error.is_auth_problem is (status == 401)


@pytest.mark.parametrize(
    ("status", "body", "content_type", "retryable"),
    [
        (502, "<html><body>Bad gateway</body></html>", "text/html", True),
        (400, "plain words " * 100, "text/plain", False),
        (500, '["not", "an", "envelope"]', "application/json", True),
        (422, '{"error": 5, "name": ["x"]}', "application/json", False),
    ],
)
def test_an_error_without_an_envelope_reports_the_bare_status(
    upstream: ScriptedUpstream,
    jobmojito: JobMojitoClient,
    status: int,
    body: str,
    content_type: str,
    retryable: bool,
) -> None:
    upstream.reply(status, body, content_type)
    with pytest.raises(UpstreamError) as caught:
        jobmojito.create_interview_for_candidate(valid_request())
    error = caught.value
    assert (error.kind, error.status, error.field, error.retryable) == (
        "http",
        status,
        None,
        retryable,
    )
    assert error.message == f"HTTP {status}"


@pytest.mark.parametrize(
    "body",
    [
        "this is not json",
        b"\xff\xfe\x00garbage",
        "",
        json.dumps({"status": "maybe", "interview_url": INTERVIEW_URL}),
        json.dumps({"status": "ai_accept"}),
        json.dumps([success_body()]),
    ],
)
def test_a_malformed_success_body_is_retryable(
    upstream: ScriptedUpstream, jobmojito: JobMojitoClient, body: str | bytes
) -> None:
    upstream.reply(200, body)
    with pytest.raises(UpstreamError) as caught:
        jobmojito.create_interview_for_candidate(valid_request())
    error = caught.value
    assert (error.kind, error.status, error.field, error.retryable) == (
        "malformed",
        200,
        None,
        True,
    )


def test_a_slow_answer_times_out_as_retryable(
    upstream: ScriptedUpstream, client_factory: Callable[..., JobMojitoClient]
) -> None:
    upstream.hang(2)
    client = client_factory(read_timeout=0.5)
    started = time.monotonic()
    with pytest.raises(UpstreamError) as caught:
        client.create_interview_for_candidate(valid_request())
    assert time.monotonic() - started < 1.5
    error = caught.value
    assert (error.kind, error.status, error.field, error.retryable) == (
        "timeout",
        None,
        None,
        True,
    )


def test_a_refused_connection_is_a_retryable_connection_error() -> None:
    settings = ClientSettings(api_url=f"http://127.0.0.1:{unused_port()}/v1", token=TOKEN)
    with JobMojitoClient(settings) as client, pytest.raises(UpstreamError) as caught:
        client.create_interview_for_candidate(valid_request())
    error = caught.value
    assert (error.kind, error.status, error.field, error.retryable) == (
        "connection",
        None,
        None,
        True,
    )


def test_a_dropped_connection_is_a_retryable_connection_error(
    upstream: ScriptedUpstream, jobmojito: JobMojitoClient
) -> None:
    upstream.drop()
    with pytest.raises(UpstreamError) as caught:
        jobmojito.create_interview_for_candidate(valid_request())
    error = caught.value
    assert (error.kind, error.status, error.field, error.retryable) == (
        "connection",
        None,
        None,
        True,
    )
    assert len(upstream.requests) == 1  # it did arrive: the server hung up on it


# --- secrets stay secret ------------------------------------------------------------------------


def test_settings_never_show_the_token_or_api_key() -> None:
    settings = ClientSettings(
        api_url="https://cool.jobmojito.com/functions/v1", token=TOKEN, api_key=API_KEY
    )
    client = JobMojitoClient(settings)
    client.close()
    for shown in (str(settings), repr(settings), repr(client)):
        assert TOKEN not in shown and API_KEY not in shown


@pytest.mark.parametrize(
    "kwargs",
    [
        {"api_url": "cool.jobmojito.com/functions/v1"},
        {"api_url": "ftp://cool.jobmojito.com"},
        {"api_url": f"https://user:{TOKEN}@cool.jobmojito.com"},
        {"api_url": f"https://cool.jobmojito.com/v1?token={TOKEN}"},
        {"token": ""},
        {"token": f" {TOKEN}\n"},
        {"api_key": ""},
        {"connect_timeout": 0},
        {"read_timeout": -1.0},
        {"read_timeout": float("inf")},
    ],
)
def test_unusable_settings_are_refused_without_echoing_secrets(kwargs: dict[str, Any]) -> None:
    options: dict[str, Any] = {"api_url": "https://cool.jobmojito.com/functions/v1", "token": TOKEN}
    options.update(kwargs)
    with pytest.raises(ValueError) as caught:
        ClientSettings(**options)
    assert TOKEN not in str(caught.value)


def test_an_upstream_echo_of_our_secrets_is_redacted(
    upstream: ScriptedUpstream, jobmojito: JobMojitoClient
) -> None:
    upstream.reply(401, {"error": f"JWT {TOKEN} expired (apikey {API_KEY})", "name": TOKEN})
    with pytest.raises(UpstreamError) as caught:
        jobmojito.create_interview_for_candidate(valid_request())
    for shown in (str(caught.value), repr(caught.value), caught.value.message):
        assert TOKEN not in shown and API_KEY not in shown
    assert caught.value.field is not None and TOKEN not in caught.value.field


def test_no_secret_or_personal_data_reaches_str_repr_or_logs(
    upstream: ScriptedUpstream,
    jobmojito: JobMojitoClient,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    upstream.reply(200, success_body("ai_accept", embed_id="emb-1", embed_signing_key=SIGNING_KEY))
    upstream.reply(
        200,
        {"status": "unheard-of", "embed_signing_key": SIGNING_KEY, "interview_url": INTERVIEW_URL},
    )
    upstream.reply(422, {"error": "Invalid e-mail", "name": "candidate_email"})
    upstream.drop()

    shown: list[str] = [repr(jobmojito), repr(jobmojito.settings), str(jobmojito.settings)]
    result = jobmojito.create_interview_for_candidate(valid_request(is_embedded=True))
    shown += [repr(result), str(result)]
    for _ in range(3):
        with pytest.raises(UpstreamError) as caught:
            jobmojito.create_interview_for_candidate(valid_request(is_embedded=True))
        shown += [str(caught.value), repr(caught.value)]

    ours = [r for r in caplog.records if r.name == "webapp.jobmojito.client"]
    assert [r.levelname for r in ours] == ["INFO", "WARNING", "WARNING", "WARNING"]
    assert all("email_domain=example.org" in r.getMessage() for r in ours)
    assert any(r.name.startswith(("httpx", "httpcore")) for r in caplog.records)
    logged = caplog.text + "\n".join(r.getMessage() for r in caplog.records)
    for secret in (*SECRETS, INTERVIEW_URL, RESUME, EMAIL, "interview-token-7d2e"):
        assert secret not in logged
        assert all(secret not in text for text in shown)


def test_the_client_closes_its_connections_as_a_context_manager(
    upstream: ScriptedUpstream,
) -> None:
    upstream.reply(200, success_body())
    with JobMojitoClient(ClientSettings(api_url=upstream.url, token=TOKEN)) as client:
        client.create_interview_for_candidate(valid_request())
    with pytest.raises(RuntimeError):
        client.create_interview_for_candidate(valid_request())


# --- the other endpoints: same client, same contract, repeats only where they help ------------


RECORDING_URL = "https://try.interviewmojito.com/storage/recording-7d2e.webm?token=rec-secret-41"


def test_the_create_call_is_never_repeated_by_the_client(
    upstream: ScriptedUpstream, jobmojito: JobMojitoClient
) -> None:
    upstream.reply(500, {"error": "boom"})
    upstream.reply(200, success_body())
    with pytest.raises(UpstreamError):
        jobmojito.create_interview_for_candidate(valid_request())
    assert len(upstream.requests) == 1  # one call per application: the worker decides on retries


def test_the_details_travel_in_the_query_and_a_dropped_read_is_repeated(
    upstream: ScriptedUpstream, client_factory: Callable[..., JobMojitoClient]
) -> None:
    client = client_factory(retry_pause=0.01)
    upstream.drop()
    upstream.reply(
        200,
        {
            "score": 7.25,
            "duration": 9000,
            "transcript": [{"question_asked": "Why?", "answer": "x"}],
        },
    )
    query = InterviewDetailsQuery(interview_result_id="res-1", get_signed_recordings=True)
    details = client.interview_details(query)
    assert (details.score, details.duration_seconds) == (7.25, 900)
    assert [r.method for r in upstream.requests] == ["GET", "GET"]
    assert upstream.requests[0].path == "/functions/v1/job-interview-details"
    assert upstream.requests[0].body == b""


def test_a_refusal_is_not_repeated(upstream: ScriptedUpstream, jobmojito: JobMojitoClient) -> None:
    upstream.reply(422, {"error": "bad id", "name": "interview_result_id"})
    with pytest.raises(UpstreamError) as caught:
        jobmojito.interview_details(InterviewDetailsQuery(interview_result_id="r"))
    assert (caught.value.status, caught.value.field) == (422, "interview_result_id")
    assert len(upstream.requests) == 1


def test_switching_embedding_on_without_a_key_in_the_answer_is_malformed(
    upstream: ScriptedUpstream, jobmojito: JobMojitoClient
) -> None:
    upstream.reply(200, {"success": True})
    with pytest.raises(UpstreamError) as caught:
        jobmojito.set_position_state(SetStateRequest(position_id="p", is_embedded=True))
    assert caught.value.kind == "malformed"
    assert json.loads(upstream.requests[0].body) == {"position_id": "p", "is_embedded": True}


def test_the_pdf_request_body_and_its_link(
    upstream: ScriptedUpstream, jobmojito: JobMojitoClient
) -> None:
    upstream.reply(200, {"pdf_export_url": RECORDING_URL, "pdf_export_valid_until": "2030-01-01"})
    report = jobmojito.interview_pdf(InterviewPdfRequest(interview_result_id="r"))
    assert report.pdf_export_url == RECORDING_URL
    assert RECORDING_URL not in repr(report)  # a signed link never reaches a repr
    assert json.loads(upstream.requests[0].body) == {
        "interview_result_id": "r",
        "export_type": "pdf",
    }


def test_recording_links_stay_out_of_reprs_and_logs(
    upstream: ScriptedUpstream, jobmojito: JobMojitoClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    upstream.reply(
        200,
        {
            "recording_url": RECORDING_URL,
            "transcript": [{"answer": "a", "recording_url": RECORDING_URL}],
        },
    )
    details = jobmojito.interview_details(InterviewDetailsQuery(interview_result_id="r"))
    assert details.recording_url == RECORDING_URL
    assert RECORDING_URL not in repr(details)
    assert "rec-secret-41" not in caplog.text
