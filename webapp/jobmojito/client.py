"""The JobMojito API client: typed request in, typed decision out, every failure one error type.

The request and answer models are the contract's (``webapp.jobmojito.contract``): the body sent is
``request.to_payload()`` and the answer is parsed by ``CreateInterviewResult.from_json``.

It knows nothing of Flask. One pooled ``httpx.Client`` is built from explicit settings, and the
transport is injectable for tests. Secrets (the token, the api key, an embed signing key) never
reach a ``repr``, an error message or a log line; neither do the résumé or any interview URL.
"""

from __future__ import annotations

import logging
import time
from types import TracebackType
from typing import Any, Self, TypeVar

import httpx

from webapp.jobmojito.contract import (
    ANOTHER_ATTEMPT,
    CREATE_FOR_CANDIDATE,
    INTERVIEW_DETAILS,
    INTERVIEW_PDF,
    PLATFORM_LANGUAGES,
    RESULT_LIST,
    SET_STATE,
    AnotherAttemptRequest,
    CreateInterviewRequest,
    CreateInterviewResult,
    Decision,
    EmptyAnswer,
    Endpoint,
    HiringForCompany,
    InterviewDetails,
    InterviewDetailsQuery,
    InterviewPdf,
    InterviewPdfRequest,
    LanguagesQuery,
    PlatformLanguages,
    RequestInvalid,
    ResultList,
    ResultListQuery,
    SetStateRequest,
    SetStateResult,
    UpstreamError,
)
from webapp.jobmojito.contract.base import ContractResponse
from webapp.jobmojito.settings import ClientSettings

__all__ = [
    "ClientSettings",
    "CreateInterviewRequest",
    "CreateInterviewResult",
    "Decision",
    "HiringForCompany",
    "InterviewDetails",
    "InterviewDetailsQuery",
    "InterviewPdf",
    "InterviewPdfRequest",
    "JobMojitoClient",
    "PlatformLanguages",
    "RequestInvalid",
    "ResultList",
    "ResultListQuery",
    "SetStateRequest",
    "SetStateResult",
    "UpstreamError",
]

Answer = TypeVar("Answer", bound=ContractResponse)

log = logging.getLogger(__name__)

USER_AGENT = "Careerframe/0.1"
_MESSAGE_LIMIT = 200
_REDACTED = "[redacted]"


class _NotSent(UpstreamError):
    """A call that never reached the platform (no connection): repeating it cannot double it."""


class JobMojitoClient:
    """A pooled HTTP client for JobMojito: create an interview, list results."""

    def __init__(
        self, settings: ClientSettings, transport: httpx.BaseTransport | None = None
    ) -> None:
        headers = {
            "Authorization": f"Bearer {settings.token}",
            "User-Agent": USER_AGENT,
            "Accept": "application/json",
        }
        if settings.api_key is not None:
            headers["apikey"] = settings.api_key
        self.settings = settings
        self._secrets = tuple(s for s in (settings.token, settings.api_key) if s)
        self._http = httpx.Client(
            headers=headers,
            timeout=httpx.Timeout(
                connect=settings.connect_timeout,
                read=settings.read_timeout,
                write=settings.connect_timeout,
                pool=settings.connect_timeout,
            ),
            transport=transport,
            follow_redirects=False,
        )

    def __repr__(self) -> str:
        return f"JobMojitoClient(api_url={self.settings.api_url!r})"

    def create_interview_for_candidate(
        self, request: CreateInterviewRequest
    ) -> CreateInterviewResult:
        """Create (or resolve) the candidate's interview; raise UpstreamError on any failure."""
        # Checked again, whatever way the request was made: RequestInvalid leaves before a
        # credit is spent.
        payload = request.validate().to_payload()
        domain = _email_domain(request.candidate_email)
        started = time.monotonic()
        try:
            response = self._send(CREATE_FOR_CANDIDATE, payload)
            result = self._parse_as(CreateInterviewResult, response)
        except UpstreamError as error:
            log.warning(
                "JobMojito create-interview failed: kind=%s status=%s field=%s retryable=%s "
                "duration_ms=%d email_domain=%s",
                error.kind,
                error.status,
                error.field,
                error.retryable,
                _elapsed_ms(started),
                domain,
            )
            raise
        log.info(
            "JobMojito create-interview: status=%d decision=%s duration_ms=%d email_domain=%s",
            response.status_code,
            result.status.value,
            _elapsed_ms(started),
            domain,
        )
        return result

    def list_results(self, query: ResultListQuery) -> ResultList:
        """One page of the merchant's results matching ``query``; raise UpstreamError on failure.

        Failures are not logged here: the caller polls, and logs once per outage.
        """
        page = self._call(RESULT_LIST, query.validate().to_query(), ResultList)
        log.debug("JobMojito result-list: %d row(s)", len(page.results))
        return page

    def interview_details(
        self, query: InterviewDetailsQuery, *, timeout: float | None = None
    ) -> InterviewDetails:
        """One result in depth (transcript, analyses, signed recordings when asked for)."""
        return self._call(INTERVIEW_DETAILS, query.validate().to_query(), InterviewDetails, timeout)

    def interview_pdf(
        self, request: InterviewPdfRequest, *, timeout: float | None = None
    ) -> InterviewPdf:
        """Ask for a report of one result; the answer is a short-lived link to it."""
        return self._call(INTERVIEW_PDF, request.validate().to_payload(), InterviewPdf, timeout)

    def request_another_attempt(self, request: AnotherAttemptRequest) -> None:
        """Give a candidate one more attempt; the platform refuses (422) unless it can."""
        self._call(ANOTHER_ATTEMPT, request.validate().to_payload(), EmptyAnswer)

    def set_position_state(self, request: SetStateRequest) -> SetStateResult:
        """Open or close a position upstream, and switch its embedding off or on.

        Switching it on answers the embed id and key; an answer without them is malformed.
        """
        checked = request.validate()
        result = self._call(SET_STATE, checked.to_payload(), SetStateResult)
        if checked.is_embedded and not (result.embed_id and result.embed_signing_key):
            raise UpstreamError(
                "the answer lacks embed_id or embed_signing_key", kind="malformed", status=200
            )
        return result

    def platform_languages(self) -> PlatformLanguages:
        """The platform's languages with their English and local names."""
        return self._call(PLATFORM_LANGUAGES, LanguagesQuery().to_payload(), PlatformLanguages)

    def close(self) -> None:
        """Close the pooled connections."""
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _call(
        self,
        endpoint: Endpoint,
        values: dict[str, Any],
        answer: type[Answer],
        timeout: float | None = None,
    ) -> Answer:
        """Send one call and parse its answer, repeating it only where a repeat can help.

        A call that never reached the platform (the connection was refused) is always repeated.
        One that may have reached it (a timeout, a 5xx, a 429, a garbled answer) is repeated only
        when the endpoint is idempotent. A refusal (4xx) is never repeated: it would answer alike.
        """
        attempt = 0
        started = time.monotonic()
        while True:
            try:
                return self._parse_as(answer, self._send(endpoint, values, timeout))
            except UpstreamError as error:
                never_sent = isinstance(error, _NotSent)
                helps = error.retryable and (endpoint.idempotent or never_sent)
                if attempt >= self.settings.retries or not helps:
                    log.debug(
                        "JobMojito %s failed: kind=%s status=%s attempts=%d duration_ms=%d",
                        endpoint.path,
                        error.kind,
                        error.status,
                        attempt + 1,
                        _elapsed_ms(started),
                    )
                    raise
            attempt += 1
            time.sleep(self.settings.retry_pause * attempt)

    def _parse_as(self, answer: type[Answer], response: httpx.Response) -> Answer:
        status = response.status_code
        if not response.is_success:
            raise self._http_error(response)
        try:
            body = response.json()
        except ValueError:  # invalid JSON and undecodable text alike
            raise UpstreamError(
                "the response body is not JSON", kind="malformed", status=status
            ) from None
        try:
            return answer.from_json(body)
        except UpstreamError as exc:
            raise UpstreamError(exc.message, kind="malformed", status=status) from None

    def _send(
        self, endpoint: Endpoint, values: dict[str, Any], timeout: float | None = None
    ) -> httpx.Response:
        url = self.settings.url_of(endpoint)
        options: dict[str, Any] = {}
        if timeout is not None:
            options["timeout"] = httpx.Timeout(timeout, connect=self.settings.connect_timeout)
        try:
            if endpoint.sends_query:
                return self._http.request(endpoint.method, url, params=values, **options)
            return self._http.request(endpoint.method, url, json=values, **options)
        except httpx.ConnectTimeout as exc:
            raise _NotSent(self._describe(exc), kind="timeout") from exc
        except httpx.ConnectError as exc:
            raise _NotSent(self._describe(exc), kind="connection") from exc
        except httpx.TimeoutException as exc:
            raise UpstreamError(self._describe(exc), kind="timeout") from exc
        except httpx.TransportError as exc:
            raise UpstreamError(self._describe(exc), kind="connection") from exc
        except httpx.DecodingError as exc:
            raise UpstreamError(self._describe(exc), kind="malformed") from exc

    def _http_error(self, response: httpx.Response) -> UpstreamError:
        """Read JobMojito's ``{"error", "name"}`` envelope; fall back to the bare status."""
        message, field_name = f"HTTP {response.status_code}", None
        try:
            body = response.json()
        except ValueError:
            body = None
        if isinstance(body, dict):
            error, name = body.get("error"), body.get("name")
            if isinstance(error, str) and error.strip():
                message = self._scrub(error)
            if isinstance(name, str) and name.strip():
                field_name = self._scrub(name)[:100]
        return UpstreamError(message, kind="http", status=response.status_code, field=field_name)

    def _describe(self, exc: httpx.HTTPError) -> str:
        detail = self._scrub(str(exc))
        return f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__

    def _scrub(self, text: str) -> str:
        """One line of at most ~200 characters, with our own secrets cut out should they echo."""
        text = " ".join(text.split())
        for secret in self._secrets:
            text = text.replace(secret, _REDACTED)
        return text[:_MESSAGE_LIMIT]


def _email_domain(email: str) -> str:
    _, at, domain = email.strip().rpartition("@")
    return domain.lower()[:100] if at and domain else "-"


def _elapsed_ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
