"""Structured data that lets search engines list our positions as jobs (schema.org ``JobPosting``).

``baseSalary`` is given only when the salary text reads unambiguously as one currency, one or two
amounts and a period ("€75,000–€92,000 a year", "CZK 52,000–60,000 a month"). Anything else
("competitive", "$60k", "from 50.000") is left out: a wrong salary in search results is worse
than none. "$" names several currencies, so only €, £ and ISO 4217 codes are read.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from babel.numbers import list_currencies

from webapp.models import Position
from webapp.services.site import published_content
from webapp.text import plain_excerpt, render_markdown
from webapp.urls import external_url

_LOGO_PATH = re.compile(r"^/brand/logo-(?P<digest>[0-9a-f]{16,64})\.(?P<ext>[a-z]{3,4})$")
_SYMBOLS = {"€": "EUR", "£": "GBP"}
_UNITS = {
    "hour": "HOUR",
    "day": "DAY",
    "week": "WEEK",
    "month": "MONTH",
    "year": "YEAR",
    "annum": "YEAR",
}
_CURRENCY = r"€|£|[A-Z]{3}"
_AMOUNT = r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]{1,2})?|[0-9]+(?:\.[0-9]{1,2})?"
_SALARY = re.compile(
    rf"(?P<c1>{_CURRENCY})?\s?(?P<low>{_AMOUNT})"
    rf"(?:\s?(?:–|—|-|to)\s?(?P<c2>{_CURRENCY})?\s?(?P<high>{_AMOUNT}))?"
    rf"(?:\s(?P<c3>[A-Z]{{3}}))?"
    rf"\s?(?:\s(?:a|an|per)\s|/)(?P<unit>hour|day|week|month|year|annum)",
)


def base_salary(text: str | None) -> dict[str, Any] | None:
    """A ``MonetaryAmount`` when the salary text parses cleanly; None when in any doubt."""
    match = _SALARY.fullmatch((text or "").strip())
    if match is None:
        return None
    codes = [code for code in (match["c1"], match["c2"], match["c3"]) if code]
    named = {_SYMBOLS.get(code, code) for code in codes}
    # One currency, written once before the amounts (or before each) or once after them.
    if len(named) != 1 or (match["c3"] and len(codes) > 1):
        return None
    currency = named.pop()
    if currency not in list_currencies():
        return None
    try:
        low = Decimal(match["low"].replace(",", ""))
        high = Decimal(match["high"].replace(",", "")) if match["high"] else None
    except InvalidOperation:  # pragma: no cover - the pattern admits digits only
        return None
    if low <= 0 or (high is not None and high < low):
        return None
    unit = _UNITS[match["unit"]]
    value: dict[str, Any] = {"@type": "QuantitativeValue", "unitText": unit}
    if high is None or high == low:
        value["value"] = _number(low)
    else:
        value.update(minValue=_number(low), maxValue=_number(high))
    return {"@type": "MonetaryAmount", "currency": currency, "value": value}


def _number(amount: Decimal) -> int | float:
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def valid_through(value: object) -> str | None:
    """The interview's last moment as an ISO 8601 date-time; a bare date means the end of that day (UTC)."""
    if not isinstance(value, str) or not value:
        return None
    try:
        if len(value) == 10:
            moment = datetime.combine(date.fromisoformat(value), time(23, 59, 59), UTC)
        else:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.isoformat()


def published_logo_url() -> str | None:
    """The absolute URL of the published logo, or None when there is none."""
    logo = _LOGO_PATH.match(str(published_content().brand.get("logo_url") or ""))
    if logo is None:
        return None
    return external_url("preview.logo", digest=logo["digest"], ext=logo["ext"])


def job_posting_json_ld(
    position: Position, site_url: str, page_url: str | None = None, language: str | None = None
) -> dict[str, Any]:
    """A schema.org ``JobPosting`` for the position (serialised safely by the template).

    ``site_url`` and ``page_url`` come from the configured public address, never from a request;
    ``language`` is the BCP 47 tag of the page the data describes (``inLanguage``).
    """
    company = published_content().brand["company_name"]
    organisation: dict[str, Any] = {"@type": "Organization", "name": company, "sameAs": site_url}
    logo = published_logo_url()
    if logo:
        organisation["logo"] = logo
    description = str(render_markdown(position.summary + "\n\n" + position.description))
    data: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": position.title,
        "description": description or plain_excerpt(position.title),
        "identifier": {"@type": "PropertyValue", "name": company, "value": position.external_id},
        "datePosted": (position.opened_at or position.created_at).date().isoformat(),
        "hiringOrganization": organisation,
        "employmentType": list(position.employment_types or ["FULL_TIME"]),
        "directApply": True,
    }
    if page_url:
        data["url"] = page_url
    if language:
        data["inLanguage"] = language
    if position.workplace in ("remote", "hybrid"):
        data["jobLocationType"] = "TELECOMMUTE"
        data["applicantLocationRequirements"] = [
            {"@type": "Country", "name": code} for code in position.applicant_countries
        ]
    if position.workplace != "remote":
        data["jobLocation"] = {
            "@type": "Place",
            "address": {
                "@type": "PostalAddress",
                "addressLocality": position.location,
                "addressCountry": position.country_code,
            },
        }
    if position.department:
        data["occupationalCategory"] = position.department
    until = valid_through((position.interview or {}).get("interview_available_till"))
    if until:
        data["validThrough"] = until
    salary = base_salary(position.salary)
    if salary:
        data["baseSalary"] = salary
    return data
