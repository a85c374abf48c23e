"""JobMojito's API contract as typed pydantic models: one module per call, shared rules in base."""

from __future__ import annotations

from webapp.jobmojito.contract.base import bounds
from webapp.jobmojito.contract.create_interview import (
    MAX_DURATION_LIMIT_SECONDS,
    ConversationSpeed,
    CreateInterviewRequest,
    CreateInterviewResult,
    Decision,
    HiringForCompany,
    PositionSettings,
    ResultView,
    SeniorityLevel,
    VideoIntroduction,
)
from webapp.jobmojito.contract.endpoints import CREATE_FOR_CANDIDATE, RESULT_LIST, Endpoint
from webapp.jobmojito.contract.errors import RequestInvalid, UpstreamError
from webapp.jobmojito.contract.result_list import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    OrderBy,
    Pagination,
    ResultList,
    ResultListQuery,
    ResultRow,
    ResultStatus,
    ReviewVerdict,
    Step,
    Tab,
    recruiter_verdict,
)

__all__ = [
    "CREATE_FOR_CANDIDATE",
    "DEFAULT_LIMIT",
    "MAX_LIMIT",
    "MAX_DURATION_LIMIT_SECONDS",
    "RESULT_LIST",
    "Endpoint",
    "OrderBy",
    "Pagination",
    "ResultList",
    "ResultListQuery",
    "ResultRow",
    "ResultStatus",
    "ReviewVerdict",
    "Step",
    "Tab",
    "recruiter_verdict",
    "ConversationSpeed",
    "CreateInterviewRequest",
    "CreateInterviewResult",
    "Decision",
    "HiringForCompany",
    "PositionSettings",
    "RequestInvalid",
    "ResultView",
    "SeniorityLevel",
    "UpstreamError",
    "VideoIntroduction",
    "bounds",
]
