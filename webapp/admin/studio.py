"""The marketers' studio: edit the draft, preview it, publish it, roll back."""

from __future__ import annotations

import functools
from collections.abc import Callable

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import ServiceUnavailable
from werkzeug.wrappers import Response as WerkzeugResponse

from webapp.admin import bp, role_required
from webapp.admin.numbers import ID
from webapp.admin.studio_forms import DraftForm, PositionTextsForm, fill, form_values
from webapp.admin.studio_languages import (
    chosen_language,
    empty_means,
    language_context,
    text_statuses,
)
from webapp.extensions import db
from webapp.i18n.locales import BY_IDENT
from webapp.models import Position
from webapp.services import studio
from webapp.services.custom_css import sanitize_css
from webapp.services.logo import MAX_BYTES, LogoError, prepare_logo
from webapp.services.sections import PAGES, clean_sections
from webapp.services.site import (
    GROUP_NOTES,
    OPTIONAL_TEXTS,
    POSITION_TEXT_GROUPS,
    TEXT_GROUPS,
    TEXT_KINDS,
    content_from_version,
)
from webapp.services.studio.fields import language_label
from webapp.services.studio.privacy import notice_digest, privacy_status
from webapp.services.studio.translations import coverage, gap_lines
from webapp.services.theme import FONTS, contrast_checks, sample_css
from webapp.uploads import upload_slot

# What a studio form view answers: a page with its status (and headers), or a redirect.
Page = tuple[str, int] | tuple[str, int, dict[str, str]] | WerkzeugResponse
# The texts the draft page's sample shows (the script updates them as they are typed).
SAMPLE_TEXTS = ("home_heading", "home_intro", "job_apply_label")


def sections_of(draft: object, page: str) -> list[dict[str, object]]:
    """The draft's sections of a page."""
    return clean_sections(getattr(draft, "sections", None)).get(page, [])


def studio_page(new_link: str | None = None, refused: bool = False) -> str:
    """The studio page; ``new_link`` is a preview link just made, shown this once."""
    draft = studio.get_draft()
    report = coverage(draft)
    overrides: dict[str, int] = {}
    for by_slug in [draft.position_texts or {}, *(draft.position_translations or {}).values()]:
        for slug, values in by_slug.items():  # every language's own texts count
            overrides[slug] = overrides.get(slug, 0) + len(values)
    positions = db.session.scalars(select(Position).order_by(Position.title)).all()
    return render_template(
        "admin/studio/index.html",
        draft=draft,
        changes=[studio.field_label(key) for key in studio.unpublished_changes(draft)],
        live=studio.live_version(),
        history=studio.history(),
        defaults_live=studio.defaults_are_live(),
        saved_drafts=studio.saved_drafts(),
        preview_links=studio.live_links(),
        new_link=new_link,
        positions=positions,
        overrides=overrides,
        privacy=privacy_status(draft),
        privacy_digest=notice_digest(draft),
        section_counts={page: len(sections_of(draft, page)) for page in PAGES},
        pages=PAGES,
        languages=report,
        gaps=gap_lines(report),
        refused=refused,
        language_names={ident: language_label(ident) for ident in report.offered},
        preview_tags={ident: BY_IDENT[ident].url_tag for ident in report.offered},
    )


@bp.get("/studio")
@role_required("marketer")
def studio_home() -> str:
    """Where the draft stands, the preview links, publishing and the history."""
    return studio_page()


def _draft_page(
    form: DraftForm,
    status: int = 200,
    conflict: studio.DraftConflict | None = None,
    headers: dict[str, str] | None = None,
    *,
    language: str,
) -> tuple[str, int, dict[str, str]]:
    draft = studio.get_draft()
    shown = text_statuses(draft, list(TEXT_KINDS), None, language)
    brand = {
        key.removeprefix("brand."): value
        for key, value in form_values(form).items()
        if key.startswith("brand.")
    }
    logo = studio.logo_by_digest(form.logo.data or "")
    saved = content_from_version(draft)
    return (
        render_template(
            "admin/studio/draft.html",
            form=form,
            draft=draft,
            live=studio.live_version(),
            changes=[studio.field_label(key) for key in studio.unpublished_changes(draft)],
            saved_texts={
                "company_name": saved.brand["company_name"],
                **{key: shown[key].shown for key in SAMPLE_TEXTS},
            },
            default_texts=empty_means(draft, list(SAMPLE_TEXTS), language),
            statuses=shown,
            **language_context(draft, language, "admin.studio_draft"),
            logo_url=url_for("preview.logo", digest=logo.digest, ext=logo.extension)
            if logo
            else None,
            logo_pending=(form.logo.data or "") != studio.field_values(draft)["logo"],
            groups=TEXT_GROUPS,
            group_notes=GROUP_NOTES,
            optional=OPTIONAL_TEXTS,
            checks=contrast_checks(brand),
            css_dropped=sanitize_css(form.custom_css.data or "").dropped,
            conflict=conflict,
            labels={key: studio.field_label(key) for key in (conflict.theirs if conflict else {})},
            fonts=FONTS,
        ),
        status,
        headers or {},
    )


@bp.route("/studio/draft", methods=["GET", "POST"])
@role_required("marketer")
def studio_draft() -> Page:
    """The logo, the brand kit, the texts of every page and custom CSS, saved in one form."""
    form = DraftForm()
    language = chosen_language(request.args.get("lang"), studio.get_draft())
    page = functools.partial(_draft_page, language=language)
    if request.method == "GET":
        draft = studio.get_draft()
        values = studio.field_values(draft)
        fill(form, values, language=language)
        form.revision.data = str(draft.revision)
        form.base.data = studio.base_of(values, list(form_values(form, None, language)))
        return page(form)
    valid = form.validate()
    action = request.form.get("action", "")
    upload = form.logo_file.data
    if isinstance(upload, FileStorage) and upload.filename:
        try:
            form.logo.data = _read_logo(upload)
        except LogoError as error:
            form.logo_file.errors = [str(error)]
            valid = False
        except ServiceUnavailable as busy:
            flash(
                "Other files are being processed right now, so nothing was saved yet. What you "
                "typed is below: choose the logo file and upload the logo again in a few seconds.",
                "error",
            )
            return page(form, 503, headers={"Retry-After": str(busy.retry_after)})
    elif action == "upload":
        form.logo_file.errors = ["Choose a logo file to upload."]
        valid = False
    elif action == "remove-logo":
        form.logo.data = ""
    if not valid:
        return page(form, 422)
    tag = BY_IDENT[language].url_tag
    try:
        return _save(
            form,
            None,
            lambda: redirect(url_for("admin.studio_draft", lang=tag), 303),
            page,
            language,
        )
    except studio.UnknownLogo:
        abort(400)


def _read_logo(upload: FileStorage) -> str:
    """Verify and re-encode an uploaded logo in a budgeted child, store it; its content hash."""
    try:
        with upload_slot() as budget:
            logo = prepare_logo(upload.stream.read(MAX_BYTES + 1), budget)
    finally:
        upload.close()  # a large upload is spooled to a temporary file: let it go now
    return studio.store_logo(logo, current_user.id).digest


def _save(
    form: DraftForm | PositionTextsForm,
    slug: str | None,
    done: Callable[[], WerkzeugResponse],
    page: Callable[..., tuple[str, int] | tuple[str, int, dict[str, str]]],
    language: str,
) -> Page:
    """Save a form into the draft; on a stale form, merge what others saved and say so."""
    values = form_values(form, slug, language)
    before = studio.field_values(studio.get_draft()).get("logo", "")
    try:
        studio.save_draft(
            values, form.revision_number, studio.parse_base(form.base.data), current_user.id
        )
    except studio.DraftConflict as conflict:
        # Keep what this person typed; take the other person's values where only they changed.
        fill(
            form,
            conflict.theirs,
            slug,
            only=set(conflict.theirs) - conflict.both,
            language=language,
        )
        form.revision.data = str(conflict.revision)
        form.base.data = conflict.base
        return page(form, 409, conflict)
    dropped = sanitize_css(values.get("css", "")).dropped if "css" in values else ()
    logo_changed = "logo" in values and values["logo"] != before
    if logo_changed and values["logo"]:
        flash("Logo uploaded and draft saved, with everything else you changed.", "success")
    elif logo_changed:
        flash(
            "Logo removed from the draft: the company name shows instead. "
            "Everything else you changed is saved too.",
            "success",
        )
    else:
        flash("Draft saved. Preview it, then publish it when it is ready.", "success")
    if dropped:
        parts = "1 part" if len(dropped) == 1 else f"{len(dropped)} parts"
        flash(
            f"Custom CSS saved, but {parts} will not be used on the site — see the notes under the CSS.",
            "warning",
        )
    return done()


@bp.get(f"/studio/sample-<{ID}:revision>.css")
@role_required("marketer")
def studio_sample_css(revision: int) -> Response:
    """The draft's colours, font and radius for the studio's sample card (never the custom CSS).

    The revision in the URL only makes a fresh URL after each save.
    """
    draft = studio.get_draft()
    return Response(sample_css(draft.brand or {}), mimetype="text/css")


def _position_page(slug: str, position: Position, language: str) -> Callable[..., tuple[str, int]]:
    def page(
        form: PositionTextsForm, status: int = 200, conflict: studio.DraftConflict | None = None
    ) -> tuple[str, int]:
        draft = studio.get_draft()
        site_wide = text_statuses(draft, list(TEXT_KINDS), None, language)
        return (
            render_template(
                "admin/studio/position.html",
                form=form,
                position=position,
                slug=slug,
                groups=POSITION_TEXT_GROUPS,
                group_notes=GROUP_NOTES,
                site_texts={key: cell.shown for key, cell in site_wide.items()},
                statuses=text_statuses(draft, list(TEXT_KINDS), slug, language),
                **language_context(draft, language, "admin.studio_position", slug=slug),
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
def studio_position(slug: str) -> Page:
    """Texts that differ for one position (keyed by its slug)."""
    position = db.session.scalar(select(Position).where(Position.slug == slug))
    if position is None:
        abort(404)
    language = chosen_language(request.args.get("lang"), studio.get_draft())
    page = _position_page(slug, position, language)
    form = PositionTextsForm()
    if request.method == "GET":
        draft = studio.get_draft()
        values = studio.field_values(draft)
        fill(form, values, slug, language=language)
        form.revision.data = str(draft.revision)
        form.base.data = studio.base_of(values, list(form_values(form, slug, language)))
        return page(form)
    if not form.validate():
        return page(form, 422)
    tag = BY_IDENT[language].url_tag
    return _save(
        form,
        slug,
        lambda: redirect(url_for("admin.studio_position", slug=slug, lang=tag), 303),
        page,
        language,
    )
