"""Reading what JobMojito's webhooks tell us about interviews; applied by ``interview_updates``."""

from __future__ import annotations

import json
import math
from typing import Any

from webapp.services.interview_updates import (
    INTERVIEW_EVENTS,
    PERSONAL_FIELDS,
    InterviewUpdate,
    UpdateOutcome,
    apply_update,
    platform_time,
    scrub_personal_fields,
)

__all__ = [
    "EVENTS",
    "PERSONAL_WEBHOOK_FIELDS",
    "WebhookInvalid",
    "WebhookOutcome",
    "parse_payload",
    "record_delivery",
    "scrub_personal_fields",
    "update_from_webhook",
]

EVENTS = INTERVIEW_EVENTS
PERSONAL_WEBHOOK_FIELDS = PERSONAL_FIELDS
FAILED_STATUSES = ("failed", "abandoned", "terminated", "no speech")
# Webhook payloads are a few kilobytes, a handful of levels deep; anything far beyond is refused
# (a deep enough body makes the JSON parser, or any recursive walk after it, run out of stack).
MAX_BODY_BYTES = 1024 * 1024
MAX_DEPTH = 32


class WebhookInvalid(ValueError):
    """The body is not a webhook payload we can read."""


WebhookOutcome = UpdateOutcome


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


def score_of(value: Any) -> float | None:
    """A payload's score as a finite number, or None when it has none we can read."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        score = float(value)
    except (ValueError, OverflowError):
        return None
    return score if math.isfinite(score) else None


def _text(payload: dict[str, Any], name: str, limit: int) -> str | None:
    value = payload.get(name)
    return value[:limit] if isinstance(value, str) else None


def update_from_webhook(payload: Any) -> InterviewUpdate:
    """The update a webhook payload reports, in the values we store; WebhookInvalid otherwise."""
    if not isinstance(payload, dict):
        raise WebhookInvalid("webhook body must be a JSON object")
    payload = _storable(payload)
    event = classify(payload)
    profile_interview_id = payload.get("profile_interview_id") or None
    if profile_interview_id is not None and (
        not isinstance(profile_interview_id, str) or len(profile_interview_id) > 255
    ):
        raise WebhookInvalid("profile_interview_id must be a string of at most 255 characters")
    result_id = payload.get("id") or payload.get("interview_result_id")
    return InterviewUpdate(
        event=event,
        profile_interview_id=profile_interview_id,
        result_id=str(result_id)[:255] if isinstance(result_id, str | int) else None,
        interview_status=_text(payload, "interview_status", 64),
        result_status=_text(payload, "status", 16),
        score=score_of(payload.get("score")),
        source="webhook",
        payload=payload,
        # Not a documented field: when a payload carries the result's time, it dates the news.
        occurred_at=platform_time(payload.get("updated_at")),
    )


def record_delivery(payload: Any, raw_body: bytes | None = None) -> WebhookOutcome:
    """Apply one delivery to its application; a repeated delivery changes nothing.

    Repeated means the same update (event, result id and the values we store), not the same
    bytes: a redelivery serialised with other spacing or key order is still a repeat.
    ``raw_body`` is accepted for callers that have it and not used.
    """
    return apply_update(update_from_webhook(payload))
