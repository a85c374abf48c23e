"""Real files for upload tests, built at test time: PDFs (text, scanned, encrypted), DOCX, ZIP."""

from __future__ import annotations

import io
import pathlib
import zipfile

import docx
from fpdf import FPDF
from PIL import Image, ImageDraw
from pypdf import PdfWriter

DEJAVU = pathlib.Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
# fpdf2's built-in fonts stop at Latin-1; with DejaVu the PDF can carry a Czech name as well.
PDF_NAME = "Zoë Štěpánková" if DEJAVU.exists() else "Zoë Müller"
NAME = "Zoë Štěpánková"
BODY = "Backend engineer with eight years of Python, PostgreSQL and Kafka experience."


def make_pdf(*pages: str) -> bytes:
    pdf = FPDF()
    family = "helvetica"
    if DEJAVU.exists():
        pdf.add_font("DejaVu", fname=str(DEJAVU))
        family = "DejaVu"
    for text in pages:
        pdf.add_page()
        pdf.set_font(family, size=12)
        pdf.multi_cell(0, 6, text)
    return bytes(pdf.output())


def make_scanned_pdf() -> bytes:
    page = Image.new("RGB", (620, 880), "white")
    draw = ImageDraw.Draw(page)
    for row in range(12):
        draw.text((40, 40 + row * 30), f"{BODY} ({row})", fill="black")
    pdf = FPDF()
    pdf.add_page()
    pdf.image(page, x=10, y=10, w=190)
    return bytes(pdf.output())


def encrypt(data: bytes, user_password: str) -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(data))
    writer.encrypt(user_password=user_password, owner_password="owner-only", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def make_docx(*paragraphs: str, table: tuple[tuple[str, str], ...] = (), after: str = "") -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=2)
        for row, (label, value) in zip(grid.rows, table, strict=True):
            row.cells[0].text = label
            row.cells[1].text = value
    if after:
        document.add_paragraph(after)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def resume_pdf() -> bytes:
    return make_pdf(f"{PDF_NAME}\n{BODY}")


def resume_docx() -> bytes:
    return make_docx(NAME, BODY)


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)
OLD_WORD = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(200)
