"""The studio's privacy notice: its review status, and marking it reviewed."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response as WerkzeugResponse

from webapp.admin import bp, role_required
from webapp.admin.forms import ConfirmForm
from webapp.services import studio
from webapp.services.studio.privacy import NoticeChanged, mark_reviewed


@bp.post("/studio/privacy/reviewed")
@role_required("marketer")
def studio_privacy_reviewed() -> WerkzeugResponse:
    """Record that the signed-in marketer reviewed the privacy notice they were shown."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        mark_reviewed(studio.get_draft(), request.form.get("digest", ""), current_user.id)
    except NoticeChanged:
        flash(
            "The privacy notice was changed after you opened this page, so it is not marked as "
            "reviewed. Read it again below, then mark it.",
            "warning",
        )
    else:
        flash("Privacy notice marked as reviewed. Thank you.", "success")
    return redirect(url_for("admin.studio_home", _anchor="privacy-heading"), 303)
