"""The sandbox's check of a create-for-candidate body: the client's own contract model, over HTTP.

The platform answers a body it refuses with 422 and ``{"error", "name"}``; ``name`` is the field
as the contract model locates it (``hiring_for_company.name``).
"""

from __future__ import annotations

from typing import Any

from webapp.jobmojito.contract import CreateInterviewRequest, RequestInvalid


class RequestRejected(Exception):
    """A request the platform answers with an error envelope instead of an interview."""

    def __init__(self, status: int, message: str, name: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.name = name

    def envelope(self) -> dict[str, str]:
        """The error body the platform sends: a message and, when known, the field."""
        body = {"error": self.message}
        if self.name:
            body["name"] = self.name
        return body


def validate_create_body(body: Any) -> dict[str, Any]:
    """The body as the contract reads it (unset fields left out), or RequestRejected (422)."""
    if not isinstance(body, dict):
        raise RequestRejected(422, "Request body must be a JSON object")
    try:
        request = CreateInterviewRequest.parse(body)
    except RequestInvalid as error:
        raise RequestRejected(422, f"{error.field} {error.message}", error.field) from None
    return request.to_payload()
