"""Recruiters' applications: the filtered list, its CSV export, the detail page and its actions."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from webapp.admin import bp, role_required
from webapp.admin.recruiting_forms import (
    ID,
    ApplicationFilterForm,
    page_number,
    require_confirmation,
)
from webapp.extensions import db
from webapp.models import Application, utcnow
from webapp.security import plays_media_from
from webapp.services import attempts, results
from webapp.services.application_admin import (
    STATUS_LABELS,
    ApplicationActionRefused,
    application_detail,
    erase_application,
    export_csv,
    position_choices,
    requeue_application,
    search_applications,
)
from webapp.services.platform import platform

# The query-string keys of the filters, carried over to the pages and the export.
FILTER_KEYS = ("q", "position", "status", "date_from", "date_to")


def _filter_form() -> ApplicationFilterForm:
    return ApplicationFilterForm(request.args, positions=position_choices())


def _application(application_id: int) -> Application:
    return db.get_or_404(Application, application_id)


@bp.get("/applications")
@role_required("recruiter")
def applications() -> str:
    """Applications, newest first, filtered by position, status, date and name or e-mail."""
    form = _filter_form()
    result = search_applications(form.to_filters(), page_number(request.args.get("page")))
    query = {key: value for key, value in request.args.items() if key in FILTER_KEYS and value}
    return render_template(
        "admin/applications/list.html", form=form, result=result, query=query, labels=STATUS_LABELS
    )


@bp.get("/applications/export.csv")
@role_required("recruiter")
def applications_export() -> Response:
    """The filtered list as CSV (every page)."""
    body = export_csv(_filter_form().to_filters())
    filename = f"applications-{utcnow():%Y%m%d-%H%M}.csv"
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.get(f"/applications/<{ID}:application_id>")
@role_required("recruiter")
@plays_media_from(lambda: platform().embed_origin)
def application(application_id: int) -> str:
    """One application: the candidate, the résumé, the history and the platform's results."""
    application = _application(application_id)
    detail = application_detail(application)
    upstream = platform()
    # A new attempt has no result yet; the earlier attempt's is no longer the platform's to show.
    result = (
        None
        if attempts.awaiting_result(application)
        else results.result_view(
            application,
            upstream.client,
            results.results_cache(current_app._get_current_object()),  # type: ignore[attr-defined]
            upstream.embed_origin,
        )
    )
    return render_template(
        "admin/applications/detail.html",
        detail=detail,
        labels=STATUS_LABELS,
        result=result,
        jobmojito_admin_url=current_app.config["JOBMOJITO_ADMIN_URL"],
        offer_attempt=attempts.can_offer(application),
    )


@bp.post(f"/applications/<{ID}:application_id>/another-attempt")
@role_required("recruiter")
def application_another_attempt(application_id: int) -> Response:
    """Ask JobMojito, in the background, to let the candidate take the interview again."""
    application = _application(application_id)
    require_confirmation()
    result_id = None if application.erased_at else attempts.current_result_id(application)
    try:
        attempts.request_another_attempt(application, result_id, current_user.email)
    except attempts.AttemptRefused as error:
        flash(str(error), "error")
    else:
        flash("Asking JobMojito for another attempt: this page shows its answer.", "success")
    return redirect(
        url_for("admin.application", application_id=application.id, _anchor="attempts"), 303
    )


@bp.post(f"/applications/<{ID}:application_id>/report")
@role_required("recruiter")
def application_report(application_id: int) -> Response:
    """Ask JobMojito for the result's PDF report and send the recruiter to it."""
    application = _application(application_id)
    require_confirmation()
    back = url_for("admin.application", application_id=application.id)
    result_id = None if application.erased_at else results.result_id_of(application)
    if result_id is None:
        flash("There is no interview result to report on yet.", "error")
        return redirect(back, 303)
    try:
        link = results.report_link(platform().client, result_id)
    except results.ResultUnavailable as error:
        flash(str(error), "error")
        return redirect(back, 303)
    return redirect(link, 303)


@bp.post(f"/applications/<{ID}:application_id>/requeue")
@role_required("recruiter")
def application_requeue(application_id: int) -> Response:
    """Send a failed application to the platform again."""
    application = _application(application_id)
    require_confirmation()
    try:
        requeue_application(application)
    except ApplicationActionRefused as error:
        flash(str(error), "error")
    else:
        flash("Re-queued: it will be sent to the interview platform in a moment.", "success")
    return redirect(url_for("admin.application", application_id=application.id), 303)


@bp.route(f"/applications/<{ID}:application_id>/erase", methods=["GET", "POST"])
@role_required("recruiter")
def application_erase(application_id: int) -> str | Response:
    """Erase a candidate's personal data, after a confirmation step."""
    application = _application(application_id)
    if request.method == "GET":
        return render_template("admin/applications/erase.html", application=application)
    require_confirmation()
    try:
        erase_application(application)
    except ApplicationActionRefused as error:
        flash(str(error), "error")
    else:
        flash(
            "The candidate's personal data is erased. An anonymous record stays for statistics.",
            "success",
        )
    return redirect(url_for("admin.application", application_id=application.id), 303)
