"""Page sections (hero image, rich text, benefits, FAQ, team quote): their shape, checks and cleaning.

A section is a small dict stored in a site version's ``sections`` column, per page (``home``, the
careers list, or ``job``, every job page). The same ``check_section`` that accepts a marketer's
form also cleans what is read back from storage, so nothing the pages show skips it. Every value
is plain text: templates escape it, and the markdown fields go through ``webapp.text``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

PAGES = {"home": "Careers home", "job": "Job pages"}
KINDS = {
    "hero": "Hero image",
    "text": "Text block",
    "benefits": "Benefits list",
    "faq": "FAQ",
    "quote": "Team quote",
}
# The studio's buttons that add each kind.
ADD_LABELS = {
    "hero": "Add a hero image",
    "text": "Add a text block",
    "benefits": "Add a benefits list",
    "faq": "Add an FAQ",
    "quote": "Add a quote from the team",
}
MAX_SECTIONS = 12
MAX_ITEMS = 20
LIMITS = {
    "heading": 120,
    "body": 5000,
    "alt": 250,
    "item": 200,
    "question": 200,
    "answer": 1500,
    "quote": 600,
    "name": 80,
    "role": 120,
}
# The words of each kind, written per language; everything else (the image) is shared.
WORDS = {
    "hero": ("alt",),
    "text": ("heading", "body"),
    "benefits": ("heading", "items"),
    "faq": ("heading", "items"),
    "quote": ("quote", "name", "role"),
}
DIGEST = re.compile(r"^[0-9a-f]{64}$")
SECTION_ID = re.compile(r"^[0-9a-f]{12}$")


class SectionInvalid(ValueError):
    """A section's fields do not pass; ``errors`` maps each field to a message for the marketer."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def _clean(value: Any) -> str:
    text = value if isinstance(value, str) else ""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "").strip()


def _limit(errors: dict[str, str], field: str, value: str, kind: str) -> str:
    if len(value) > LIMITS[kind]:
        errors[field] = f"Keep it under {LIMITS[kind]:,} characters."
    return value


def _size(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= 10_000


def parse_faq(source: str) -> list[dict[str, str]]:
    """Questions and answers typed as blocks: the question on the first line, the answer below."""
    items = []
    for block in re.split(r"\n\s*\n", _clean(source)):
        lines = block.strip().split("\n", 1)
        if lines and lines[0].strip():
            answer = lines[1].strip() if len(lines) > 1 else ""
            items.append({"q": lines[0].strip(), "a": answer})
    return items


def faq_source(items: list[dict[str, str]]) -> str:
    """The FAQ as the marketer types it (the inverse of ``parse_faq``)."""
    return "\n\n".join(f"{item['q']}\n{item['a']}".strip() for item in items)


def check_section(kind: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """A section's stored form from submitted or stored values; raise SectionInvalid if they fail."""
    if kind not in KINDS:
        raise SectionInvalid({"kind": "Choose a kind of section."})
    errors: dict[str, str] = {}
    section: dict[str, Any] = {"kind": kind}
    heading = _limit(errors, "heading", _clean(values.get("heading")), "heading")
    if kind == "hero":
        image = _clean(values.get("image"))
        decorative = values.get("decorative") in (True, "y", "on", "1", "true")
        alt = _limit(errors, "alt", _clean(values.get("alt")), "alt")
        if not DIGEST.match(image):
            errors["image"] = "Upload an image for this section."
        if not alt and not decorative:
            errors["alt"] = (
                "Describe the image for people who cannot see it, or mark it as decorative."
            )
        section.update(image=image, alt="" if decorative else alt, decorative=decorative)
        widths = values.get("widths")
        ratio = values.get("ratio")
        section["widths"] = sorted(
            {w for w in (widths if isinstance(widths, list) else []) if _size(w)}
        )
        section["ratio"] = [v for v in (ratio if isinstance(ratio, list) else []) if _size(v)][:2]
        if "image" not in errors and (not section["widths"] or len(section["ratio"]) != 2):
            errors["image"] = "The image was not stored completely. Upload it again."
    elif kind == "text":
        body = _limit(errors, "body", _clean(values.get("body")), "body")
        if not body:
            errors["body"] = "Write the text of this block."
        section.update(heading=heading, body=body)
    elif kind == "benefits":
        raw = values.get("items")
        lines = raw if isinstance(raw, list) else _clean(raw).split("\n")
        items = [_clean(line).lstrip("-•* ").strip() for line in lines]
        items = [item for item in items if item]
        if not items:
            errors["items"] = "List at least one benefit, one per line."
        elif len(items) > MAX_ITEMS:
            errors["items"] = f"List at most {MAX_ITEMS} benefits."
        elif any(len(item) > LIMITS["item"] for item in items):
            errors["items"] = f"Keep each benefit under {LIMITS['item']} characters."
        section.update(heading=heading, items=items)
    elif kind == "faq":
        raw = values.get("items")
        pairs: list[dict[str, str]]
        if isinstance(raw, list):
            pairs = [
                {"q": _clean(i.get("q")), "a": _clean(i.get("a"))}
                for i in raw
                if isinstance(i, dict) and _clean(i.get("q"))
            ]
        else:
            pairs = parse_faq(_clean(raw))
        if not pairs:
            errors["items"] = "Write at least one question with its answer."
        elif len(pairs) > MAX_ITEMS:
            errors["items"] = f"Ask at most {MAX_ITEMS} questions."
        elif any(not item["a"] for item in pairs):
            errors["items"] = "Every question needs an answer on the line below it."
        elif any(len(i["q"]) > LIMITS["question"] or len(i["a"]) > LIMITS["answer"] for i in pairs):
            errors["items"] = (
                f"Keep each question under {LIMITS['question']} characters and each answer "
                f"under {LIMITS['answer']:,}."
            )
        section.update(heading=heading, items=pairs)
    elif kind == "quote":
        quote = _limit(errors, "quote", _clean(values.get("quote")), "quote")
        name = _limit(errors, "name", _clean(values.get("name")), "name")
        role = _limit(errors, "role", _clean(values.get("role")), "role")
        if not quote:
            errors["quote"] = "Write the quote."
        if not name:
            errors["name"] = "Say who said it."
        section.update(quote=quote, name=name, role=role)
    if errors:
        raise SectionInvalid(errors)
    return section


def clean_sections(stored: Any) -> dict[str, list[dict[str, Any]]]:
    """Stored sections made safe to show: known pages and kinds, every section re-checked."""
    pages: dict[str, list[dict[str, Any]]] = {}
    source = stored if isinstance(stored, dict) else {}
    for page in PAGES:
        kept = []
        raw = source.get(page)
        for item in (raw if isinstance(raw, list) else [])[:MAX_SECTIONS]:
            if not isinstance(item, dict) or not SECTION_ID.match(str(item.get("id", ""))):
                continue
            try:
                section = check_section(str(item.get("kind", "")), item)
            except SectionInvalid:
                continue  # a damaged row shows nothing rather than something unchecked
            kept.append({"id": item["id"], **section})
        if kept:
            pages[page] = kept
    return pages


def words_of(section: Mapping[str, Any]) -> dict[str, Any]:
    """The words of a section, without its shared parts (id, kind, image)."""
    return {
        name: section[name] for name in WORDS.get(str(section.get("kind")), ()) if name in section
    }


def has_words(section: Mapping[str, Any]) -> bool:
    """Whether a section has anything to translate (a decorative image has not)."""
    return any(value for value in words_of(section).values())


def with_words(section: Mapping[str, Any], words: Any) -> dict[str, Any] | None:
    """The section with another language's words, checked like any section; None if they fail."""
    if not isinstance(words, dict) or not words:
        return None
    kind = str(section.get("kind", ""))
    chosen = {name: words.get(name, "") for name in WORDS.get(kind, ())}
    try:
        checked = check_section(kind, {**section, **chosen})
    except SectionInvalid:
        return None
    return {"id": section["id"], **checked}
