"""Résumé text: turn an uploaded PDF, DOCX or TXT file, or pasted text, into clean plain text."""

from __future__ import annotations

import codecs
import io
import logging
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal

from flask_babel import gettext, ngettext
from pypdf import PasswordType, PdfReader

from webapp.services.budgeted import DEFAULT_BUDGET, Budget, BudgetExceeded, run_budgeted
from webapp.services.resume_docx import docx_text
from webapp.services.resume_messages import MESSAGES, SIGNATURES, TOO_MANY_PAGES, ZIP_KINDS
from webapp.services.resume_messages import PDF as _PDF
from webapp.services.resume_messages import WORD as _WORD
from webapp.services.resume_messages import ZIP as _ZIP

log = logging.getLogger(__name__)

ACCEPTED_EXTENSIONS: tuple[str, ...] = (".pdf", ".docx", ".txt")

ErrorCode = Literal[
    "empty",
    "too_large",
    "unsupported_type",
    "disguised",
    "corrupt",
    "encrypted",
    "no_text",
    "too_many_pages",
    "too_complex",
]


# Real résumés hold a few dozen ZIP members and a document.xml of at most a few megabytes;
# these caps stop a small upload from unpacking into gigabytes before we read a word.
_MAX_DOCX_MEMBERS = 1000
_MAX_DOCX_XML_BYTES = 20 * 1024 * 1024
_MAX_DOCX_TOTAL_BYTES = 60 * 1024 * 1024


@dataclass(frozen=True)
class ResumeLimits:
    """How much résumé we accept: file size, PDF pages, and characters of text."""

    max_bytes: int = 5 * 1024 * 1024
    max_pages: int = 20
    max_chars: int = 60_000
    min_chars: int = 30


Message = str | tuple[str, str]


class ResumeError(ValueError):
    """A résumé we cannot use: ``code`` for the program, ``message`` for the candidate.

    It keeps the untranslated message and its values; ``message`` is read in the language of the
    page that shows it (English where there is none, as in logs and tests).
    """

    def __init__(
        self, code: ErrorCode, text: Message, values: dict[str, str | int] | None = None
    ) -> None:
        super().__init__(code)
        self.code: ErrorCode = code
        self.text = text
        self.values = dict(values or {})

    @property
    def message(self) -> str:
        """What the candidate reads, in the page's language."""
        values = dict(self.values)
        if isinstance(values.get("looks_like"), str):
            values["looks_like"] = gettext(str(values["looks_like"]))
        if isinstance(self.text, tuple):
            return ngettext(*self.text, int(values.pop("num")), **values)
        return gettext(self.text, **values)

    def __str__(self) -> str:
        return self.message

    def __reduce__(
        self,
    ) -> tuple[type[ResumeError], tuple[ErrorCode, Message, dict[str, str | int]]]:
        # It travels pickled from the process that read the file.
        return ResumeError, (self.code, self.text, self.values)


def extract_resume_text(
    filename: str,
    data: bytes,
    limits: ResumeLimits = ResumeLimits(),
    budget: Budget = DEFAULT_BUDGET,
) -> str:
    """Return the normalised plain text of an uploaded résumé, or raise ResumeError.

    The file is parsed in a child process held to ``budget``: a hostile document costs at most
    that much CPU and memory, and is refused with the code ``too_complex``.
    """
    extension = _extension(filename)
    if extension == ".doc":
        raise _error("unsupported_type", "old_word")
    if extension not in ACCEPTED_EXTENSIONS:
        known = extension and len(extension) <= 10  # an odd "extension" is not worth echoing
        raise _error("unsupported_type", None if known else "unknown_type", extension=extension)
    if not data:
        raise _error("empty")
    if len(data) > limits.max_bytes:
        raise _error("too_large", limit=_size(limits.max_bytes))
    try:
        text: str = run_budgeted(_read, (extension, data, limits), budget, passes=(ResumeError,))
    except BudgetExceeded as stopped:
        log.warning("a %s résumé of %d bytes was not read: %s", extension, len(data), stopped)
        if stopped.reason == "memory":
            raise _error("too_large", "unpacks_too_large") from None
        if stopped.reason == "failed":
            raise _corrupt(extension) from None
        raise _error("too_complex", f"too_complex{extension}") from None
    return text


def _read(extension: str, data: bytes, limits: ResumeLimits) -> str:
    """The whole costly part, run inside the budgeted child: parse, normalise, cut."""
    text = _normalise(_READERS[extension](data, limits))
    if len(text) < limits.min_chars:
        raise _error("no_text", "scanned" if extension == ".pdf" else None)
    return _cut(text, limits.max_chars)


def clean_pasted_resume(text: str, limits: ResumeLimits = ResumeLimits()) -> str:
    """Return pasted résumé text normalised and cut to size, or raise ResumeError if too short."""
    cleaned = _normalise(text)
    if len(cleaned) < limits.min_chars:
        raise ResumeError("no_text", MESSAGES["too_short"])
    return _cut(cleaned, limits.max_chars)


def _error(code: ErrorCode, key: str | None = None, **fields: str | int) -> ResumeError:
    return ResumeError(code, MESSAGES[key or code], fields)


_LINE_BREAKS = re.compile(r"\r\n?|[\x0b\x0c\x85\u2028\u2029]")
# C0/C1 controls (newline and tab survive), lone surrogates, and invisible characters that
# only get in the way of a reader: BOM, soft hyphen, zero-width space.
_INVISIBLE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufeff\u00ad\u200b]")
_HORIZONTAL_SPACE = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def _normalise(text: str) -> str:
    """NFC, no control characters, single spaces, at most one blank line, stripped."""
    text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE.sub("", _LINE_BREAKS.sub("\n", text))
    # A run that held a tab keeps one tab: it separates table cells or columns.
    text = _HORIZONTAL_SPACE.sub(lambda m: "\t" if "\t" in m.group() else " ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", text).strip()


def _cut(text: str, max_chars: int) -> str:
    """Cut text to at most max_chars, at the last whitespace before the limit when there is one."""
    if len(text) <= max_chars:
        return text
    head = text[: max_chars + 1]  # one extra so a space right at the limit counts as a boundary
    boundary = max(head.rfind(" "), head.rfind("\n"), head.rfind("\t"))
    if boundary < max_chars // 2:  # one enormous "word": a hard cut loses less
        boundary = max_chars
    return text[:boundary].rstrip()


def _extension(filename: str) -> str:
    # Some browsers send a full client path; only the last component names the file.
    name = filename.strip().replace("\\", "/").rsplit("/", 1)[-1]
    stem, dot, suffix = name.rpartition(".")
    return f".{suffix.lower()}" if dot and stem else ""


def _size(n: int) -> str:
    mb = n / (1024 * 1024)
    return f"{mb:g} MB" if mb >= 1 else f"{n // 1024} KB"


def _disguised(extension: str, looks_like: str | None) -> ResumeError:
    if looks_like:
        return _error("disguised", extension=extension, looks_like=looks_like)
    return _error("disguised", "mismatch", extension=extension)


def _corrupt(extension: str) -> ResumeError:
    return _error("corrupt", f"corrupt{extension}")


def _sniff(data: bytes) -> str | None:
    head = data[:1024]
    # The PDF format lets the header sit anywhere in the first kilobyte, and readers accept that.
    if b"%PDF-" in head:
        return _PDF
    label = next((label for magic, label in SIGNATURES if head.startswith(magic)), None)
    if label == _ZIP and b"word/document.xml" in data:
        return _WORD
    return label


@contextmanager
def _parsing(extension: str) -> Iterator[None]:
    """Silence library warnings and turn any library failure into a "corrupt" ResumeError."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            yield
        except (ResumeError, MemoryError):
            raise  # running out of memory is the budget's to report, not "damaged"
        # Parsers raise whatever malformed input provokes (KeyError, RecursionError, ...),
        # and an upload is untrusted input; every such failure means "we can't read it".
        except Exception as exc:
            raise _corrupt(extension) from exc


def _pdf_text(data: bytes, limits: ResumeLimits) -> str:
    looks_like = _sniff(data)
    if looks_like != _PDF:
        raise _disguised(".pdf", looks_like)
    with _parsing(".pdf"):
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:  # many PDFs are encrypted only to restrict printing, with an empty password
                opened = reader.decrypt("") != PasswordType.NOT_DECRYPTED
            except Exception:  # noqa: BLE001 — an unknown or certificate-based security handler
                opened = False
            if not opened:
                raise _error("encrypted")
        pages = len(reader.pages)
        if pages > limits.max_pages:
            raise ResumeError(
                "too_many_pages", TOO_MANY_PAGES, {"num": pages, "limit": limits.max_pages}
            )
        texts: list[str] = []
        for page in reader.pages:
            texts.append(page.extract_text() or "")
            if sum(map(len, texts)) > 4 * limits.max_chars:  # the rest would be cut anyway
                break
        return "\n\n".join(texts)


def _docx_text(data: bytes, limits: ResumeLimits) -> str:
    looks_like = _sniff(data)
    if looks_like not in (_ZIP, _WORD):
        raise _disguised(".docx", looks_like)
    with _parsing(".docx"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
        if len(members) > _MAX_DOCX_MEMBERS:
            raise _corrupt(".docx")
        sizes = {member.filename: member.file_size for member in members}
        if "word/document.xml" not in sizes:
            kind = next((k for part, k in ZIP_KINDS.items() if part in sizes), _ZIP)
            raise _disguised(".docx", kind)
        # Declared sizes are trustworthy here: zipfile never inflates a member past its own.
        too_big = sizes["word/document.xml"] > _MAX_DOCX_XML_BYTES
        if too_big or sum(sizes.values()) > _MAX_DOCX_TOTAL_BYTES:
            raise _error("too_large", "unpacks_too_large")
        return docx_text(data)


def _text_file(data: bytes, limits: ResumeLimits) -> str:
    looks_like = _sniff(data)
    if looks_like:
        raise _disguised(".txt", looks_like)
    if data.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif b"\x00" in data:  # no text encoding we accept has NUL bytes in ordinary text
        raise _disguised(".txt", None)
    else:
        encoding = "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        raise _error("corrupt", "not_utf8") from None
    sample = text[:4096]
    controls = sum(1 for ch in sample if ch < " " and ch not in "\t\n\r\x0c")
    if "\x00" in sample or controls > len(sample) // 50:
        raise _disguised(".txt", None)
    return text


_READERS: dict[str, Callable[[bytes, ResumeLimits], str]] = {
    ".pdf": _pdf_text,
    ".docx": _docx_text,
    ".txt": _text_file,
}
