"""One contract, one model: the model, the client and the sandbox give every body the same answer.

Each body of the corpus is judged three ways — by the contract model, by the client before it
sends (nothing reaches the platform when it refuses), and by the sandbox over real HTTP — and the
verdicts, down to the field named, must agree. The corpus holds the values the old copies of the
contract disagreed on.
"""

# ruff: noqa: F811  (a test's parameter names the fixture imported below)

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.sandbox_fixtures import (  # noqa: F401  (fixtures, requested by parameter name)
    CREATE_PATH,
    TOKEN,
    RunningSandbox,
    application,
    sandbox,
    sandbox_factory,
)
from webapp.jobmojito.client import ClientSettings, JobMojitoClient
from webapp.jobmojito.contract import (
    ConversationSpeed,
    CreateInterviewRequest,
    CreateInterviewResult,
    Decision,
    ExportType,
    InterviewDetails,
    InterviewDetailsQuery,
    InterviewPdfRequest,
    PlatformLanguages,
    PositionStatus,
    RequestInvalid,
    ResultView,
    SeniorityLevel,
    SetStateRequest,
    UpstreamError,
    VideoIntroduction,
)
from webapp.jobmojito.languages import LANGUAGE_CODES

ROOT = Path(__file__).resolve().parents[1]
DROP = None  # application(field=None) leaves the field out

# (changes to a valid body, the field the contract names, or None when it accepts the body)
CORPUS: list[tuple[dict[str, Any], str | None]] = [
    ({}, None),
    ({"candidate_country_code": "hr", "position_country_code": "sk"}, None),
    ({"interview_attempts": 20}, None),
    ({"interview_attempts": 3.0}, None),  # JSON's one number type: 3.0 is the whole number 3
    ({"interview_attempts": 2.5}, "interview_attempts"),  # the sandbox used to take it
    ({"interview_attempts": 21}, "interview_attempts"),
    ({"interview_attempts": "3"}, "interview_attempts"),
    ({"interview_attempts": True}, "interview_attempts"),
    ({"max_duration": 14_400}, None),  # our own limit: four hours
    ({"max_duration": 14_401}, "max_duration"),
    ({"max_duration": 86_400}, "max_duration"),  # the sandbox used to take a whole day
    ({"max_duration": 90.5}, "max_duration"),  # and fractions of a second
    ({"max_duration": 0}, "max_duration"),
    ({"max_followups": 999, "questions_random_subset": 0.9}, None),
    ({"questions_random_subset": 0.95}, "questions_random_subset"),
    ({"result_view": "none", "seniority_level": "entry-level"}, None),
    ({"result_view": "everything"}, "result_view"),
    ({"interview_conversation_speed": "warp"}, "interview_conversation_speed"),
    ({"candidate_video_introduction": "maybe"}, "candidate_video_introduction"),
    ({"mojito_language_code": "br"}, None),
    ({"mojito_language_code": "EN"}, "mojito_language_code"),
    ({"hiring_for_company": {"name": "Acme", "company_size": "50"}}, None),
    ({"hiring_for_company": {"name": 3}}, "hiring_for_company.name"),
    ({"hiring_for_company": {"founded": "1999"}}, "hiring_for_company.founded"),
    ({"hiring_for_company": "Acme"}, "hiring_for_company"),
    ({"tags": ["remote", "barista"]}, None),
    ({"tags": ["remote", ""]}, "tags"),
    ({"custom_scoring": {"weight": None}}, None),
    ({"custom_scoring": []}, "custom_scoring"),
    ({"interview_available_till": "2030-12-31T18:00:00Z"}, None),
    ({"interview_available_till": "next week"}, "interview_available_till"),
    ({"surprise_option": True}, "surprise_option"),
    ({"candidate_email": "   "}, "candidate_email"),
    ({"candidate_resume": DROP}, "candidate_resume"),
    ({"position_name": DROP}, "position_name"),
    ({"position_location": ""}, "position_location"),
    ({"mojito_language_code": DROP}, "mojito_language_code"),
    ({"is_embedded": "yes"}, "is_embedded"),
]
IDS = [json.dumps(changes, sort_keys=True)[:60] for changes, _ in CORPUS]


def verdict_of_the_model(body: dict[str, Any]) -> str | None:
    """The field the model names, or None when it accepts the body."""
    try:
        CreateInterviewRequest.parse(body)
    except RequestInvalid as error:
        return error.field
    return None


@pytest.fixture
def api(sandbox: RunningSandbox) -> Iterator[JobMojitoClient]:
    """The real client, pointed at the sandbox."""
    settings = ClientSettings(api_url=f"{sandbox.url}/functions/v1", token=TOKEN, read_timeout=5)
    with JobMojitoClient(settings) as client:
        yield client


@pytest.mark.parametrize(("changes", "field"), CORPUS, ids=IDS)
def test_the_model_the_client_and_the_sandbox_agree_on_every_body(
    sandbox: RunningSandbox, api: JobMojitoClient, changes: dict[str, Any], field: str | None
) -> None:
    body = application(**changes)
    assert verdict_of_the_model(body) == field

    # The client: a request it refuses never reaches the platform, whatever way it was made.
    calls_before = sandbox.calls()["api_calls"]
    unchecked = CreateInterviewRequest.model_construct(**body)
    if field is not None and field.split(".")[0] not in CreateInterviewRequest.model_fields:
        # A request object cannot even hold a field the contract lacks: nothing to send.
        assert field not in unchecked.to_payload()
    elif field is None:
        result = api.create_interview_for_candidate(unchecked)
        assert result.status in set(Decision)
    else:
        with pytest.raises(RequestInvalid) as caught:
            api.create_interview_for_candidate(unchecked)
        assert caught.value.field == field
    assert sandbox.calls()["api_calls"] == calls_before + (field is None)

    # The sandbox, over HTTP, with the raw body: the platform's 422 envelope names the same field.
    answer = sandbox.http.post(CREATE_PATH, json=body)
    if field is None:
        assert answer.status_code == 200, answer.text
        CreateInterviewResult.from_json(answer.json())
    else:
        assert answer.status_code == 422
        envelope = answer.json()
        assert envelope["name"] == field
        assert set(envelope) == {"error", "name"} and envelope["error"].startswith(field)


def test_what_the_client_sends_is_what_the_sandbox_reads(
    sandbox: RunningSandbox, api: JobMojitoClient
) -> None:
    request = CreateInterviewRequest.parse(
        application(position_country_code="sk", hiring_for_company={"name": "Acme"})
    )
    payload = request.to_payload()
    assert payload["position_country_code"] == "SK"
    assert payload["hiring_for_company"] == {"name": "Acme"}
    assert None not in payload.values()
    assert api.create_interview_for_candidate(request).status is Decision.AI_ACCEPT


def test_the_model_publishes_the_json_schema_of_the_contract() -> None:
    schema = CreateInterviewRequest.model_json_schema()
    assert set(schema["required"]) == {
        "candidate_name",
        "candidate_email",
        "candidate_country_code",
        "candidate_resume",
    }
    assert schema["additionalProperties"] is False
    properties = schema["properties"]
    language = properties["mojito_language_code"]["anyOf"][0]
    assert set(language["enum"]) == LANGUAGE_CODES
    attempts = properties["interview_attempts"]["anyOf"][0]
    assert (attempts["type"], attempts["minimum"], attempts["maximum"]) == ("integer", 1, 20)
    assert set(schema["$defs"]["ResultView"]["enum"]) == {v.value for v in ResultView}


# --- no second copy of the contract in the code ---------------------------------------------------

CONTRACT_HOME = ROOT / "webapp" / "jobmojito" / "contract"
ENUMS = (
    ResultView,
    SeniorityLevel,
    ConversationSpeed,
    VideoIntroduction,
    Decision,
    ExportType,
)  # not PositionStatus: its words (active, completed) are also other fields' values


def product_sources() -> Iterator[tuple[Path, str]]:
    """Every Python module of the product outside the contract's own package."""
    for path in sorted((ROOT / "webapp").rglob("*.py")):
        if CONTRACT_HOME not in path.parents:
            yield path, path.read_text(encoding="utf-8")


@pytest.mark.parametrize("enum", ENUMS, ids=[enum.__name__ for enum in ENUMS])
def test_no_module_spells_out_the_values_of_a_contract_enum(enum: Any) -> None:
    quoted = {v.value: re.compile(rf"[\"']{re.escape(v.value)}[\"']") for v in enum}
    for path, text in product_sources():
        lines = text.splitlines()
        for start in range(len(lines)):
            # Values a few lines apart are a list of them: a copy of the enum. One value named on
            # purpose (a default, seed data) is not.
            window = "\n".join(lines[start : start + 4])
            spelled = {value for value, pattern in quoted.items() if pattern.search(window)}
            assert len(spelled) < 2, (
                f"{path.relative_to(ROOT)}:{start + 1} lists {enum.__name__} values {spelled}"
            )


@pytest.mark.parametrize(
    "leftover",
    [
        r"\b_?ENUMS\b",
        r"\b_?INT_RANGES\b",
        r"\bRANGES\s*[:=]",
        r"\bSENIORITY_LEVELS\b",
        r"MAX_DURATION_MINUTES\s*=\s*\d",
        r"(?m)CreateInterviewRequest\(\s*$",  # built field by field, beside the model
        r"Application\(\s*full_name=\"Validation",  # stand-in models to check a position
        r"jobmojito\.schema\b",
    ],
)
def test_the_old_copies_of_the_contract_are_gone(leftover: str) -> None:
    for path, text in product_sources():
        assert not re.search(leftover, text), f"{path.relative_to(ROOT)} still has {leftover}"


def test_the_repository_points_only_at_files_it_has() -> None:
    # Spelled in pieces so that this test does not match itself.
    outside = re.compile("UPSTREAM" + r"\.md|" + r"\.\./" + "shared|" + r"\bshared/")
    for folder in ("webapp", "tests", "bench", "docs"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix not in (".py", ".md", ".html", ".txt", ".toml", ".cfg"):
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            assert not outside.search(text), f"{path.relative_to(ROOT)} points outside the repo"
    assert (ROOT / "docs" / "platform.md").is_file()


# --- the other calls -------------------------------------------------------------------------


def test_details_read_nulls_as_empty_and_tenths_of_a_second() -> None:
    details = InterviewDetails.from_json(
        {
            "duration": 7235.0,
            "transcript": None,
            "ai_analysis_other": {"hiring_reasons": {"reasons_to_hire": None}, "other": 1},
            "new_field": "ignored",
        }
    )
    assert details.duration_seconds == 724
    assert details.transcript == []
    assert details.reasons.reasons_to_hire == [] and details.reasons.reasons_not_to_hire == []


@pytest.mark.parametrize(
    "body",
    [
        {"score": "high"},
        {"duration": -1},
        {"duration": 12.5},
        {"transcript": [{"answer": 3}]},
        {"score": float("nan")},
    ],
)
def test_details_outside_the_contract_are_malformed(body: dict[str, Any]) -> None:
    with pytest.raises(UpstreamError) as caught:
        InterviewDetails.from_json(body)
    assert caught.value.kind == "malformed"


def test_the_details_query_reads_and_writes_booleans_as_text() -> None:
    query = InterviewDetailsQuery.from_query(
        {"interview_result_id": "r", "get_signed_recordings": "TRUE"}
    )
    assert query.to_query() == {"interview_result_id": "r", "get_signed_recordings": "true"}
    with pytest.raises(RequestInvalid) as caught:
        InterviewDetailsQuery.from_query({"interview_result_id": "r", "get_signed_recordings": "1"})
    assert caught.value.field == "get_signed_recordings"


def test_a_state_change_names_something_to_change() -> None:
    with pytest.raises(RequestInvalid) as caught:
        SetStateRequest.parse({"position_id": "p"})
    assert caught.value.field == "status"
    with pytest.raises(RequestInvalid) as caught:
        SetStateRequest.parse({"position_id": "p", "status": "open"})
    assert caught.value.field == "status"
    both = SetStateRequest.parse({"position_id": "p", "status": "archived", "is_embedded": False})
    assert both.to_payload() == {"position_id": "p", "status": "archived", "is_embedded": False}
    assert PositionStatus.ARCHIVED.value == "archived"


def test_a_report_is_a_pdf_unless_asked_otherwise() -> None:
    assert InterviewPdfRequest(interview_result_id="r").to_payload()["export_type"] == "pdf"
    assert (
        InterviewPdfRequest.parse({"interview_result_id": "r", "export_type": "json"}).export_type
        == ExportType.JSON
    )
    with pytest.raises(RequestInvalid) as caught:
        InterviewPdfRequest.parse({"interview_result_id": "r", "export_type": "docx"})
    assert caught.value.field == "export_type"


def test_a_language_needs_its_code_and_english_name() -> None:
    with pytest.raises(UpstreamError):
        PlatformLanguages.from_json({"languages": [{"code": "en"}]})
    listed = PlatformLanguages.from_json(
        {"languages": [{"code": "br", "name_english": "Portuguese (Brazil)", "extra": 1}]}
    )
    assert listed.languages[0].interview_interface is None
