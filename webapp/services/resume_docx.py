"""Word (.docx) résumés: their text, read from the document XML in reading order."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import docx

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# Properties hold tab-stop definitions, not tabs; Fallback repeats what Choice already said.
_NOT_TEXT = {f"{_W}pPr", f"{_W}rPr", f"{_W}del", f"{_W}sectPr", _FALLBACK}


def docx_text(data: bytes) -> str:
    """The text of a Word document: page-header lines first, then the body, one block a line."""
    document = docx.Document(io.BytesIO(data))
    lines: list[str] = []
    # Templates often put the candidate's name and contacts in the page header.
    for section in document.sections:
        for header in (section.first_page_header, section.header):
            if header.is_linked_to_previous:
                continue
            for line in _blocks(header.part.element):
                if line not in lines:
                    lines.append(line)
    lines.extend(_blocks(document.element.body))
    return "\n".join(lines)


def _blocks(container: Any) -> Iterator[str]:
    """Yield the lines of a body, cell, header or text box in document order."""
    for child in container:
        if child.tag == f"{_W}p":
            parts: list[str] = []
            boxes: list[str] = []
            _runs(child, parts, boxes)
            yield "".join(parts)
            yield from boxes
        elif child.tag == f"{_W}tbl":
            yield from _table(child)
        elif child.tag not in _NOT_TEXT:
            yield from _blocks(child)  # content controls and custom XML wrap ordinary blocks


def _runs(element: Any, parts: list[str], boxes: list[str]) -> None:
    for child in element:
        tag = child.tag
        if tag == f"{_W}t":
            parts.append(child.text or "")
        elif tag == f"{_W}tab":
            parts.append("\t")
        elif tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
        elif tag == f"{_W}noBreakHyphen":
            parts.append("-")
        elif tag == f"{_W}txbxContent":  # résumé sidebars are often text boxes
            boxes.extend(_blocks(child))
        elif tag not in _NOT_TEXT:
            _runs(child, parts, boxes)


def _table(table: Any) -> Iterator[str]:
    for row in table.iterchildren(f"{_W}tr"):
        cells = ["\n".join(_blocks(cell)).strip() for cell in row.iterchildren(f"{_W}tc")]
        cells = [cell for cell in cells if cell]
        # A row of short cells reads as one line; a layout column stays a block of its own.
        if all("\n" not in cell for cell in cells):
            yield "\t".join(cells)
        else:
            yield from cells
