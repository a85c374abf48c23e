"""The sandbox's own control endpoints: faults, call counts, settings, the webhook switch."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request

from webapp.jobmojito.sandbox.faults import parse_fault
from webapp.jobmojito.sandbox.state import sandbox, token_required

bp = Blueprint("sandbox_control", __name__, url_prefix="/_sandbox")


def _bad_request(message: str, name: str | None = None) -> Response:
    body = {"error": message} | ({"name": name} if name else {})
    response = jsonify(body)
    response.status_code = 422
    return response


def _faults_json() -> Response:
    fault = sandbox().faults.current()
    return jsonify({"fault": fault.to_json() if fault else None})


@bp.get("/faults")
@token_required
def show_faults() -> Response:
    """The armed fault and how many calls it has left."""
    return _faults_json()


@bp.post("/faults")
@token_required
def arm_fault() -> Response:
    """Make the next N API calls fail in the requested way."""
    try:
        fault = parse_fault(request.get_json(silent=True))
    except (TypeError, ValueError) as error:
        return _bad_request(str(error))
    sandbox().faults.arm(fault)
    return _faults_json()


@bp.delete("/faults")
@token_required
def clear_faults() -> Response:
    """Let every following API call through."""
    sandbox().faults.clear()
    return _faults_json()


@bp.get("/calls")
@token_required
def calls() -> Response:
    """Counts of API calls, positions, interviews and webhook deliveries."""
    return jsonify(sandbox().store.counts())


@bp.delete("/calls")
@token_required
def reset_calls() -> Response:
    """Zero the counters, keeping positions and interviews."""
    state = sandbox()
    state.store.reset_counts()
    return jsonify(state.store.counts())


def _optional_string(body: dict[str, Any], name: str) -> str | None:
    value = body[name]
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise ValueError(name)
    return value.strip() if value else None


@bp.get("/config")
@token_required
def show_config() -> Response:
    """The settings that can change at run time (the webhook secret only as set or not)."""
    return jsonify(sandbox().settings.describe())


@bp.post("/config")
@token_required
def change_config() -> Response:
    """Change latency or the webhook receiver while the sandbox runs."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return _bad_request("body must be a JSON object")
    settings = sandbox().settings
    updates: dict[str, Any] = {}
    if "latency" in body:
        latency = body["latency"]
        if isinstance(latency, bool) or not isinstance(latency, (int, float)):
            return _bad_request("latency must be a number of seconds", "latency")
        if not 0 <= latency <= 300:
            return _bad_request("latency must be between 0 and 300 seconds", "latency")
        updates["latency"] = float(latency)
    for name in ("webhook_url", "webhook_secret", "webhook_header"):
        if name in body:
            try:
                updates[name] = _optional_string(body, name)
            except ValueError:
                return _bad_request(f"{name} must be a non-empty string or null", name)
    if "webhook_header" in updates and updates["webhook_header"] is None:
        return _bad_request("webhook_header cannot be null", "webhook_header")
    with settings.lock:
        for name, value in updates.items():
            setattr(settings, name, value)
    return jsonify(settings.describe())


@bp.get("/webhooks")
@token_required
def show_webhooks() -> Response:
    """Whether the sandbox sends webhooks."""
    return jsonify({"enabled": sandbox().settings.describe()["webhooks_enabled"]})


@bp.post("/webhooks")
@token_required
def switch_webhooks() -> Response:
    """Stop (``{"enabled": false}``) or resume (``true``) sending webhooks."""
    body = request.get_json(silent=True)
    enabled = body.get("enabled") if isinstance(body, dict) else None
    if not isinstance(enabled, bool):
        return _bad_request("enabled must be true or false", "enabled")
    sandbox().settings.switch_webhooks(enabled)
    return jsonify({"enabled": enabled})
