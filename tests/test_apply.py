"""Applying: validation next to fields, every bad upload explained, one application per e-mail."""

from __future__ import annotations

import io
import re

import pytest
from flask import Flask

from tests.files import EXE, PNG, encrypt, make_docx, make_pdf, make_scanned_pdf, resume_pdf
from tests.helpers import applications, seed

APPLY = "/jobs/data-analyst-amsterdam/apply"
RESUME = (
    "Data analyst with four years of SQL, Python and dashboard work for a logistics company; "
    "built demand forecasts per region and explained them to operations managers."
)


@pytest.fixture
def seeded(app: Flask) -> Flask:
    seed(app)
    return app


def form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "full_name": "Amara Okafor",
        "email": "amara@example.com",
        "country": "NG",
        "resume_text": RESUME,
        "consent": "y",
        "website": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def upload(name: str, content: bytes) -> tuple[io.BytesIO, str]:
    return (io.BytesIO(content), name)


def test_form_labels_every_field_and_offers_countries_by_name(seeded: Flask, client) -> None:
    page = client.get(APPLY).get_data(as_text=True)
    for field_id in (
        "full_name",
        "email",
        "country",
        "resume_file",
        "resume_text",
        "linkedin_url",
        "consent",
    ):
        assert re.search(rf'<label for="{field_id}"', page), field_id
    assert "<option value=HR>Croatia" in page
    assert "JobMojito" in page  # the consent names who receives the data


def test_a_valid_application_is_stored_and_leads_to_its_own_page(seeded: Flask, client) -> None:
    response = client.post(APPLY, data=form())
    assert response.status_code == 303
    assert re.match(r"^/applications/[\w.-]+$", response.headers["Location"])
    [stored] = applications(seeded)
    assert stored["email"] == "amara@example.com"
    assert stored["job_state"] == "pending"
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    assert "we have your application" in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"
    assert page.headers["Referrer-Policy"] == "no-referrer"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"full_name": ""}, "full_name", "Enter your full name."),
        ({"email": "not-an-email"}, "email", "Enter an e-mail address like name@example.com."),
        ({"country": ""}, "country", "Choose your country."),
        ({"country": "XX"}, "country", "Not a valid choice"),
        ({"consent": None}, "consent", "Please agree so that we can run your interview."),
        (
            {"linkedin_url": "https://evil.example/in/me"},
            "linkedin_url",
            "Enter a LinkedIn profile address",
        ),
        ({"resume_text": ""}, "resume_file", "Upload your résumé or paste it as text."),
        ({"resume_text": "too short"}, "resume_text", "too short to be a résumé"),
    ],
)
def test_each_invalid_field_gets_its_message_next_to_it_and_input_is_kept(
    seeded: Flask, client, overrides: dict[str, object], field: str, message: str
) -> None:
    response = client.post(
        APPLY,
        data=form(full_name="Zoë <b>Štěpánková</b>", **overrides)
        if "full_name" not in overrides
        else form(**overrides),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="{field}-error"' in page
    error = page.split(f'id="{field}-error"', 1)[1].split("</p>", 1)[0]
    assert message in error
    assert 'role="alert"' in page  # the summary is announced
    if "full_name" not in overrides:
        assert 'value="Zoë &lt;b&gt;Štěpánková&lt;/b&gt;"' in page  # kept, and escaped
    assert applications(seeded) == []


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("cv.pdf", lambda: make_scanned_pdf(), "couldn't find any text in this PDF"),
        ("cv.pdf", lambda: encrypt(make_pdf("Secret résumé " * 20), "pw"), "password-protected"),
        ("cv.pdf", lambda: resume_pdf()[:300], "couldn't open this PDF"),
        ("cv.pdf", lambda: PNG, "look like a PNG image"),
        ("cv.docx", lambda: resume_pdf(), "named .docx"),
        ("cv.exe", lambda: EXE, "can't read .exe files"),
        ("cv.txt", lambda: EXE, "named .txt"),
        ("cv.pdf", lambda: b"", "This file is empty"),
        ("cv.docx", lambda: b"PK\x03\x04garbage", "couldn't open this Word document"),
    ],
)
def test_every_bad_upload_gets_a_clear_message_and_keeps_the_rest(
    seeded: Flask, client, filename: str, content, message: str
) -> None:
    response = client.post(
        APPLY,
        data=form(
            resume_text=None, full_name="Lukáš Novák", resume_file=upload(filename, content())
        ),
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    error = page.split('id="resume_file-error"', 1)[1].split("</p>", 1)[0]
    assert message in error.replace("&#39;", "'")
    assert 'value="Lukáš Novák"' in page
    assert applications(seeded) == []


def test_an_oversized_file_is_refused_before_it_is_read(seeded: Flask, client) -> None:
    from webapp.services.resume import ResumeLimits

    seeded.config["RESUME_LIMITS"] = ResumeLimits(max_bytes=40_000)
    response = client.post(
        APPLY,
        data=form(resume_text=None, resume_file=upload("cv.pdf", b"%PDF-1.4\n" + bytes(60_000))),
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "This file is larger than" in response.get_data(as_text=True)
    assert applications(seeded) == []


def test_a_request_over_the_server_limit_gets_a_413_page(seeded: Flask, client) -> None:
    seeded.config["MAX_CONTENT_LENGTH"] = 100_000
    response = client.post(APPLY, data=form(resume_text="x" * 200_000))
    assert response.status_code == 413
    assert "That file is too large" in response.get_data(as_text=True)


def test_a_readable_file_is_kept_as_text_when_another_field_needs_fixing(
    seeded: Flask, client
) -> None:
    docx = make_docx(
        "Lukáš Novák", "Customer success lead with six years of account management in Prague."
    )
    response = client.post(
        APPLY,
        data=form(resume_text=None, email="bad", resume_file=upload("cv.docx", docx)),
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert (
        "Customer success lead with six years" in page
    )  # in the textarea: no second upload needed
    assert "you do not need to upload it again" in page


def test_a_real_pdf_and_docx_are_accepted(seeded: Flask, client) -> None:
    for index, (name, content) in enumerate(
        [("cv.pdf", resume_pdf()), ("cv.docx", make_docx("Ana", RESUME))]
    ):
        response = client.post(
            APPLY,
            data=form(
                email=f"person{index}@example.com",
                resume_text=None,
                resume_file=upload(name, content),
            ),
            content_type="multipart/form-data",
        )
        assert response.status_code == 303, response.get_data(as_text=True)
    assert len(applications(seeded)) == 2


def test_a_double_submit_reaches_the_same_application(seeded: Flask, client) -> None:
    first = client.post(APPLY, data=form())
    second = client.post(APPLY, data=form(email="  AMARA@example.com "))
    assert second.status_code == 303
    assert len(applications(seeded)) == 1
    first_id = first.headers["Location"].split(".")[0]
    assert second.headers["Location"].split(".")[0] == first_id


def test_the_same_email_from_another_browser_does_not_open_the_application(
    seeded: Flask, client
) -> None:
    client.post(APPLY, data=form())
    stranger = seeded.test_client()
    response = stranger.post(APPLY, data=form(full_name="Someone Else"))
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "already applied" in page
    assert "/applications/" not in page.replace("<code>/applications/</code>", "")
    assert len(applications(seeded)) == 1


def test_a_filled_honeypot_is_refused_without_storing(seeded: Flask, client) -> None:
    response = client.post(APPLY, data=form(website="http://spam.example"))
    assert response.status_code == 400
    assert applications(seeded) == []


def test_a_missing_csrf_token_is_a_clear_4xx(seeded: Flask) -> None:
    seeded.config["WTF_CSRF_ENABLED"] = True
    response = seeded.test_client().post(APPLY, data=form())
    assert response.status_code == 400
    assert "Your form expired" in response.get_data(as_text=True)
    assert applications(seeded) == []


def test_applying_is_rate_limited_per_address(seeded: Flask) -> None:
    seeded.config["RATELIMIT_ENABLED"] = True
    seeded.config["APPLY_RATE_LIMIT"] = "2 per minute"
    client = seeded.test_client()
    statuses = [
        client.post(APPLY, data=form(email=f"p{i}@example.com")).status_code for i in range(3)
    ]
    assert statuses == [303, 303, 429]
    refused = client.post(APPLY, data=form(email="p9@example.com"))
    assert refused.status_code == 429
    assert "Please wait a little before sending this again" in refused.get_data(as_text=True)
    assert len(applications(seeded)) == 2


def test_a_rate_limited_candidate_keeps_their_form_and_learns_when_to_try_again(
    seeded: Flask,
) -> None:
    import threading

    from webapp.uploads import EXTENSION_KEY, UploadSlots

    seeded.config["RATELIMIT_ENABLED"] = True
    seeded.config["APPLY_RATE_LIMIT"] = "2 per 2 minutes"
    client = seeded.test_client()
    for i in range(2):
        assert client.post(APPLY, data=form(email=f"p{i}@example.com")).status_code == 303
    # No slot is free: reading the file of a refused request would answer 503, not 429.
    gate: UploadSlots = seeded.extensions[EXTENSION_KEY]
    seeded.extensions[EXTENSION_KEY] = UploadSlots(threading.BoundedSemaphore(1), gate.budget, 0)
    assert seeded.extensions[EXTENSION_KEY].slots.acquire(blocking=False)
    with_file = client.post(
        APPLY,
        data=form(
            full_name="Lukáš Novák",
            email="lukas@example.com",
            country="CZ",
            linkedin_url="https://www.linkedin.com/in/lukas",
            resume_text=None,
            resume_file=upload("cv.pdf", resume_pdf()),
        ),
        content_type="multipart/form-data",
    )
    pasted = client.post(APPLY, data=form(email="amara@example.com"))
    page = with_file.get_data(as_text=True)
    assert with_file.status_code == 429
    assert 110 <= int(with_file.headers["Retry-After"]) <= 120
    assert "Please try again in about 2 minutes." in page
    assert 'value="Lukáš Novák"' in page and 'value="lukas@example.com"' in page
    assert "<option value=CZ selected>" in page
    assert 'value="https://www.linkedin.com/in/lukas"' in page
    assert 'id="consent" name="consent" type="checkbox" value="y" checked' in page
    assert "We did not read the résumé file you chose, so please choose it again" in page
    assert pasted.status_code == 429
    assert RESUME in pasted.get_data(as_text=True)  # the pasted text, back in its box
    assert "you do not need to upload it again" in pasted.get_data(as_text=True)
    assert "choose it again" not in pasted.get_data(as_text=True)
    assert len(applications(seeded)) == 2


@pytest.mark.parametrize(
    "token",
    ["nonsense", "IjEyMyI.aaaa.bbbb", "..%2F..%2Fetc%2Fpasswd", "%3Cscript%3E"],
)
def test_a_forged_candidate_link_is_a_4xx_page(seeded: Flask, client, token: str) -> None:
    response = client.get(f"/applications/{token}")
    assert response.status_code == 404
    assert "This link is not valid" in response.get_data(as_text=True) or "%2F" in token
    assert client.get(f"/applications/{token}/status.json").status_code == 404


def test_an_expired_candidate_link_says_so(seeded: Flask, client) -> None:
    location = client.post(APPLY, data=form()).headers["Location"]
    seeded.config["CANDIDATE_LINK_MAX_AGE"] = -1
    response = client.get(location)
    assert response.status_code == 410
    assert "This link has expired" in response.get_data(as_text=True)
    assert client.get(location + "/status.json").status_code == 410


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (4, "a few seconds"),
        (45, "about 45 seconds"),
        (60, "about a minute"),
        (61, "about 2 minutes"),
        (120, "about 2 minutes"),
        (3540, "about 59 minutes"),
        (3599, "about an hour"),
        (3600, "about an hour"),
        (7300, "about 3 hours"),
    ],
)
def test_the_wait_is_said_in_words(seconds: int, words: str) -> None:
    from webapp.ratelimit import wait_in_words

    assert wait_in_words(seconds) == words
