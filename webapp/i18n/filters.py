"""Template filters that name things in the page's language: languages, countries, job facts."""

from __future__ import annotations

from typing import Any

import flask_babel
from flask import Flask
from flask_babel import gettext, lazy_gettext

from webapp.i18n import page_locale
from webapp.i18n.countries import localized_country_name, sort_names
from webapp.i18n.language_names import interview_language_name
from webapp.jobmojito.contract import SeniorityLevel

# The job page's fact labels, by the codes positions store.
WORKPLACE_LABELS = {
    "on-site": lazy_gettext("On-site"),
    "hybrid": lazy_gettext("Hybrid"),
    "remote": lazy_gettext("Remote"),
}
EMPLOYMENT_LABELS = {
    "FULL_TIME": lazy_gettext("Full time"),
    "PART_TIME": lazy_gettext("Part time"),
    "CONTRACTOR": lazy_gettext("Contractor"),
    "TEMPORARY": lazy_gettext("Temporary"),
    "INTERN": lazy_gettext("Internship"),
    "VOLUNTEER": lazy_gettext("Volunteer"),
    "PER_DIEM": lazy_gettext("Paid by the day"),
    "OTHER": lazy_gettext("Other"),
}
SENIORITY_LABELS: dict[str, Any] = {
    SeniorityLevel.ENTRY_LEVEL: lazy_gettext("Entry level"),
    SeniorityLevel.INTERMEDIATE: lazy_gettext("Intermediate"),
    SeniorityLevel.SENIOR: lazy_gettext("Senior"),
    SeniorityLevel.MANAGERIAL: lazy_gettext("Managerial"),
    SeniorityLevel.DIRECTOR: lazy_gettext("Director"),
    SeniorityLevel.EXECUTIVE: lazy_gettext("Executive"),
}


def language_name(code: str | None, standalone: bool = True) -> str:
    """A platform language code's name in the page's language (capitalised for lists)."""
    return interview_language_name(code, page_locale().ident, standalone=standalone)


def country_name(code: str | None) -> str:
    """A country code's name in the page's language."""
    return localized_country_name(code, page_locale().ident)


def by_country_name(codes: list[str]) -> list[str]:
    """Country codes in the order their names sort in the page's language."""
    locale = page_locale().ident
    names = {localized_country_name(code, locale): code for code in codes}
    return [names[name] for name in sort_names(list(names), locale)]


def label(value: str | None, kind: str) -> str:
    """A stored code shown by its translated label (``kind``: workplace, employment, seniority)."""
    if not value:
        return ""
    table = {"workplace": WORKPLACE_LABELS, "employment": EMPLOYMENT_LABELS}.get(
        kind, SENIORITY_LABELS
    )
    found = table.get(value.lower() if kind == "seniority" else value)
    if found is not None:
        return str(found)
    return value.replace("-", " ").capitalize()


def interview_in(code: str | None) -> str:
    """The plain statement of a position's interview language, in the page's language."""
    return gettext("The interview is in %(language)s.", language=language_name(code, False))


def register(app: Flask) -> None:
    """Replace the English naming filters with ones that follow the page's language."""
    app.jinja_env.filters.update(
        language_name=language_name,
        country_name=country_name,
        by_country_name=by_country_name,
        label=label,
    )
    app.jinja_env.globals.update(
        interview_in=interview_in,
        # Numbers and dates in the page's language, for every template.
        format_number=flask_babel.format_number,
        format_decimal=flask_babel.format_decimal,
        format_percent=flask_babel.format_percent,
        format_date=flask_babel.format_date,
        format_datetime=flask_babel.format_datetime,
    )
