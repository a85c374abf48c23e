"""What a job page says about the position's own interview, and the links for sharing it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import quote, urlencode

from babel.dates import format_date
from flask_babel import gettext, ngettext

from webapp.i18n.language_names import interview_language_name
from webapp.jobmojito.languages import LANGUAGES


@dataclass(frozen=True)
class ShareLink:
    """One way to pass the job on; ``copy`` marks the link that script turns into "copy"."""

    label: str
    href: str
    copy: bool = False
    external: bool = False


def interview_facts(interview: dict[str, Any], language_code: str, locale: str) -> list[str]:
    """Sentences stating this interview's length, closing date and language, when they are set.

    Written in the current page language; ``locale`` names it for Babel's dates and names.
    """
    facts: list[str] = []
    seconds = interview.get("max_duration")
    if isinstance(seconds, int) and not isinstance(seconds, bool) and seconds > 0:
        minutes = -(-seconds // 60)
        facts.append(
            ngettext(
                "The video interview takes up to %(num)d minute.",
                "The video interview takes up to %(num)d minutes.",
                minutes,
            )
        )
    till = interview.get("interview_available_till")
    day = _date(till)
    if day is not None:
        # English is written day first, as the site always has; other languages their own way.
        pattern = "d MMMM y" if locale.split("_")[0] == "en" else "long"
        when = format_date(day, format=pattern, locale=locale)
        facts.append(gettext("The interview is open until %(date)s.", date=when))
    if language_code in LANGUAGES:
        name = interview_language_name(language_code, locale)
        facts.append(gettext("The interview is in %(language)s.", language=name))
    return facts


def _date(value: object) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def share_links(page_url: str, title: str, company: str) -> list[ShareLink]:
    """Copy, e-mail, LinkedIn and X: plain links, so nothing is loaded from those sites."""
    subject = gettext("%(title)s at %(company)s", title=title, company=company)
    body = gettext(
        "I thought you might like this job: %(title)s at %(company)s.", title=title, company=company
    )
    body += "\n\n" + page_url
    mail_query = urlencode({"subject": subject, "body": body}, quote_via=quote)
    return [
        ShareLink(gettext("Copy link"), page_url, copy=True),
        ShareLink(gettext("Share by e-mail"), f"mailto:?{mail_query}"),
        ShareLink(
            gettext("Share on LinkedIn"),
            "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": page_url}),
            external=True,
        ),
        ShareLink(
            gettext("Share on X"),
            "https://x.com/intent/post?" + urlencode({"text": subject, "url": page_url}),
            external=True,
        ),
    ]
