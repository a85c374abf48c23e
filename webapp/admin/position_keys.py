"""Revoking a position's interview links: confirm with the interviews it interrupts, then rotate."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import TextAreaField
from wtforms.validators import Length

from webapp.admin import bp, role_required
from webapp.admin.numbers import ID
from webapp.admin.recruiting_forms import require_confirmation
from webapp.extensions import db
from webapp.form_base import Form
from webapp.models import Position
from webapp.models.positions import PositionKeyRotation
from webapp.services import position_keys
from webapp.services.position_keys import REASON_LIMIT, RotationRefused


class RevokeForm(Form):
    """Why the links are revoked (optional, for the record)."""

    reason = TextAreaField(
        "Reason (optional)",
        validators=[Length(max=REASON_LIMIT, message=f"Keep it under {REASON_LIMIT} characters.")],
    )


@bp.app_context_processor
def embed_key_context() -> dict[str, Any]:
    """The embed-key panel's values for the position page's partial (read only when shown)."""
    return {"embed_key_panel": position_keys.panel}


def _to_panel(position: Position) -> Response:
    return redirect(url_for("admin.position_edit", position_id=position.id) + "#embed-key", 303)


@bp.route(f"/positions/<{ID}:position_id>/embed-key/revoke", methods=["GET", "POST"])
@role_required("recruiter")
def position_key_revoke(position_id: int) -> str | Response | tuple[str, int]:
    """Ask first, naming the interviews in progress; on confirmation, schedule the rotation."""
    position = db.get_or_404(Position, position_id)
    form = RevokeForm()
    if form.validate_on_submit():
        try:
            position_keys.request_rotation(
                position,
                user_id=current_user.id,
                user_email=current_user.email,
                reason=form.reason.data or "",
            )
        except RotationRefused as refused:
            flash(str(refused), "error")
            return _to_panel(position)
        db.session.commit()
        flash(
            "Revoking this position's interview links: JobMojito is asked for a new key in the "
            "background. This page shows when it is done.",
            "success",
        )
        return _to_panel(position)
    status = 422 if form.is_submitted() else 200
    return render_template(
        "admin/positions/revoke_key.html",
        position=position,
        panel=position_keys.panel(position),
        form=form,
    ), status


@bp.post(f"/positions/<{ID}:position_id>/embed-key/rotations/<{ID}:rotation_id>/retry")
@role_required("recruiter")
def position_key_retry(position_id: int, rotation_id: int) -> Response:
    """Try a rotation that gave up again, from the step where it stopped."""
    require_confirmation()
    rotation = db.session.get(PositionKeyRotation, rotation_id)
    if rotation is None or rotation.position_id != position_id:
        abort(404)
    try:
        position_keys.retry_rotation(rotation)
    except RotationRefused as refused:
        flash(str(refused), "error")
    else:
        db.session.commit()
        flash("Trying again in the background.", "success")
    return _to_panel(rotation.position)
