"""Admins' staff accounts: list, create (the password is shown once), deactivate and reactivate."""

from __future__ import annotations

import secrets

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from webapp.admin import bp, role_required
from webapp.admin.recruiting_forms import ID, UserForm, require_confirmation
from webapp.extensions import db
from webapp.models import User
from webapp.services.accounts import AccountError, NewAccount, create_user, set_active, set_password


def _user(user_id: int) -> User:
    return db.get_or_404(User, user_id)


@bp.get("/users")
@role_required("admin")
def users() -> str:
    """Every staff account."""
    accounts = db.session.scalars(select(User).order_by(User.active.desc(), User.email)).all()
    return render_template("admin/users/list.html", accounts=accounts)


@bp.route("/users/new", methods=["GET", "POST"])
@role_required("admin")
def user_new() -> str | tuple[str, int]:
    """Create an account; its generated password is shown on the next page, once."""
    form = UserForm()
    if form.validate_on_submit():
        try:
            account = create_user(form.email.data, form.role.data)
        except AccountError as error:
            form.email.errors = [*form.email.errors, str(error).capitalize() + "."]
        else:
            # Rendered, not redirected: the password must not travel through the session.
            return render_template("admin/users/created.html", account=account)
    return render_template("admin/users/form.html", form=form), 422 if form.is_submitted() else 200


@bp.post(f"/users/<{ID}:user_id>/deactivate")
@role_required("admin")
def user_deactivate(user_id: int) -> Response:
    """Stop an account from signing in, and sign it out everywhere."""
    user = _user(user_id)
    require_confirmation()
    if user.id == current_user.id:
        flash("You cannot deactivate your own account.", "error")
    else:
        set_active(user, False)
        flash(f"{user.email} is deactivated and signed out everywhere.", "success")
    return redirect(url_for("admin.users"), 303)


@bp.post(f"/users/<{ID}:user_id>/reactivate")
@role_required("admin")
def user_reactivate(user_id: int) -> Response:
    """Let a deactivated account sign in again."""
    user = _user(user_id)
    require_confirmation()
    set_active(user, True)
    flash(f"{user.email} can sign in again.", "success")
    return redirect(url_for("admin.users"), 303)


@bp.post(f"/users/<{ID}:user_id>/reset-password")
@role_required("admin")
def user_reset_password(user_id: int) -> str:
    """Give an account a new generated password, shown once; its sessions end."""
    user = _user(user_id)
    require_confirmation()
    password = secrets.token_urlsafe(15)
    set_password(user, password)
    return render_template(
        "admin/users/created.html", account=NewAccount(user, password), reset=True
    )
