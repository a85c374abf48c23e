"""Recruiters' positions: list, create, edit, open, close and duplicate."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from webapp.admin import bp, role_required
from webapp.admin.recruiting_forms import ID, PositionForm, require_confirmation
from webapp.extensions import db
from webapp.jobmojito.contract import RequestInvalid
from webapp.models import Position
from webapp.models.positions import POSITION_STATES
from webapp.services.platform_languages import OfferedLanguages, languages_for_form
from webapp.services.position_admin import (
    PositionStateError,
    close_position,
    create_position,
    duplicate_position,
    list_positions,
    open_position,
    unmanaged_options,
    update_position,
)


def _position(position_id: int) -> Position:
    return db.get_or_404(Position, position_id)


def _offer_languages(form: PositionForm, position: Position | None) -> OfferedLanguages:
    """Offer the languages the platform offers now, keeping the position's own selectable."""
    languages = languages_for_form()
    form.offer_languages(languages.choices(keep=position.language_code if position else None))
    return languages


def _platform_note(position: Position) -> str:
    """What the flash adds about the platform's copy of the position."""
    if not position.upstream_position_id:
        return " JobMojito has not created it yet, so there is nothing to change there."
    return " JobMojito is being told in the background; this page shows when it confirms."


def _back(position: Position) -> Response:
    if request.form.get("back") == "edit":
        return redirect(url_for("admin.position_edit", position_id=position.id), 303)
    return redirect(url_for("admin.positions"), 303)


@bp.get("/positions")
@role_required("recruiter")
def positions() -> str:
    """Every position with its state and number of applications."""
    state = request.args.get("state", "")
    state = state if state in POSITION_STATES else ""
    rows = list_positions(state or None)
    return render_template("admin/positions/list.html", rows=rows, state=state)


@bp.route("/positions/new", methods=["GET", "POST"])
@role_required("recruiter")
def position_new() -> str | Response | tuple[str, int]:
    """A new position, saved as a draft."""
    form = PositionForm()
    languages = _offer_languages(form, None)
    if form.validate_on_submit():
        try:
            position = create_position(form.to_input())
        except RequestInvalid as error:
            form.attach(error)
        else:
            flash("Position saved as a draft. Candidates see it once you open it.", "success")
            return redirect(url_for("admin.position_edit", position_id=position.id), 303)
    status = 422 if form.is_submitted() else 200
    return render_template(
        "admin/positions/form.html", form=form, position=None, languages=languages
    ), status


@bp.route(f"/positions/<{ID}:position_id>", methods=["GET", "POST"])
@role_required("recruiter")
def position_edit(position_id: int) -> str | Response | tuple[str, int]:
    """Edit a position; warns when the platform has already fixed what was changed."""
    position = _position(position_id)
    form = PositionForm(data=PositionForm.data_of(position))
    languages = _offer_languages(form, position)
    if form.validate_on_submit():
        try:
            fixed = update_position(position, form.to_input())
        except RequestInvalid as error:
            form.attach(error)
        else:
            if fixed:
                names = ", ".join(form.label_of(name) for name in fixed)
                flash(
                    f"Saved. JobMojito created this position with the first application and keeps its "
                    f"original settings: your changes to {names} apply on the platform only to a new "
                    "position. Use “Duplicate as a new position” below, or change it in JobMojito.",
                    "warning",
                )
            else:
                flash("Position saved.", "success")
            return redirect(url_for("admin.position_edit", position_id=position.id), 303)
    status = 422 if form.is_submitted() else 200
    return render_template(
        "admin/positions/form.html",
        form=form,
        position=position,
        other_options=unmanaged_options(position),
        languages=languages,
    ), status


@bp.post(f"/positions/<{ID}:position_id>/open")
@role_required("recruiter")
def position_open(position_id: int) -> Response:
    """Show the position on the careers page."""
    position = _position(position_id)
    require_confirmation()
    try:
        open_position(position)
    except RequestInvalid as error:
        flash(
            f"“{position.title}” cannot be opened: {error.field} {error.message}. Edit it first.",
            "error",
        )
    else:
        flash(
            f"“{position.title}” is open: candidates can apply." + _platform_note(position),
            "success",
        )
    return _back(position)


@bp.post(f"/positions/<{ID}:position_id>/close")
@role_required("recruiter")
def position_close(position_id: int) -> Response:
    """Stop taking applications."""
    position = _position(position_id)
    require_confirmation()
    try:
        close_position(position)
    except PositionStateError as error:
        flash(str(error).capitalize() + ".", "error")
    else:
        flash(
            f"“{position.title}” is closed: it is hidden from the careers site and takes no new "
            "applications. Interviews already offered can still be taken until the interview's "
            "available-until date." + _platform_note(position),
            "success",
        )
    return _back(position)


@bp.post(f"/positions/<{ID}:position_id>/duplicate")
@role_required("recruiter")
def position_duplicate(position_id: int) -> Response:
    """A new draft with the same settings, created afresh on the platform by its first application."""
    require_confirmation()
    copy = duplicate_position(_position(position_id))
    flash(
        "This is a new draft copy with its own code: JobMojito creates it as a new position with its first "
        "application. Change what you need, open it, then close the old one.",
        "info",
    )
    return redirect(url_for("admin.position_edit", position_id=copy.id), 303)
