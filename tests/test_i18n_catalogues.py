"""The catalogues: every wrapped message translated everywhere, and nothing left unwrapped.

The first tests run ``pybabel extract`` (as docs/languages.md tells developers to) and hold each
shipped catalogue to the result. The pseudo-locale test builds a catalogue at test time in which
every message is accented and bracketed, renders the careers and error pages with it, and fails on
any visible text outside the brackets that is not data (titles, names, numbers).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask

from tests.conftest import base_env
from tests.helpers import seed
from webapp import ROOT, create_app
from webapp.errors import render_error
from webapp.extensions import db
from webapp.i18n.locales import SHIPPED
from webapp.jobmojito.languages import LANGUAGES
from webapp.models import Position
from webapp.services.platform import close as close_platform
from webapp.services.site import DEFAULT_BRAND
from webapp.text import plain_excerpt, render_markdown

TRANSLATIONS = ROOT / "webapp" / "translations"
TRANSLATED = [locale.ident for locale in SHIPPED if locale.ident != "en"]
UNREVIEWED = "not yet reviewed by a native speaker"


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
    text = (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").read_text()
    assert f"X-Review-Status: {UNREVIEWED}" in text
    assert "Not yet reviewed by a native speaker." in text


def test_a_missing_or_empty_message_is_caught(template: Catalog) -> None:
    catalogue = shipped("de")
    first, second = [m for m in template if m.id and isinstance(m.id, str)][:2]
    del catalogue[first.id]
    catalogue[second.id].string = ""
    problems = catalogue_problems(template, catalogue)
    assert f"missing {first.id!r}" in problems and f"empty {second.id!r}" in problems


# --- the pseudo-locale ---------------------------------------------------------------------------

_ACCENTED = str.maketrans("aeiouyAEIOUYcnsz", "áéíóúýÁÉÍÓÚÝçñšž")
_PLACEHOLDER = re.compile(r"(%\([a-z_]+\)[sd])")


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
