"""The two ways a JobMojito call fails: refused here before sending, or failed on the way."""

from __future__ import annotations

_MESSAGE_LIMIT = 200


class RequestInvalid(Exception):
    """A request that breaks the contract, naming the first offending field (a dotted location).

    Not a ``ValueError`` on purpose: raised inside a model validator, it leaves pydantic as it is
    instead of being wrapped into a ``ValidationError`` that would carry the rejected input.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field
        self.message = message


class UpstreamError(Exception):
    """A failed call to JobMojito: HTTP status, message, offending field and failure kind."""

    def __init__(
        self,
        message: str,
        *,
        kind: str,
        status: int | None = None,
        field: str | None = None,
        retryable: bool | None = None,
    ) -> None:
        message = message[:_MESSAGE_LIMIT]
        super().__init__(message)
        self.message = message
        self.kind = kind
        self.status = status
        self.field = field
        self.retryable = _is_retryable(kind, status) if retryable is None else retryable

    @property
    def is_auth_problem(self) -> bool:
        """True when JobMojito refused our token: configuration to fix, not a call to retry."""
        return self.status == 401

    def __str__(self) -> str:
        where = f"HTTP {self.status}" if self.status is not None else self.kind
        suffix = f" (field {self.field})" if self.field else ""
        detail = "" if self.message == where else f": {self.message}"
        return f"JobMojito {where}{detail}{suffix}"

    def __repr__(self) -> str:
        return (
            f"UpstreamError(kind={self.kind!r}, status={self.status!r}, field={self.field!r}, "
            f"retryable={self.retryable!r}, message={self.message!r})"
        )


def _is_retryable(kind: str, status: int | None) -> bool:
    # A timeout or a malformed 2xx may hide a call that succeeded upstream: the retry then
    # answers already-applied, which callers treat as recovering the same application.
    if kind in ("timeout", "connection", "malformed"):
        return True
    return status is not None and (status == 429 or status >= 500)
