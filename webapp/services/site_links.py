"""Footer links: the marketers' "Label | address" lines, checked and parsed."""

from __future__ import annotations

from dataclasses import dataclass

MAX_LINKS = 8


@dataclass(frozen=True)
class FooterLink:
    """A link in the footer."""

    label: str
    url: str


def _link_url_ok(url: str) -> bool:
    # Our own paths, web pages and e-mail only: never javascript:, data: or a scheme-relative URL.
    if url.startswith("/"):
        return not url.startswith("//") and "\\" not in url
    lowered = url.lower()
    return (lowered.startswith(("https://", "http://")) and len(url) > 8) or (
        lowered.startswith("mailto:") and "@" in url
    )


def link_problems(source: str) -> list[str]:
    """What is wrong with a footer-links text, line by line (empty when it is fine)."""
    problems = []
    lines = [line.strip() for line in source.splitlines() if line.strip()]
    if len(lines) > MAX_LINKS:
        problems.append(f"Keep it to {MAX_LINKS} links.")
    for number, line in enumerate(lines, start=1):
        label, bar, url = line.partition("|")
        if not bar or not label.strip() or not url.strip():
            problems.append(f"Line {number}: write it as “Label | https://example.com”.")
        elif not _link_url_ok(url.strip()) or any(c.isspace() for c in url.strip()):
            problems.append(
                f"Line {number}: the address must start with https://, http://, mailto: or /."
            )
        elif len(label.strip()) > 60:
            problems.append(f"Line {number}: keep the label under 60 characters.")
    return problems


def parse_links(source: str) -> list[FooterLink]:
    """The valid links of a footer-links text; invalid lines are left out."""
    links = []
    for line in source.splitlines():
        label, bar, url = line.strip().partition("|")
        label, url = label.strip(), url.strip()
        if (
            bar
            and label
            and _link_url_ok(url)
            and not any(c.isspace() for c in url)
            and len(label) <= 60
        ):
            links.append(FooterLink(label, url))
    return links[:MAX_LINKS]
