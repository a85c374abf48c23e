"""The platform's other calls, over real HTTP: the one client against the sandbox, every branch."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from pypdf import PdfReader

from tests.conftest import SANDBOX_TOKEN, Sandbox
from tests.leakwatch import LEAKS, find_leaks
from webapp.jobmojito.client import (
    ClientSettings,
    CreateInterviewRequest,
    InterviewDetailsQuery,
    InterviewPdfRequest,
    JobMojitoClient,
    SetStateRequest,
    UpstreamError,
)
from webapp.jobmojito.contract import AnotherAttemptRequest, ExportType, PositionStatus
from webapp.jobmojito.embed_link import build_embed_url
from webapp.jobmojito.languages import LANGUAGE_CODES
from webapp.jobmojito.sandbox import create_sandbox_app, serve_sandbox_in_thread

RESUME = (
    "Barista and shift lead for five years in busy city cafés; trained new staff, ran stock "
    "ordering and opened the café every day."
)
ANSWERS = [
    "I have run a busy café counter for five years and love teaching new baristas.",
    "I rebuilt our stock ordering so that nothing ran out over a holiday weekend.",
    "Learn the roastery's range and take over the morning opening routine.",
]


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    server = serve_sandbox_in_thread(create_sandbox_app(token=SANDBOX_TOKEN, latency=0))
    LEAKS.sandboxes.append(server)
    yield Sandbox(server)
    server.shutdown()


@pytest.fixture
def api(sandbox: Sandbox) -> Iterator[JobMojitoClient]:
    settings = ClientSettings(
        api_url=f"{sandbox.url}/functions/v1",
        token=SANDBOX_TOKEN,
        read_timeout=2.0,
        retry_pause=0.01,
    )
    with JobMojitoClient(settings) as client:
        yield client


def enrol(api: JobMojitoClient, email: str = "ana@example.com") -> Any:
    return api.create_interview_for_candidate(
        CreateInterviewRequest(
            candidate_name="Ana Horvat",
            candidate_email=email,
            candidate_country_code="HR",
            candidate_resume=RESUME,
            position_external_id="CF-RESULTS",
            position_name="Barista",
            position_location="Zagreb",
            position_country_code="HR",
            mojito_language_code="hr",
            is_embedded=True,
        )
    )


def submitted(sandbox: Sandbox, api: JobMojitoClient, email: str = "ana@example.com") -> str:
    """Enrol a candidate, submit the interview page's answers, and return the result id."""
    created = enrol(api, email)
    with httpx.Client(base_url=sandbox.url, timeout=5) as browser:
        answer = browser.post(
            f"/interview/{created.profile_interview_id}/submit", json={"answers": ANSWERS}
        )
        answer.raise_for_status()
    interview = sandbox.server.sandbox.store.interview(created.profile_interview_id)
    assert interview is not None
    return interview.result_id


def other_calls(sandbox: Sandbox, path: str) -> int:
    return int(sandbox.calls()["other_calls"].get(path, 0))


# --- job-interview-details -------------------------------------------------------------------


def test_details_carry_the_transcript_the_interview_page_collected(
    sandbox: Sandbox, api: JobMojitoClient
) -> None:
    result_id = submitted(sandbox, api)
    details = api.interview_details(InterviewDetailsQuery(interview_result_id=result_id))
    assert [entry.answer for entry in details.transcript] == ANSWERS
    assert details.transcript[0].question_asked is not None
    assert "Barista" in details.transcript[0].question_asked
    assert all(entry.score is not None for entry in details.transcript)
    assert details.score is not None and 3.0 <= details.score <= 10.0
    assert details.duration is not None and details.duration_seconds == round(details.duration / 10)
    assert details.ai_analysis_recruiter and "Barista" in details.ai_analysis_recruiter
    assert details.reasons.reasons_to_hire
    # Without the flag there are no recording links at all.
    assert details.recording_url is None
    assert all(entry.recording_url is None for entry in details.transcript)


def test_signed_recordings_play_and_expire_with_their_signature(
    sandbox: Sandbox, api: JobMojitoClient
) -> None:
    result_id = submitted(sandbox, api)
    query = InterviewDetailsQuery(interview_result_id=result_id, get_signed_recordings=True)
    details = api.interview_details(query)
    assert details.recording_url is not None
    assert details.recording_url.startswith(sandbox.url + "/media/recording/")
    urls = [entry.recording_url for entry in details.transcript]
    assert all(url and url.startswith(sandbox.url) for url in urls)
    with httpx.Client(timeout=5) as browser:
        media = browser.get(details.recording_url)
        assert media.status_code == 200
        assert media.headers["content-type"] == "audio/wav"
        assert media.content[:4] == b"RIFF" and media.content[8:12] == b"WAVE"
        assert media.headers["cache-control"] == "private, no-store"
        tampered = details.recording_url.replace("/0.wav", "/1.wav")
        assert browser.get(tampered).status_code == 403
        unsigned = details.recording_url.split("?")[0]
        assert browser.get(unsigned).status_code == 403
        past = httpx.URL(details.recording_url).copy_set_param("expires", "1000")
        assert browser.get(past).status_code == 403


def test_details_of_an_unknown_result_are_a_404_naming_the_field(api: JobMojitoClient) -> None:
    with pytest.raises(UpstreamError) as caught:
        api.interview_details(InterviewDetailsQuery(interview_result_id="no-such-result"))
    assert (caught.value.status, caught.value.field) == (404, "interview_result_id")
    assert caught.value.retryable is False


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("", "interview_result_id"),
        ("interview_result_id=", "interview_result_id"),
        ("interview_result_id=r&get_signed_recordings=maybe", "get_signed_recordings"),
        ("interview_result_id=r&unknown=1", "unknown"),
    ],
)
def test_the_sandbox_refuses_a_bad_details_query_with_422(
    sandbox: Sandbox, query: str, field: str
) -> None:
    with sandbox.control() as control:
        answer = control.get(f"/functions/v1/job-interview-details?{query}")
    assert answer.status_code == 422
    assert answer.json()["name"] == field


def test_details_need_the_token(sandbox: Sandbox) -> None:
    answer = httpx.get(f"{sandbox.url}/functions/v1/job-interview-details?interview_result_id=r")
    assert answer.status_code == 401


# --- retries -----------------------------------------------------------------------------------


def test_an_idempotent_read_is_repeated_once_after_a_server_error(
    sandbox: Sandbox, api: JobMojitoClient
) -> None:
    result_id = submitted(sandbox, api)
    sandbox.fault("500", count=1, endpoint="job-interview-details")
    details = api.interview_details(InterviewDetailsQuery(interview_result_id=result_id))
    assert details.transcript
    assert other_calls(sandbox, "job-interview-details") == 2


def test_a_read_gives_up_after_its_repeats(sandbox: Sandbox, api: JobMojitoClient) -> None:
    sandbox.fault("429", count=5, endpoint="job-interview-details")
    with pytest.raises(UpstreamError) as caught:
        api.interview_details(InterviewDetailsQuery(interview_result_id="r"))
    assert caught.value.status == 429
    assert other_calls(sandbox, "job-interview-details") == 2  # one call and one repeat


def test_another_attempt_is_never_repeated_after_a_failure_that_may_have_reached_it(
    sandbox: Sandbox, api: JobMojitoClient
) -> None:
    result_id = submitted(sandbox, api)
    sandbox.fault("500", count=1, endpoint="job-interview-result-request-another-attempt")
    with pytest.raises(UpstreamError) as caught:
        api.request_another_attempt(AnotherAttemptRequest(interview_result_id=result_id))
    assert caught.value.status == 500
    assert other_calls(sandbox, "job-interview-result-request-another-attempt") == 1


def test_a_call_that_never_connected_is_repeated_even_when_not_idempotent() -> None:
    # Nothing listens on port 9 of this machine: every attempt is refused before it is sent.
    settings = ClientSettings(
        api_url="http://127.0.0.1:9/functions/v1", token=SANDBOX_TOKEN, retries=2, retry_pause=0.01
    )
    started = time.monotonic()
    with JobMojitoClient(settings) as client, pytest.raises(UpstreamError) as caught:
        client.request_another_attempt(AnotherAttemptRequest(interview_result_id="r"))
    assert caught.value.kind == "connection"
    assert time.monotonic() - started >= 0.03  # two pauses: 0.01 then 0.02


def test_a_malformed_answer_is_refused(sandbox: Sandbox, api: JobMojitoClient) -> None:
    sandbox.fault("malformed", count=2, endpoint="platform-languages-list")
    with pytest.raises(UpstreamError) as caught:
        api.platform_languages()
    assert caught.value.kind == "malformed"


# --- job-interview-pdf -------------------------------------------------------------------------


def test_the_pdf_report_is_a_real_pdf_behind_a_short_lived_link(
    sandbox: Sandbox, api: JobMojitoClient
) -> None:
    result_id = submitted(sandbox, api)
    report = api.interview_pdf(InterviewPdfRequest(interview_result_id=result_id))
    assert report.pdf_export_url.startswith(sandbox.url + "/media/report/")
    assert report.pdf_export_valid_until is not None
    with httpx.Client(timeout=5) as browser:
        answer = browser.get(report.pdf_export_url)
        assert answer.status_code == 200
        assert answer.headers["content-type"] == "application/pdf"
        text = "\n".join(
            page.extract_text() for page in PdfReader(io.BytesIO(answer.content)).pages
        )
        assert "Ana Horvat" in text and "Barista" in text
        assert "rebuilt our stock ordering" in text
        assert browser.get(report.pdf_export_url.split("?")[0]).status_code == 403


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"interview_result_id": "no-such-result"}, 404, "interview_result_id"),
        ({"interview_result_id": "x", "export_type": "docx"}, 422, "export_type"),
        ({}, 422, "interview_result_id"),
        ({"interview_result_id": "x", "colour": "red"}, 422, "colour"),
    ],
)
def test_the_sandbox_refuses_a_bad_pdf_request(
    sandbox: Sandbox, body: dict[str, Any], status: int, field: str
) -> None:
    with sandbox.control() as control:
        answer = control.post("/functions/v1/job-interview-pdf", json=body)
    assert (answer.status_code, answer.json()["name"]) == (status, field)


def test_no_report_before_the_interview_is_submitted(
    api: JobMojitoClient, sandbox: Sandbox
) -> None:
    created = enrol(api)
    interview = sandbox.server.sandbox.store.interview(created.profile_interview_id)
    assert interview is not None
    with pytest.raises(UpstreamError) as caught:
        api.interview_pdf(InterviewPdfRequest(interview_result_id=interview.result_id))
    assert caught.value.status == 422
    html = InterviewPdfRequest(interview_result_id=interview.result_id, export_type=ExportType.HTML)
    with pytest.raises(UpstreamError) as caught:
        api.interview_pdf(html)
    assert (caught.value.status, caught.value.field) == (422, "export_type")


# --- job-interview-result-request-another-attempt --------------------------------------------


def test_another_attempt_opens_a_submitted_interview_once(
    sandbox: Sandbox, api: JobMojitoClient
) -> None:
    result_id = submitted(sandbox, api)
    api.request_another_attempt(AnotherAttemptRequest(interview_result_id=result_id))
    found = sandbox.server.sandbox.store.result(result_id)
    assert found is not None and found[0].is_open and found[0].extra_attempts == 1
    # Open again, not submitted: a second request is refused until the candidate submits.
    with pytest.raises(UpstreamError) as caught:
        api.request_another_attempt(AnotherAttemptRequest(interview_result_id=result_id))
    assert (caught.value.status, caught.value.field) == (422, "interview_result_id")


def test_another_attempt_for_an_unfinished_or_unknown_result_is_refused(
    sandbox: Sandbox, api: JobMojitoClient
) -> None:
    created = enrol(api)
    interview = sandbox.server.sandbox.store.interview(created.profile_interview_id)
    assert interview is not None
    with pytest.raises(UpstreamError) as caught:
        api.request_another_attempt(AnotherAttemptRequest(interview_result_id=interview.result_id))
    assert caught.value.status == 422
    with pytest.raises(UpstreamError) as caught:
        api.request_another_attempt(AnotherAttemptRequest(interview_result_id="nope"))
    assert caught.value.status == 404


# --- job-interview-set-state and the rotated key --------------------------------------------


def test_rotating_the_embed_key_refuses_links_signed_with_the_old_one(
    sandbox: Sandbox, api: JobMojitoClient
) -> None:
    created = enrol(api)
    assert created.embed_id and created.embed_signing_key and created.position_def_set_id
    name, email = "Ana Horvat", "ana@example.com"
    embed = f"{sandbox.url}/embed"
    old_link = build_embed_url(embed, created.embed_id, created.embed_signing_key, name, email)
    with httpx.Client(timeout=5) as browser:
        assert browser.get(old_link).status_code == 200

        off = api.set_position_state(
            SetStateRequest(position_id=created.position_def_set_id, is_embedded=False)
        )
        assert off.embed_signing_key is None
        assert browser.get(old_link).status_code == 403

        on = api.set_position_state(
            SetStateRequest(position_id=created.position_def_set_id, is_embedded=True)
        )
        assert on.embed_id and on.embed_signing_key
        assert on.embed_signing_key != created.embed_signing_key
        assert browser.get(old_link).status_code == 403
        # The new embed id signed with the retired key is refused too: the signature is checked.
        forged = build_embed_url(embed, on.embed_id, created.embed_signing_key, name, email)
        refused = browser.get(forged)
        assert refused.status_code == 403
        assert "not valid" in refused.text
        new_link = build_embed_url(embed, on.embed_id, on.embed_signing_key, name, email)
        page = browser.get(new_link)
        assert page.status_code == 200 and "Welcome, Ana Horvat" in page.text
    # Asking again keeps the key (true ensures one, it does not rotate).
    again = api.set_position_state(
        SetStateRequest(position_id=created.position_def_set_id, is_embedded=True)
    )
    assert again.embed_signing_key == on.embed_signing_key
    # No key, old or new, reached a log line.
    keys = [created.embed_signing_key, on.embed_signing_key]
    assert find_leaks(keys, [], LEAKS.log_lines) == []


def test_a_closed_position_takes_no_new_candidates(sandbox: Sandbox, api: JobMojitoClient) -> None:
    created = enrol(api)
    assert created.position_def_set_id
    api.set_position_state(
        SetStateRequest(position_id=created.position_def_set_id, status=PositionStatus.ARCHIVED)
    )
    with pytest.raises(UpstreamError) as caught:
        enrol(api, "ben@example.com")
    assert caught.value.status == 422
    api.set_position_state(
        SetStateRequest(position_id=created.position_def_set_id, status=PositionStatus.ACTIVE)
    )
    assert enrol(api, "ben@example.com").profile_interview_id


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"position_id": "p"}, 422, "status"),
        ({"position_id": "p", "status": "sleeping"}, 422, "status"),
        ({"position_id": "p", "is_embedded": "yes"}, 422, "is_embedded"),
        ({"status": "active"}, 422, "position_id"),
        ({"position_id": "no-such-position", "status": "active"}, 404, "position_id"),
    ],
)
def test_the_sandbox_refuses_a_bad_state_change(
    sandbox: Sandbox, body: dict[str, Any], status: int, field: str
) -> None:
    with sandbox.control() as control:
        answer = control.post("/functions/v1/job-interview-set-state", json=body)
    assert (answer.status_code, answer.json()["name"]) == (status, field)


# --- platform-languages-list ----------------------------------------------------------------


def test_the_languages_list_names_every_code_sorted_by_english_name(api: JobMojitoClient) -> None:
    languages = api.platform_languages().languages
    assert {language.code for language in languages} == LANGUAGE_CODES
    names = [language.name_english for language in languages]
    assert names == sorted(names)
    brazil = next(language for language in languages if language.code == "br")
    assert brazil.name_english == "Portuguese (Brazil)" and brazil.name_local
    assert {language.interview_interface for language in languages} == {True, False}


def test_the_languages_list_takes_no_parameters(sandbox: Sandbox) -> None:
    with sandbox.control() as control:
        answer = control.get("/functions/v1/platform-languages-list?limit=3")
    assert (answer.status_code, answer.json()["name"]) == (422, "limit")
