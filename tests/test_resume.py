"""Uploaded and pasted résumés become clean text; unusable files get a code and a kind word."""

from __future__ import annotations

import codecs
import io
import pathlib
import zipfile
from collections.abc import Callable

import docx
import pytest

from tests.files import (
    BODY,
    EXE,
    NAME,
    OLD_WORD,
    PDF_NAME,
    PNG,
    encrypt,
    make_docx,
    make_pdf,
    make_scanned_pdf,
    make_zip,
    resume_docx,
    resume_pdf,
)
from webapp.demo.resumes import write_sample_resumes
from webapp.services.resume import (
    ACCEPTED_EXTENSIONS,
    ResumeError,
    ResumeLimits,
    clean_pasted_resume,
    extract_resume_text,
)


def test_pdf_text_is_extracted_with_its_accents() -> None:
    text = extract_resume_text("cv.pdf", resume_pdf())
    assert PDF_NAME in text
    assert "PostgreSQL and Kafka" in text


def test_every_pdf_page_is_read_in_order() -> None:
    text = extract_resume_text("cv.pdf", make_pdf(f"Page one: {PDF_NAME}", f"Page two: {BODY}"))
    assert text.index("Page one") < text.index("Page two")


def test_pdf_encrypted_without_a_user_password_is_read() -> None:
    assert PDF_NAME in extract_resume_text("cv.pdf", encrypt(resume_pdf(), user_password=""))


def test_pdf_with_bytes_before_its_header_is_read() -> None:
    assert PDF_NAME in extract_resume_text("cv.pdf", b"\r\n\xef\xbb\xbf" + resume_pdf())


def test_docx_keeps_paragraphs_and_table_cells_in_document_order() -> None:
    data = make_docx(
        NAME,
        BODY,
        table=(("Languages", "Python, Go"), ("Databases", "PostgreSQL, Redis")),
        after="References available on request.",
    )
    text = extract_resume_text("cv.docx", data)
    assert text.splitlines() == [
        NAME,
        BODY,
        "Languages\tPython, Go",
        "Databases\tPostgreSQL, Redis",
        "References available on request.",
    ]


def test_docx_page_header_is_part_of_the_text() -> None:
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = f"{NAME} · zoe@example.com"
    document.add_paragraph(BODY)
    out = io.BytesIO()
    document.save(out)
    text = extract_resume_text("cv.docx", out.getvalue())
    assert text.splitlines() == [f"{NAME} · zoe@example.com", BODY]


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: text.encode("utf-8"),
        lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
        lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
        lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
    ],
    ids=["utf-8", "utf-8 with BOM", "utf-16-le with BOM", "utf-16-be with BOM"],
)
def test_text_files_are_read_in_every_accepted_encoding(encode: Callable[[str], bytes]) -> None:
    text = extract_resume_text("cv.txt", encode(f"{NAME}\n{BODY}\n"))
    assert text == f"{NAME}\n{BODY}"


@pytest.mark.parametrize("filename", ["CV.PDF", r"C:\Users\zoe\My CV.pdf", "/home/zoe/cv.v2.pdf"])
def test_extension_is_read_from_the_last_part_of_any_client_path(filename: str) -> None:
    assert PDF_NAME in extract_resume_text(filename, resume_pdf())


def corrupt_docx() -> bytes:
    data = resume_docx()
    return data[: len(data) // 2]


def docx_bomb() -> bytes:
    # 21 MB of zeros deflates to about 20 KB: small upload, huge document.xml.
    return make_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": bytes(21 << 20)})


def crowded_docx() -> bytes:
    # A readable document, buried among a thousand extra members.
    out = io.BytesIO(resume_docx())
    with zipfile.ZipFile(out, "a") as archive:
        for n in range(1001):
            archive.writestr(f"extras/part{n}.xml", b"")
    return out.getvalue()


# (filename, content, code, a word the message must contain so it explains this case)
BAD_FILES: list[tuple[str, Callable[[], bytes], str, str]] = [
    ("scan.pdf", make_scanned_pdf, "no_text", "scanned"),
    ("locked.pdf", lambda: encrypt(resume_pdf(), "hunter2"), "encrypted", "password"),
    ("cut.pdf", lambda: resume_pdf()[:1000], "corrupt", "damaged"),
    ("junk.pdf", lambda: b"%PDF-1.7\n" + bytes(range(256)) * 8, "corrupt", "damaged"),
    ("cut.docx", corrupt_docx, "corrupt", "damaged"),
    ("bad-xml.docx", lambda: make_zip({"word/document.xml": b"<w:document"}), "corrupt", "damaged"),
    ("crowded.docx", crowded_docx, "corrupt", "damaged"),
    ("bomb.docx", docx_bomb, "too_large", "too large"),
    ("photo.pdf", lambda: PNG, "disguised", "PNG image"),
    ("setup.pdf", lambda: EXE, "disguised", "don't match"),
    ("cv.docx", resume_pdf, "disguised", "a PDF"),
    ("cv.pdf", resume_docx, "disguised", "Word document"),
    ("photos.docx", lambda: make_zip({"holiday.jpg": b"\xff\xd8\xff"}), "disguised", "ZIP"),
    ("sheet.docx", lambda: make_zip({"xl/workbook.xml": b"<w/>"}), "disguised", "Excel"),
    ("notes.txt", lambda: EXE, "disguised", "don't match"),
    ("notes.txt", lambda: bytes(range(1, 32)) * 40, "disguised", "don't match"),
    ("notes.txt", resume_pdf, "disguised", "a PDF"),
    ("legacy.txt", lambda: f"Zoë Müller: {BODY}".encode("latin-1"), "corrupt", "UTF-8"),
    ("short.txt", lambda: b"Zoe, engineer.", "no_text", "enough text"),
    ("blank.docx", make_docx, "no_text", "enough text"),
    ("empty.pdf", lambda: b"", "empty", "empty"),
    ("empty.docx", lambda: b"", "empty", "empty"),
    ("empty.txt", lambda: b"", "empty", "empty"),
    ("setup.exe", lambda: EXE, "unsupported_type", ".exe"),
    ("cv.doc", lambda: OLD_WORD, "unsupported_type", ".docx"),
    ("cv.pages", resume_pdf, "unsupported_type", ".pages"),
    ("cv", resume_pdf, "unsupported_type", "what kind"),
]


@pytest.mark.parametrize(
    ("filename", "content", "code", "hint"),
    BAD_FILES,
    ids=[f"{code}-{filename}-{hint}" for filename, _, code, hint in BAD_FILES],
)
def test_unusable_files_are_refused_with_a_code_and_a_kind_message(
    filename: str, content: Callable[[], bytes], code: str, hint: str
) -> None:
    with pytest.raises(ResumeError) as caught:
        extract_resume_text(filename, content())
    assert caught.value.code == code
    assert hint in caught.value.message
    assert str(caught.value) == caught.value.message
    assert caught.value.message.endswith(".")


@pytest.mark.parametrize("extension", ACCEPTED_EXTENSIONS)
def test_oversized_files_are_refused_before_they_are_parsed(extension: str) -> None:
    limits = ResumeLimits(max_bytes=1024)
    with pytest.raises(ResumeError) as caught:
        extract_resume_text(f"cv{extension}", b"\x00" * 1025, limits)
    assert caught.value.code == "too_large"
    assert "1 KB" in caught.value.message


def test_pdf_with_too_many_pages_is_refused() -> None:
    limits = ResumeLimits(max_pages=2)
    data = make_pdf(PDF_NAME, BODY, "Referees on request.")
    with pytest.raises(ResumeError) as caught:
        extract_resume_text("cv.pdf", data, limits)
    assert caught.value.code == "too_many_pages"
    assert "3 pages" in caught.value.message


@pytest.mark.parametrize("make", [resume_pdf, resume_docx], ids=["pdf", "docx"])
@pytest.mark.parametrize("where", [0.1, 0.3, 0.5, 0.7, 0.9])
def test_damaged_files_raise_nothing_but_resume_error(
    make: Callable[[], bytes], where: float
) -> None:
    data = bytearray(make())
    start = int(len(data) * where)
    data[start : start + 64] = bytes(range(64))
    extension = ".pdf" if data.startswith(b"%PDF") else ".docx"
    try:
        extract_resume_text(f"cv{extension}", bytes(data))
    except ResumeError as error:
        assert error.message


def test_text_is_normalised() -> None:
    messy = (
        "\ufeff  Zoe\u0308   Štěpánková\u00a0 \r\n"
        "Backend\x07 engineer\u200b with   eight years\t\t of Python.\r\n"
        "\r\n\r\n\r\n   \n"
        "Skills:\fPostgreSQL,\u00adKafka  \n\n"
    )
    assert clean_pasted_resume(messy) == (
        "Zoë Štěpánková\nBackend engineer with eight years\tof Python.\n\nSkills:\nPostgreSQL,Kafka"
    )


@pytest.mark.parametrize("max_chars", [40, 41, 57, 100])
def test_long_text_is_cut_at_a_word_boundary(max_chars: int) -> None:
    words = "Designed idempotent payout APIs for three thousand merchants across Europe " * 5
    limits = ResumeLimits(max_chars=max_chars)
    full = clean_pasted_resume(words)
    pasted = clean_pasted_resume(words, limits)
    uploaded = extract_resume_text("cv.txt", words.encode(), limits)
    for text in (pasted, uploaded):
        assert len(text) <= max_chars
        assert full.startswith(text)
        assert full[len(text)] == " "


def test_pasted_text_that_is_too_short_is_refused() -> None:
    with pytest.raises(ResumeError) as caught:
        clean_pasted_resume("  Zoë \n\n  engineer  ")
    assert caught.value.code == "no_text"
    assert caught.value.message


SAMPLES = {
    "amara-okafor.pdf": "Amara Okafor",
    "lukas-novak.docx": "Lukáš Novák",
    "sofia-herrera.txt": "Sofía Herrera",
}


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pathlib.Path]:
    paths = write_sample_resumes(tmp_path_factory.mktemp("samples"))
    return {path.name: path for path in paths}


def test_sample_resumes_are_one_pdf_one_docx_and_one_text_file(
    samples: dict[str, pathlib.Path],
) -> None:
    assert set(samples) == set(SAMPLES)


@pytest.mark.parametrize(("filename", "name"), SAMPLES.items())
def test_sample_resumes_extract_cleanly(
    samples: dict[str, pathlib.Path], filename: str, name: str
) -> None:
    text = extract_resume_text(filename, samples[filename].read_bytes())
    assert len(text) > 300
    assert text.startswith(name)
