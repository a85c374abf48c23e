"""The studio's sections: add, edit, reorder and remove the sections of the careers home and job pages."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import ServiceUnavailable
from werkzeug.wrappers import Response as WerkzeugResponse

from webapp.admin import bp, role_required
from webapp.admin.forms import ConfirmForm
from webapp.admin.studio_forms import SectionForm
from webapp.admin.studio_languages import chosen_language, language_context
from webapp.i18n.locales import BY_IDENT, SHIPPED
from webapp.i18n.offered import SOURCE
from webapp.services.images import MAX_RENDITION_BYTES, MAX_UPLOAD_BYTES, ImageError, prepare_image
from webapp.services.sections import ADD_LABELS, KINDS, MAX_SECTIONS, PAGES, SECTION_ID, WORDS
from webapp.services.site import content_from_version
from webapp.services.site_translations import resolve_section
from webapp.services.studio import get_draft
from webapp.services.studio import page_sections as sections
from webapp.services.studio.fields import language_label, language_settings
from webapp.services.studio.translations import section_rows
from webapp.uploads import upload_slot

Page = tuple[str, int] | tuple[str, int, dict[str, str]] | WerkzeugResponse


def _page_or_404(page: str) -> str:
    if page not in PAGES:
        abort(404)
    return page


@bp.get("/studio/sections/<page>")
@role_required("marketer")
def studio_sections(page: str) -> str:
    """The sections of one page, in order, with buttons to move, edit and remove each."""
    _page_or_404(page)
    draft = get_draft()
    offered = language_settings(draft).offered
    rows = section_rows(content_from_version(draft, preview=True), offered)
    return render_template(
        "admin/studio/sections.html",
        page=page,
        page_label=PAGES[page],
        sections=sections.draft_sections(page),
        missing={row.key.rsplit(".", 1)[1]: row.missing for row in rows},
        names={loc.ident: language_label(loc.ident) for loc in SHIPPED},
        tags={ident: BY_IDENT[ident].url_tag for ident in offered},
        kinds=KINDS,
        add_labels=ADD_LABELS,
        max_sections=MAX_SECTIONS,
    )


def _form_page(
    form: SectionForm,
    page: str,
    kind: str,
    section_id: str | None,
    status: int = 200,
    **extra: object,
) -> Page:
    headers = extra.pop("headers", None) or {}
    if section_id is not None and "language_tabs" not in extra:
        extra.update(_english(page, section_id))
    return (
        render_template(
            "admin/studio/section_form.html",
            form=form,
            page=page,
            page_label=PAGES[page],
            kind=kind,
            kind_label=KINDS[kind],
            add_label=ADD_LABELS[kind],
            section_id=section_id,
            max_bytes=MAX_RENDITION_BYTES,
            **extra,
        ),
        status,
        headers,  # type: ignore[return-value]
    )


def _read_image(upload: FileStorage) -> str:
    """Verify and re-encode an uploaded image in a budgeted child, store its sizes; its digest."""
    try:
        with upload_slot() as budget:
            prepared = prepare_image(upload.stream.read(MAX_UPLOAD_BYTES + 1), budget)
    finally:
        upload.close()
    return sections.store_image(prepared, current_user.id)


def _submit(form: SectionForm, page: str, kind: str, section_id: str | None) -> Page:
    """Take an uploaded image into the form, then save the section; the form again on a problem."""
    valid = form.validate()
    upload = form.image_file.data
    if kind == "hero" and isinstance(upload, FileStorage) and upload.filename:
        try:
            form.image.data = _read_image(upload)
        except ImageError as error:
            form.image_file.errors = [str(error)]
            valid = False
        except ServiceUnavailable as busy:
            flash(
                "Other files are being processed right now, so nothing was saved yet. Choose the "
                "image again and press Save in a few seconds.",
                "error",
            )
            headers = {"Retry-After": str(busy.retry_after)}
            return _form_page(form, page, kind, section_id, 503, headers=headers)
    if not valid:
        return _form_page(form, page, kind, section_id, 422)
    try:
        if section_id is None:
            sections.add_section(page, kind, form.section_values(), current_user.id)
            flash(f"{KINDS[kind]} added to the draft. Preview it, then publish.", "success")
        else:
            sections.update_section(
                page, section_id, form.section_values(), form.base.data or "", current_user.id
            )
            flash(f"{KINDS[kind]} saved in the draft.", "success")
    except sections.SectionInvalid as invalid:
        for name, message in invalid.errors.items():
            target = {"items": "benefits" if kind == "benefits" else "faq", "image": "image_file"}
            getattr(form, target.get(name, name)).errors = [message]
        return _form_page(form, page, kind, section_id, 422)
    except sections.SectionChanged as changed:
        form.base.data = sections.section_digest(changed.current)
        return _form_page(form, page, kind, section_id, 409, theirs=changed.current)
    except sections.TooManySections:
        flash(f"A page holds at most {MAX_SECTIONS} sections. Remove one first.", "error")
        return _form_page(form, page, kind, section_id, 422)
    return redirect(url_for("admin.studio_sections", page=page), 303)


@bp.route("/studio/sections/<page>/new/<kind>", methods=["GET", "POST"])
@role_required("marketer")
def studio_section_new(page: str, kind: str) -> Page:
    """A form for a new section of one kind, added at the end of the page."""
    _page_or_404(page)
    if kind not in KINDS:
        abort(404)
    form = SectionForm()
    if request.method == "GET":
        return _form_page(form, page, kind, None)
    return _submit(form, page, kind, None)


def _translation_page(
    form: SectionForm, page: str, section: dict[str, object], language: str, status: int = 200
) -> Page:
    """The section's form in a language other than English: its words only, the English beside."""
    draft = get_draft()
    section_id = str(section["id"])
    content = content_from_version(draft, preview=True)
    words = content.section_translations
    now = resolve_section(section, words, language, content.fallback)
    others = {ident: by_id for ident, by_id in words.items() if ident != language}
    emptied = resolve_section(section, others, language, content.fallback)
    kind = str(section["kind"])
    return _form_page(
        form,
        page,
        kind,
        section_id,
        status,
        translating=True,
        source_section=section,
        source_name=language_label(SOURCE),
        words=WORDS[kind],
        shown_from=language_label(now.language),
        empty_from=language_label(emptied.language),  # what shows if the fields are emptied
        written=now.language == language,
        **language_context(
            draft, language, "admin.studio_section_edit", page=page, section_id=section_id
        ),
    )


def _submit_translation(
    form: SectionForm, page: str, section: dict[str, object], language: str
) -> Page:
    """Save the section's words in ``language``; the form again on a problem."""
    section_id = str(section["id"])
    kind = str(section["kind"])
    if not form.validate():
        return _translation_page(form, page, section, language, 422)
    name = language_label(language)
    try:
        saved = sections.translate_section(
            page, section_id, language, form.section_values(), form.base.data or "", current_user.id
        )
    except sections.SectionInvalid as invalid:
        for field, message in invalid.errors.items():
            target = {"items": "benefits" if kind == "benefits" else "faq"}
            getattr(form, target.get(field, field)).errors = [message]
        return _translation_page(form, page, section, language, 422)
    except sections.SectionChanged as changed:
        form.base.data = sections.section_digest(changed.current)
        flash("Someone else changed these words while you were editing.", "warning")
        return _translation_page(form, page, section, language, 409)
    if saved is None:
        flash(f"{KINDS[kind]}: no {name} words now, so candidates read the default's.", "success")
    else:
        flash(f"{KINDS[kind]} saved in {name} in the draft.", "success")
    return redirect(url_for("admin.studio_sections", page=page), 303)


def _section_or_404(page: str, section_id: str) -> dict[str, object]:
    _page_or_404(page)
    if not SECTION_ID.match(section_id):
        abort(404)
    try:
        return sections.find_section(page, section_id)
    except sections.SectionNotFound:
        abort(404)


@bp.route("/studio/sections/<page>/<section_id>", methods=["GET", "POST"])
@role_required("marketer")
def studio_section_edit(page: str, section_id: str) -> Page:
    """Edit one section; a section someone changed meanwhile is shown, not overwritten."""
    section = _section_or_404(page, section_id)
    kind = str(section["kind"])
    language = chosen_language(request.args.get("lang"), get_draft())
    form = SectionForm()
    if language != SOURCE:
        if request.method == "GET":
            words = sections.own_words(page, section_id, language)
            form.fill_section({"kind": kind, **words})
            form.base.data = sections.section_digest(words)
            return _translation_page(form, page, section, language)
        return _submit_translation(form, page, section, language)
    if request.method == "GET":
        form.fill_section(section)
        form.base.data = sections.section_digest(section)
        return _form_page(form, page, kind, section_id)
    return _submit(form, page, kind, section_id)


def _english(page: str, section_id: str) -> dict[str, object]:
    """The language selector for the English words (the section itself)."""
    return language_context(
        get_draft(), SOURCE, "admin.studio_section_edit", page=page, section_id=section_id
    )


@bp.post("/studio/sections/<page>/<section_id>/move")
@role_required("marketer")
def studio_section_move(page: str, section_id: str) -> WerkzeugResponse:
    """Move a section one place up or down."""
    section = _section_or_404(page, section_id)
    direction = request.form.get("direction")
    if not ConfirmForm().validate_on_submit() or direction not in ("up", "down"):
        abort(400)
    try:
        sections.move_section(page, section_id, -1 if direction == "up" else 1, current_user.id)
    except sections.SectionNotFound:
        flash("That section was removed meanwhile.", "warning")
    else:
        flash(f"{KINDS[str(section['kind'])]} moved {direction}.", "success")
    return redirect(url_for("admin.studio_sections", page=page, _anchor=f"s-{section_id}"), 303)


@bp.post("/studio/sections/<page>/<section_id>/remove")
@role_required("marketer")
def studio_section_remove(page: str, section_id: str) -> str | WerkzeugResponse:
    """Take a section off the page (in the draft), after a question."""
    section = _section_or_404(page, section_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if request.form.get("confirm") != "yes":
        return render_template(
            "admin/studio/section_remove.html",
            page=page,
            page_label=PAGES[page],
            section=section,
            kind_label=KINDS[str(section["kind"])],
        )
    try:
        removed = sections.remove_section(page, section_id, current_user.id)
    except sections.SectionNotFound:
        flash("That section was already removed.", "info")
    else:
        flash(
            f"{KINDS[str(removed['kind'])]} removed from the draft. The live site keeps it "
            "until you publish.",
            "success",
        )
    return redirect(url_for("admin.studio_sections", page=page), 303)
