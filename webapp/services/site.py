"""The brand and the texts of the public pages: defaults, overridden by what marketers publish."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import current_app, g, has_app_context, has_request_context
from sqlalchemy import select

from webapp.extensions import db
from webapp.i18n import N_, catalogue_serial, page_locale, translate
from webapp.i18n.offered import SOURCE, LanguageSettings, parse_settings
from webapp.models.content import DRAFT_NUMBER, SiteVersion
from webapp.services.custom_css import sanitize_css
from webapp.services.privacy_notice import PRIVACY_DEFAULT
from webapp.services.room_texts import (
    ROOM_EXTRAS,
    ROOM_GROUPS,
    ROOM_NOTES,
    ROOM_OPTIONAL,
    SCRIPT_TEXTS,
    fill,
    interview_length,
    room_defaults,
)
from webapp.services.sections import clean_sections
from webapp.services.site_cache import cached_published_content
from webapp.services.site_links import FooterLink, parse_links

# Re-exported: the studio's forms import it from here, as before it moved.
from webapp.services.site_links import link_problems as link_problems
from webapp.services.site_translations import (
    BUILT_IN,
    Resolved,
    SectionWords,
    TextSources,
    clean_position_translations,
    clean_section_translations,
    clean_translations,
    localized_sections,
)

DEFAULT_BRAND: dict[str, Any] = {
    "company_name": "Kestrel Mobility",
    "tagline": "Electric bikes and the service network behind them",
    "logo_url": None,
    "primary_color": "#0b5d4b",
    "accent_color": "#f2b134",
    "text_color": "#1d2420",
    "background_color": "#f7f6f2",
    "font": "system",
    "radius": 10,
    "button_style": "solid",
}
# What a marketer sets in the brand kit; the logo URL is derived from the uploaded image only.
BRAND_FIELDS: dict[str, str] = {
    "company_name": "Company name",
    "tagline": "Tagline",
    "primary_color": "Brand colour",
    "accent_color": "Accent colour",
    "text_color": "Text colour",
    "background_color": "Page background",
    "font": "Font",
    "radius": "Corner radius",
    "button_style": "Button style",
}

DEFAULT_TEXTS: dict[str, str] = {
    "home_heading": N_("Build the way cities move"),
    "home_intro": N_(
        "We design, build and service electric bikes in six European cities. "
        "Find a role below; every application includes a short AI video interview you take "
        "right here, at a time that suits you."
    ),
    "home_empty": N_(
        "There are no open positions right now. New roles appear here first — please check back soon."
    ),
    "home_no_match": N_("No positions match your search. Try fewer words or clear the filters."),
    "job_apply_label": N_("Apply for this position"),
    "job_how_heading": N_("How applying works"),
    "job_how_it_works": N_(
        "Apply with your résumé. If your profile fits, you take a short video "
        "interview with our AI interviewer straight away, on this site, in the position's language. "
        "Have a camera and a microphone ready."
    ),
    "faq_heading": N_("Questions candidates ask"),
    "faq_body": N_(
        "**Can I take the interview later?**  \nYes. Keep the link to your application page "
        "and come back when it suits you.\n\n"
        "**What do I need?**  \nA computer or phone with a camera and a microphone, and a quiet place "
        "for about 20 minutes.\n\n"
        "**Who sees my interview?**  \nOnly our recruiters for this position."
    ),
    "apply_heading": N_("Apply"),
    "apply_intro": N_("It takes two minutes. Fields marked required must be filled in."),
    "consent_text": N_(
        "I agree that Kestrel Mobility shares my application, including my résumé, "
        "with JobMojito, its interview platform, to screen it and run my video interview."
    ),
    "progress_heading": N_("Thank you — we have your application"),
    "progress_intro": N_("We are preparing your interview. This page updates by itself."),
    "progress_slow": N_(
        "This is taking longer than usual. Your application is saved: you can close "
        "this page and come back later with the same link."
    ),
    "interview_heading": N_("Your interview"),
    "interview_intro": N_(
        "Allow your camera and microphone when your browser asks. Take your time: "
        "you can think before answering each question."
    ),
    "review_heading": N_("Your application is being reviewed"),
    "review_body": N_(
        "A recruiter will look at your application shortly. Keep this link: when they "
        "confirm, your interview appears on this page."
    ),
    "rejected_heading": N_("Thank you for applying"),
    "rejected_body": N_(
        "We have read your application carefully. We will not be moving forward with "
        "it for this position, but we would be glad to see you apply for another role."
    ),
    "failed_heading": N_("We have your application"),
    "failed_body": N_(
        "We could not prepare your interview yet because our interview platform is "
        "unavailable. Your application is safe with us and our recruiters will contact you."
    ),
    "finished_heading": N_("Thank you — your interview is complete"),
    "finished_body": N_("Our team will review your interview and get back to you by e-mail."),
    "already_applied_body": N_(
        "You have already applied for this position. Continue your interview below."
    ),
    "help_heading": N_("Need help?"),
    "help_body": N_(
        "If your camera, microphone or the interview does not work, reload the page first. "
        "If it still does not work, write to careers@kestrel.example with the position you applied for "
        "and the address of your application page."
    ),
    "privacy_heading": N_("Privacy notice"),
    "privacy_body": PRIVACY_DEFAULT,
    "footer_text": N_("© Kestrel Mobility. All rights reserved."),
    "footer_links": "",
    **room_defaults(),
}
# Blocks a marketer may empty to hide them; any other empty text falls back to its default.
OPTIONAL_TEXTS = frozenset({"faq_body", "help_body", "footer_links"}) | ROOM_OPTIONAL

# The studio's form, page by page: (key, label, kind). Kinds: line, text, markdown, links.
TEXT_GROUPS: list[tuple[str, list[tuple[str, str, str]]]] = [
    (
        "Careers home",
        [
            ("home_heading", "Heading", "line"),
            ("home_intro", "Welcome text", "markdown"),
            ("home_empty", "When no position is open", "text"),
            ("home_no_match", "When a search finds nothing", "text"),
        ],
    ),
    (
        "Job page",
        [
            ("job_apply_label", "Apply button", "line"),
            ("job_how_heading", "“How applying works” heading", "line"),
            ("job_how_it_works", "How applying works", "markdown"),
            ("faq_heading", "FAQ heading", "line"),
            ("faq_body", "FAQ", "markdown"),
        ],
    ),
    (
        "Apply page",
        [
            ("apply_heading", "Heading (the job title follows)", "line"),
            ("apply_intro", "Introduction", "text"),
            ("consent_text", "Consent sentence", "text"),
        ],
    ),
    (
        "Progress page",
        [
            ("progress_heading", "Thank-you heading", "line"),
            ("progress_intro", "Introduction", "text"),
            ("progress_slow", "When preparing takes long", "text"),
        ],
    ),
    (
        "Interview page",
        [
            ("interview_heading", "Heading", "line"),
            ("interview_intro", "Welcome text", "text"),
            ("already_applied_body", "When the candidate had already applied", "text"),
        ],
    ),
    (
        "Outcome pages",
        [
            ("review_heading", "In review: heading", "line"),
            ("review_body", "In review: text", "text"),
            ("rejected_heading", "Not selected: heading", "line"),
            ("rejected_body", "Not selected: text", "text"),
            ("failed_heading", "Platform unavailable: heading", "line"),
            ("failed_body", "Platform unavailable: text", "text"),
            ("finished_heading", "Interview complete: heading", "line"),
            ("finished_body", "Interview complete: thank-you text", "text"),
        ],
    ),
    (
        "Help block",
        [
            ("help_heading", "Heading", "line"),
            ("help_body", "Text", "markdown"),
        ],
    ),
    (
        "Privacy notice",
        [
            ("privacy_heading", "Heading", "line"),
            ("privacy_body", "Notice", "markdown"),
        ],
    ),
    (
        "Footer",
        [
            ("footer_text", "Footer line", "line"),
            ("footer_links", "Footer links", "links"),
        ],
    ),
]
# The camera check, the "before you start" panel and the room's own texts join the form.
for _name, _extra in ROOM_EXTRAS.items():
    next(fields for group, fields in TEXT_GROUPS if group == _name).extend(
        (key, label, kind) for key, label, kind, _ in _extra
    )
_at = next(i for i, (group, _) in enumerate(TEXT_GROUPS) if group == "Interview page")
TEXT_GROUPS[_at + 1 : _at + 1] = [
    (group, [(key, label, kind) for key, label, kind, _ in fields]) for group, fields in ROOM_GROUPS
]
# Groups that are the same for every position, so the per-position form leaves them out.
POSITION_TEXT_GROUPS = [group for group in TEXT_GROUPS if group[0] != "Privacy notice"]
TEXT_KINDS: dict[str, str] = {key: kind for _, fields in TEXT_GROUPS for key, _, kind in fields}
# Where each group shows, for the studio.
GROUP_NOTES = {
    "Help block": "Shown under the apply form and on the progress, interview and outcome pages.",
    "Job page": "The FAQ shows under the job description.",
    "Privacy notice": "Shown at /privacy, linked from the footer and from the apply form's "
    "consent checkbox.",
    **ROOM_NOTES,
}
MAX_LENGTH = {"line": 200, "text": 1000, "markdown": 5000, "links": 2000}
MAX_REMEMBERED_TEXTS = 50_000  # per content: every text × position × language, bounded


@dataclass(frozen=True)
class SiteContent:
    """What the public pages show: brand tokens and texts, optionally per position."""

    version: str = "default"
    brand: dict[str, Any] = field(default_factory=lambda: dict(DEFAULT_BRAND))
    texts: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_TEXTS))
    custom_css: str = ""  # already sanitised
    position_texts: dict[str, dict[str, str]] = field(default_factory=dict)
    sections: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # already cleaned
    is_preview: bool = False
    # Texts in languages other than English ({"de": {key: text}}, {"de": {slug: {key: text}}}).
    translations: dict[str, dict[str, str]] = field(default_factory=dict)
    position_translations: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    languages: LanguageSettings | None = None  # None: as configured (no version published)
    section_translations: SectionWords = field(default_factory=dict)  # {"de": {id: {field: …}}}
    _shown: dict[tuple[str, str | None, str, str, int], str] = field(
        default_factory=dict, init=False, compare=False, repr=False
    )

    @property
    def sources(self) -> TextSources:
        """The stored texts of every language, for resolving one."""
        return TextSources(
            self.texts,
            self.position_texts,
            self.translations,
            self.position_translations,
            DEFAULT_TEXTS,
            OPTIONAL_TEXTS,
        )

    @property
    def fallback(self) -> str:
        """The language candidates read where a text is missing in theirs: the site's default."""
        if self.languages is not None:
            return self.languages.default
        return (
            str(current_app.config.get("DEFAULT_LOCALE", SOURCE)) if has_app_context() else SOURCE
        )

    def resolve(self, key: str, position: str | None, ident: str) -> Resolved:
        """Where the text ``key`` a candidate reads in language ``ident`` comes from."""
        return self.sources.resolve(key, position, ident, self.fallback)

    def text(self, key: str, position: str | None = None) -> str:
        """A text in the page's language: the position's first, then the site-wide, then built-in.

        Remembered per content, language, position and app (whose catalogues may differ): this
        content never changes, and the interview room shows sixty texts at every render
        (``bench/``: the interview page).
        """
        ident = _page_language()
        remembered = (key, position, ident, self.fallback, catalogue_serial())
        shown = self._shown.get(remembered)
        if shown is None:
            found = self.resolve(key, position, ident)
            shown = (
                translate(found.value) if found.source == BUILT_IN and found.value else found.value
            )
            if len(self._shown) < MAX_REMEMBERED_TEXTS:
                self._shown[remembered] = shown
        return shown

    def filled(self, key: str, position: str | None = None, /, **values: str) -> str:
        """A text with its ``{name}`` placeholders filled in from ``values``."""
        return fill(self.text(key, position), **values)

    def room_length(self, position: str | None, interview: Mapping[str, Any] | None) -> str:
        """How long the interview takes, in the studio's words; empty when the length is unset."""
        length = interview_length(interview)
        sentence = self.text("before_length", position)
        return fill(sentence, duration=length) if length and sentence else ""

    def script_texts(self, position: str | None = None) -> dict[str, str]:
        """The words the camera check's script shows, for the page to hand it."""
        return {key: self.text(key, position) for key in SCRIPT_TEXTS}

    def footer_links(self, position: str | None = None) -> list[FooterLink]:
        """The footer links to show."""
        return parse_links(self.text("footer_links", position))

    def page_sections(self, page: str) -> list[dict[str, Any]]:
        """The sections of a page (``home`` or ``job``), in order, in the page's language."""
        sections = self.sections.get(page, [])
        return localized_sections(
            sections, self.section_translations, _page_language(), self.fallback
        )


def _page_language() -> str:
    """The language this page (or a worker's e-mail) is rendered in."""
    return page_locale().ident if has_app_context() else SOURCE


DEFAULT_CONTENT = SiteContent()


def logo_path(row: SiteVersion) -> str | None:
    """The logo's URL path: named by the hash of its bytes, so it can be cached for good."""
    if row.logo is None:
        return None
    return f"/brand/logo-{row.logo.digest}.{row.logo.extension}"


def content_from_version(row: SiteVersion, *, preview: bool = False) -> SiteContent:
    """The public content a stored version (or the draft) stands for."""
    brand = {**DEFAULT_BRAND, **{k: v for k, v in (row.brand or {}).items() if k in BRAND_FIELDS}}
    brand["logo_url"] = logo_path(row)
    texts = {
        k: v for k, v in (row.texts or {}).items() if k in DEFAULT_TEXTS and isinstance(v, str)
    }
    positions = {
        slug: {k: v for k, v in values.items() if k in DEFAULT_TEXTS and isinstance(v, str) and v}
        for slug, values in (row.position_texts or {}).items()
        if isinstance(values, dict)
    }
    version = f"d{row.revision}" if preview else f"v{row.number}"
    configured = str(current_app.config.get("DEFAULT_LOCALE", SOURCE))
    return SiteContent(
        version=version,
        brand=brand,
        texts=texts,
        custom_css=sanitize_css(row.custom_css or "").css,
        position_texts=positions,
        sections=clean_sections(row.sections),
        is_preview=preview,
        translations=clean_translations(row.translations, DEFAULT_TEXTS),
        position_translations=clean_position_translations(row.position_translations, DEFAULT_TEXTS),
        languages=parse_settings(row.languages, configured),
        section_translations=clean_section_translations(row.translations),
    )


def published_content() -> SiteContent:
    """The live content. One small query per process and second at most; the rest is memory."""
    return cached_published_content(content_from_version, DEFAULT_CONTENT)


def draft_content() -> SiteContent:
    """The unpublished draft as the public pages would show it (read afresh: previews are rare)."""
    row = db.session.scalar(select(SiteVersion).where(SiteVersion.number == DRAFT_NUMBER))
    if row is None:
        published = published_content()
        return SiteContent(
            version="d0",
            brand=published.brand,
            texts=published.texts,
            custom_css=published.custom_css,
            position_texts=published.position_texts,
            sections=published.sections,
            is_preview=True,
            translations=published.translations,
            position_translations=published.position_translations,
            languages=published.languages,
            section_translations=published.section_translations,
        )
    return content_from_version(row, preview=True)


def current_content() -> SiteContent:
    """The content this request shows: the draft in a preview browser, else the live version.

    Templates and the theme stylesheet call this without arguments, so the one request-scoped
    fact it needs, "this browser holds a valid preview link", is read from ``g``, where the
    preview blueprint puts it after checking the signed marker in the session.
    """
    if has_request_context() and g.get("site_preview"):
        return draft_content()
    return published_content()


def site_languages() -> LanguageSettings | None:
    """The languages set in the studio, from the content this request shows."""
    return current_content().languages
