"""The interview in a tab of its own: the same interview, freshly signed, for its own browser only."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from tests.conftest import Site, make_site
from tests.helpers import Candidate, VerifiedCandidate, seed
from webapp.serving import public_path

SLUG = "data-analyst-amsterdam"


@pytest.fixture
def live(tmp_path: Path, migrated_template: Path) -> Iterator[Site]:
    for site in make_site(tmp_path, migrated_template):
        seed(site.app)
        site.start_workers()
        yield site


def _frame_src(html: str) -> str:
    return (
        html.split('<iframe id="interview-frame" src="', 1)[1]
        .split('"', 1)[0]
        .replace("&amp;", "&")
    )


def test_the_new_tab_reaches_the_same_interview_freshly_signed(live: Site) -> None:
    person = VerifiedCandidate(live.url, live.app)
    page = person.apply(SLUG, "tabs@example.com")
    person.wait_for_stage(page, "interview")
    framed = _frame_src(person.http.get(page).text)

    answer = person.http.get(page + "/interview")
    assert answer.status_code == 303
    assert answer.headers["Cache-Control"].startswith("no-store")
    assert answer.headers["Referrer-Policy"] == "no-referrer"
    location = answer.headers["Location"]
    same, there = parse_qs(urlsplit(framed).query), parse_qs(urlsplit(location).query)
    assert location.startswith(f"{live.sandbox.url}/embed?") and same == there
    # The platform takes the link: its signature is valid for this candidate.
    opened = httpx.get(location, timeout=10)
    assert opened.status_code == 200 and "Welcome, Amara Okafor" in opened.text
    person.close()


def test_without_access_the_new_tab_is_refused(live: Site) -> None:
    owner = Candidate(live.url)  # applied, but this browser never proved the address
    page = owner.apply(SLUG, "unproven@example.com")
    owner.wait_for_stage(page, "interview")
    refused = owner.http.get(page + "/interview")
    assert refused.status_code == 403 and "Location" not in refused.headers
    assert "confirm your e-mail address" in refused.text
    assert live.sandbox.url not in refused.text

    stranger = httpx.Client(base_url=live.url, timeout=10)
    assert stranger.get(page + "/interview").status_code == 403
    assert stranger.get(page[:-3] + "AAA/interview").status_code == 404
    assert stranger.get("/applications/not-a-token/interview").status_code == 404
    owner.close()
    stranger.close()


def test_before_the_interview_is_ready_the_new_tab_says_so(live: Site) -> None:
    live.stop_workers()
    person = VerifiedCandidate(live.url, live.app)
    page = person.apply(SLUG, "early@example.com")
    early = person.http.get(page + "/interview")
    assert early.status_code == 404 and "not open right now" in early.text
    person.close()


def test_the_new_tab_path_is_masked_in_the_access_log() -> None:
    assert public_path("/applications/abc.def-ghi/interview") == "/applications/[token]/interview"
    assert public_path("/applications/abc.def/adjustment?x=1") == "/applications/[token]/adjustment"


def test_the_polled_status_reads_the_same_as_the_whole_application(live: Site) -> None:
    from webapp.models import Application
    from webapp.services.applications import candidate_status
    from webapp.services.candidate_poll import polled_status

    person = VerifiedCandidate(live.url, live.app)
    page = person.apply(SLUG, "poll@example.com")
    person.wait_for_stage(page, "interview")
    live.stop_workers()
    with live.app.app_context():
        from webapp.extensions import db

        for application in db.session.scalars(db.select(Application)).all():
            lean = polled_status(application.public_id)
            assert lean is not None
            assert lean.as_json() | {"waiting_seconds": 0} == candidate_status(
                application
            ).as_json() | {"waiting_seconds": 0}
        assert polled_status("no-such-id") is None
        db.session.remove()
    person.close()
