"""What a candidate reads about a résumé we cannot use: whole messages, translated where shown."""

from __future__ import annotations

from webapp.i18n import N_

# What the candidate reads: whole sentences, each translated where it is shown (the error travels
# from the child process that read the file, which has no page and so no language). Every upload
# problem ends by offering to paste the text instead.
MESSAGES = {
    "empty": N_(
        "This file is empty. Please choose your résumé again, or paste your résumé as text."
    ),
    "too_large": N_(
        "This file is larger than %(limit)s. Please upload a smaller version, or paste your "
        "résumé as text."
    ),
    "unpacks_too_large": N_(
        "This document is too large to read. Please upload a shorter version, or paste your "
        "résumé as text."
    ),
    "unsupported_type": N_(
        "We can't read %(extension)s files. Please upload a PDF, a Word document (.docx) or a "
        "plain-text file (.txt), or paste your résumé as text."
    ),
    "unknown_type": N_(
        "We can't tell what kind of file this is. Please upload a PDF, a Word document (.docx) or "
        "a plain-text file (.txt), or paste your résumé as text."
    ),
    "old_word": N_(
        "We can't read older Word (.doc) files. Please save it as .docx or PDF, or paste your "
        "résumé as text."
    ),
    "disguised": N_(
        "This file is named %(extension)s, but its contents look like %(looks_like)s. Please "
        "upload the original PDF, Word (.docx) or text file, or paste your résumé as text."
    ),
    "mismatch": N_(
        "This file is named %(extension)s, but its contents don't match. Please upload the "
        "original PDF, Word (.docx) or text file, or paste your résumé as text."
    ),
    "corrupt.pdf": N_(
        "We couldn't open this PDF; it may be damaged or incomplete. Please save it again and "
        "upload it, or paste your résumé as text."
    ),
    "corrupt.docx": N_(
        "We couldn't open this Word document; it may be damaged or incomplete. Please save it "
        "again and upload it, or paste your résumé as text."
    ),
    "corrupt.txt": N_(
        "We couldn't open this text file; it may be damaged or incomplete. Please save it again "
        "and upload it, or paste your résumé as text."
    ),
    "not_utf8": N_(
        "We couldn't read this text file because it isn't saved as UTF-8. Please save it as "
        "UTF-8 text and upload it, or paste your résumé as text."
    ),
    "encrypted": N_(
        "This PDF is password-protected. Please upload a version without a password, or paste "
        "your résumé as text."
    ),
    "scanned": N_(
        "We couldn't find any text in this PDF; it may be a scanned image. Please upload a PDF or "
        "Word file with selectable text, or paste your résumé as text."
    ),
    "too_complex.pdf": N_(
        "We couldn't read this PDF in time; it may be unusually complex. Please save it again as "
        "a simpler PDF, or paste your résumé as text."
    ),
    "too_complex.docx": N_(
        "We couldn't read this Word document in time; it may be unusually complex. Please save "
        "it again as a simpler PDF, or paste your résumé as text."
    ),
    "too_complex.txt": N_(
        "We couldn't read this text file in time; it may be unusually complex. Please save it "
        "again as a simpler PDF, or paste your résumé as text."
    ),
    "no_text": N_(
        "We couldn't find enough text in this file to use as a résumé. Please check you chose "
        "the right file, or paste your résumé as text."
    ),
    "too_short": N_("That's too short to be a résumé. Please paste the full text of your résumé."),
}
# "This PDF has 3 pages": the number decides the plural form, so it is a message of its own.
TOO_MANY_PAGES = (
    N_(
        "This PDF has %(num)d page; we accept up to %(limit)s. Please upload a shorter version, "
        "or paste your résumé as text."
    ),
    N_(
        "This PDF has %(num)d pages; we accept up to %(limit)s. Please upload a shorter version, "
        "or paste your résumé as text."
    ),
)

# What a file looks like, put into "its contents look like …" (translated there).
PDF, ZIP, WORD = N_("a PDF"), N_("a ZIP archive"), N_("a Word document")
# Leading bytes of formats people upload by mistake, so "disguised" can say what the file is.
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", ZIP),
    (b"PK\x05\x06", ZIP),
    (b"\x89PNG\r\n\x1a\n", N_("a PNG image")),
    (b"\xff\xd8\xff", N_("a JPEG image")),
    (b"GIF8", N_("a GIF image")),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", N_("an older Word (.doc) or Office file")),
    (b"{\\rtf", N_("a Rich Text (.rtf) document")),
    (b"\x7fELF", N_("a program")),
)
# Other Office formats are ZIPs too; their main part tells them apart from a DOCX.
ZIP_KINDS = {
    "xl/workbook.xml": N_("an Excel workbook"),
    "ppt/presentation.xml": N_("a PowerPoint file"),
    "content.xml": N_("an OpenDocument file"),
}
