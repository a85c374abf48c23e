"""The studio's forms: the draft (logo, brand, texts, custom CSS), per-position texts, sections."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    Field,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from webapp.form_base import Form
from webapp.i18n.locales import SHIPPED
from webapp.i18n.offered import SOURCE
from webapp.services.custom_css import MAX_SOURCE_CHARS
from webapp.services.site import MAX_LENGTH, POSITION_TEXT_GROUPS, TEXT_GROUPS, link_problems
from webapp.services.theme import BUTTON_STYLE_LABELS, FONT_LABELS, HEX_COLOUR, MAX_RADIUS


def _normal(value: Any) -> Any:
    return value.replace("\r\n", "\n").strip() if isinstance(value, str) else value


def _links(form: FlaskForm, field: Field) -> None:
    problems = link_problems(field.data or "")
    if problems:
        raise ValidationError(" ".join(problems))


def _colour(label: str) -> StringField:
    return StringField(
        label,
        validators=[
            DataRequired(f"Choose the {label.lower()}."),
            Regexp(HEX_COLOUR, message="Use a colour like #0b5d4b."),
        ],
        filters=[_normal, lambda v: v.lower() if isinstance(v, str) else v],
        render_kw={"type": "color"},
    )


def _text(label: str, kind: str, required: bool = False) -> Field:
    limit = MAX_LENGTH[kind]
    validators: list[Any] = [
        Optional(),
        Length(max=limit, message=f"Keep it under {limit:,} characters."),
    ]
    if kind == "links":
        validators.append(_links)
    field_class = StringField if kind == "line" else TextAreaField
    return field_class(label, validators=validators, filters=[_normal])


class _Revisioned(Form):
    """The draft revision the form was opened at, and fingerprints of the values it showed."""

    revision = HiddenField(validators=[DataRequired()])
    base = HiddenField()

    @property
    def revision_number(self) -> int:
        """The revision as a number (0 when the field was tampered with: reads as stale)."""
        try:
            return int(self.revision.data or 0)
        except ValueError:
            return 0


class DraftForm(_Revisioned):
    """Logo, brand kit, every text, and custom CSS, saved together into the draft."""

    # The content hash of the logo the draft should have (empty: none). An upload replaces it, so
    # a logo uploaded with a form that cannot be saved yet is kept for the next press of Save.
    logo = HiddenField(
        validators=[Optional(), Regexp(r"^[0-9a-f]{64}$", message="The logo field was damaged.")]
    )
    logo_file = FileField("Logo image (PNG, JPEG or WebP, at most 1 MB)")

    brand_company_name = StringField(
        "Company name",
        validators=[DataRequired("Enter the company name."), Length(max=80)],
        filters=[_normal],
    )
    brand_tagline = StringField(
        "Tagline", validators=[Optional(), Length(max=160)], filters=[_normal]
    )
    brand_primary_color = _colour("Brand colour")
    brand_accent_color = _colour("Accent colour")
    brand_text_color = _colour("Text colour")
    brand_background_color = _colour("Page background")
    brand_font = SelectField("Font", choices=dict(FONT_LABELS))
    brand_radius = IntegerField(
        "Corner radius (pixels)",
        validators=[NumberRange(0, MAX_RADIUS, f"Choose a radius from 0 to {MAX_RADIUS} pixels.")],
        render_kw={"min": 0, "max": MAX_RADIUS},
    )
    brand_button_style = RadioField("Button style", choices=dict(BUTTON_STYLE_LABELS))
    custom_css = TextAreaField(
        "Custom CSS",
        validators=[
            Optional(),
            Length(max=MAX_SOURCE_CHARS, message=f"Keep it under {MAX_SOURCE_CHARS:,} characters."),
        ],
        filters=[_normal],
    )


for _group, _fields in TEXT_GROUPS:
    for _key, _label, _kind in _fields:
        setattr(DraftForm, f"text_{_key}", _text(_label, _kind))


class PositionTextsForm(_Revisioned):
    """Texts for one position; an empty field uses the site-wide text."""


for _group, _fields in POSITION_TEXT_GROUPS:
    for _key, _label, _kind in _fields:
        setattr(PositionTextsForm, f"text_{_key}", _text(_label, _kind))


def field_key(name: str, slug: str | None = None, language: str = SOURCE) -> str | None:
    """The draft field a form field edits (``brand.x``, ``text.x``, ``css``, ``position.slug.x``).

    Texts in a language other than English are ``text:de.x`` and ``position:de.slug.x``.
    """
    if name.startswith("brand_"):
        return "brand." + name.removeprefix("brand_")
    if name.startswith("text_"):
        key = name.removeprefix("text_")
        tag = "" if language == SOURCE else ":" + language
        return f"position{tag}.{slug}.{key}" if slug else f"text{tag}.{key}"
    if name == "custom_css":
        return "css"
    if name == "logo":
        return "logo"
    return None


def form_values(form: FlaskForm, slug: str | None = None, language: str = SOURCE) -> dict[str, str]:
    """The form's data as draft field values (its texts in ``language``)."""
    values = {}
    for field in form:
        key = field_key(field.name, slug, language)
        if key is not None:
            values[key] = "" if field.data is None else str(field.data)
    return values


def fill(
    form: FlaskForm,
    values: dict[str, str],
    slug: str | None = None,
    only: set[str] | None = None,
    language: str = SOURCE,
) -> None:
    """Put draft field values into the form (all of them, or the keys in ``only``)."""
    for field in form:
        key = field_key(field.name, slug, language)
        if key is None or (only is not None and key not in only):
            continue
        value = values.get(key, "")
        if field.name == "brand_radius":
            field.data = int(value) if value.isdigit() else 10
        else:
            field.data = value


class SectionForm(Form):
    """One section's fields; which of them a section uses depends on its kind."""

    # A fingerprint of the section as the form showed it (sections are saved one by one).
    base = HiddenField()
    image = HiddenField(
        validators=[Optional(), Regexp(r"^[0-9a-f]{64}$", message="The image field was damaged.")]
    )
    image_file = FileField("Image (JPEG, PNG or WebP, at least 480 pixels wide, at most 6 MB)")
    alt = StringField("Describe the image (alt text)", filters=[_normal])
    decorative = BooleanField("The image is decorative: it adds nothing a reader would miss")
    heading = StringField("Heading (optional)", filters=[_normal])
    body = TextAreaField("Text", filters=[_normal])
    benefits = TextAreaField("Benefits, one per line", filters=[_normal])
    faq = TextAreaField("Questions and answers", filters=[_normal])
    quote = TextAreaField("Quote", filters=[_normal])
    name = StringField("Name", filters=[_normal])
    role = StringField("Role (optional)", filters=[_normal])

    def section_values(self) -> dict[str, object]:
        """The submitted fields as the sections service reads them."""
        return {
            "image": self.image.data or "",
            "alt": self.alt.data or "",
            "decorative": bool(self.decorative.data),
            "heading": self.heading.data or "",
            "body": self.body.data or "",
            "items": self.benefits.data or self.faq.data or "",
            "quote": self.quote.data or "",
            "name": self.name.data or "",
            "role": self.role.data or "",
        }

    def fill_section(self, section: dict[str, object]) -> None:
        """Show a stored section in the form."""
        from webapp.services.sections import faq_source

        for name in ("image", "alt", "heading", "body", "quote", "name", "role"):
            getattr(self, name).data = section.get(name, "")
        self.decorative.data = bool(section.get("decorative"))
        items = section.get("items")
        if section.get("kind") == "benefits" and isinstance(items, list):
            self.benefits.data = "\n".join(str(item) for item in items)
        if section.get("kind") == "faq" and isinstance(items, list):
            self.faq.data = faq_source(items)


class LanguagesForm(_Revisioned):
    """Which languages the site offers, its default (and fallback) one, and the publishing rule."""

    offered = SelectMultipleField(
        "Languages the site offers",
        choices={locale.ident: locale.ident for locale in SHIPPED},
        option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
        validators=[DataRequired("Choose at least one language.")],
    )
    default = SelectField(
        "Default language",
        choices={locale.ident: locale.ident for locale in SHIPPED},
        description="Unprefixed addresses show it, and candidates read its texts where a "
        "translation of yours is missing.",
    )
    require_complete = BooleanField(
        "Refuse to publish while one of my texts is missing in an offered language"
    )

    def validate_default(self, field: Field) -> None:
        """The default language must be one the site offers."""
        if field.data not in (self.offered.data or []):
            raise ValidationError("The default language must be one of the languages offered.")

    def settings(self) -> dict[str, object]:
        """The submitted settings as stored."""
        return {
            "offered": list(self.offered.data or []),
            "default": self.default.data,
            "require_complete": bool(self.require_complete.data),
        }
