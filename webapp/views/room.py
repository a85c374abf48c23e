"""The interview room's ways out: the interview in a tab of its own, and a request for an adjustment."""

from __future__ import annotations

from flask import current_app, redirect, render_template, request, url_for
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from flask_babel import gettext

from webapp.errors import render_error
from webapp.models import Application
from webapp.models.accommodations import DETAILS_MAX, NEEDS
from webapp.services.accommodations import RequestRefused, checked, request_accommodation
from webapp.services.applications import INTERVIEW, candidate_status
from webapp.views.candidate_page import fresh_frame_src, proven_here


def add_template_values(state: BlueprintSetupState) -> None:
    """The adjustment form's choices, for every candidate page that shows it."""
    state.app.jinja_env.globals.update(adjustment_needs=NEEDS, adjustment_max=DETAILS_MAX)


def interview_in_new_tab(application: Application, token: str) -> ResponseReturnValue:
    """To the interview itself, top-level (303), for the browser allowed to see it; else refused."""
    if not proven_here(application.public_id):
        return render_error(
            403,
            gettext("Please confirm your e-mail address first"),
            gettext(
                "Open your application page and type the code we e-mailed you, or open the link "
                "in that e-mail on this device. Then the interview opens here."
            ),
        )
    src = None
    if application.withdrawn_at is None and candidate_status(application).stage == INTERVIEW:
        src = fresh_frame_src(application)
    if src is None:
        return render_error(
            404,
            gettext("Your interview is not open right now"),
            gettext(
                "Please go back to your application page: it shows where your application stands."
            ),
        )
    return redirect(src, 303)


def adjustment_form(
    application: Application, token: str, *, error: RequestRefused | None = None, status: int = 200
) -> ResponseReturnValue:
    """The short form for asking for an adjustment or another way to interview."""
    return render_template(
        "apply/adjustment.html",
        application=application,
        position=application.position,
        token=token,
        needs=NEEDS,
        details_max=DETAILS_MAX,
        error=error,
        sent={"need": request.form.get("need", ""), "details": request.form.get("details", "")},
    ), status


def send_adjustment(application: Application, token: str) -> ResponseReturnValue:
    """Store the request and e-mail it to the configured address; back to the page, confirmed."""
    try:
        sent = checked(request.form.get("need"), request.form.get("details"))
        request_accommodation(application, sent, current_app.config.get("ACCOMMODATION_EMAIL"))
    except RequestRefused as refused:
        return adjustment_form(application, token, error=refused, status=422)
    target = url_for("apply.application", token=token, notice="adjustment")
    return redirect(target + "#adjustment-sent", 303)
