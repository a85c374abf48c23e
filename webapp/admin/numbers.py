"""Numbers from URLs and forms in the admin: ids within what the database holds, page numbers."""

from __future__ import annotations

# The largest id a PostgreSQL ``integer`` column holds. Admin routes take ids through the ``ID``
# converter, so a larger one is a 404 at routing, before any query the database would refuse.
MAX_ID = 2**31 - 1
ID = f"int(max={MAX_ID})"


def parse_id(text: str | None) -> int | None:
    """A row id from user input: plain ASCII digits from 1 to MAX_ID, else None."""
    text = (text or "").strip()
    if not (text.isascii() and text.isdecimal()) or len(text) > len(str(MAX_ID)):
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None


def page_number(text: str | None) -> int:
    """A 1-based page number from the query string: plain ASCII digits, else page 1.

    A number beyond any page is capped; the search then shows the last page.
    """
    text = (text or "").strip()
    if not (text.isascii() and text.isdecimal()):
        return 1
    return max(1, int(text)) if len(text) <= 9 else MAX_ID
