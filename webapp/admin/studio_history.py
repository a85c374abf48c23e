"""The studio's history: roll back to a version or to the defaults, restore a set-aside draft.

Each asks first: a GET shows what would change, and only the confirmation page's POST acts.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response as WerkzeugResponse

from webapp.admin import bp, role_required
from webapp.admin.forms import ConfirmForm
from webapp.admin.numbers import ID, parse_id
from webapp.services import studio


def _confirmed() -> bool:
    """A POST from the confirmation page (with its CSRF token); anything else is refused."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    return request.form.get("confirm") == "yes"


def _rollback(number: int) -> str | WerkzeugResponse:
    here = (
        url_for("admin.studio_rollback_defaults")
        if number == studio.DEFAULTS
        else url_for("admin.studio_rollback", number=number)
    )
    try:
        if request.method == "GET" or not _confirmed():
            if request.method == "POST":
                return redirect(here, 303)
            return render_template(
                "admin/studio/rollback.html", plan=studio.rollback_plan(number), action=here
            )
        result = studio.rollback(number, current_user.id)
    except studio.VersionNotFound:
        abort(404)
    except studio.NothingToPublish:
        what = "The defaults are" if number == studio.DEFAULTS else f"Version {number} is"
        flash(f"{what} what the site already shows: nothing to roll back.", "info")
        return redirect(url_for("admin.studio_home"), 303)
    except studio.DraftMoved:
        flash(
            "Someone saved the draft while you rolled back, so nothing changed. "
            "Check the draft, then roll back again.",
            "warning",
        )
        return redirect(here, 303)
    copy = "the defaults" if number == studio.DEFAULTS else f"version {number}"
    message = f"Rolled back: version {result.version.number}, a copy of {copy}, is live now. "
    if result.kept is not None:
        flash(
            message + "The draft was reset to it too; its unpublished changes are kept under "
            "“Set-aside drafts”, where you can restore them.",
            "success",
        )
    else:
        flash(message + "The draft was reset to it too.", "success")
    return redirect(url_for("admin.studio_home"), 303)


@bp.route(f"/studio/versions/<{ID}:number>/rollback", methods=["GET", "POST"])
@role_required("marketer")
def studio_rollback(number: int) -> str | WerkzeugResponse:
    """Ask, then publish a copy of an earlier version and reset the draft to it."""
    if number == studio.DEFAULTS:
        abort(404)
    return _rollback(number)


@bp.route("/studio/defaults/rollback", methods=["GET", "POST"])
@role_required("marketer")
def studio_rollback_defaults() -> str | WerkzeugResponse:
    """Ask, then publish Careerframe's default texts and colours (undoing even the first publish)."""
    return _rollback(studio.DEFAULTS)


@bp.route(f"/studio/saved-drafts/<{ID}:saved_id>/restore", methods=["GET", "POST"])
@role_required("marketer")
def studio_restore(saved_id: int) -> str | WerkzeugResponse:
    """Ask, then make a set-aside draft the draft again (the current one is set aside first)."""
    here = url_for("admin.studio_restore", saved_id=saved_id)
    try:
        if request.method == "GET" or not _confirmed():
            if request.method == "POST":
                return redirect(here, 303)
            return render_template(
                "admin/studio/restore.html", plan=studio.restore_plan(saved_id), action=here
            )
        kept = studio.restore(
            saved_id, parse_id(request.form.get("revision")) or 0, current_user.id
        )
    except studio.SavedDraftNotFound:
        abort(404)
    except studio.DraftMoved:
        flash(
            "The draft was saved again after you opened this page, so nothing was restored. "
            "Check what restoring changes now, then confirm again.",
            "warning",
        )
        return redirect(here, 303)
    message = "Draft restored. Nothing is live until you publish it."
    if kept is not None:
        message += " The draft it replaced is kept under “Set-aside drafts”."
    flash(message, "success")
    return redirect(url_for("admin.studio_home"), 303)
