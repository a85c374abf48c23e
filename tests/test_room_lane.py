"""The room's lane answers as Flask does, never shows a stale state, and signs every frame link anew."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from werkzeug.test import Client

from tests.conftest import Site, make_site
from tests.helpers import VerifiedCandidate, seed
from webapp.extensions import db
from webapp.jobmojito.embed_link import build_embed_url
from webapp.services.platform import platform
from webapp.views import room_cache, room_lane

SLUG = "data-analyst-amsterdam"
FRAME = re.compile(r'<iframe id="interview-frame" src="([^"]+)"')


@pytest.fixture
def live(tmp_path: Path, migrated_template: Path) -> Iterator[Site]:
    for site in make_site(tmp_path, migrated_template):
        seed(site.app)
        site.start_workers()
        yield site


@pytest.fixture
def proven(live: Site) -> Iterator[tuple[VerifiedCandidate, str]]:
    person = VerifiedCandidate(live.url, live.app)
    page = person.apply(SLUG, "lane@example.com")
    person.wait_for_stage(page, "interview")
    yield person, page
    person.close()


def _lane(site: Site) -> room_lane.RoomLane:
    return site.app.extensions[room_lane.EXTENSION_KEY]  # type: ignore[no-any-return]


def _cookie(person: VerifiedCandidate) -> str:
    return "; ".join(f"{name}={value}" for name, value in person.http.cookies.items())


def _get(wsgi: Callable[..., Any], path: str, cookie: str) -> tuple[str, dict[str, str], bytes]:
    answer = Client(wsgi, use_cookies=False).get(
        path, headers={"Cookie": cookie, "Host": "127.0.0.1"}
    )
    return answer.status, dict(answer.headers), answer.get_data()


def _counting(lane: room_lane.RoomLane) -> list[str]:
    """Count the requests that reach Flask behind the lane."""
    reached: list[str] = []
    inner = lane.wsgi_app

    def counted(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        reached.append(environ["PATH_INFO"])
        return inner(environ, start_response)

    lane.wsgi_app = counted
    return reached


@pytest.mark.parametrize("suffix", ["", "/status.json"])
def test_the_lane_answers_exactly_as_flask_does(live: Site, proven: Any, suffix: str) -> None:
    person, page = proven
    person.http.get(page)  # the page gives this browser its CSRF secret
    lane, cookie = _lane(live), _cookie(person)
    for _ in range(2):  # the first answer of a kind is Flask's; the lane learns its headers from it
        _get(live.app, page + suffix, cookie)
    reached = _counting(lane)
    served = _get(live.app, page + suffix, cookie)
    assert reached == []  # answered by the lane alone
    flask = _get(lane.wsgi_app, page + suffix, cookie)
    assert served[0] == flask[0] == "200 OK"
    assert served[1] == flask[1]  # every header, security headers and no-store included
    assert served[2] == flask[2]
    assert b"__careerframe" not in served[2]


@pytest.mark.parametrize("token", ["not-a-link", "IjEi.aaaa.bbbb"])
def test_refused_status_links_answer_as_flask_does(live: Site, token: str) -> None:
    lane, path = _lane(live), f"/applications/{token}/status.json"
    _get(live.app, path, "")
    served, flask = _get(live.app, path, ""), _get(lane.wsgi_app, path, "")
    assert served == flask and served[0].startswith("404")


def _change(site: Site, page: str, sql: str, **values: object) -> None:
    public_id = _public_id(site, page)
    with site.app.app_context():
        db.session.execute(text(sql), {"public_id": public_id, **values})
        db.session.commit()


def _public_id(site: Site, page: str) -> str:
    from webapp.tokens import CANDIDATE_LINK, read_token

    config = site.app.config
    return read_token(config["SECRET_KEY"], (), CANDIDATE_LINK, page.split("/")[2])


CHANGES = {
    "interview finished": (
        "UPDATE applications SET interview_status = 'completed' WHERE public_id = :public_id",
        lambda html: 'id="interview-frame"' not in html,
    ),
    "withdrawn": (
        "UPDATE applications SET withdrawn_at = CURRENT_TIMESTAMP WHERE public_id = :public_id",
        lambda html: 'id="interview-frame"' not in html,
    ),
    "language switched": (
        "UPDATE applications SET locale = 'de' WHERE public_id = :public_id",
        lambda html: '<html lang="de"' in html,
    ),
    "new attempt": (
        "UPDATE applications SET interview_status = 'cancelled', interview_attempt = 2"
        " WHERE public_id = :public_id",
        lambda html: 'class="notice"' in html,
    ),
    "position renamed": (
        "UPDATE positions SET title = 'Renamed role', updated_at = CURRENT_TIMESTAMP"
        " WHERE id = (SELECT position_id FROM applications WHERE public_id = :public_id)",
        lambda html: "Renamed role" in html,
    ),
}


@pytest.mark.parametrize("change", CHANGES)
def test_a_changed_state_shows_on_the_very_next_page(live: Site, proven: Any, change: str) -> None:
    person, page = proven
    for _ in range(3):
        assert 'id="interview-frame"' in person.http.get(page).text
    assert len(_lane(live).pages._pages) == 1  # the page is served from the store
    sql, shows_it = CHANGES[change]
    _change(live, page, sql)
    assert shows_it(person.http.get(page).text)


def test_every_served_page_carries_a_link_signed_now(live: Site, proven: Any) -> None:
    person, page = proven
    before = FRAME.search(person.http.get(page).text)
    assert before is not None
    reached = _counting(_lane(live))
    # The position's key changes and nothing else (its row version stays): the stored page stays
    # valid, and the link in it must still be signed with the key held now.
    with live.app.app_context():
        objects = platform()
        new_key = "rotated-signing-key-0123456789abcdef"
        position_id = db.session.execute(
            text("SELECT position_id FROM applications WHERE public_id = :p"),
            {"p": _public_id(live, page)},
        ).scalar_one()
        embed_id = db.session.execute(
            text("SELECT embed_id FROM positions WHERE id = :id"), {"id": position_id}
        ).scalar_one()
        db.session.execute(
            text("UPDATE positions SET embed_signing_key_encrypted = :k WHERE id = :id"),
            {"k": objects.vault.encrypt(new_key), "id": position_id},
        )
        db.session.commit()
        expected = build_embed_url(
            objects.embed_url, embed_id, new_key, "Amara Okafor", "lane@example.com"
        )
    html = person.http.get(page).text
    assert reached == []  # from the store, not rendered again
    after = FRAME.search(html)
    assert after is not None and after.group(1).replace("&amp;", "&") == expected
    assert after.group(1) != before.group(1)


def test_the_csrf_token_of_a_stored_page_is_this_browsers(live: Site, proven: Any) -> None:
    person, page = proven
    for _ in range(2):
        html = person.http.get(page).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert token is not None and room_cache.FRAME_PLACEHOLDER not in html
    sent = person.http.post(page + "/send-link", data={"csrf_token": token.group(1)})
    assert sent.status_code in (303, 200), sent.status_code  # accepted, not "your form expired"


def test_a_notice_and_other_browsers_go_through_flask(live: Site, proven: Any) -> None:
    person, page = proven
    person.http.get(page)
    reached = _counting(_lane(live))
    assert "room_verified" not in person.http.get(page + "?notice=verified").text
    stranger = Client(live.app).get(page, headers={"Host": "127.0.0.1"})
    assert stranger.status_code == 200 and b'id="interview-frame"' not in stranger.get_data()
    assert len(reached) == 2


def test_a_remembered_session_ends_with_its_cookie_and_with_its_keys(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from itsdangerous import URLSafeTimedSerializer

    memory = room_lane.SessionMemory(seconds=600)
    serializer = URLSafeTimedSerializer("one-key", salt="cookie-session")
    cookie = serializer.dumps({"csrf_token": "abc"})
    assert memory.read(serializer, cookie, max_age=100) == {"csrf_token": "abc"}
    assert memory.read(serializer, cookie + "x", max_age=100) is None  # a forged cookie
    # Remembered no longer than the cookie lives: 100 s after signing, it is refused at once.
    signed_at = serializer.loads(cookie, return_timestamp=True)[1].timestamp()
    later = room_lane.time.monotonic() + 101
    monkeypatch.setattr(room_lane.time, "monotonic", lambda: later)
    monkeypatch.setattr(room_lane.time, "time", lambda: signed_at + 101)  # itsdangerous's clock too
    assert memory.read(serializer, cookie, max_age=100) is None
    # Other keys: nothing remembered under the old ones counts.
    rotated = URLSafeTimedSerializer("another-key", salt="cookie-session")
    assert memory.read(rotated, cookie, max_age=10**6) is None
