"""The recruiter reads the platform's result on the application page: real site, real sandbox."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from html import unescape

import httpx
import pytest
from pypdf import PdfReader

from tests.admin_fixtures import PASSWORD, email_of, make_application, make_position
from tests.conftest import SANDBOX_TOKEN, Site
from tests.helpers import wait_for
from tests.leakwatch import LEAKS, find_leaks
from webapp.extensions import db
from webapp.models import Application
from webapp.services import results
from webapp.services.accounts import create_user

ANSWERS = [
    "I have run a busy café counter for five years and love teaching new baristas.",
    "I rebuilt our stock ordering so that nothing ran out over a holiday weekend.",
    "Learn the roastery's range & take over the <morning> opening routine.",
]
DETAILS = "job-interview-details"
CSRF = r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"'


@dataclass
class Finished:
    """An application whose interview the candidate took and submitted, and a signed-in browser."""

    site: Site
    application_id: int
    browser: httpx.Client

    @property
    def page_path(self) -> str:
        return f"/admin/applications/{self.application_id}"

    def details_calls(self) -> int:
        return int(self.site.sandbox.calls()["other_calls"].get(DETAILS, 0))

    def csrf(self, page: str) -> str:
        match = re.search(CSRF, page)
        assert match is not None
        return match.group(1)


def sign_in(site: Site) -> httpx.Client:
    with site.app.app_context():
        create_user(email_of("recruiter"), "recruiter", PASSWORD)
        db.session.remove()
    browser = httpx.Client(base_url=site.url, timeout=20, follow_redirects=False)
    login = browser.get("/admin/login").text
    token = re.search(CSRF, login)
    assert token is not None
    answer = browser.post(
        "/admin/login",
        data={"email": email_of("recruiter"), "password": PASSWORD, "csrf_token": token.group(1)},
    )
    assert answer.status_code == 302
    return browser


def take_interview(site: Site) -> int:
    """An application sent by the workers, whose interview the candidate submits in the sandbox."""
    position_id = make_position(site.app, slug="barista", title="Barista")
    application_id = make_application(site.app, position_id, job_state="pending", decision=None)

    def interview_id() -> str | None:
        with site.app.app_context():
            found = db.session.get(Application, application_id)
            value = found.profile_interview_id if found and found.decision else None
            db.session.remove()
            return value

    pid = wait_for(interview_id, what="the platform's interview")
    with httpx.Client(base_url=site.sandbox.url, timeout=10) as sandbox:
        sandbox.post(f"/interview/{pid}/submit", json={"answers": ANSWERS}).raise_for_status()

    def scored() -> bool:
        with site.app.app_context():
            found = db.session.get(Application, application_id)
            done = found is not None and found.score is not None
            db.session.remove()
            return done

    wait_for(scored, what="the result webhook")
    return application_id


@pytest.fixture
def finished(site: Site) -> Iterator[Finished]:
    application_id = take_interview(site)
    browser = sign_in(site)
    try:
        yield Finished(site, application_id, browser)
    finally:
        browser.close()


def text_of(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def test_the_recruiter_reads_score_reasons_and_the_transcript(finished: Finished) -> None:
    page = finished.browser.get(finished.page_path)
    assert page.status_code == 200
    html = page.text
    section = html[html.index('id="result-heading"') :]
    words = text_of(section)
    assert "Interview result" in text_of(html)
    for answer in ANSWERS:
        assert answer in words  # escaped in the page, read back as the candidate wrote it
    assert "<morning>" not in section  # the answer's markup is inert
    assert "Tell us briefly about yourself" in words
    assert "Reasons to hire" in words and "Reasons not to hire" in words
    assert "Analysis for recruiters" in words and re.search(r"Duration \d+ min \d\d s", words)
    assert re.search(r"Score \d+(\.\d)?", words)
    # Decisions are taken in JobMojito's own admin.
    assert 'href="https://cool.jobmojito.com"' in section


def test_recordings_play_from_the_platforms_origin_which_alone_the_csp_allows(
    finished: Finished,
) -> None:
    page = finished.browser.get(finished.page_path)
    sources = re.findall(
        r'<audio class="recording" controls preload="none" src="([^"]+)"', page.text
    )
    assert len(sources) == len(ANSWERS) + 1  # the whole interview and each answer
    sandbox = finished.site.sandbox.url
    assert all(unescape(src).startswith(f"{sandbox}/media/recording/") for src in sources)
    policy = page.headers["content-security-policy"]
    assert f"media-src {sandbox};" in policy
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["referrer-policy"] == "no-referrer"
    played = httpx.get(unescape(sources[1]), timeout=10)
    assert played.status_code == 200 and played.content[:4] == b"RIFF"
    # Other admin pages keep the strict policy.
    listing = finished.browser.get("/admin/applications")
    assert "media-src" not in listing.headers["content-security-policy"]
    # No recording link, signing key or token in any log line of the run.
    secrets = [unescape(src) for src in sources] + [SANDBOX_TOKEN]
    secrets += finished.site.sandbox.server.sandbox.store.signing_keys()
    assert find_leaks(secrets, [], LEAKS.log_lines) == []


def test_the_result_is_fetched_once_while_cached_and_erasure_purges_it(finished: Finished) -> None:
    before = finished.details_calls()
    for _ in range(3):
        assert finished.browser.get(finished.page_path).status_code == 200
    assert finished.details_calls() == before + 1
    with finished.site.app.app_context():
        cache = results.results_cache(finished.site.app)
        assert cache.get(f"result:{finished.application_id}") is not None
    page = finished.browser.get(f"{finished.page_path}/erase").text
    erased = finished.browser.post(
        f"{finished.page_path}/erase", data={"csrf_token": finished.csrf(page)}
    )
    assert erased.status_code == 303
    with finished.site.app.app_context():
        assert cache.get(f"result:{finished.application_id}") is None
    after = finished.browser.get(finished.page_path).text
    assert ANSWERS[0] not in text_of(after)
    assert "Interview result" not in text_of(after)
    assert finished.details_calls() == before + 1  # an erased application is not fetched


def test_the_cache_lapses_after_its_short_timeout(finished: Finished) -> None:
    with finished.site.app.app_context():
        cache = results.results_cache(finished.site.app)
    assert finished.site.app.config["RESULT_CACHE_SECONDS"] == 60
    finished.browser.get(finished.page_path)
    calls = finished.details_calls()
    cache.delete(f"result:{finished.application_id}")  # as the timeout would
    finished.browser.get(finished.page_path)
    assert finished.details_calls() == calls + 1


@pytest.mark.parametrize(
    ("kind", "wording"),
    [
        ("500", "could not be reached just now"),
        ("401", "refused our API token"),
    ],
)
def test_a_platform_that_fails_leaves_the_page_calm_and_whole(
    finished: Finished, kind: str, wording: str
) -> None:
    finished.site.sandbox.fault(kind, count=5, endpoint=DETAILS)
    page = finished.browser.get(finished.page_path)
    assert page.status_code == 200
    words = text_of(page.text)
    assert wording in words
    assert "What we store about this application is shown" in words
    assert "Résumé" in words and "History" in words and "Ana Horvat" in words
    assert ANSWERS[0] not in words


def test_a_platform_that_hangs_costs_the_page_a_bounded_wait(finished: Finished) -> None:
    finished.site.sandbox.fault("hang", count=2, endpoint=DETAILS, hang_seconds=30)
    page = finished.browser.get(finished.page_path)
    assert page.status_code == 200
    assert "could not be reached just now" in text_of(page.text)
    assert page.elapsed.total_seconds() < 2 * results.FETCH_TIMEOUT_SECONDS + 3


def test_the_pdf_report_button_redirects_to_a_real_pdf(finished: Finished) -> None:
    page = finished.browser.get(finished.page_path).text
    answer = finished.browser.post(
        f"{finished.page_path}/report", data={"csrf_token": finished.csrf(page)}
    )
    assert answer.status_code == 303
    location = answer.headers["location"]
    assert location.startswith(f"{finished.site.sandbox.url}/media/report/")
    report = httpx.get(location, timeout=10)
    assert report.headers["content-type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(report.content)).pages)
    assert "Ana Horvat" in text and "Barista" in text and ANSWERS[1] in text
    assert find_leaks([location], [], LEAKS.log_lines) == []


def test_the_pdf_report_needs_the_csrf_token(finished: Finished) -> None:
    refused = finished.browser.post(f"{finished.page_path}/report", data={})
    assert refused.status_code == 400


def test_a_refused_pdf_report_says_so_and_returns_to_the_page(finished: Finished) -> None:
    page = finished.browser.get(finished.page_path).text
    finished.site.sandbox.fault("500", count=5, endpoint="job-interview-pdf")
    answer = finished.browser.post(
        f"{finished.page_path}/report", data={"csrf_token": finished.csrf(page)}
    )
    assert answer.status_code == 303
    assert answer.headers["location"].endswith(finished.page_path)
    back = finished.browser.get(finished.page_path).text
    assert "JobMojito could not be reached just now, so the PDF report is not shown" in text_of(
        back
    )


def test_an_application_without_a_result_says_so_without_calling_the_platform(site: Site) -> None:
    position_id = make_position(site.app, slug="barista", title="Barista")
    application_id = make_application(site.app, position_id)
    with closing(sign_in(site)) as browser:
        page = browser.get(f"/admin/applications/{application_id}").text
        assert "No interview result yet" in text_of(page)
        assert "other_calls" in site.sandbox.calls()
        assert site.sandbox.calls()["other_calls"].get(DETAILS, 0) == 0
        refused = browser.post(
            f"/admin/applications/{application_id}/report",
            data={"csrf_token": re.findall(CSRF, page)[0]},
        )
        assert refused.status_code == 303
        assert "no interview result to report on" in text_of(
            browser.get(refused.headers["location"]).text
        )


def test_the_candidates_own_page_never_reads_the_result(finished: Finished) -> None:
    from webapp.views.apply import candidate_link_token

    with finished.site.app.test_request_context():
        application = db.session.get(Application, finished.application_id)
        assert application is not None
        token = candidate_link_token(application.public_id)
        db.session.remove()
    calls = finished.details_calls()
    with httpx.Client(base_url=finished.site.url, timeout=10) as candidate:
        page = candidate.get(f"/applications/{token}")
    assert page.status_code == 200
    assert ANSWERS[0] not in text_of(page.text)
    assert finished.details_calls() == calls
