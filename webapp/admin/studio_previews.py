"""The studio's preview links: made on purpose, listed with who made them, revoked at once."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, current_app, flash, make_response, redirect, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response as WerkzeugResponse

from webapp.admin import bp, role_required
from webapp.admin.forms import ConfirmForm
from webapp.admin.numbers import ID
from webapp.i18n.locales import parse_site_locale
from webapp.services import studio
from webapp.urls import external_url

DEFAULT_LIFETIME = 7 * 24 * 3600


def _lifetime() -> timedelta:
    return timedelta(
        seconds=int(current_app.config.get("STUDIO_PREVIEW_MAX_AGE") or DEFAULT_LIFETIME)
    )


def _private(response: WerkzeugResponse) -> WerkzeugResponse:
    # The page (or the redirect) carries a preview link's secret: kept by no cache, sent nowhere.
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.post("/studio/preview-links")
@role_required("marketer")
def studio_preview_create() -> WerkzeugResponse:
    """Make a preview link of the draft; show it once, or open it straight away."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    made = studio.create_link(current_user.id, _lifetime())
    chosen = parse_site_locale(request.form.get("lang"))
    language = {"lang": chosen.url_tag} if chosen is not None else {}
    link = external_url("preview.open_preview", secret=made.secret, **language)
    if request.form.get("open") == "1":
        return _private(redirect(link, 303))
    from webapp.admin.studio import studio_page

    flash(
        f"Preview link made for draft revision {made.link.draft_revision}. Copy it now: "
        "for safety it is not shown again.",
        "success",
    )
    return _private(make_response(studio_page(new_link=link), 201))


@bp.post(f"/studio/preview-links/<{ID}:link_id>/revoke")
@role_required("marketer")
def studio_preview_revoke(link_id: int) -> WerkzeugResponse:
    """Turn one preview link off: it and every preview opened with it stop at once."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if studio.revoke_link(link_id, current_user.id):
        flash("Preview link revoked: it no longer opens the draft.", "success")
    else:
        flash("That preview link had already stopped working.", "info")
    return redirect(url_for("admin.studio_home") + "#links-heading", 303)


@bp.post("/studio/preview-links/revoke-all")
@role_required("marketer")
def studio_preview_revoke_all() -> WerkzeugResponse:
    """Turn every preview link off at once."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    count = studio.revoke_all(current_user.id)
    flash(
        f"{count} preview link{'' if count == 1 else 's'} revoked: none opens the draft now.",
        "success",
    )
    return redirect(url_for("admin.studio_home") + "#links-heading", 303)
