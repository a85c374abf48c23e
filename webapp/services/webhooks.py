"""Recording what JobMojito tells us about interviews, idempotently."""

from __future__ import annotations

import hashlib
import json
import logging
import math
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from webapp.extensions import db
from webapp.models import Application, ApplicationEvent, WebhookDelivery, utcnow

log = logging.getLogger(__name__)

EVENTS = ("interview_collected", "interview_result", "interview_failed")
# Payload fields that describe the person; blanked when their data is erased.
PERSONAL_WEBHOOK_FIELDS = (
    "candidate_name",
    "candidate_email",
    "ai_analysis",
    "ai_analysis_recruiter",
    "pdf_export_url",
)
FAILED_STATUSES = ("failed", "abandoned", "terminated", "no speech")
# Webhook payloads are a few kilobytes, a handful of levels deep; anything far beyond is refused
# (a deep enough body makes the JSON parser, or any recursive walk after it, run out of stack).
MAX_BODY_BYTES = 1024 * 1024
MAX_DEPTH = 32


class WebhookInvalid(ValueError):
    """The body is not a webhook payload we can read."""


@dataclass(frozen=True)
class WebhookOutcome:
    """What became of one delivery: ``recorded``, ``duplicate`` or ``unknown`` (no such interview)."""

    result: str
    event: str


def _too_deep(value: Any) -> bool:
    """Whether lists and objects nest deeper than MAX_DEPTH (checked without recursion)."""
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict | list):
            if depth > MAX_DEPTH:
                return True
            children = item.values() if isinstance(item, dict) else item
            pending.extend((child, depth + 1) for child in children)
    return False


def parse_payload(raw: bytes) -> Any:
    """The JSON value of a webhook body, within bounds of size and depth; WebhookInvalid otherwise."""
    if len(raw) > MAX_BODY_BYTES:
        raise WebhookInvalid("webhook body is too large")
    try:
        value = json.loads(raw)
    except RecursionError:  # the parser gives up near a thousand levels, before we could count
        raise WebhookInvalid("webhook body nests too deeply") from None
    except ValueError:  # not JSON, or not UTF-8
        raise WebhookInvalid("webhook body is not valid JSON") from None
    if _too_deep(value):
        raise WebhookInvalid("webhook body nests too deeply")
    return value


def classify(payload: dict[str, Any]) -> str:
    """The event a payload reports.

    The platform does not document where the event name travels; we use an ``event`` field when
    there is one and otherwise read it off the statuses, as the documented payloads allow.
    """
    event = payload.get("event") or payload.get("type")
    if event in EVENTS:
        return str(event)
    interview_status = str(payload.get("interview_status") or "")
    if interview_status.startswith(FAILED_STATUSES):
        return "interview_failed"
    if payload.get("status") == "draft":
        return "interview_collected"
    if payload.get("status") in ("active", "archived"):
        return "interview_result"
    raise WebhookInvalid("unrecognised webhook event")


def scrub_personal_fields(payload: dict[str, Any]) -> dict[str, Any]:
    """The payload with every field that describes the person blanked."""
    return {
        key: (None if key in PERSONAL_WEBHOOK_FIELDS else value) for key, value in payload.items()
    }


def _storable(value: Any) -> Any:
    """The payload as every database can keep it: no NUL characters, no NaN or infinite numbers."""
    if isinstance(value, dict):
        return {str(key).replace("\x00", ""): _storable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_storable(item) for item in value]
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _score(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        score = float(value)
    except (ValueError, OverflowError):
        return None
    return score if math.isfinite(score) else None


def record_delivery(payload: Any, raw_body: bytes) -> WebhookOutcome:
    """Apply one delivery to its application; a repeated delivery changes nothing."""
    if not isinstance(payload, dict):
        raise WebhookInvalid("webhook body must be a JSON object")
    payload = _storable(payload)
    event = classify(payload)
    dedupe_key = hashlib.sha256(raw_body).hexdigest()
    if db.session.scalar(
        select(WebhookDelivery.id).where(WebhookDelivery.dedupe_key == dedupe_key)
    ):
        return WebhookOutcome("duplicate", event)
    profile_interview_id = payload.get("profile_interview_id") or None
    if profile_interview_id is not None and (
        not isinstance(profile_interview_id, str) or len(profile_interview_id) > 255
    ):
        raise WebhookInvalid("profile_interview_id must be a string of at most 255 characters")
    application = None
    if profile_interview_id:
        application = db.session.scalar(
            select(Application).where(Application.profile_interview_id == profile_interview_id)
        )
    if application is not None and application.erased_at is not None:
        payload = scrub_personal_fields(payload)
    db.session.add(
        WebhookDelivery(
            dedupe_key=dedupe_key,
            event=event,
            profile_interview_id=profile_interview_id,
            application_id=application.id if application else None,
            payload=payload,
        )
    )
    if application is not None:
        _apply(application, event, payload)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # the same delivery arrived twice at once; the other one recorded it
        return WebhookOutcome("duplicate", event)
    if application is None:
        log.warning(
            "webhook %s for unknown profile_interview_id %s: stored, not applied",
            event,
            profile_interview_id,
        )
        return WebhookOutcome("unknown", event)
    return WebhookOutcome("recorded", event)


def _apply(application: Application, event: str, payload: dict[str, Any]) -> None:
    interview_status = payload.get("interview_status")
    # Deliveries can arrive late and out of order: a completed interview never goes back.
    finished = (application.interview_status or "").startswith("completed")
    if isinstance(interview_status, str) and (
        not finished or interview_status.startswith("completed")
    ):
        application.interview_status = interview_status[:64]
    result_status = payload.get("status")
    if isinstance(result_status, str) and not (
        result_status == "draft" and application.result_status in ("active", "archived")
    ):
        application.result_status = result_status[:16]
    score = _score(payload.get("score"))
    if score is not None:
        application.score = score
    if event == "interview_collected" or (
        event == "interview_result" and application.interview_finished_at is None
    ):
        application.interview_finished_at = application.interview_finished_at or utcnow()
    detail = {
        "interview_collected": "Interview answers collected",
        "interview_result": "Interview scored" + (f": {score:g}" if score is not None else ""),
        "interview_failed": f"Interview not completed ({interview_status or 'failed'})",
    }[event]
    application.events.append(ApplicationEvent(kind=event, detail=detail))
