"""The marketers' studio: edit the draft, preview it, publish it, roll back."""

from __future__ import annotations

from collections.abc import Callable

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.exceptions import ServiceUnavailable
from werkzeug.wrappers import Response as WerkzeugResponse

from webapp.admin import bp, role_required
from webapp.admin.forms import ConfirmForm
from webapp.admin.numbers import ID, parse_id
from webapp.admin.studio_forms import DraftForm, LogoForm, PositionTextsForm, fill, form_values
from webapp.extensions import db
from webapp.models import Position
from webapp.services import studio
from webapp.services.custom_css import sanitize_css
from webapp.services.logo import MAX_BYTES, LogoError, prepare_logo
from webapp.services.site import (
    GROUP_NOTES,
    OPTIONAL_TEXTS,
    TEXT_GROUPS,
    TEXT_KINDS,
    content_from_version,
)
from webapp.services.theme import contrast_checks, sample_css
from webapp.uploads import upload_slot


def studio_page(new_link: str | None = None) -> str:
    """The studio page; ``new_link`` is a preview link just made, shown this once."""
    draft = studio.get_draft()
    overrides = {slug: len(values) for slug, values in (draft.position_texts or {}).items()}
    positions = db.session.scalars(select(Position).order_by(Position.title)).all()
    return render_template(
        "admin/studio/index.html",
        draft=draft,
        changes=[studio.field_label(key) for key in studio.unpublished_changes(draft)],
        live=studio.live_version(),
        history=studio.history(),
        preview_links=studio.live_links(),
        new_link=new_link,
        positions=positions,
        overrides=overrides,
    )


@bp.get("/studio")
@role_required("marketer")
def studio_home() -> str:
    """Where the draft stands, the preview links, publishing and the history."""
    return studio_page()


def _draft_page(
    form: DraftForm, status: int = 200, conflict: studio.DraftConflict | None = None
) -> tuple[str, int]:
    draft = studio.get_draft()
    brand = {
        key.removeprefix("brand."): value
        for key, value in form_values(form).items()
        if key.startswith("brand.")
    }
    logo_form = LogoForm(formdata=None)
    logo_form.revision.data = str(draft.revision)
    logo_form.base.data = studio.base_of(studio.field_values(draft), ["logo"])
    return (
        render_template(
            "admin/studio/draft.html",
            form=form,
            logo_form=logo_form,
            draft=draft,
            logo_url=content_from_version(draft).brand["logo_url"],
            groups=TEXT_GROUPS,
            group_notes=GROUP_NOTES,
            optional=OPTIONAL_TEXTS,
            checks=contrast_checks(brand),
            css_dropped=sanitize_css(form.custom_css.data or "").dropped,
            conflict=conflict,
            labels={key: studio.field_label(key) for key in (conflict.theirs if conflict else {})},
        ),
        status,
    )


@bp.route("/studio/draft", methods=["GET", "POST"])
@role_required("marketer")
def studio_draft() -> tuple[str, int] | WerkzeugResponse:
    """The brand kit, the texts of every page and custom CSS."""
    form = DraftForm()
    if request.method == "GET":
        draft = studio.get_draft()
        values = studio.field_values(draft)
        fill(form, values)
        form.revision.data = str(draft.revision)
        form.base.data = studio.base_of(values, list(form_values(form)))
        return _draft_page(form)
    if not form.validate():
        return _draft_page(form, 422)
    return _save(form, None, lambda: redirect(url_for("admin.studio_draft"), 303), _draft_page)


def _save(
    form: DraftForm | PositionTextsForm,
    slug: str | None,
    done: Callable[[], WerkzeugResponse],
    page: Callable[..., tuple[str, int]],
) -> tuple[str, int] | WerkzeugResponse:
    """Save a form into the draft; on a stale form, merge what others saved and say so."""
    values = form_values(form, slug)
    try:
        studio.save_draft(
            values, form.revision_number, studio.parse_base(form.base.data), current_user.id
        )
    except studio.DraftConflict as conflict:
        # Keep what this person typed; take the other person's values where only they changed.
        fill(form, conflict.theirs, slug, only=set(conflict.theirs) - conflict.both)
        form.revision.data = str(conflict.revision)
        form.base.data = conflict.base
        return page(form, 409, conflict)
    dropped = sanitize_css(values.get("css", "")).dropped if "css" in values else ()
    flash("Draft saved. Preview it, then publish it when it is ready.", "success")
    if dropped:
        parts = "1 part" if len(dropped) == 1 else f"{len(dropped)} parts"
        flash(
            f"Custom CSS saved, but {parts} will not be used on the site — see the notes under the CSS.",
            "warning",
        )
    return done()


@bp.post("/studio/logo")
@role_required("marketer")
def studio_logo() -> tuple[str, int] | tuple[str, int, dict[str, str]] | WerkzeugResponse:
    """Upload a logo into the draft."""
    form = LogoForm()
    upload = form.logo.data
    if not form.validate():
        return _logo_error("The form expired. Reload the page, then upload the logo again.", 400)
    if upload is None or not getattr(upload, "filename", ""):
        return _logo_error("Choose a logo file to upload.")
    try:
        with upload_slot() as budget:
            logo = prepare_logo(upload.stream.read(MAX_BYTES + 1), budget)
    except LogoError as error:
        return _logo_error(str(error))
    except ServiceUnavailable as busy:
        message = "Other files are being processed right now. Please upload the logo again in a few seconds."
        return (*_logo_error(message, 503), {"Retry-After": str(busy.retry_after)})
    finally:
        upload.close()  # a large upload is spooled to a temporary file: let it go now
    asset = studio.store_logo(logo, current_user.id)
    try:
        studio.set_logo(
            asset, form.revision_number, studio.parse_base(form.base.data), current_user.id
        )
    except studio.DraftConflict:
        return _logo_error(
            "Someone else saved the draft since you opened this page. Check the logo below, then upload again.",
            409,
        )
    flash("Logo uploaded to the draft.", "success")
    return redirect(url_for("admin.studio_draft") + "#brand", 303)


@bp.post("/studio/logo/remove")
@role_required("marketer")
def studio_logo_remove() -> tuple[str, int] | WerkzeugResponse:
    """Take the logo out of the draft (the company name shows instead)."""
    form = LogoForm()
    if not form.validate():
        abort(400)
    try:
        studio.set_logo(
            None, form.revision_number, studio.parse_base(form.base.data), current_user.id
        )
    except studio.DraftConflict:
        return _logo_error(
            "Someone else saved the draft since you opened this page. Check the logo below and try again.",
            409,
        )
    flash("Logo removed from the draft: the company name shows instead.", "success")
    return redirect(url_for("admin.studio_draft") + "#brand", 303)


def _logo_error(message: str, status: int = 422) -> tuple[str, int]:
    form = DraftForm(formdata=None)
    draft = studio.get_draft()
    values = studio.field_values(draft)
    fill(form, values)
    form.revision.data = str(draft.revision)
    form.base.data = studio.base_of(values, list(form_values(form)))
    flash(message, "error")
    return _draft_page(form, status)


@bp.get(f"/studio/sample-<{ID}:revision>.css")
@role_required("marketer")
def studio_sample_css(revision: int) -> Response:
    """The draft's colours, font and radius for the studio's sample card (never the custom CSS).

    The revision in the URL only makes a fresh URL after each save.
    """
    draft = studio.get_draft()
    return Response(sample_css(draft.brand or {}), mimetype="text/css")


def _position_page(slug: str, position: Position) -> Callable[..., tuple[str, int]]:
    def page(
        form: PositionTextsForm, status: int = 200, conflict: studio.DraftConflict | None = None
    ) -> tuple[str, int]:
        site_wide = content_from_version(studio.get_draft())
        return (
            render_template(
                "admin/studio/position.html",
                form=form,
                position=position,
                slug=slug,
                groups=TEXT_GROUPS,
                group_notes=GROUP_NOTES,
                site_texts={key: site_wide.text(key) for key in TEXT_KINDS},
                conflict=conflict,
                labels={
                    key: studio.field_label(key) for key in (conflict.theirs if conflict else {})
                },
            ),
            status,
        )

    return page


@bp.route("/studio/positions/<slug>", methods=["GET", "POST"])
@role_required("marketer")
def studio_position(slug: str) -> tuple[str, int] | WerkzeugResponse:
    """Texts that differ for one position (keyed by its slug)."""
    position = db.session.scalar(select(Position).where(Position.slug == slug))
    if position is None:
        abort(404)
    page = _position_page(slug, position)
    form = PositionTextsForm()
    if request.method == "GET":
        draft = studio.get_draft()
        values = studio.field_values(draft)
        fill(form, values, slug)
        form.revision.data = str(draft.revision)
        form.base.data = studio.base_of(values, list(form_values(form, slug)))
        return page(form)
    if not form.validate():
        return page(form, 422)
    return _save(
        form, slug, lambda: redirect(url_for("admin.studio_position", slug=slug), 303), page
    )


@bp.post("/studio/publish")
@role_required("marketer")
def studio_publish() -> WerkzeugResponse:
    """Publish the draft as it was when the page was shown."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        version = studio.publish(parse_id(request.form.get("revision")) or 0, current_user.id)
    except studio.DraftChanged:
        flash(
            "The draft was saved again after you opened this page, so nothing was published. "
            "Check the changes below, then publish again.",
            "warning",
        )
    except studio.NothingToPublish:
        flash("Nothing to publish: the draft is what the site already shows.", "info")
    else:
        flash(f"Published as version {version.number}. Candidates see it now.", "success")
    return redirect(url_for("admin.studio_home"), 303)


@bp.post(f"/studio/versions/<{ID}:number>/rollback")
@role_required("marketer")
def studio_rollback(number: int) -> WerkzeugResponse:
    """Publish a copy of an earlier version."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        result = studio.rollback(number, current_user.id)
    except studio.VersionNotFound:
        abort(404)
    except studio.NothingToPublish:
        flash(f"Version {number} is what the site already shows.", "info")
        return redirect(url_for("admin.studio_home"), 303)
    message = (
        f"Rolled back: version {result.version.number}, a copy of version {number}, is live now."
    )
    if result.draft_reset:
        flash(message + " The draft was reset to it too.", "success")
    else:
        flash(
            message
            + " Your draft kept its unpublished changes: publishing it would bring them live.",
            "warning",
        )
    return redirect(url_for("admin.studio_home"), 303)


# The preview links' routes live beside this module, to keep each under a screenful or two.
from webapp.admin import studio_previews  # noqa: E402,F401
