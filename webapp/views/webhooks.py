"""The endpoint JobMojito calls when an interview is collected, scored or fails."""

from __future__ import annotations

import hmac

from flask import Blueprint, current_app, request

from webapp.extensions import csrf
from webapp.services.webhooks import WebhookInvalid, parse_payload, record_delivery

bp = Blueprint("webhooks", __name__, url_prefix="/webhooks")


def _authentic() -> bool:
    expected = str(current_app.config["JOBMOJITO_WEBHOOK_SECRET"]).encode("utf-8")
    given = request.headers.get(current_app.config["JOBMOJITO_WEBHOOK_HEADER"], "").encode("utf-8")
    return hmac.compare_digest(expected, given)


@bp.post("/jobmojito")
@csrf.exempt
def jobmojito() -> tuple[dict[str, str], int]:
    """Check the secret header, then record the delivery (idempotently)."""
    if not _authentic():
        return {"error": "not authorised"}, 401
    raw = request.get_data(cache=True)
    try:
        # Read whatever the content type says: the platform does not document the one it sends.
        outcome = record_delivery(parse_payload(raw), raw)
    except WebhookInvalid as error:
        return {"error": str(error)}, 400
    return {"result": outcome.result, "event": outcome.event}, 200
