"""Structured data that lets search engines list our positions as jobs."""

from __future__ import annotations

from typing import Any

from webapp.models import Position
from webapp.services.site import current_content
from webapp.text import plain_excerpt, render_markdown


def job_posting_json_ld(
    position: Position, site_url: str, page_url: str | None = None
) -> dict[str, Any]:
    """A schema.org ``JobPosting`` for the position (serialised safely by the template).

    ``site_url`` and ``page_url`` come from the configured public address, never from a request.
    """
    company = current_content().brand["company_name"]
    data: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": position.title,
        "description": str(render_markdown(position.summary + "\n\n" + position.description)),
        "identifier": {"@type": "PropertyValue", "name": company, "value": position.external_id},
        "datePosted": (position.opened_at or position.created_at).date().isoformat(),
        "hiringOrganization": {"@type": "Organization", "name": company, "sameAs": site_url},
        "directApply": True,
    }
    if page_url:
        data["url"] = page_url
    if position.location.strip().lower() == "remote":
        data["jobLocationType"] = "TELECOMMUTE"
        data["applicantLocationRequirements"] = {"@type": "Country", "name": position.country_code}
    else:
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
    if position.interview.get("interview_available_till"):
        data["validThrough"] = position.interview["interview_available_till"]
    data["description"] = data["description"] or plain_excerpt(position.title)
    return data
