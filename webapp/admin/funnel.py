"""The funnel dashboard for marketers: steps, sources and views over time, over a period."""

from __future__ import annotations

from flask import current_app, render_template, request

from webapp.admin import bp, role_required
from webapp.models import utcnow
from webapp.services.funnel import counters
from webapp.services.funnel.queries import (
    PeriodError,
    funnel,
    parse_period,
    positions_to_choose,
    wait_in_words,
)


def _position_id(choices: list[tuple[int, str]]) -> int | None:
    raw = request.args.get("position", "").strip()
    if raw.isdigit() and int(raw) in {position_id for position_id, _ in choices}:
        return int(raw)
    return None


@bp.get("/funnel")
@role_required("marketer")
def funnel_dashboard() -> tuple[str, int] | str:
    """Where candidates come from and where they drop out, for the site or one position."""
    counters(current_app).flush_quietly()  # this process's latest views count too
    choices = positions_to_choose()
    position_id = _position_id(choices)
    try:
        period = parse_period(request.args, utcnow().date())
    except PeriodError as error:
        return render_template(
            "admin/funnel/index.html",
            error=str(error),
            args=request.args,
            choices=choices,
            position_id=position_id,
        ), 400
    return render_template(
        "admin/funnel/index.html",
        period=period,
        result=funnel(period, position_id),
        wait_in_words=wait_in_words,
        args=request.args,
        choices=choices,
        position_id=position_id,
    )
