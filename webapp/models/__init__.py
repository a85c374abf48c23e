"""What Careerframe stores: positions, applications and their history, alerts."""

from __future__ import annotations

from webapp.models.applications import Application, ApplicationEvent, WebhookDelivery
from webapp.models.common import utcnow
from webapp.models.positions import Position
from webapp.models.system import SystemAlert
from webapp.models.users import ROLES, User

__all__ = [
    "ROLES",
    "Application",
    "ApplicationEvent",
    "Position",
    "SystemAlert",
    "User",
    "WebhookDelivery",
    "utcnow",
]
from webapp.models.checks import ResultCheck  # noqa: F401
from webapp.models.content import BrandAsset, PreviewInterview, SiteVersion  # noqa: F401
from webapp.models.funnel import FunnelCount  # noqa: F401
from webapp.models.jobs import Job  # noqa: F401
from webapp.models.outbox import OutboxMessage  # noqa: F401
