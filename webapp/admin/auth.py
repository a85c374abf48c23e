"""Signing staff in and out; sessions expire, logins are rate-limited."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, session, url_for
from flask_login import login_user, logout_user
from werkzeug.wrappers import Response

from webapp.admin import bp
from webapp.admin.forms import ConfirmForm, LoginForm
from webapp.ratelimit import rate_limited
from webapp.services.accounts import authenticate


def _safe_next(target: str | None) -> str:
    # Only a path on this site: an absolute or scheme-relative URL would be an open redirect.
    if (
        target
        and target.startswith("/admin")
        and not urlsplit(target).netloc
        and "\\" not in target
    ):
        return target
    return url_for("admin.dashboard")


@bp.route("/login", methods=["GET", "POST"])
@rate_limited("login", "LOGIN_RATE_LIMIT")
def login() -> str | Response | tuple[str, int]:
    """The sign-in form."""
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is not None:
            session.clear()
            session.permanent = True
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
        form.password.errors = ["That e-mail and password do not match an active account."]
        return render_template("admin/login.html", form=form), 401
    return render_template("admin/login.html", form=form), 200 if request.method == "GET" else 400


@bp.post("/logout")
def logout() -> Response:
    """Sign out (a POST with a CSRF token, so no page can sign someone out)."""
    ConfirmForm().validate_on_submit()
    logout_user()
    session.clear()
    flash("You are signed out.")
    return redirect(url_for("admin.login"))
