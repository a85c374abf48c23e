"""Every JobMojito call's path and HTTP method, in one place.

JobMojito's prose says every endpoint is a POST; its newer OpenAPI description gives some as GET.
We follow the OpenAPI description; should the platform disagree, the correction is one line here
(the client and the sandbox both read the method from this table).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Endpoint:
    """One call: its path under the API base URL and the HTTP method it takes."""

    path: str
    method: Literal["GET", "POST"]
    # Whether sending it twice does no more than sending it once: only then may the client
    # repeat it after a failure that may have reached the platform (a timeout, a 5xx).
    idempotent: bool = False

    @property
    def sends_query(self) -> bool:
        """Whether the parameters travel in the query string (GET) rather than a JSON body."""
        return self.method == "GET"


CREATE_FOR_CANDIDATE = Endpoint("job-interview-create-for-candidate-with-token", "POST")
RESULT_LIST = Endpoint("merchant-result-list", "GET", idempotent=True)
INTERVIEW_DETAILS = Endpoint("job-interview-details", "GET", idempotent=True)
# A report is generated afresh each time; asking twice costs nothing but a second link.
INTERVIEW_PDF = Endpoint("job-interview-pdf", "POST", idempotent=True)
# Not idempotent: a repeat after a lost answer might grant a second extra attempt.
ANOTHER_ATTEMPT = Endpoint("job-interview-result-request-another-attempt", "POST")
SET_STATE = Endpoint("job-interview-set-state", "POST", idempotent=True)
PLATFORM_LANGUAGES = Endpoint("platform-languages-list", "GET", idempotent=True)
