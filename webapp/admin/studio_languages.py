"""The studio's languages: which ones the site offers, and which texts are missing where."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from webapp.admin import bp, role_required
from webapp.admin.studio_forms import LanguagesForm
from webapp.i18n.locales import BY_IDENT, SHIPPED, parse_site_locale
from webapp.models.content import SiteVersion
from webapp.services import studio
from webapp.services.site import content_from_version
from webapp.services.studio.fields import language_label, language_settings
from webapp.services.studio.translations import (
    Cell,
    built_in_in,
    cell_for,
    coverage,
    gap_lines,
)

Page = ResponseReturnValue


@dataclass(frozen=True)
class LanguageTab:
    """One entry of the studio form's language selector."""

    ident: str
    label: str
    href: str
    current: bool
    offered: bool


def chosen_language(value: str | None, draft: SiteVersion) -> str:
    """The language a studio form edits: the one asked for, else the draft's default language."""
    chosen = parse_site_locale(value)
    return chosen.ident if chosen is not None else language_settings(draft).default


def language_tabs(
    draft: SiteVersion, current: str, endpoint: str, **values: Any
) -> list[LanguageTab]:
    """The selector: the offered languages first, then the others (their texts wait, unseen)."""
    offered = language_settings(draft).offered
    order = [*offered, *(loc.ident for loc in SHIPPED if loc.ident not in offered)]
    return [
        LanguageTab(
            ident,
            language_label(ident),
            url_for(endpoint, lang=BY_IDENT[ident].url_tag, **values),
            ident == current,
            ident in offered,
        )
        for ident in order
    ]


def text_statuses(
    draft: SiteVersion, keys: list[str], slug: str | None, ident: str
) -> dict[str, Cell]:
    """For each text key, what candidates read now in ``ident`` and whose words those are."""
    content = content_from_version(draft, preview=True)
    return {key: cell_for(content, key, slug, ident) for key in keys}


def empty_means(draft: SiteVersion, keys: list[str], language: str) -> dict[str, str]:
    """What candidates read in ``language`` when its field is left empty (the sample shows it)."""
    content = content_from_version(draft, preview=True)
    fallback = language_settings(draft).default
    shown = {}
    for key in keys:
        own = content.sources.own(fallback, key) if language != fallback else None
        shown[key] = own if own is not None else built_in_in(key, language)
    return shown


def language_context(
    draft: SiteVersion, language: str, endpoint: str, **values: Any
) -> dict[str, Any]:
    """What a studio text form needs to show one language."""
    settings = language_settings(draft)
    return {
        "language": language,
        "language_name": language_label(language),
        "language_offered": language in settings.offered,
        "fallback_name": language_label(settings.default),
        "is_fallback": language == settings.default,
        "language_tabs": language_tabs(draft, language, endpoint, **values),
        "language_tag": BY_IDENT[language].tag,
    }


def _page(form: LanguagesForm, status: int = 200) -> tuple[str, int]:
    draft = studio.get_draft()
    report = coverage(draft)
    return (
        render_template(
            "admin/studio/languages.html",
            form=form,
            draft=draft,
            report=report,
            gaps=gap_lines(report),
            names={loc.ident: language_label(loc.ident) for loc in SHIPPED},
            native={loc.ident: loc.native_name for loc in SHIPPED},
            tags={loc.ident: loc.url_tag for loc in SHIPPED},
        ),
        status,
    )


@bp.route("/studio/languages", methods=["GET", "POST"])
@role_required("marketer")
def studio_languages() -> Page:
    """The languages the site offers and its default; every text the marketer wrote, by language."""
    form = LanguagesForm()
    draft = studio.get_draft()
    if not form.is_submitted():
        settings = language_settings(draft)
        form.offered.data = list(settings.offered)
        form.default.data = settings.default
        form.require_complete.data = settings.require_complete
        form.revision.data = str(draft.revision)
        form.base.data = studio.base_of(studio.field_values(draft), ["languages"])
        return _page(form)
    if not form.validate():
        return _page(form, 422)
    value = json.dumps(form.settings(), sort_keys=True)
    try:
        studio.save_draft(
            {"languages": value},
            form.revision_number,
            studio.parse_base(form.base.data),
            current_user.id,
        )
    except studio.DraftConflict as conflict:
        flash(
            "Someone else saved the draft while you were choosing. Your choice is below, not saved "
            "yet: check it and save again.",
            "warning",
        )
        form.revision.data = str(conflict.revision)
        form.base.data = conflict.base
        return _page(form, 409)
    flash("Languages saved to the draft. Candidates see them after you publish.", "success")
    return redirect(url_for("admin.studio_languages"), 303)
