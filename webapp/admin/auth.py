"""Signing staff in and out: server-side sessions, and sign-ins limited per address and account."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, flash, redirect, render_template, request, session, url_for
from flask.blueprints import BlueprintSetupState
from flask_login import login_user, logout_user, session_protected
from werkzeug.wrappers import Response

from webapp.admin import bp
from webapp.admin.forms import ConfirmForm, LoginForm
from webapp.admin.login_limits import LOCKED_MESSAGE, count_failure, seconds_until_unlocked
from webapp.extensions import login_manager
from webapp.ratelimit import client_address, rate_limited
from webapp.redirects import safe_redirect_target
from webapp.services.accounts import authenticate
from webapp.services.staff_sessions import end_session, start_session

# Flask-Login keeps the staff session's random id here (see ``User.get_id``).
SESSION_ID_KEY = "_user_id"


@bp.route("/login", methods=["GET", "POST"])
@rate_limited("login", "LOGIN_RATE_LIMIT")
def login() -> str | Response | tuple[str, int] | tuple[str, int, dict[str, str]]:
    """The sign-in form."""
    form = LoginForm()
    if form.validate_on_submit():
        email, address = form.email.data, client_address()
        wait = seconds_until_unlocked(email, address)
        if wait:
            form.password.errors = [LOCKED_MESSAGE]
            page = render_template("admin/login.html", form=form)
            return page, 429, {"Retry-After": str(wait)}
        user = authenticate(email, form.password.data)
        if user is not None:
            end_session(session.get(SESSION_ID_KEY))  # a sign-in this browser had before
            session.clear()
            session.permanent = True
            start_session(user, address, current_app.permanent_session_lifetime)
            login_user(user)
            target = safe_redirect_target(
                request.args.get("next"), url_for("admin.dashboard"), within="/admin"
            )
            return redirect(target)
        count_failure(email)
        form.password.errors = ["That e-mail and password do not match an active account."]
        return render_template("admin/login.html", form=form), 401
    return render_template("admin/login.html", form=form), 200 if request.method == "GET" else 400


@bp.post("/logout")
def logout() -> Response:
    """Sign out (a POST with a CSRF token, so no page can sign someone out), everywhere it was copied."""
    ConfirmForm().validate_on_submit()
    end_session(session.get(SESSION_ID_KEY))
    logout_user()
    session.clear()
    flash("You are signed out.")
    return redirect(url_for("admin.login"))


def _end_moved_session(sender: Flask, **extra: Any) -> None:
    """Strong session protection, for permanent sessions too.

    Flask-Login only marks a permanent session "not fresh" when it comes back from another
    address or browser, and nothing here asks for freshness, so "strong" did nothing. Here
    the sign-in record is ended instead, so neither the copy nor the original opens the admin.
    """
    mode = sender.config.get("SESSION_PROTECTION", login_manager.session_protection)
    if mode == "strong" and session.permanent:
        end_session(session.get(SESSION_ID_KEY))
        for key in (SESSION_ID_KEY, "_id", "_fresh"):
            session.pop(key, None)


@bp.record_once
def _protect_sessions(state: BlueprintSetupState) -> None:
    session_protected.connect(_end_moved_session, state.app)
