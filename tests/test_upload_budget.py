"""Every uploaded file is read under a hard CPU and memory budget, a few at a time per process."""

from __future__ import annotations

import io
import os
import threading
import time
import zipfile
import zlib
from typing import Any

import pytest
from flask import Flask

from tests import studio_fixtures
from tests.files import make_docx, resume_pdf
from tests.helpers import applications
from tests.studio_fixtures import png_bytes, upload_logo
from tests.test_apply import APPLY, form
from webapp.services import resume
from webapp.services.budgeted import Budget, BudgetExceeded, run_budgeted
from webapp.services.resume import ResumeError, ResumeLimits, extract_resume_text
from webapp.uploads import EXTENSION_KEY, UploadSlots

# The studio's fixtures: the app with its positions, and a signed-in marketer.
seeded = studio_fixtures.seeded
marketer = studio_fixtures.marketer

ONE_SECOND = Budget(cpu_seconds=1, wall_seconds=20)
# What a stopped worker may have used beyond its budget: the kernel checks CPU limits on its
# clock tick and the hard limit sits one second above the soft one.
MARGIN = 1.2


def hostile_pdf(noops: int = 3_000_000) -> bytes:
    """A one-page PDF whose content stream repeats "q Q" (save and restore: nothing) millions
    of times before one word of text; Flate keeps the file at a few kilobytes."""
    content = zlib.compress(b"q Q " * noops + b"BT /F1 12 Tf 72 700 Td (Hello) Tj ET", 9)
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 "
        + font
        + b" >> >> /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content)
        + content
        + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def hostile_docx() -> bytes:
    """An 80 KB Word file whose document.xml unpacks to 15 MB of tiny paragraphs."""
    source = zipfile.ZipFile(io.BytesIO(make_docx("Lukáš Novák", "Account manager.")))
    paragraph = b"<w:p><w:r><w:t>Lorem ipsum dolor sit amet</w:t></w:r></w:p>"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "word/document.xml":
                data = data.replace(b"<w:body>", b"<w:body>" + paragraph * 250_000)
            archive.writestr(member, data)
    return out.getvalue()


def burn(seconds: float) -> float:
    """Spend this much CPU, then say how much this process has used in all."""
    start = time.process_time()
    while time.process_time() - start < seconds:
        pass
    return time.process_time()


def test_a_small_pdf_of_millions_of_no_ops_is_stopped_by_the_cpu_limit() -> None:
    data = hostile_pdf()
    assert len(data) < 100_000
    started = time.monotonic()
    with pytest.raises(BudgetExceeded) as stopped:
        run_budgeted(resume._read, (".pdf", data, ResumeLimits()), ONE_SECOND)
    assert stopped.value.reason == "cpu"
    assert stopped.value.detail in ("stopped by SIGXCPU", "stopped by SIGKILL")
    # The kernel's account of the worker (os.wait4): it ran to its limit and no further.
    assert 0.5 <= stopped.value.cpu_seconds <= ONE_SECOND.cpu_seconds + MARGIN
    assert time.monotonic() - started < ONE_SECOND.wall_seconds


def test_the_hostile_pdf_is_refused_with_the_budget_code_and_a_kind_message() -> None:
    with pytest.raises(ResumeError) as refused:
        extract_resume_text("cv.pdf", hostile_pdf(), budget=ONE_SECOND)
    assert refused.value.code == "too_complex"
    assert refused.value.message == (
        "We couldn't read this PDF in time; it may be unusually complex. "
        "Please save it again as a simpler PDF, or paste your résumé as text."
    )


def test_a_word_file_of_millions_of_tiny_paragraphs_is_refused_too() -> None:
    data = hostile_docx()
    assert len(data) < 100_000
    with pytest.raises(ResumeError) as refused:
        extract_resume_text("cv.docx", data, budget=ONE_SECOND)
    assert refused.value.code == "too_complex"
    assert "We couldn't read this Word document in time" in refused.value.message


def test_the_limit_is_per_upload_and_never_adds_up() -> None:
    # Three files of 0.6 s each would break a 1 s limit kept by one pooled process.
    totals = [run_budgeted(burn, (0.6,), ONE_SECOND) for _ in range(3)]
    assert all(total < ONE_SECOND.cpu_seconds for total in totals)


def test_running_out_of_memory_is_reported_as_such() -> None:
    small = Budget(memory_bytes=512 * 1024 * 1024)
    with pytest.raises(BudgetExceeded) as stopped:
        run_budgeted(bytearray, (2 * 1024 * 1024 * 1024,), small)
    assert stopped.value.reason == "memory"


@pytest.mark.parametrize(
    ("func", "args", "detail"),
    [(int, ("not a number",), "ValueError"), (os.abort, (), "stopped by SIGABRT")],
)
def test_a_worker_that_fails_or_crashes_is_reported_without_its_exception(
    func: Any, args: tuple[Any, ...], detail: str
) -> None:
    with pytest.raises(BudgetExceeded) as stopped:
        run_budgeted(func, args, ONE_SECOND)
    assert stopped.value.reason == "failed"
    assert stopped.value.detail == detail


def test_expected_errors_come_back_as_themselves() -> None:
    with pytest.raises(ValueError, match="invalid literal"):
        run_budgeted(int, ("not a number",), ONE_SECOND, passes=(ValueError,))
    assert run_budgeted(len, (b"x" * 5_000_000,), ONE_SECOND) == 5_000_000


# ------------------------------------------------------------------ through the site


def post_file(client: Any, name: str, content: bytes, **overrides: object) -> Any:
    return client.post(
        APPLY,
        data=form(resume_text=None, resume_file=(io.BytesIO(content), name), **overrides),
        content_type="multipart/form-data",
    )


def test_a_hostile_pdf_gets_a_422_next_to_the_field_and_the_form_is_kept(
    seeded: Flask, client: Any
) -> None:
    seeded.extensions[EXTENSION_KEY] = UploadSlots(threading.BoundedSemaphore(2), ONE_SECOND, 0.1)
    response = post_file(client, "cv.pdf", hostile_pdf(), full_name="Lukáš Novák")
    page = response.get_data(as_text=True).replace("&#39;", "'")
    assert response.status_code == 422
    error = page.split('id="resume_file-error"', 1)[1].split("</p>", 1)[0]
    assert "We couldn't read this PDF in time; it may be unusually complex." in error
    assert 'value="Lukáš Novák"' in page
    assert applications(seeded) == []


def test_a_worker_out_of_memory_is_a_422_never_a_500(seeded: Flask, client: Any) -> None:
    # Less than the worker's interpreter already holds: reading 300 KB of text cannot fit.
    cramped = Budget(memory_bytes=64 * 1024 * 1024)
    seeded.extensions[EXTENSION_KEY] = UploadSlots(threading.BoundedSemaphore(2), cramped, 0.1)
    response = post_file(client, "cv.txt", "Résumé line, plain text.\n".encode() * 12_000)
    assert response.status_code == 422
    assert "This document is too large to read" in response.get_data(as_text=True)


def test_with_every_slot_taken_an_upload_gets_503_retry_after_and_its_form_back(
    seeded: Flask, client: Any
) -> None:
    seeded.extensions[EXTENSION_KEY] = gate = UploadSlots(
        threading.BoundedSemaphore(2), ONE_SECOND, 0.05
    )
    for _ in range(2):
        assert gate.slots.acquire(blocking=False)
    try:
        busy = post_file(client, "cv.pdf", resume_pdf(), full_name="Lukáš Novák")
        pasted = client.post(APPLY, data=form(email="pasted@example.com"))
    finally:
        gate.slots.release()
        gate.slots.release()
    page = busy.get_data(as_text=True)
    assert busy.status_code == 503
    assert busy.headers["Retry-After"] == "2"
    assert "We are busy reading other résumés" in page
    assert "Please send it again in a few seconds." in page
    assert "please choose it again" in page
    assert 'value="Lukáš Novák"' in page
    assert pasted.status_code == 303  # pasted text needs no slot
    assert post_file(client, "cv.pdf", resume_pdf()).status_code == 303


def test_with_every_slot_taken_a_logo_upload_gets_503_and_retry_after(
    seeded: Flask, marketer: Any
) -> None:
    gate: UploadSlots = seeded.extensions[EXTENSION_KEY]
    acquired = 0
    while gate.slots.acquire(blocking=False):
        acquired += 1
    try:
        response = upload_logo(marketer, png_bytes())
    finally:
        for _ in range(acquired):
            gate.slots.release()
    assert acquired == 2  # the default: two files at once
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "4"
    assert "upload the logo again in a few seconds" in response.get_data(as_text=True)
    assert upload_logo(marketer, png_bytes()).status_code == 303
