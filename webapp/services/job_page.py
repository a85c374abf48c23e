"""What a job page says about the position's own interview, and the links for sharing it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import quote, urlencode

from babel.dates import format_date

from webapp.jobmojito.languages import LANGUAGES


@dataclass(frozen=True)
class ShareLink:
    """One way to pass the job on; ``copy`` marks the link that script turns into "copy"."""

    label: str
    href: str
    copy: bool = False
    external: bool = False


def interview_facts(interview: dict[str, Any], language_code: str) -> list[str]:
    """Sentences stating this interview's length, closing date and language, when they are set."""
    facts: list[str] = []
    seconds = interview.get("max_duration")
    if isinstance(seconds, int) and not isinstance(seconds, bool) and seconds > 0:
        minutes = -(-seconds // 60)
        unit = "minute" if minutes == 1 else "minutes"
        facts.append(f"The video interview takes up to {minutes} {unit}.")
    till = interview.get("interview_available_till")
    day = _date(till)
    if day is not None:
        facts.append(
            f"The interview is open until {format_date(day, format='d MMMM y', locale='en')}."
        )
    language = LANGUAGES.get(language_code)
    if language:
        facts.append(f"The interview is in {language}.")
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
    subject = f"{title} at {company}"
    body = f"I thought you might like this job: {title} at {company}.\n\n{page_url}"
    mail_query = urlencode({"subject": subject, "body": body}, quote_via=quote)
    return [
        ShareLink("Copy link", page_url, copy=True),
        ShareLink("Share by e-mail", f"mailto:?{mail_query}"),
        ShareLink(
            "Share on LinkedIn",
            "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": page_url}),
            external=True,
        ),
        ShareLink(
            "Share on X",
            "https://x.com/intent/post?" + urlencode({"text": subject, "url": page_url}),
            external=True,
        ),
    ]
