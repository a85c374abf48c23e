"""The real client against the real sandbox: every injected fault becomes the right typed error."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from tests.conftest import SANDBOX_TOKEN, Sandbox
from tests.leakwatch import LEAKS
from webapp.jobmojito.client import (
    ClientSettings,
    CreateInterviewRequest,
    Decision,
    JobMojitoClient,
    UpstreamError,
)
from webapp.jobmojito.sandbox import create_sandbox_app, serve_sandbox_in_thread


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    server = serve_sandbox_in_thread(create_sandbox_app(token=SANDBOX_TOKEN, latency=0))
    LEAKS.sandboxes.append(server)
    yield Sandbox(server)
    server.shutdown()


@pytest.fixture
def client(sandbox: Sandbox) -> Iterator[JobMojitoClient]:
    settings = ClientSettings(
        api_url=f"{sandbox.url}/functions/v1", token=SANDBOX_TOKEN, read_timeout=1.0
    )
    with JobMojitoClient(settings) as api:
        yield api


def request(email: str = "ana@example.com") -> CreateInterviewRequest:
    return CreateInterviewRequest(
        candidate_name="Ana Horvat",
        candidate_email=email,
        candidate_country_code="HR",
        candidate_resume="Barista and shift lead for five years in busy city cafés; trained new staff, ran stock ordering and opened the café every day.",
        position_external_id="CF-TEST",
        position_name="Barista",
        position_location="Zagreb",
        position_country_code="HR",
        mojito_language_code="hr",
        is_embedded=True,
    )


@pytest.mark.parametrize(
    ("kind", "error_kind", "status", "retryable"),
    [
        ("500", "http", 500, True),
        ("429", "http", 429, True),
        ("401", "http", 401, False),
        ("malformed", "malformed", 200, True),
        ("hang", "timeout", None, True),
        ("drop", "connection", None, True),
    ],
)
def test_each_fault_maps_to_the_right_error(
    sandbox: Sandbox,
    client: JobMojitoClient,
    kind: str,
    error_kind: str,
    status: int | None,
    retryable: bool,
) -> None:
    sandbox.fault(kind, count=1, hang_seconds=3)
    with pytest.raises(UpstreamError) as caught:
        client.create_interview_for_candidate(request())
    error = caught.value
    assert (error.kind, error.retryable) == (error_kind, retryable)
    if status is not None and error_kind == "http":
        assert error.status == status
    assert error.is_auth_problem == (kind == "401")
    # The fault ran out: the next call goes through. A hung call was still processed upstream once
    # it woke up, so asking again afterwards finds the interview it made.
    if kind == "hang":
        time.sleep(2.5)
    result = client.create_interview_for_candidate(request())
    expected = Decision.ALREADY_APPLIED if kind == "hang" else Decision.AI_ACCEPT
    assert result.status == expected
    assert result.embed_id and result.embed_signing_key


def test_a_wrong_token_is_a_401_that_does_not_retry(sandbox: Sandbox) -> None:
    settings = ClientSettings(api_url=f"{sandbox.url}/functions/v1", token="not-the-token")
    with JobMojitoClient(settings) as api, pytest.raises(UpstreamError) as caught:
        api.create_interview_for_candidate(request())
    assert caught.value.status == 401 and not caught.value.retryable
    assert "not-the-token" not in str(caught.value)


def test_all_branches_come_back_typed(sandbox: Sandbox, client: JobMojitoClient) -> None:
    seen = {
        client.create_interview_for_candidate(request(email)).status
        for email in (
            "a@example.com",
            "b+review@example.com",
            "c+reject@example.com",
            "d+recruiter-accept@example.com",
            "e+recruiter-reject@example.com",
            "a@example.com",
        )
    }
    assert seen == set(Decision)
