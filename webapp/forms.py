"""The candidate's application form, mirroring what the interview platform will accept."""

from __future__ import annotations

from functools import cache
from typing import Any
from urllib.parse import urlsplit

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from markupsafe import Markup, escape
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError
from wtforms.widgets import html_params

from webapp.form_base import Form
from webapp.i18n import page_locale
from webapp.i18n.countries import localized_countries
from webapp.reference import countries


def _linkedin(form: FlaskForm, field: StringField) -> None:
    value = (field.data or "").strip()
    if not value:
        return
    message = gettext(
        "Enter a LinkedIn profile address, such as https://www.linkedin.com/in/your-name."
    )
    try:
        parts = urlsplit(value if "://" in value else "https://" + value)
        host = (parts.hostname or "").lower()
    except ValueError:  # e.g. an unclosed [IPv6 bracket
        raise ValidationError(message) from None
    if parts.scheme not in ("http", "https") or not (
        host == "linkedin.com" or host.endswith(".linkedin.com")
    ):
        raise ValidationError(message)
    normalised = parts._replace(scheme="https").geturl()
    if len(normalised) > 500:
        raise ValidationError(gettext("That address is too long."))
    field.data = normalised


@cache
def _country_options(locale: str, prompt: str) -> str:
    # HTML lets option end tags go and two-letter codes need no quotes: ~40 % fewer bytes.
    options = [f'<option value="">{escape(prompt)}']
    options += [
        f"<option value={code}>{escape(name)}" for code, name in localized_countries(locale).items()
    ]
    return "".join(options)


class CountrySelect:
    """Renders the ~250 countries in the page's language, from a string built once per language.

    WTForms' own widget is slow; the names are sorted as the page's language sorts them.
    """

    def __call__(self, field: SelectField, **kwargs: Any) -> Markup:
        kwargs.setdefault("id", field.id)
        options = _country_options(page_locale().ident, gettext("Choose a country…"))
        value = field.data or ""
        if value in countries():
            options = options.replace(
                f"<option value={value}>", f"<option value={value} selected>", 1
            )
        return Markup(f"<select {html_params(name=field.name, **kwargs)}>{options}</select>")


class CountryField(SelectField):
    """The country select; a code it does not list is refused in the page's language.

    WTForms' own refusal comes from its catalogue, which does not cover every language we ship.
    """

    def pre_validate(self, form: Any) -> None:
        if self.data not in {value for value, _ in self.choices or []}:
            raise ValidationError(gettext("Not a valid choice."))


class ApplyForm(Form):
    """Name, e-mail, country, résumé (file or text), LinkedIn, consent — and a trap for bots."""

    full_name = StringField(
        _l("Full name"),
        validators=[
            DataRequired(_l("Enter your full name.")),
            Length(max=200, message=_l("Keep your name under 200 characters.")),
        ],
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
    )
    email = StringField(
        _l("E-mail"),
        validators=[
            DataRequired(_l("Enter your e-mail address.")),
            Email(_l("Enter an e-mail address like name@example.com."), check_deliverability=False),
            Length(max=254, message=_l("Keep the address under 254 characters.")),
        ],
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
    )
    country = CountryField(
        _l("Country you live in"),
        validators=[DataRequired(_l("Choose your country."))],
        widget=CountrySelect(),
    )
    resume_file = FileField(_l("Upload your résumé"))
    resume_text = TextAreaField(
        _l("…or paste it as text"),
        validators=[
            Optional(),
            Length(max=60_000, message=_l("Keep the pasted résumé under 60,000 characters.")),
        ],
    )
    linkedin_url = StringField(
        _l("LinkedIn profile (optional)"),
        validators=[
            Optional(),
            Length(max=500, message=_l("That address is too long.")),
            _linkedin,
        ],
    )
    consent = BooleanField(
        validators=[DataRequired(_l("Please agree so that we can run your interview."))]
    )
    # Hidden from people by CSS and from assistive technology; bots fill every field.
    website = StringField(_l("Leave this field empty"), validators=[Optional()])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.country.choices = [
            ("", gettext("Choose a country…")),
            *localized_countries(page_locale().ident).items(),
        ]

    @property
    def is_bot(self) -> bool:
        """Whether the hidden trap field was filled in."""
        return bool((self.website.data or "").strip())
