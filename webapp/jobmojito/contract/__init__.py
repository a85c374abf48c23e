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
from webapp.jobmojito.contract.errors import RequestInvalid, UpstreamError

__all__ = [
    "MAX_DURATION_LIMIT_SECONDS",
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
