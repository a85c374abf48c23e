"""The catalogues: every wrapped message translated everywhere, and nothing left unwrapped.

The first tests run ``pybabel extract`` (as docs/languages.md tells developers to) and hold each
shipped catalogue to the result. The pseudo-locale test builds a catalogue at test time in which
every message is accented and bracketed, renders the careers and error pages with it, and fails on
any visible text outside the brackets that is not data (titles, names, numbers).
"""

from __future__ import annotations

import html
import io
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, current_app, render_template
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.conftest import base_env
from tests.helpers import RESUME_TEXT, _public_id_of, email_link_path, seed
from webapp import ROOT, create_app
from webapp.errors import render_error
from webapp.extensions import db
from webapp.i18n.locales import SHIPPED
from webapp.jobmojito.languages import LANGUAGES
from webapp.models import Position
from webapp.ratelimit import wait_in_words
from webapp.services.platform import close as close_platform
from webapp.services.site import DEFAULT_BRAND
from webapp.text import plain_excerpt, render_markdown

TRANSLATIONS = ROOT / "webapp" / "translations"
TRANSLATED = [locale.ident for locale in SHIPPED if locale.ident != "en"]


def extract(target: Path) -> Catalog:
    """Run pybabel's extraction over the project, exactly as documented, into ``target``."""
    pybabel = Path(sys.executable).with_name("pybabel")
    command = [str(pybabel), "extract", "-F", "babel.cfg", "-k", "lazy_gettext", "-k", "_l"]
    command += ["--no-location", "-o", str(target), "."]
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True, timeout=120)
    with target.open("rb") as handle:
        return read_po(handle)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    return extract(tmp_path_factory.mktemp("pot") / "messages.pot")


def shipped(locale: str) -> Catalog:
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=locale)


def test_every_translated_locale_has_a_catalogue() -> None:
    found = sorted(path.parent.parent.name for path in TRANSLATIONS.glob("*/LC_MESSAGES/*.po"))
    assert found == sorted(TRANSLATED)


@pytest.mark.parametrize("locale", TRANSLATED)
def test_each_catalogue_is_compiled_and_current(locale: str) -> None:
    folder = TRANSLATIONS / locale / "LC_MESSAGES"
    compiled = folder / "messages.mo"
    assert compiled.exists(), "the catalogues are not compiled: run `make catalogues`"
    assert compiled.stat().st_mtime >= (folder / "messages.po").stat().st_mtime, (
        f"{locale}: messages.mo is older than messages.po: run `make catalogues`"
    )


def test_extraction_finds_the_wrapped_messages(template: Catalog) -> None:
    ids = {message.id if isinstance(message.id, str) else message.id[0] for message in template}
    for expected in ("Skip to content", "See open positions", "Build the way cities move"):
        assert expected in ids  # templates, Python code and the studio's default texts


def catalogue_problems(template: Catalog, catalogue: Catalog) -> list[str]:
    """What keeps ``catalogue`` from covering ``template``: missing, empty or ill-formed entries."""
    problems = [
        f"missing {message.id!r}"
        for message in template
        if message.id and message.id not in catalogue
    ]
    for message in catalogue:
        if not message.id or message.fuzzy:
            continue
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(forms):
            problems.append(f"empty {message.id!r}")
    problems += [f"{message.id!r}: {errors}" for message, errors in catalogue.check()]
    return problems


@pytest.mark.parametrize("locale", TRANSLATED)
def test_each_catalogue_translates_every_message(template: Catalog, locale: str) -> None:
    problems = catalogue_problems(template, shipped(locale))
    assert not problems, f"{locale}: {len(problems)} problem(s), e.g. {problems[:3]}"


@pytest.mark.parametrize("locale", TRANSLATED)
def test_each_catalogue_says_it_awaits_a_native_speakers_review(locale: str) -> None:
    # Said where ``pybabel update`` keeps it: the header comment and the Language-Team field
    # (it drops headers it does not know, such as an X-Review-Status).
    catalogue = shipped(locale)
    assert "Not yet reviewed by a native speaker." in (catalogue.header_comment or "")
    assert "native review wanted" in (catalogue.language_team or "")


def test_a_missing_or_empty_message_is_caught(template: Catalog) -> None:
    catalogue = shipped("de")
    first, second = [m for m in template if m.id and isinstance(m.id, str)][:2]
    del catalogue[first.id]
    catalogue[second.id].string = ""
    problems = catalogue_problems(template, catalogue)
    assert f"missing {first.id!r}" in problems and f"empty {second.id!r}" in problems


# --- the pseudo-locale ---------------------------------------------------------------------------

_ACCENTED = str.maketrans("aeiouyAEIOUYcnsz", "áéíóúýÁÉÍÓÚÝçñšž")
# Kept as they are: gettext's %(name)s and the studio texts' {name}, which the page fills in.
_PLACEHOLDER = re.compile(r"(%\([a-z_]+\)[sd]|\{[a-z_]+\})")


def pseudo(text: str) -> str:
    """``text`` accented and bracketed, its placeholders left as they are."""
    parts = _PLACEHOLDER.split(text)
    return (
        "⟦"
        + "".join(p if _PLACEHOLDER.fullmatch(p) else p.translate(_ACCENTED) for p in parts)
        + "⟧"
    )


@pytest.fixture
def pseudo_app(tmp_path: Path, migrated_template: Path, template: Catalog) -> Iterator[Flask]:
    catalogue = Catalog(locale="en")
    for message in template:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            catalogue.add(message.id, tuple(pseudo(form) for form in message.id))
        else:
            catalogue.add(message.id, pseudo(message.id))
    folder = tmp_path / "pseudo" / "en" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "messages.mo").open("wb") as handle:
        write_mo(handle, catalogue)
    database = tmp_path / "pseudo.sqlite3"
    shutil.copy(migrated_template, database)
    app = create_app(
        {"BABEL_TRANSLATION_DIRECTORIES": str(tmp_path / "pseudo"), "PAGE_CACHE_SECONDS": 0},
        env=base_env(tmp_path, database),
        instance_path=tmp_path,
    )
    seed(app)
    yield app
    close_platform(app)
    with app.app_context():
        db.engine.dispose()


class _VisibleText(HTMLParser):
    """What a reader sees: text outside scripts and styles, the title, placeholders, labels."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0
        self._head = False
        self._title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        self._head = self._head or tag == "head"
        self._title = self._title or tag == "title"
        if tag == "body":
            self._head = False
        for name, value in attrs:
            if name in ("placeholder", "aria-label", "alt") and value and not self._head:
                self.parts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1
        if tag == "title":
            self._title = False
        if tag == "head":
            self._head = False

    def handle_data(self, data: str) -> None:
        if self._skip or (self._head and not self._title):
            return
        self.parts.append(data)


def _data_strings(app: Flask) -> list[str]:
    """Text that is data, not wording: positions, brand, names of places and languages."""
    english = Locale("en")
    allowed = [DEFAULT_BRAND["company_name"], DEFAULT_BRAND["tagline"]]
    allowed += [locale.native_name for locale in SHIPPED]
    allowed += [english.languages.get(code, "") for code in LANGUAGES]
    allowed += ["Brazilian Portuguese"]
    with app.app_context():
        for position in db.session.scalars(db.select(Position)):
            allowed += [position.title, position.location, position.department or ""]
            allowed += [position.salary or "", position.slug]
            allowed.append(plain_excerpt(position.summary, 180))
            for code in [position.country_code, *position.applicant_countries]:
                allowed.append(english.territories.get(code, ""))
            for field in (position.summary, position.description):
                allowed += re.findall(r">([^<]+)<", str(render_markdown(field)))
    return sorted({text.strip() for text in allowed if text.strip()}, key=len, reverse=True)


_LEFTOVER = re.compile(r"^[\s\d.,:;·|()\-–—/+%#&@!?'\"’“”…←→©]*$")


def _untranslated(page: str, allowed: list[str]) -> str:
    parser = _VisibleText()
    parser.feed(page)
    text = "\n".join(parser.parts)
    previous = None
    while previous != text:  # innermost brackets first: a message may hold another's result
        previous = text
        text = re.sub(r"⟦[^⟦⟧]*⟧", " ", text)
    for data in allowed:
        text = text.replace(data, " ")
    return "" if _LEFTOVER.match(text) else re.sub(r"\s+", " ", text).strip()


def test_no_visible_text_escapes_the_catalogues(pseudo_app: Flask) -> None:
    client = pseudo_app.test_client()
    with pseudo_app.app_context():
        position = db.session.scalar(
            db.select(Position).where(Position.slug == "warehouse-team-lead-bratislava")
        )
        position.interview = {**position.interview, "interview_available_till": "2027-01-31"}
        closed = db.session.scalar(
            db.select(Position).where(Position.slug == "data-analyst-amsterdam")
        )
        closed.state = "closed"
        db.session.commit()
    allowed = _data_strings(pseudo_app)
    pages = {
        "/": 200,
        "/?q=zzzz": 200,
        "/?location=Lisbon&country=PT&language=pt": 200,
        "/jobs/warehouse-team-lead-bratislava": 200,
        "/jobs/field-service-technician-lisbon": 200,
        "/jobs/senior-backend-engineer-python": 200,
        "/jobs/data-analyst-amsterdam": 410,
        "/jobs/no-such-job": 404,
        "/no-such-page": 404,
    }
    for path, status in pages.items():
        response = client.get(path)
        assert response.status_code == status, path
        page = response.get_data(as_text=True)
        assert "⟦" in page, path
        assert not _untranslated(page, allowed), (path, _untranslated(page, allowed))
    with pseudo_app.test_request_context("/"):
        for code in (400, 403, 413, 429, 500, 503):
            page, _ = render_error(code)
            assert not _untranslated(str(page), allowed), (code, _untranslated(str(page), allowed))
    with pseudo_app.app_context():
        for row in db.session.scalars(db.select(Position)):
            row.state = "closed"
        db.session.commit()
    empty = client.get("/").get_data(as_text=True)
    assert not _untranslated(empty, allowed), _untranslated(empty, allowed)


def test_the_pseudo_check_notices_english(pseudo_app: Flask) -> None:
    # The check itself can fail: a plain English sentence outside the catalogue is reported.
    allowed = _data_strings(pseudo_app)
    page = "<html><body><p>⟦Hélló⟧</p><p>Apply now</p></body></html>"
    assert _untranslated(page, allowed) == "Apply now"


# --- the apply flow and the candidate's own page in the pseudo-locale ----------------------------

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_SLUG = "warehouse-team-lead-bratislava"
_NAME = "Ana Horvat"
_REASON = "The role needs a forklift licence."


def _csrf(page: str) -> str:
    found = _CSRF.search(page)
    assert found, page[:500]
    return found.group(1)


def _says(page: str, message: str) -> bool:
    """Whether ``page`` shows ``message`` from the pseudo catalogue (up to its first placeholder)."""
    return re.split(r"%\(|\{", pseudo(message))[0].rstrip("⟧") in html.unescape(page)


def _shows_only_messages(response: TestResponse, status: int, allowed: list[str]) -> str:
    page = response.get_data(as_text=True)
    assert response.status_code == status, (response.request.path, response.status_code)
    assert "⟦" in page, response.request.path
    left = _untranslated(page, allowed)
    assert not left, (response.request.path, left)
    return page


def _apply(client: FlaskClient, email: str) -> TestResponse:
    form = client.get(f"/jobs/{_SLUG}/apply").get_data(as_text=True)
    data = {
        "csrf_token": _csrf(form),
        "full_name": _NAME,
        "email": email,
        "country": "SK",
        "consent": "y",
        "website": "",
        "resume_text": RESUME_TEXT,
    }
    return client.post(f"/jobs/{_SLUG}/apply", data=data)


def _set(app: Flask, page: str, **columns: object) -> None:
    """Put the application behind ``page`` into a state, as the worker and webhooks would."""
    from webapp.models import Application

    start = {"job_state": "done", "decision": "ai_accept", "decided_at": None, "reason": None}
    start |= {"interview_status": None, "erased_at": None, "withdrawn_at": None}
    with app.app_context():
        application = db.session.scalar(
            db.select(Application).where(Application.public_id == _public_id_of(app, page))
        )
        for name, value in (start | columns).items():
            setattr(application, name, value)
        db.session.commit()
        db.session.remove()


def _apply_flow_allowed(app: Flask) -> list[str]:
    countries = list(Locale("en").territories.values())  # the country list is CLDR's data
    extra = [_NAME, _REASON, *countries]
    return sorted({*_data_strings(app), *extra}, key=len, reverse=True)


def test_the_apply_form_and_its_errors_escape_no_text(pseudo_app: Flask) -> None:
    from webapp.forms import ApplyForm

    client = pseudo_app.test_client()
    allowed = _apply_flow_allowed(pseudo_app)
    form = _shows_only_messages(client.get(f"/jobs/{_SLUG}/apply"), 200, allowed)
    assert _says(form, "Full name") and _says(form, "Choose a country…")
    empty = {"csrf_token": _csrf(form), "website": ""}
    page = _shows_only_messages(client.post(f"/jobs/{_SLUG}/apply", data=empty), 422, allowed)
    assert _says(page, "Enter your full name.") and _says(page, "Please check the form")
    assert _says(page, "Upload your résumé or paste it as text.")
    bad = {
        **empty,
        "full_name": "x" * 201,
        "email": "not an address",
        "country": "ZZ",
        "linkedin_url": "https://example.com/me",
        "resume_text": "too short",
    }
    typed = sorted([*allowed, "too short"], key=len, reverse=True)  # shown back in its field
    page = _shows_only_messages(client.post(f"/jobs/{_SLUG}/apply", data=bad), 422, typed)
    assert _says(
        page, "That's too short to be a résumé. Please paste the full text of your résumé."
    )
    assert _says(page, "Keep your name under 200 characters.")
    assert _says(page, "Not a valid choice.")  # a country code the list does not have
    long_link = {**bad, "linkedin_url": "https://www.linkedin.com/in/" + "x" * 500}
    page = _shows_only_messages(client.post(f"/jobs/{_SLUG}/apply", data=long_link), 422, typed)
    assert _says(page, "That address is too long.")
    broken = {**bad, "resume_text": "", "resume_file": (io.BytesIO(b"%PDF-1.4 broken"), "cv.pdf")}
    page = _shows_only_messages(client.post(f"/jobs/{_SLUG}/apply", data=broken), 422, typed)
    assert _says(page, "We couldn't open this PDF; it may be damaged or incomplete.")
    png = {
        **bad,
        "resume_text": "",
        "resume_file": (io.BytesIO(b"\x89PNG\r\n\x1a\n" * 9), "cv.pdf"),
    }
    page = _shows_only_messages(client.post(f"/jobs/{_SLUG}/apply", data=png), 422, typed)
    assert _says(page, "a PNG image")  # what the file looks like, translated inside the message
    pseudo_app.config.update(RATELIMIT_ENABLED=True, APPLY_RATE_LIMIT="1 per hour")
    try:
        client.post(f"/jobs/{_SLUG}/apply", data=empty)
        refused = client.post(f"/jobs/{_SLUG}/apply", data=empty)
        assert _says(_shows_only_messages(refused, 429, allowed), "Please wait a little before")
    finally:
        pseudo_app.config.update(RATELIMIT_ENABLED=False)
    with pseudo_app.test_request_context(f"/jobs/{_SLUG}/apply"):
        position = db.session.scalar(db.select(Position).where(Position.slug == _SLUG))
        notice = {"kind": "busy", "wait": wait_in_words(5), "file_dropped": True}
        busy = render_template(
            "apply/form.html", position=position, form=ApplyForm(), notice=notice
        )
    assert _says(busy, "We are busy reading other résumés")
    assert not _untranslated(busy, allowed), _untranslated(busy, allowed)


def test_every_state_of_the_candidate_page_escapes_no_text(pseudo_app: Flask) -> None:
    client = pseudo_app.test_client()
    allowed = _apply_flow_allowed(pseudo_app)
    sent = _apply(client, "ana@example.com")
    assert sent.status_code == 303, sent.get_data(as_text=True)[:1000]
    page = urlsplit(sent.headers["Location"]).path
    token = page.rsplit("/", 1)[-1]

    def check(status: int = 200, path: str = page) -> str:
        return _shows_only_messages(client.get(path), status, allowed)

    preparing = check()  # the progress steps, the code step, the camera check beside them
    assert _says(preparing, "Your 6-digit code") and _says(
        preparing, "Check your camera and microphone"
    )
    assert _says(preparing, "The interview takes ") and _says(preparing, "about %(num)d minutes")
    # The scripts' words are in the page, from the catalogue: progress steps and copying the link.
    progress = re.search(r'progress\.js[^"]*" data-texts="([^"]+)"', preparing)
    assert progress, "progress.js is given its words"
    words = json.loads(html.unescape(progress.group(1)))
    assert set(words) == {"done", "current", "todo", "retrying", "ready"}
    assert all(word.startswith("⟦") for word in words.values()), words
    for name in ("data-copied", "data-copy-failed"):
        said = re.search(name + r'="([^"]+)"', preparing)
        assert said and html.unescape(said.group(1)).startswith("⟦"), name
    csrf = _csrf(preparing)
    for action, data in (
        ("code", {"code": "000000"}),  # no code was mailed yet, or a wrong one
        ("new-code", {}),
        ("correct", {"email": "not an address"}),
        ("correct", {"email": "ana@example.com"}),  # the address it already has
    ):
        answer = client.post(f"{page}/{action}", data={"csrf_token": csrf, **data})
        if answer.status_code == 303:
            answer = client.get(answer.headers["Location"])
        said = _shows_only_messages(answer, answer.status_code, allowed)
        if action == "code":
            assert _says(said, "That code does not match. Please check it and try again")
    _set(pseudo_app, page, job_state="in_flight", attempts=1, last_error="timeout")
    assert _says(check(), "The interview platform is slow to answer")  # preparing, slowly
    _set(pseudo_app, page)
    assert _says(check(), "Your interview is ready — enter the code")  # behind the code step
    _shows_only_messages(client.get(f"{page}/interview"), 403, allowed)
    assert client.get(email_link_path(pseudo_app, page)).status_code == 303  # proven here
    # The interview (here without a frame: this app has no interview platform to sign for).
    assert _says(check(), "Your interview is not available yet.")
    _set(pseudo_app, page, interview_status="abandoned")
    assert _says(check(), "Your last interview session was not completed.")
    states = (
        {"decision": "recruiter_action"},
        {"interview_status": "completed"},
        {
            "decision": "ai_reject",
            "reason": _REASON,
            "decided_at": datetime(2026, 1, 5, tzinfo=UTC),
        },
        {"job_state": "gave_up", "decision": None},
        {"withdrawn_at": datetime(2026, 1, 5, tzinfo=UTC)},
        {"erased_at": datetime(2026, 1, 5, tzinfo=UTC)},
    )
    pseudo_app.config["SHOW_REJECTION_REASON"] = True
    headings = ("Your application is being reviewed", "Thank you — your interview is complete")
    headings += ("Thank you for applying", "We have your application")
    headings += ("This application moved to your corrected address",)
    headings += ("This application was deleted",)
    for columns, heading in zip(states, headings, strict=True):
        _set(pseudo_app, page, **columns)
        assert _says(check(), heading), heading
    pseudo_app.config["REJECTION_EMAIL_DELAY"] = 10**9  # the letter is not due: "we will write"
    _set(pseudo_app, page, decision="ai_reject", decided_at=datetime.now(UTC))
    assert _says(check(), "Thank you — we will write to you by e-mail")
    _set(pseudo_app, page)
    assert _says(check(path=f"{page}/adjustment"), "Something else")
    refused = client.post(f"{page}/adjustment", data={"csrf_token": csrf, "need": "other"})
    assert _says(_shows_only_messages(refused, 422, allowed), "Tell us a little about")
    link = client.post(f"{page}/send-link", data={"csrf_token": csrf})
    _shows_only_messages(link, link.status_code, allowed)
    assert _says(check(404, "/applications/not-a-real-link"), "This link is not valid")
    with pseudo_app.test_request_context(page):
        expired = render_template("apply/link_expired.html", new_link_token=token)
        room = _room_with_a_frame(page, token)
    assert _says(room, "Video interview for {job}") and _says(room, "Start the interview")
    assert not _untranslated(room, allowed), _untranslated(room, allowed)
    assert _says(expired, "This link has expired")
    assert not _untranslated(expired, allowed), _untranslated(expired, allowed)


def _room_with_a_frame(page: str, token: str) -> str:
    """The interview room as a proven browser sees it, its frame signed (here: any address)."""
    from webapp.models import Application
    from webapp.services.applications import candidate_status

    application = db.session.scalar(
        db.select(Application).where(Application.public_id == _public_id_of(current_app, page))
    )
    return render_template(
        "apply/application.html",
        application=application,
        position=application.position,
        status=candidate_status(application),
        frame_src="https://embed.example/interview?signed=1",
        frame_allow="camera; microphone",
        show_reason=False,
        token=token,
        thread={"verify": False, "notice": "verified", "masked_email": "a•••@example.com"},
    )


def test_already_applied_and_find_my_application_escape_no_text(pseudo_app: Flask) -> None:
    first, second = pseudo_app.test_client(), pseudo_app.test_client()
    allowed = _apply_flow_allowed(pseudo_app)
    assert _apply(first, "twice@example.com").status_code == 303
    again = _apply(second, "twice@example.com")
    page = _shows_only_messages(again, again.status_code, allowed)
    assert _says(page, "You have already applied for %(title)s")
    ticket = re.search(r'name="ticket" value="([^"]+)"', page)
    assert ticket, page[:2000]
    wrong = {"csrf_token": _csrf(page), "ticket": ticket.group(1), "code": "000000"}
    _shows_only_messages(second.post("/continue", data=wrong), 422, allowed)
    resend = {**wrong, "action": "resend"}
    _shows_only_messages(second.post("/continue", data=resend), 200, allowed)
    lost = second.post("/continue", data={"csrf_token": wrong["csrf_token"]})
    assert _says(_shows_only_messages(lost, 410, allowed), "This page has expired")
    pseudo_app.config["CANDIDATE_EMAIL_VERIFICATION"] = False
    third = pseudo_app.test_client()
    signin = _shows_only_messages(_apply(third, "twice@example.com"), 409, allowed)
    assert _says(signin, "To continue, open the link to your application page"), signin[-3000:]
    pseudo_app.config["CANDIDATE_EMAIL_VERIFICATION"] = True
    find = _shows_only_messages(first.get("/find-my-application"), 200, allowed)
    csrf = _csrf(find)
    bad = first.post("/find-my-application", data={"csrf_token": csrf, "email": "nope"})
    _shows_only_messages(bad, 422, allowed)
    asked = {"csrf_token": csrf, "email": "twice@example.com"}
    for _ in range(3):
        done = first.post("/find-my-application", data=asked)
        assert _says(_shows_only_messages(done, 200, allowed), "Check your inbox")
    waited = _shows_only_messages(first.post("/find-my-application", data=asked), 429, allowed)
    assert _says(waited, "Please wait a little before trying again")


def test_the_share_control_says_it_copied_in_the_pages_language(pseudo_app: Flask) -> None:
    page = pseudo_app.test_client().get(f"/jobs/{_SLUG}").get_data(as_text=True)
    said = re.search(r'data-copied="([^"]+)"', page)
    assert said, "share.js is given its words"
    assert html.unescape(said.group(1)) == pseudo(
        "Link copied. Paste it anywhere to share this job."
    )


# --- e-mail in the pseudo-locale -----------------------------------------------------------------

_URL = re.compile(r"https?://[^\s\"<>⟦⟧]+[^\s\"<>⟦⟧.,:;]")
_EMAIL_KINDS = {
    "application_received": {},
    "verification_code": {},
    "application_link": {},
    "find_applications": {},
    "interview_ready": {},
    "interview_accepted": {},
    "interview_reminder": {},
    "interview_thanks": {},
    "rejection": {"decision": "ai_reject"},
    "interview_again": {"interview_attempt": 2},
    "accommodation_request": {},
}


def _rendered_email(app: Flask, kind: str, values: dict[str, object]):  # type: ignore[no-untyped-def]
    """Queue ``kind`` about a new application and render it as a worker does (no request)."""
    from tests.admin_fixtures import make_application
    from tests.helpers import position_id
    from webapp.mail import enqueue
    from webapp.mail.render import render
    from webapp.models import Application
    from webapp.models.accommodations import AccommodationRequest
    from webapp.services.verification import issue_code

    slug = "warehouse-team-lead-bratislava"
    email = f"{kind}@example.com"
    application_id = make_application(app, position_id(app, slug), email=email, **values)
    with app.app_context():
        data: dict[str, object] = {}
        application = db.session.get(Application, application_id)
        issue_code(application)  # as applying or asking for a code does
        if kind == "accommodation_request":
            request = AccommodationRequest(application_id=application_id, need="other")
            db.session.add(request)
            db.session.flush()
            data = {"request": request.id}
        message = enqueue(
            kind,
            email,
            application_id=None if kind == "find_applications" else application_id,
            data=data,
        )
        db.session.commit()
        rendered = render(message)
        db.session.remove()
    return rendered


def test_no_text_of_any_email_escapes_the_catalogues(pseudo_app: Flask) -> None:
    with pseudo_app.app_context():
        position = db.session.scalar(
            db.select(Position).where(Position.slug == "warehouse-team-lead-bratislava")
        )
        position.interview = {**position.interview, "interview_available_till": "2027-01-31"}
        db.session.commit()
    from datetime import date

    from babel.dates import format_date

    closes = format_date(date(2027, 1, 31), "long", locale="en")  # a date is data, in its words
    base = _data_strings(pseudo_app) + ["Ana Horvat", closes]
    for kind, values in _EMAIL_KINDS.items():
        rendered = _rendered_email(pseudo_app, kind, values)
        urls = _URL.findall(rendered.text + rendered.html)
        allowed = sorted({*base, *urls, f"{kind}@example.com"}, key=len, reverse=True)
        text = re.sub(r"^[=-]+$", " ", _URL.sub(" ", rendered.text), flags=re.MULTILINE)
        for name, body in (("subject", rendered.subject), ("text", text), ("html", rendered.html)):
            assert "⟦" in body, (kind, name)
            left = _untranslated(body, allowed)
            assert not left, (kind, name, left)
