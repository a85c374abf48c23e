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

    @property
    def sends_query(self) -> bool:
        """Whether the parameters travel in the query string (GET) rather than a JSON body."""
        return self.method == "GET"


CREATE_FOR_CANDIDATE = Endpoint("job-interview-create-for-candidate-with-token", "POST")
RESULT_LIST = Endpoint("merchant-result-list", "GET")
