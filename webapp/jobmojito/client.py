"""The JobMojito API client: typed request in, typed decision out, every failure one error type.

The request and answer models are the contract's (``webapp.jobmojito.contract``): the body sent is
``request.to_payload()`` and the answer is parsed by ``CreateInterviewResult.from_json``.

It knows nothing of Flask. One pooled ``httpx.Client`` is built from explicit settings, and the
transport is injectable for tests. Secrets (the token, the api key, an embed signing key) never
reach a ``repr``, an error message or a log line; neither do the résumé or any interview URL.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Self
from urllib.parse import urlsplit

import httpx

from webapp.jobmojito.contract import (
    CREATE_FOR_CANDIDATE,
    RESULT_LIST,
    CreateInterviewRequest,
    CreateInterviewResult,
    Decision,
    Endpoint,
    HiringForCompany,
    RequestInvalid,
    ResultList,
    ResultListQuery,
    UpstreamError,
)

__all__ = [
    "ClientSettings",
    "CreateInterviewRequest",
    "CreateInterviewResult",
    "Decision",
    "HiringForCompany",
    "JobMojitoClient",
    "RequestInvalid",
    "ResultList",
    "ResultListQuery",
    "UpstreamError",
]

log = logging.getLogger(__name__)

USER_AGENT = "Careerframe/0.1"
_MESSAGE_LIMIT = 200
_REDACTED = "[redacted]"


@dataclass(frozen=True)
class ClientSettings:
    """Where JobMojito lives, how we authenticate, and how long we wait for it."""

    api_url: str
    token: str = field(repr=False)
    api_key: str | None = field(default=None, repr=False)
    connect_timeout: float = 5.0
    read_timeout: float = 90.0

    def __post_init__(self) -> None:
        parts = urlsplit(self.api_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("api_url must be an absolute http(s) URL")
        if parts.username or parts.password or parts.query or parts.fragment:
            # httpx logs the request URL: it must never carry anything secret.
            raise ValueError("api_url must not carry credentials, a query or a fragment")
        if not _is_clean_secret(self.token):
            raise ValueError("token must be a non-empty string without surrounding whitespace")
        if self.api_key is not None and not _is_clean_secret(self.api_key):
            raise ValueError("api_key must be a non-empty string without surrounding whitespace")
        for name in ("connect_timeout", "read_timeout"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError(f"{name} must be a number of seconds")
            if not math.isfinite(value) or value <= 0:
                raise ValueError(f"{name} must be a positive number of seconds")

    @property
    def endpoint(self) -> str:
        """The full URL of the create-for-candidate endpoint."""
        return self.url_of(CREATE_FOR_CANDIDATE)

    def url_of(self, endpoint: Endpoint) -> str:
        """The full URL of one of the platform's endpoints."""
        return f"{self.api_url.rstrip('/')}/{endpoint.path}"


def _is_clean_secret(value: object) -> bool:
    return isinstance(value, str) and bool(value) and value == value.strip()


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
            result = self._parse(response)
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
        values = query.validate().to_query()
        started = time.monotonic()
        response = self._send(RESULT_LIST, values)
        if not response.is_success:
            raise self._http_error(response)
        try:
            body = response.json()
        except ValueError:
            raise UpstreamError(
                "the response body is not JSON", kind="malformed", status=response.status_code
            ) from None
        try:
            page = ResultList.from_json(body)
        except UpstreamError as exc:
            raise UpstreamError(
                exc.message, kind="malformed", status=response.status_code
            ) from None
        log.debug(
            "JobMojito result-list: %d row(s) duration_ms=%d",
            len(page.results),
            _elapsed_ms(started),
        )
        return page

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

    def _send(self, endpoint: Endpoint, values: dict[str, Any]) -> httpx.Response:
        url = self.settings.url_of(endpoint)
        try:
            if endpoint.sends_query:
                return self._http.request(endpoint.method, url, params=values)
            return self._http.request(endpoint.method, url, json=values)
        except httpx.TimeoutException as exc:
            raise UpstreamError(self._describe(exc), kind="timeout") from exc
        except httpx.TransportError as exc:
            raise UpstreamError(self._describe(exc), kind="connection") from exc
        except httpx.DecodingError as exc:
            raise UpstreamError(self._describe(exc), kind="malformed") from exc

    def _parse(self, response: httpx.Response) -> CreateInterviewResult:
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
            return CreateInterviewResult.from_json(body)
        except UpstreamError as exc:
            raise UpstreamError(exc.message, kind="malformed", status=status) from None

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
